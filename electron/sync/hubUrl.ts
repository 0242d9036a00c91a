/**
 * The hub's address: `postgres://USER:PASS@HOST:PORT/DB`. The college settings travel to every PC
 * as log events, so they hold the address without its password; each PC keeps the password in its
 * own protected storage (or, for the CLI and the web host, an environment variable). Everything
 * shown or logged goes through `redactHubUrl`.
 */
import { DeskError } from '../../shared/api/index.js';

export interface HubAddress {
  user: string;
  password: string;
  host: string;
  port: number;
  database: string;
}

function parse(url: string): URL {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new DeskError('hub_url_invalid', '同步服务器地址格式不对，应为 postgres://用户名@主机:端口/数据库名。');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new DeskError('hub_url_invalid', '同步服务器地址应以 postgres:// 开头（PostgreSQL 数据库）。');
  }
  if (!u.hostname || !u.username || u.pathname.replace(/^\//, '') === '') {
    throw new DeskError('hub_url_invalid', '同步服务器地址须写明用户名、主机和数据库名：postgres://用户名@主机:端口/数据库名。');
  }
  return u;
}

export function parseHubUrl(url: string): HubAddress {
  const u = parse(url);
  return {
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}

/** The address as the college settings keep it: no password (options such as ?sslmode=require stay). */
export function hubUrlWithoutPassword(url: string): string {
  const u = parse(url);
  u.password = '';
  if (!u.port) u.port = '5432';
  return u.toString();
}

/** The password a URL carries ('' when it has none). */
export function hubUrlPassword(url: string): string {
  return parseHubUrl(url).password;
}

/** The address to connect with: the password given here wins over one in the URL. */
export function hubUrlWithPassword(url: string, password: string | undefined): string {
  const u = parse(url);
  if (password) u.password = encodeURIComponent(password);
  return u.toString();
}

/** For reports, logs and errors: the address with any password replaced by ***. */
export function redactHubUrl(url: string): string {
  try {
    const a = parseHubUrl(url);
    return `postgres://${a.user}${a.password ? ':***' : ''}@${a.host}:${a.port}/${a.database}`;
  } catch {
    return url.replace(/(\/\/[^/:@\s]*:)[^@\s]*@/, '$1***@');
  }
}

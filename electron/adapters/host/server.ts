/**
 * The loopback HTTP host: the same API contract over HTTP on a loopback address only, for
 * `npm run web` and the browser end-to-end tests. A random token per run is required on every
 * request: an `Authorization: Bearer` header, or the cookie `desk_token_<port>` that a one-time
 * link (`/?token=<link code>`, consumed by its first use) sets; requests from other origins or with
 * a foreign Host header are refused.
 *
 * Cookies are not bound to a port: a browser sends a 127.0.0.1 cookie to every server on
 * 127.0.0.1. So the host listens on an address of its own in 127.0.0.0/8 (random per run, falling
 * back to 127.0.0.1 where only that one exists), whose cookies no other local server receives,
 * and the cookie's name carries the port, so two desks in one browser keep a cookie each.
 *
 * A browser cannot hand over a path, so files travel: `POST /upload?kind=…&name=…` streams one
 * file into the desk's inbox (size-capped per kind, 413 above it) and answers with a handle;
 * `GET /download/<handle>` sends an output (an export folder as a .zip).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileKind } from '../../../shared/api/index.js';
import type { Dispatch } from '../../app/dispatch.js';
import { toApiError } from '../../app/dispatch.js';
import type { FileRegistry } from '../../app/files.js';
import type { DocumentBlob } from '../../documents/index.js';
import { zipFolder } from '../../platform/index.js';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface HostOptions {
  dispatch: Dispatch;
  document: (id: number) => DocumentBlob | null;
  /** Built renderer (dist/renderer). */
  rendererDir: string;
  /** The desk's file handles: uploads are registered here, downloads looked up. */
  files?: FileRegistry;
  /**
   * Whether uploads and downloads are allowed now (the calls' rule: once the college has accounts,
   * only with a session). Default: always.
   */
  mayTransfer?: () => boolean;
  port?: number;
  /** The loopback address to listen on; default: a random one in 127.0.0.0/8 (else 127.0.0.1). */
  address?: string;
  token?: string;
}

export interface Host {
  server: Server;
  /** The loopback address it listens on. */
  address: string;
  port: number;
  /** The run's secret: the Bearer token and the cookie's value (never part of a link). */
  token: string;
  /** `desk_token_<port>`. */
  cookieName: string;
  origin: string;
  /** The first one-time link that hands the token to a browser (works once). */
  url: string;
  /** Another one-time link (a second browser, or the first one after its cookie is gone). */
  link(): string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2',
  '.ttf': 'font/ttf', '.json': 'application/json', '.ico': 'image/x-icon', '.wasm': 'application/wasm',
  '.bcmap': 'application/octet-stream', '.pfb': 'application/octet-stream',
};

const MAX_BODY = 1 << 20;

/** A random loopback address, 127.x.y.z (not .0 or .255 at the end, not 127.0.0.1 itself). */
function randomLoopback(): string {
  const b = randomBytes(3);
  return `127.${b[0]!}.${b[1]!}.${1 + (b[2]! % 253)}`;
}

function listen(server: Server, port: number, address: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (e: Error): void => reject(e);
    server.once('error', fail);
    server.listen(port, address, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

const sameSecret = (given: string, want: Buffer): boolean => {
  const g = Buffer.from(given);
  return g.length === want.length && timingSafeEqual(g, want);
};

export async function startHost(opts: HostOptions): Promise<Host> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const tokenBuf = Buffer.from(token);
  let origin = '';
  let hostHeader = '';
  let cookieName = 'desk_token';
  /** One-time link codes not used yet (a code is not the token: a used link in the history is worthless). */
  const links = new Set<string>();
  const newLink = (): string => {
    const code = randomBytes(24).toString('hex');
    links.add(code);
    return `${origin}/?token=${code}`;
  };

  const tokenOk = (req: IncomingMessage): boolean => {
    const auth = req.headers.authorization;
    const fromHeader = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    // Only this desk's cookie: another desk's cookie in the same browser is not ours.
    let fromCookie: string | undefined;
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === cookieName) fromCookie = part.slice(eq + 1).trim();
    }
    return sameSecret(fromHeader ?? fromCookie ?? '', tokenBuf);
  };

  const send = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.end(body);
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, `internal error: ${e instanceof Error ? e.message : String(e)}`);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS-rebinding and cross-site defence: only our own host name and origin are served.
    if (req.headers.host !== hostHeader) return send(res, 421, 'wrong host');
    const reqOrigin = req.headers.origin;
    if (reqOrigin !== undefined && reqOrigin !== origin) return send(res, 403, 'foreign origin refused');
    const url = new URL(req.url ?? '/', origin);

    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      const code = url.searchParams.get('token') ?? '';
      const known = [...links].find((l) => sameSecret(code, Buffer.from(l)));
      if (!known) {
        // A used link (from the shell's or the browser's history) opens nothing a second time.
        return send(res, 403, '此链接已使用过或无效：请使用 npm run web 新打印的链接（每个链接只能打开一次）。\nThis link was used already or is not valid: each link opens the desk once.');
      }
      links.delete(known);
      res.writeHead(302, {
        Location: '/',
        'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      res.end();
      return;
    }
    if (!tokenOk(req)) return send(res, 401, 'token required: open the URL printed by `npm run web`');
    const transfer = (): boolean => opts.mayTransfer?.() ?? true;

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'POST only');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'application/json required');
      const body = await readBody(req);
      if (body === null) return send(res, 413, 'body too large');
      let args: unknown;
      try {
        args = body.length ? JSON.parse(body) : {};
      } catch {
        return send(res, 400, JSON.stringify({ ok: false, error: { code: 'bad_json', message: '请求内容不是有效的 JSON。' } }), 'application/json');
      }
      const result = await opts.dispatch(decodeURIComponent(url.pathname.slice(5)), args);
      return send(res, 200, JSON.stringify(result), 'application/json; charset=utf-8');
    }

    if (url.pathname === '/upload') {
      if (req.method !== 'POST') return send(res, 405, 'POST only');
      if (!opts.files) return send(res, 404, 'no uploads here');
      if (!transfer()) {
        req.resume();
        return json(res, 403, { ok: false, error: { code: 'sign_in_required', message: '请先登录：本学院已启用账户。' } });
      }
      return upload(opts.files, url, req, res);
    }

    if (url.pathname.startsWith('/download/')) {
      if (req.method !== 'GET') return send(res, 405, 'GET only');
      if (!transfer()) return send(res, 403, 'sign in first / 请先登录');
      const found = opts.files?.downloadable(decodeURIComponent(url.pathname.slice('/download/'.length)));
      if (!found) return send(res, 404, 'no such download');
      const name = found.folder ? `${found.name}.zip` : found.name;
      // An ASCII fallback for old clients, the real (Chinese) name per RFC 5987.
      const disposition = `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
      const headers = { 'Content-Disposition': disposition, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
      if (found.folder) {
        res.writeHead(200, { ...headers, 'Content-Type': 'application/zip' });
        await zipFolder(found.path, res);
      } else {
        res.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream', 'Content-Length': String(statSync(found.path).size) });
        await pipeline(createReadStream(found.path), res);
      }
      return;
    }

    if (url.pathname.startsWith('/doc/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'GET only');
      const id = /^\/doc\/(\d{1,12})$/.exec(url.pathname)?.[1];
      const blob = id ? opts.document(Number(id)) : null;
      if (!blob || !existsSync(blob.path)) return send(res, 404, 'no such document');
      res.writeHead(200, {
        'Content-Type': blob.mime,
        'Content-Length': String(blob.size),
        'Cache-Control': 'private, max-age=3600, immutable',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(blob.path).pipe(res);
      return;
    }

    if (req.method !== 'GET') return send(res, 405, 'GET only');
    return serveStatic(url.pathname, res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const root = normalize(opts.rendererDir + sep);
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(root, rel));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'not found');
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };
    if (type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = CSP;
      headers['X-Frame-Options'] = 'DENY';
      headers['Referrer-Policy'] = 'no-referrer';
    }
    res.writeHead(200, headers);
    res.end(readFileSync(file));
  }

  let address = opts.address ?? randomLoopback();
  try {
    await listen(server, opts.port ?? 0, address);
  } catch (e) {
    // Only 127.0.0.1 is configured on some systems (macOS); elsewhere the whole /8 is loopback.
    if (opts.address !== undefined || (e as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw e;
    address = '127.0.0.1';
    await listen(server, opts.port ?? 0, address);
  }
  const port = (server.address() as AddressInfo).port;
  origin = `http://${address}:${port}`;
  hostHeader = `${address}:${port}`;
  cookieName = `desk_token_${port}`;
  return {
    server,
    address,
    port,
    token,
    cookieName,
    origin,
    url: newLink(),
    link: newLink,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...(status === 413 ? { Connection: 'close' } : {}) });
  res.end(JSON.stringify(body));
};

/** Streams one uploaded file into the inbox: refused at once when its declared size is over the cap, cut off when it grows over it. */
async function upload(files: FileRegistry, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const kind = fileKind.safeParse(url.searchParams.get('kind'));
  const name = url.searchParams.get('name') ?? '';
  const into = url.searchParams.get('into') ?? undefined;
  if (!kind.success || !name) return json(res, 400, { ok: false, error: { code: 'invalid_args', message: '上传需要 kind 和 name 参数。' } });
  let up;
  try {
    up = files.beginUpload(kind.data, name, into);
  } catch (e) {
    req.resume();
    return json(res, 400, { ok: false, error: toApiError(e) });
  }
  const tooLarge = { ok: false, error: { code: 'upload_too_large', message: `文件太大：这里最多接收 ${Math.floor(up.maxBytes / 1024 / 1024)} MB。`, details: { maxBytes: up.maxBytes } } };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > up.maxBytes) {
    up.abort();
    json(res, 413, tooLarge);
    req.destroy();
    return;
  }
  let n = 0;
  const limit = up.maxBytes;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > limit) cb(new RangeError('upload over the cap'));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(up.partPath, { flags: 'wx' }));
  } catch (e) {
    up.abort();
    if (e instanceof RangeError) {
      json(res, 413, tooLarge);
      req.destroy();
    } else if (!res.headersSent) json(res, 400, { ok: false, error: { code: 'upload_failed', message: '上传中断，请重试。' } });
    return;
  }
  // Complete: the file takes its real name only now, so nothing ever reads half an upload.
  renameSync(up.partPath, up.partPath.slice(0, -'.part'.length));
  json(res, 200, { ok: true, value: up.commit(n) });
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

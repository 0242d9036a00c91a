/**
 * 同步服务器: the college's LAN hub on PostgreSQL. It is one more SyncTransport: the same sealed
 * event segments, watermarks and scans a sync folder holds (folderSync.ts does the exchange for
 * both), kept in three tables instead of files. The hub only ever stores ciphertext sealed with
 * the college passphrase and signed by the writing PC, so whoever administers the database can
 * delete or replay objects (a replay is a duplicate, which merging ignores) but cannot read an
 * applicant's data or forge a reviewer's decision.
 *
 *   hub_meta      schema version; the college the hub belongs to (the folder's zsb-folder.json)
 *   hub_segments  (writer, name) → sealed events of one origin, from..to; never changed once written
 *   hub_states    writer → sealed watermark of that PC (what it has, its name); replaced
 *   hub_scans     keyed name → one sealed scan, stored once whoever pushes it
 *
 * A visit's writes are one transaction under an advisory lock: a cut connection or a stopped
 * server leaves none of them, two PCs pushing at once take turns, and pushing the same objects
 * again changes nothing (segments and scans are named by their content). Readers see committed
 * rows only, never half an object.
 */
import pg from 'pg';
import { DeskError, type HubInitReport } from '../../shared/api/index.js';
import { exchangeThrough, type FolderSyncOptions } from './folderSync.js';
import { redactHubUrl } from './hubUrl.js';
import type { FileInfo, SyncTransport } from './transport.js';
import type { SyncFolderReport } from '../../shared/api/index.js';
import type { Workspace } from '../workspace/index.js';

/** The hub schema this desk writes. A hub made by a newer desk is refused, not guessed at. */
export const HUB_SCHEMA_VERSION = 1;

/** Each step moves the hub from version-1 to version, in the transaction of `initHub`. */
const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE SEQUENCE IF NOT EXISTS hub_rev;
      CREATE TABLE IF NOT EXISTS hub_segments (
        writer text NOT NULL,
        name text NOT NULL,
        bytes bytea NOT NULL,
        size integer NOT NULL,
        rev bigint NOT NULL DEFAULT nextval('hub_rev'),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (writer, name)
      );
      CREATE TABLE IF NOT EXISTS hub_states (
        writer text PRIMARY KEY,
        bytes bytea NOT NULL,
        size integer NOT NULL,
        rev bigint NOT NULL DEFAULT nextval('hub_rev'),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE IF NOT EXISTS hub_scans (
        name text PRIMARY KEY,
        bytes bytea NOT NULL,
        size integer NOT NULL,
        rev bigint NOT NULL DEFAULT nextval('hub_rev'),
        created_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
];

/** One lock for the hub's writers (and its migrations): visits write one after another. */
const WRITE_LOCK = 0x7a73_6268; // 'zsbh'
const FOLDER_FILE = 'zsb-folder.json';
const STATE = /^desk-([^/]+)\/state\.zsbsync$/;
const SEGMENT = /^desk-([^/]+)\/([^/]+\.zsbsync)$/;
const SCAN = /^scans\/([0-9a-f]{32}\.zsbsync)$/;

export interface HubConnectOptions {
  /** How long to wait for the server before the hub counts as offline. */
  connectTimeoutMs?: number;
}

/** A pg failure in words a registrar (or the IT office) can act on; never with the password. */
export function hubError(e: unknown, url: string): DeskError {
  if (e instanceof DeskError) return e;
  const where = redactHubUrl(url);
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  const msg = (err.message ?? String(e)).replace(/\/\/[^@\s]*@/g, '//');
  // pg says "Connection terminated due to connection timeout" when the server never answered.
  if (['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P03'].includes(code) || /connection timeout|timeout expired/i.test(msg)) {
    return new DeskError('hub_unreachable', `连不上同步服务器 ${where}（${code || msg}）。审核台照常离线工作，服务器恢复后会自动补上同步。`);
  }
  if (['ECONNRESET', 'EPIPE', '57P01', '57P02'].includes(code) || /terminat|Connection ended|not queryable|closed/i.test(msg)) {
    return new DeskError('hub_connection_lost', `与同步服务器 ${where} 的连接中断（${code || msg}）。本次未写完的内容已整体撤销，下次同步会重做。`);
  }
  // pg refuses to start SCRAM without a password ("client password must be a string").
  if (code === '28P01' || code === '28000' || /client password must be|password authentication failed/i.test(msg)) return new DeskError('hub_auth', `同步服务器 ${where} 拒绝了用户名或密码，请向学院信息中心确认。`);
  if (code === '3D000') return new DeskError('hub_no_database', `同步服务器上没有这个数据库：${where}。请信息中心先建库并运行 hub init。`);
  if (code === '42P01') return new DeskError('hub_not_initialised', `同步服务器 ${where} 尚未初始化：请运行 hub init --url …。`);
  if (code === '55P03' || code === '40P01') return new DeskError('hub_busy', `同步服务器 ${where} 正忙（其他电脑正在同步），请稍后再试。`);
  return new DeskError('hub_error', `同步服务器 ${where} 出错：${code ? `${code} ` : ''}${msg}`);
}

export async function connectHub(url: string, opts: HubConnectOptions = {}): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    keepAlive: true,
    application_name: 'zsb-review-desk',
  });
  // A server that goes away while the client sits idle is reported here; the query in flight (if
  // any) rejects with the same failure, which is where the visit handles it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    // A desk that dies mid-visit must not hold the write lock: the server ends its transaction.
    await client.query("SET idle_in_transaction_session_timeout = '120s'; SET lock_timeout = '60s'");
  } catch (e) {
    await client.end().catch(() => undefined);
    throw hubError(e, url);
  }
  return client;
}

/** The hub's schema version (0 = never initialised). */
async function schemaVersion(client: pg.Client): Promise<number> {
  const has = await client.query<{ t: string | null }>("SELECT to_regclass('hub_meta')::text AS t");
  if (!has.rows[0]?.t) return 0;
  const r = await client.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'schema_version'");
  return Number(r.rows[0]?.value ?? 0);
}

function tooNew(version: number, url: string): DeskError {
  return new DeskError('hub_too_new', `同步服务器 ${redactHubUrl(url)} 由更新版本的审核台建立（结构版本 ${version}，本机支持 ${HUB_SCHEMA_VERSION}）。请先升级本机的审核台。`);
}

/** `hub init`: creates or upgrades the schema; running it again changes nothing. */
export async function initHub(url: string, opts: HubConnectOptions = {}): Promise<HubInitReport> {
  const client = await connectHub(url, opts);
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS hub_meta (key text PRIMARY KEY, value text NOT NULL)');
    const from = await schemaVersion(client);
    if (from > HUB_SCHEMA_VERSION) throw tooNew(from, url);
    for (const m of MIGRATIONS) if (m.version > from) await client.query(m.sql);
    await client.query(
      "INSERT INTO hub_meta (key, value) VALUES ('schema_version', $1), ('created_at', now()::text) ON CONFLICT (key) DO UPDATE SET value = CASE WHEN hub_meta.key = 'schema_version' THEN EXCLUDED.value ELSE hub_meta.value END",
      [String(HUB_SCHEMA_VERSION)],
    );
    await client.query('COMMIT');
    return { hub: redactHubUrl(url), version: HUB_SCHEMA_VERSION, from, created: from === 0 };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw hubError(e, url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The objects of one hub, as the exchange sees files. */
export class HubTransport implements SyncTransport {
  constructor(private readonly client: pg.Client, private readonly url: string) {}

  private async q<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.client.query<R>(sql, params);
    } catch (e) {
      throw hubError(e, this.url);
    }
  }

  async put(name: string, bytes: Buffer): Promise<void> {
    let m: RegExpExecArray | null;
    if (name === FOLDER_FILE) {
      // The first PC names the hub's college; later ones read it (and are refused if foreign).
      await this.q("INSERT INTO hub_meta (key, value) VALUES ('folder', $1) ON CONFLICT (key) DO NOTHING", [bytes.toString('utf8')]);
    } else if ((m = STATE.exec(name))) {
      await this.q(
        `INSERT INTO hub_states (writer, bytes, size) VALUES ($1, $2, $3)
         ON CONFLICT (writer) DO UPDATE SET bytes = EXCLUDED.bytes, size = EXCLUDED.size, rev = nextval('hub_rev'), updated_at = now()`,
        [m[1], bytes, bytes.length],
      );
    } else if ((m = SEGMENT.exec(name))) {
      // Named by origin, range and the hash of the last event: the same name holds the same events.
      await this.q('INSERT INTO hub_segments (writer, name, bytes, size) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [m[1], m[2], bytes, bytes.length]);
    } else if ((m = SCAN.exec(name))) {
      await this.q('INSERT INTO hub_scans (name, bytes, size) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [m[1], bytes, bytes.length]);
    } else {
      throw new DeskError('hub_bad_name', `同步服务器不保存这种对象：${name}`);
    }
  }

  async get(name: string): Promise<Buffer> {
    let m: RegExpExecArray | null;
    let r: pg.QueryResult<{ bytes: Buffer | string }>;
    if (name === FOLDER_FILE) r = await this.q("SELECT value AS bytes FROM hub_meta WHERE key = 'folder'", []);
    else if ((m = STATE.exec(name))) r = await this.q('SELECT bytes FROM hub_states WHERE writer = $1', [m[1]]);
    else if ((m = SEGMENT.exec(name))) r = await this.q('SELECT bytes FROM hub_segments WHERE writer = $1 AND name = $2', [m[1], m[2]]);
    else if ((m = SCAN.exec(name))) r = await this.q('SELECT bytes FROM hub_scans WHERE name = $1', [m[1]]);
    else throw new DeskError('not_found', `同步服务器上没有：${name}`);
    const row = r.rows[0];
    if (!row) throw new DeskError('not_found', `同步服务器上没有：${name}`);
    return typeof row.bytes === 'string' ? Buffer.from(row.bytes, 'utf8') : row.bytes;
  }

  async list(): Promise<FileInfo[]> {
    const r = await this.q<{ name: string; size: number; rev: string }>(
      `SELECT 'desk-' || writer || '/' || name AS name, size, rev FROM hub_segments
       UNION ALL SELECT 'desk-' || writer || '/state.zsbsync', size, ('x' || substr(md5(bytes), 1, 13))::bit(52)::bigint FROM hub_states
       UNION ALL SELECT 'scans/' || name, size, rev FROM hub_scans
       ORDER BY name`,
      [],
    );
    // The revision stands in for a file's mtime. Segments and scans never change under a name; a
    // state is replaced, and a hub restored from a dump hands out revisions again, so a state's
    // stand-in is taken from its bytes (52 bits of md5: exact as a number) and cannot recur.
    return r.rows.map((x) => ({ name: x.name, size: x.size, mtimeMs: Number(x.rev) }));
  }

  /** Nothing is ever half-written on a hub: a write is in a transaction or not there. */
  parts(): Promise<FileInfo[]> {
    return Promise.resolve([]);
  }

  async remove(name: string): Promise<void> {
    let m: RegExpExecArray | null;
    if ((m = STATE.exec(name))) await this.q('DELETE FROM hub_states WHERE writer = $1', [m[1]]);
    else if ((m = SEGMENT.exec(name))) await this.q('DELETE FROM hub_segments WHERE writer = $1 AND name = $2', [m[1], m[2]]);
    else if ((m = SCAN.exec(name))) await this.q('DELETE FROM hub_scans WHERE name = $1', [m[1]]);
  }

  async batch<T>(writes: () => Promise<T>): Promise<T> {
    await this.q('BEGIN', []);
    try {
      // Writers take turns: two PCs pushing the same scan at once cannot deadlock or interleave.
      await this.q('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      const out = await writes();
      await this.q('COMMIT', []);
      return out;
    } catch (e) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw e instanceof DeskError ? e : hubError(e, this.url);
    }
  }
}

/** Refuses a hub that was never initialised, or one made by a newer desk. */
export async function checkHubSchema(client: pg.Client, url: string): Promise<void> {
  let v: number;
  try {
    v = await schemaVersion(client);
  } catch (e) {
    throw hubError(e, url);
  }
  if (v === 0) throw new DeskError('hub_not_initialised', `同步服务器 ${redactHubUrl(url)} 尚未初始化：请信息中心运行 hub init --url …。`);
  if (v > HUB_SCHEMA_VERSION) throw tooNew(v, url);
  if (v < HUB_SCHEMA_VERSION) throw new DeskError('hub_outdated', `同步服务器 ${redactHubUrl(url)} 的结构版本较旧（${v}），请运行 hub init --url … 升级。`);
}

/** 与同步服务器同步: one visit to the hub, exactly as to a sync folder. */
export async function syncWithHub(ws: Workspace, url: string, opts: FolderSyncOptions & HubConnectOptions): Promise<SyncFolderReport> {
  const client = await connectHub(url, opts);
  try {
    await checkHubSchema(client, url);
    return await exchangeThrough(ws, new HubTransport(client, url), redactHubUrl(url), opts);
  } finally {
    await client.end().catch(() => undefined);
  }
}

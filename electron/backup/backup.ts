/**
 * Workspace backups in `WS/backups/`: a consistent copy of desk.sqlite taken before every import,
 * migration and sync import, once a day, and on demand. Scans need no copy: blobs are stored by
 * content and never deleted (only the blobs a refused or killed import created itself are
 * removed: documents/sweep.ts), so every blob an old database names is still in `blobs/`.
 *
 * A backup is written to `*.part` and renamed into place, so a crash never leaves a half backup
 * under a real name. Restore refuses a backup that fails `integrity_check`, belongs to another
 * workspace or was written by a newer desk, and backs up the current state before replacing it.
 */
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DeskError } from '../../shared/api/index.js';
import { BACKUP_REASONS, type BackupInfo, type BackupReason, type RestoreResult } from '../../shared/api/backup.js';
import { accountsMissingFrom } from '../accounts/index.js';
import { countAllApplicants, hasApplicants } from '../applicants/index.js';
import { log } from '../platform/index.js';
import { carryIdentityAfterRestore, countDecisions, decisionsMissingFrom, hasEvents, readIdentity, type Identity } from '../sync/index.js';
import { LATEST_VERSION } from '../workspace/index.js';
import { getMeta } from '../workspace/index.js';
import { openSqlite, type Db } from '../workspace/index.js';

export const BACKUP_DIR = 'backups';
const DB_NAME = 'desk.sqlite';

/** Rotation keeps the newest KEEP_LAST backups, plus the newest of each of the last KEEP_DAYS days. */
export const KEEP_LAST = 10;
export const KEEP_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

const NAME_RE = /^desk-(\d{8}T\d{9}Z(?:-\d+)?)-([a-z]+)\.sqlite$/;

function backupDir(wsDir: string): string {
  return join(wsDir, BACKUP_DIR);
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:.]/g, '');
}

function stampToIso(s: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(s);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : s;
}

/** A fresh, unused id for a backup taken now (a counter keeps two backups of one millisecond apart). */
function newId(wsDir: string, reason: BackupReason, now: Date): string {
  const base = stamp(now);
  for (let n = 0; ; n++) {
    const id = n === 0 ? `${base}-${reason}` : `${base}-${n}-${reason}`;
    if (!existsSync(fileOf(wsDir, id))) return id;
  }
}

function fileOf(wsDir: string, id: string): string {
  if (!/^\d{8}T\d{9}Z(?:-\d+)?-[a-z]+$/.test(id)) throw new DeskError('backup_not_found', `备份编号格式不正确：${id.slice(0, 60)}`);
  return join(backupDir(wsDir), `desk-${id}.sqlite`);
}

/** True when the database holds anything worth keeping (a fresh or empty workspace needs no backup). */
export function hasData(db: Db): boolean {
  try {
    // Each stops at the first row; this runs before every import and sync bundle.
    return hasApplicants(db) || hasEvents(db);
  } catch {
    // Tables missing: a database before its first migration.
    return false;
  }
}

/**
 * A backup is one self-contained file: copied from a WAL database it says "WAL" in its header, so
 * every later read-only open (listing, verify) would leave a -wal/-shm pair beside it in backups/.
 * Switched to a rollback journal before it is moved into place, it never does.
 */
function asSingleFile(path: string): void {
  const db = openSqlite(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

interface Pending {
  id: string;
  part: string;
  /** Moves the written `.part` into place, rotates, logs; on error removes the part. */
  settle(error?: unknown): BackupInfo;
}

function begin(wsDir: string, reason: BackupReason, now: Date): Pending {
  mkdirSync(backupDir(wsDir), { recursive: true });
  const id = newId(wsDir, reason, now);
  const part = fileOf(wsDir, id) + '.part';
  rmSync(part, { force: true });
  return {
    id,
    part,
    settle(error?: unknown) {
      try {
        if (error !== undefined) throw error;
        asSingleFile(part);
        syncFile(part);
        renameSync(part, fileOf(wsDir, id));
        rotate(wsDir, now);
        const info = describe(wsDir, id);
        log('info', 'backup.created', { id, reason, size: info.size });
        return info;
      } catch (e) {
        rmSync(part, { force: true });
        throw backupFailed(e);
      }
    },
  };
}

/**
 * Online backup through SQLite's backup API (better-sqlite3 `db.backup()`): it copies in steps
 * and lets the event loop run between them, so the window stays responsive on a large workspace.
 */
export async function createBackup(wsDir: string, db: Db, reason: BackupReason, now = new Date()): Promise<BackupInfo> {
  const p = begin(wsDir, reason, now);
  try {
    await db.backup(p.part);
  } catch (e) {
    return p.settle(e);
  }
  return p.settle();
}

/**
 * The same copy for synchronous callers (opening a workspace, restore): `VACUUM INTO` writes a
 * consistent, compacted snapshot of the committed data in one statement.
 */
export function createBackupSync(wsDir: string, db: Db, reason: BackupReason, now = new Date()): BackupInfo {
  const p = begin(wsDir, reason, now);
  try {
    db.prepare('VACUUM INTO ?').run(p.part);
  } catch (e) {
    return p.settle(e);
  }
  return p.settle();
}

function backupFailed(e: unknown): DeskError {
  if (e instanceof DeskError) return e;
  return new DeskError('backup_failed', `无法创建备份（${(e as Error).message}）：请检查磁盘空间和 backups 文件夹的权限。`);
}

/**
 * The one call before a risky write (an import, a sync bundle): a backup when there is data to
 * lose. Returns null for an empty workspace.
 */
export async function backupBefore(ws: { dir: string; db: Db }, reason: BackupReason): Promise<BackupInfo | null> {
  if (!hasData(ws.db)) return null;
  return createBackup(ws.dir, ws.db, reason);
}

/** backupBefore for synchronous writers (the sync merge runs in one synchronous transaction). */
export function backupBeforeSync(ws: { dir: string; db: Db }, reason: BackupReason): BackupInfo | null {
  if (!hasData(ws.db)) return null;
  return createBackupSync(ws.dir, ws.db, reason);
}

/**
 * Called by openWorkspace before migrating: a 'migration' backup when migrations are pending on a
 * database that holds data, otherwise a 'daily' one when the newest backup is older than a day.
 */
export function backupOnOpen(wsDir: string, db: Db, now = new Date()): BackupInfo | null {
  if (!hasData(db)) return null;
  const version = db.pragma('user_version', { simple: true }) as number;
  // A database from a newer desk is refused by migrate() right after this; copying it is no use.
  if (version > LATEST_VERSION) return null;
  if (version < LATEST_VERSION) return createBackupSync(wsDir, db, 'migration', now);
  const newest = listBackupIds(wsDir)[0];
  if (newest && now.getTime() - Date.parse(stampToIso(newest)) < DAY_MS) return null;
  try {
    return createBackupSync(wsDir, db, 'daily', now);
  } catch (e) {
    // A missed daily copy must not keep the registrar out of the workspace (a migration backup
    // above, in contrast, is required: it is the way back if the migration goes wrong).
    log('warn', 'backup.daily_failed', { error: e });
    return null;
  }
}

/** Backup ids, newest first. */
function listBackupIds(wsDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(backupDir(wsDir));
  } catch {
    return [];
  }
  const ids: string[] = [];
  for (const n of names) {
    const m = NAME_RE.exec(n);
    if (m) ids.push(`${m[1]}-${m[2]}`);
  }
  return ids.sort().reverse();
}

function describe(wsDir: string, id: string): BackupInfo {
  const file = fileOf(wsDir, id);
  const reason = id.slice(id.lastIndexOf('-') + 1);
  const info: BackupInfo = {
    id,
    reason: (BACKUP_REASONS as readonly string[]).includes(reason) ? (reason as BackupReason) : 'manual',
    at: stampToIso(id),
    size: statSync(file).size,
    schemaVersion: 0,
    applicants: 0,
    decisions: 0,
  };
  let db: Db | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    info.schemaVersion = db.pragma('user_version', { simple: true }) as number;
    info.applicants = countAllApplicants(db);
    info.decisions = countDecisions(db);
  } catch {
    // An unreadable backup is still listed (restore will refuse it with the reason).
  } finally {
    db?.close();
  }
  return info;
}

export function listBackups(wsDir: string): BackupInfo[] {
  return listBackupIds(wsDir).map((id) => describe(wsDir, id));
}

/**
 * Rotation: keep the newest KEEP_LAST backups, and for each of the last KEEP_DAYS days (UTC) the
 * newest backup of that day. Leftover `.part` files of a crashed backup are removed too.
 */
export function rotate(wsDir: string, now = new Date()): string[] {
  const ids = listBackupIds(wsDir);
  const keep = new Set(ids.slice(0, KEEP_LAST));
  const days = new Set<string>();
  for (const id of ids) {
    const day = id.slice(0, 8);
    const age = now.getTime() - Date.parse(stampToIso(id));
    if (age < KEEP_DAYS * DAY_MS && !days.has(day)) {
      days.add(day);
      keep.add(id);
    }
  }
  const removed = ids.filter((id) => !keep.has(id));
  for (const id of removed) rmSync(fileOf(wsDir, id), { force: true });
  const kept = new Set(ids.filter((id) => keep.has(id)).map((id) => fileOf(wsDir, id)));
  for (const n of readdirSync(backupDir(wsDir))) {
    const path = join(backupDir(wsDir), n);
    const owner = n.replace(/-(wal|shm|journal)$/, ''); // the database a side file belongs to
    if (n.endsWith('.sqlite.part') || owner.endsWith('.sqlite.part')) {
      rmSync(path, { force: true }); // a crashed copy, or its side files
    } else if (owner !== n && owner.endsWith('.sqlite')) {
      // Side files of a removed backup, or of a kept one made before backups were single files:
      // with no WAL content the pair holds nothing; a non-empty WAL is left for SQLite to apply.
      const db = join(backupDir(wsDir), owner);
      if (!kept.has(db) || !existsSync(`${db}-wal`) || statSync(`${db}-wal`).size === 0) rmSync(path, { force: true });
    }
  }
  return removed;
}

/** Checks a backup file before it may replace the workspace; throws a clear DeskError otherwise. */
export function verifyBackup(wsDir: string, id: string, workspaceId: string | null, formerWorkspaces: readonly string[] = []): BackupInfo {
  const file = fileOf(wsDir, id);
  if (!existsSync(file)) throw new DeskError('backup_not_found', `找不到备份 ${id}。`);
  let db: Db | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('integrity_check') as { integrity_check: string }[];
    if (check.length !== 1 || check[0]?.integrity_check !== 'ok') {
      throw new DeskError('backup_corrupt', `备份 ${id} 已损坏（integrity_check 未通过），不能用于恢复。`);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_VERSION) {
      throw new DeskError('backup_too_new', `备份 ${id} 由更新版本的审核台创建（数据库版本 ${version}），请升级后再恢复。`);
    }
    const stored = getMeta(db, 'workspace_id');
    // A backup from before this PC's copy was moved to a new installation is still this PC's.
    if (workspaceId && stored !== undefined && stored !== workspaceId && !formerWorkspaces.includes(stored)) {
      throw new DeskError('backup_other_workspace', `备份 ${id} 属于另一个工作区，不能恢复到此工作区。`);
    }
  } catch (e) {
    if (e instanceof DeskError) throw e;
    throw new DeskError('backup_corrupt', `备份 ${id} 无法读取（${(e as Error).message}），不能用于恢复。`);
  } finally {
    db?.close();
  }
  return describe(wsDir, id);
}

/** What restoring backup `id` would drop of what exists now: accounts (by name) and decisions. */
export interface RestoreLoss {
  accounts: string[];
  decisions: number;
}

export function restoreLoss(wsDir: string, id: string, live: Db): RestoreLoss {
  const file = fileOf(wsDir, id);
  if (!existsSync(file)) throw new DeskError('backup_not_found', `找不到备份 ${id}。`);
  const db = openSqlite(file, { readonly: true, fileMustExist: true });
  try {
    return { accounts: accountsMissingFrom(live, db), decisions: decisionsMissingFrom(live, db) };
  } finally {
    db.close();
  }
}

function readLiveIdentity(file: string): Identity | null {
  let db: Db | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    return readIdentity(db);
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/** Antivirus and indexers briefly lock files on Windows; retry the rename for a moment. */
function renameWithRetry(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (attempt >= 20 || !(code === 'EPERM' || code === 'EBUSY' || code === 'EACCES')) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}

/**
 * Replaces desk.sqlite with a backup. The workspace must be closed by the caller (every
 * connection of this process); a leftover WAL file means another desk still has it open, and the
 * restore is refused rather than mixing that WAL into the restored file.
 */
export function restoreBackup(wsDir: string, id: string): RestoreResult {
  const live = join(wsDir, DB_NAME);
  const identity = existsSync(live) ? readLiveIdentity(live) : null;
  const restored = verifyBackup(wsDir, id, identity?.workspaceId || null, identity?.formerWorkspaces ?? []);
  // Copied aside first: the safety backup below rotates, and might otherwise remove this one.
  const part = live + '.restoring';
  copyFileSync(fileOf(wsDir, id), part);
  syncFile(part);
  let safety: BackupInfo | null = null;
  if (existsSync(live)) {
    let db: Db | null = null;
    try {
      db = openSqlite(live, { fileMustExist: true });
      safety = createBackupSync(wsDir, db, 'restore');
    } catch {
      // The live database may be the broken one being replaced: keep its raw bytes instead.
      safety = null;
      const raw = join(backupDir(wsDir), `desk-${stamp(new Date())}-unreadable.sqlite.raw`);
      mkdirSync(backupDir(wsDir), { recursive: true });
      copyFileSync(live, raw);
      if (existsSync(live + '-wal')) copyFileSync(live + '-wal', raw + '-wal');
    } finally {
      db?.close();
    }
    if (existsSync(live + '-wal') && statSync(live + '-wal').size > 0) {
      rmSync(part, { force: true });
      throw new DeskError('workspace_busy', '工作区正被另一个审核台窗口或程序使用，请先关闭它再恢复备份。');
    }
  }
  // A stale WAL or shared-memory file must never be applied to the restored database.
  rmSync(live + '-wal', { force: true });
  rmSync(live + '-shm', { force: true });
  // Before it takes the live name: the copy gets its identity and a new origin epoch, because its
  // peers may hold events it no longer has, under sequence numbers it would otherwise use again.
  const restoredDb = openSqlite(part, { fileMustExist: true });
  let origin: string;
  try {
    origin = carryIdentityAfterRestore(restoredDb, identity);
    restoredDb.pragma('journal_mode = DELETE');
  } finally {
    restoredDb.close();
  }
  syncFile(part);
  renameWithRetry(part, live);
  log('info', 'backup.restored', { id, safety: safety?.id ?? null, origin });
  return { restored, safety };
}

/**
 * A digest of every row of every table (sorted), for "is this the same data" checks: a refused
 * import must leave it unchanged, a restore must bring back the backup's.
 */
export function dataDigest(db: Db): string {
  const hash = createHash('sha256');
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  for (const { name } of tables) {
    const cols = (db.prepare(`PRAGMA table_info("${name.replace(/"/g, '""')}")`).all() as { name: string }[]).map((c) => c.name);
    const order = cols.map((_, i) => String(i + 1)).join(', ');
    hash.update(`\u0000table ${name}\u0000`);
    // Which origin epoch this copy writes is not data: a restore deliberately starts a new one.
    const skip = name === 'meta' ? "WHERE key NOT IN ('origin', 'origin_epochs', 'origin_stale')" : '';
    for (const row of db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}" ${skip} ORDER BY ${order}`).raw().iterate()) {
      hash.update(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      hash.update('\n');
    }
  }
  return hash.digest('hex');
}

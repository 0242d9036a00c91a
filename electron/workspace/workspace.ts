/**
 * A workspace is one college's folder: `desk.sqlite` (WAL, foreign keys, STRICT tables, numbered
 * migrations) and the scans, stored once by content under `blobs/ab/cdef…` (sha256).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeskError } from '../../shared/api/index.js';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.js';
import { acquireDeskLock } from './lock.js';
import { networkWarning } from './location.js';
import { allMeta, setMeta } from './meta.js';
import { openSqlite, type Db } from './sqlite.js';
import { BlobStore } from '../documents/index.js';
import { backupOnOpen } from '../backup/index.js';
import { claimWorkspace } from '../sync/index.js';

export const DB_FILE = 'desk.sqlite';
/** The name a workspace created without one gets: a placeholder, never a name to sign tables with. */
export const UNNAMED_COLLEGE = '未命名学院';

export interface Workspace {
  dir: string;
  db: Db;
  blobs: BlobStore;
  workspaceId: string;
  college: string;
  /** A warning about where the folder is (a network drive), or null. */
  storageWarning: string | null;
  close(): void;
}

export interface OpenOptions {
  /** Create the folder and database when missing (otherwise a missing workspace is an error). */
  create?: boolean;
  /** College name recorded when a workspace is created. */
  college?: string;
  /**
   * This installation's device id, when a desk (not a tool or a test) opens the workspace: the
   * first desk claims it, and a copy opened elsewhere starts a new origin (electron/sync/identity.ts).
   */
  deviceId?: string;
  /** Hold the one-desk-per-workspace lock (the Electron app and the web host do; the CLI does not). */
  lock?: boolean;
  /** Take over a lock another PC left (the user confirmed that PC is not using the folder). */
  takeOver?: boolean;
  /** How long a write waits for another connection (the CLI waits long; default 5 s). */
  busyTimeoutMs?: number;
}

export function openWorkspace(dir: string, options: OpenOptions = {}): Workspace {
  const file = join(dir, DB_FILE);
  if (!existsSync(file)) {
    if (!options.create) {
      throw new DeskError('workspace_missing', `工作区不存在：${dir}（找不到 ${DB_FILE}）`);
    }
    mkdirSync(dir, { recursive: true });
  }
  // The lock first: a second desk must not even migrate or back up what the first one has open.
  const lock = options.lock ? acquireDeskLock(dir, { takeOver: options.takeOver }) : null;
  let db: Db;
  try {
    db = openSqlite(file);
  } catch (e) {
    lock?.release();
    throw e;
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    // A copy before migrating a database with data (and once a day): see backup/backup.ts.
    backupOnOpen(dir, db);
    migrate(db);
    const meta = allMeta(db);
    let workspaceId = meta.get('workspace_id') ?? '';
    if (!workspaceId) {
      workspaceId = randomUUID();
      const college = options.college ?? UNNAMED_COLLEGE;
      const id = workspaceId;
      db.transaction(() => {
        setMeta(db, 'workspace_id', id);
        setMeta(db, 'college', college);
        setMeta(db, 'created_at', new Date().toISOString());
      }).immediate();
      meta.set('college', college);
    }
    if (options.deviceId) workspaceId = claimWorkspace(db, dir, options.deviceId);
    const blobs = new BlobStore(join(dir, 'blobs'));
    return {
      dir,
      db,
      blobs,
      workspaceId,
      college: meta.get('college') ?? '',
      storageWarning: networkWarning(dir),
      close: () => {
        if (db.open) db.close();
        lock?.release();
      },
    };
  } catch (e) {
    db.close();
    lock?.release();
    throw e;
  }
}


/**
 * Brings the schema to LATEST_VERSION. Each migration runs in its own transaction together with
 * the user_version bump. A database written by a newer desk is refused, never downgraded.
 */
export function migrate(db: Db, target = LATEST_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_VERSION) {
    throw new DeskError(
      'workspace_too_new',
      `此工作区由更新版本的审核台创建（数据库版本 ${current}，本程序支持到 ${LATEST_VERSION}），请升级审核台后再打开。`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

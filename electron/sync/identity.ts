/**
 * Who writes: this PC's workspace id, its origin (the hash chain its events extend) and its name.
 *
 * The sequence numbers of an origin must never be used twice: a peer that holds event n of an
 * origin refuses any other event n of it (a fork). A database can go back in time, though — a
 * backup is restored, desk.sqlite is copied back by hand, the folder is copied to a second PC or
 * the desk re-installed — and the old desk then wrote events 41, 42… again under numbers its peers
 * already had. So the origin is not the workspace id for ever: it is an epoch. Whenever this copy
 * of the database cannot prove it is the newest copy of its origin, it starts a new origin before
 * it writes, keeping its workspace id (the PC), its college and its name:
 *
 * - restore: restoreBackup hands the restored file its new epoch before anyone opens it;
 * - copied or re-installed: the workspace is opened by another installation (device id) → new
 *   workspace id and origin; opened from another folder → new origin;
 * - rolled back by hand: the folder's `sync-origin.json` (outside the database) says events of
 *   this origin beyond the database's last one already left this PC, or a peer reported having
 *   them → new origin before the next event.
 * A new origin costs nothing but one more entry in the version vector.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { whoAmI } from '../accounts/index.js';
import { computerName, log, writeFileAtomic } from '../platform/index.js';
import { deleteMeta, getMeta, initMeta, setMeta, type Db, type Workspace } from '../workspace/index.js';

/** Beside desk.sqlite: the highest sequence number of each own origin that ever left this PC. */
export const SIDECAR_FILE = 'sync-origin.json';

const K = {
  origin: 'origin',
  epochs: 'origin_epochs',
  formerWorkspaces: 'former_workspaces',
  claim: 'origin_claim',
  stale: 'origin_stale',
  name: 'pc_name',
} as const;

export type EpochReason = 'restore' | 'copied' | 'moved' | 'rolled_back' | 'behind_peer' | 'fork';

export interface Epoch {
  /** The origin that was retired. */
  origin: string;
  /** When it was retired, and why. */
  until: string;
  reason: EpochReason;
}

/** The identity a database carries (read without opening it as a workspace: restore uses it). */
export interface Identity {
  workspaceId: string;
  origin: string;
  epochs: Epoch[];
  formerWorkspaces: string[];
  name: string | null;
  claim: string | null;
  collegeId: string | null;
}

function parseList<T>(text: string | undefined): T[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

export function readIdentity(db: Db): Identity {
  const workspaceId = getMeta(db, 'workspace_id') ?? '';
  return {
    workspaceId,
    origin: getMeta(db, K.origin) ?? workspaceId,
    epochs: parseList<Epoch>(getMeta(db, K.epochs)),
    formerWorkspaces: parseList<string>(getMeta(db, K.formerWorkspaces)),
    name: getMeta(db, K.name) ?? null,
    claim: getMeta(db, K.claim) ?? null,
    collegeId: getMeta(db, 'college_id') ?? null,
  };
}

/** The origin this workspace's next event extends (its workspace id until the first new epoch). */
export function originOf(db: Db): string {
  return getMeta(db, K.origin) ?? getMeta(db, 'workspace_id') ?? '';
}

/** Every origin this PC has written under: the current one and those of earlier epochs. */
export function ownOrigins(db: Db): string[] {
  const id = readIdentity(db);
  return [...new Set([id.origin, ...id.epochs.map((e) => e.origin), id.workspaceId, ...id.formerWorkspaces])];
}

/** Retires the current origin and starts a new one; returns it. Runs inside the caller's transaction. */
export function beginEpoch(db: Db, reason: EpochReason, now = new Date()): string {
  const id = readIdentity(db);
  const next = randomUUID();
  setMeta(db, K.epochs, JSON.stringify([...id.epochs, { origin: id.origin, until: now.toISOString(), reason }]));
  setMeta(db, K.origin, next);
  deleteMeta(db, K.stale);
  log('info', 'sync.epoch', { reason, retired: id.origin, origin: next });
  return next;
}

/** A merge found that peers know more of our origin than we have: write no more events under it. */
export function markOriginStale(db: Db, reason: EpochReason): void {
  setMeta(db, K.stale, reason);
}

function claimOf(deviceId: string, dir: string): string {
  let real = dir;
  try {
    real = realpathSync.native(dir);
  } catch {
    // A folder that cannot be resolved is claimed by the path as given.
  }
  return JSON.stringify({ device: deviceId, dir: real });
}

/**
 * Called when a desk opens a workspace (with this installation's device id). The first desk to
 * open it claims it; another installation gets a new workspace id and origin (the folder was
 * copied to another PC, or the desk re-installed), another folder a new origin (copied or moved).
 * Returns the workspace id to use.
 */
export function claimWorkspace(db: Db, dir: string, deviceId: string, now = new Date()): string {
  const id = readIdentity(db);
  const claim = claimOf(deviceId, dir);
  if (id.claim === claim) return id.workspaceId;
  let workspaceId = id.workspaceId;
  db.transaction(() => {
    if (id.claim !== null) {
      const before = JSON.parse(id.claim) as { device?: string };
      if (before.device !== deviceId) {
        initMeta(db, 'college_id', id.workspaceId);
        workspaceId = randomUUID();
        setMeta(db, K.formerWorkspaces, JSON.stringify([...id.formerWorkspaces, id.workspaceId]));
        setMeta(db, 'workspace_id', workspaceId);
        // Another PC: the old name belonged to the computer this folder came from.
        deleteMeta(db, K.name);
        beginEpoch(db, 'copied', now);
      } else {
        beginEpoch(db, 'moved', now);
      }
    }
    setMeta(db, K.claim, claim);
  }).immediate();
  return workspaceId;
}

/**
 * After a restore: the restored database takes the identity of the database it replaces (the PC,
 * its name, its earlier epochs and the device claim) and starts a new epoch, so the events it
 * writes from now on can never collide with those the replaced database had already sent.
 */
export function carryIdentityAfterRestore(db: Db, live: Identity | null, now = new Date()): string {
  return db.transaction(() => {
    const restored = readIdentity(db);
    if (live && live.workspaceId) {
      // The origin the replaced database was writing, and every one either copy knew, are retired
      // (beginEpoch below retires the backup's own).
      const epochs: Epoch[] = [];
      for (const e of [...restored.epochs, ...live.epochs, { origin: live.origin, until: now.toISOString(), reason: 'restore' as const }]) {
        if (e.origin !== restored.origin && !epochs.some((x) => x.origin === e.origin)) epochs.push(e);
      }
      if (live.collegeId) initMeta(db, 'college_id', live.collegeId);
      else if (restored.workspaceId !== live.workspaceId) initMeta(db, 'college_id', restored.workspaceId);
      setMeta(db, 'workspace_id', live.workspaceId);
      const former = [...new Set([...live.formerWorkspaces, ...restored.formerWorkspaces, restored.workspaceId])].filter((w) => w !== live.workspaceId);
      if (former.length > 0) setMeta(db, K.formerWorkspaces, JSON.stringify(former));
      setMeta(db, K.epochs, JSON.stringify(epochs));
      setMeta(db, K.origin, restored.origin);
      if (live.name !== null) setMeta(db, K.name, live.name);
      if (live.claim !== null) setMeta(db, K.claim, live.claim);
    }
    return beginEpoch(db, 'restore', now);
  }).immediate();
}

function sidecarPath(ws: Workspace): string {
  return join(ws.dir, SIDECAR_FILE);
}

function readSidecar(ws: Workspace): Record<string, number> {
  try {
    const v = JSON.parse(readFileSync(sidecarPath(ws), 'utf8')) as { exported?: unknown };
    return v.exported && typeof v.exported === 'object' ? (v.exported as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** Records that events of our origin up to `seq` left this PC (in a bundle or a sync folder). */
export function noteExported(ws: Workspace, seq: number): void {
  if (seq <= 0) return;
  const origin = originOf(ws.db);
  const exported = readSidecar(ws);
  if ((exported[origin] ?? 0) >= seq) return;
  exported[origin] = seq;
  try {
    writeFileAtomic(sidecarPath(ws), Buffer.from(JSON.stringify({ exported }, null, 1)));
  } catch (e) {
    // A read-only folder loses one safety net (restores still start a new epoch); never the sync.
    log('warn', 'sync.sidecar_failed', { message: (e as Error).message });
  }
}

const checked = new WeakMap<Workspace, string>();

function tipOf(db: Db, origin: string): number {
  return (db.prepare('SELECT MAX(origin_seq) AS n FROM decision_events WHERE origin = ?').get(origin) as { n: number | null }).n ?? 0;
}

/** Why the current origin must not be extended, or null when this database is its newest copy. */
function staleReason(ws: Workspace, origin: string): EpochReason | null {
  const db = ws.db;
  const flagged = getMeta(db, K.stale);
  if (flagged) return flagged as EpochReason;
  const tip = tipOf(db, origin);
  if ((readSidecar(ws)[origin] ?? 0) > tip) return 'rolled_back';
  for (const m of db.prepare('SELECT marks FROM sync_peers').pluck().all() as string[]) {
    const seq = (JSON.parse(m) as Record<string, number>)[origin] ?? 0;
    if (seq > tip) return 'behind_peer';
  }
  return null;
}

/**
 * The origin the next local event may extend: the current one, or a new epoch when this database
 * is not the newest copy of it. Checked once per open workspace and again after each merge.
 */
export function writableOrigin(ws: Workspace): string {
  const origin = originOf(ws.db);
  if (checked.get(ws) === origin) return origin;
  const reason = staleReason(ws, origin);
  const next = reason ? beginEpoch(ws.db, reason) : origin;
  checked.set(ws, next);
  return next;
}

/** Forget the check (a merge or a repair may have shown that peers know more of our origin). */
export function recheckOrigin(ws: Workspace): void {
  checked.delete(ws);
}

/** The name this PC shows to the others: set by hand, or computer name + the signed-in reviewer. */
export function pcName(ws: Workspace): string {
  const set = getMeta(ws.db, K.name);
  if (set) return set;
  // Signed in, or else whoever last decided on this PC (imports and baselines are the desk's own).
  const who = whoAmI(ws)?.name
    ?? (ws.db.prepare("SELECT reviewer FROM decision_events WHERE origin = ? AND kind IN ('decision', 'undo', 'resolve', 'review') ORDER BY origin_seq DESC LIMIT 1")
      .pluck().get(originOf(ws.db)) as string | undefined);
  return who ? `${computerName()}（${who}）` : computerName();
}

export function pcNameIsSet(ws: Workspace): boolean {
  return getMeta(ws.db, K.name) !== undefined;
}

export function setPcName(ws: Workspace, name: string): string {
  const clean = name.trim();
  if (clean === '') deleteMeta(ws.db, K.name);
  else setMeta(ws.db, K.name, clean.slice(0, 60));
  return pcName(ws);
}

/**
 * 与文件夹同步: the exchange through one folder (a USB stick or a network share) that every PC of
 * the college visits in turn. Each visit writes and reads only what is new:
 *
 *   zsb-folder.json                        which college the folder belongs to (readable)
 *   desk-<workspace>/state.zsbsync         this PC's watermark: what it has (marks, scans), its name
 *   desk-<workspace>/<origin>.<from>-<to>.<hash12>.zsbsync
 *                                          events from..to of one origin, hash of the last one
 *   scans/<name>.zsbsync                   one scan each, named by a keyed hash of its sha256
 *
 * Only the PC a `desk-…` folder is named after writes into it, so PCs on a share never overwrite
 * each other. Reading: a segment is opened only when it holds events this PC lacks (its name says
 * which), a peer's state only when it changed, a scan only when a document here waits for it.
 * Writing: for each origin, the events beyond what the folder already holds (it may hold them in
 * another PC's folder: PCs relay for each other); each scan once, and only when a PC that visits
 * this folder lacks it; the state only when it changed. An unchanged college writes nothing.
 * Every file is written to `.part` and renamed (retried while antivirus holds it); `.part` files
 * an interrupted visit left behind are removed. Every file is a sealed bundle (shared/sync/bundle.ts),
 * checked and merged all-or-nothing like any other; one bad file never blocks the others.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { DeskError, type SyncFolderReport } from '../../shared/api/index.js';
import { backupBeforeSync } from '../backup/index.js';
import { refreshChecksAfterImport } from '../checks/index.js';
import { blobList, pendingScans } from '../documents/index.js';
import { countConflicts } from '../review/index.js';
import { collegeKeyPem, getMeta, initMeta, setMeta, type Workspace } from '../workspace/index.js';
import { KeyCache } from './codec.js';
import { collegeId, marks, rowToEvent, sealLegacy, type EventRow } from './log.js';
import { pcName } from './identity.js';
import { ensureBaselines } from './projections.js';
import { loadRoster } from './trust.js';
import { signerPrefix } from '../../shared/sync/trust.js';
import { blobInventory, mergeBundle, mergeScanBundles, sealContents, senderFields } from './syncService.js';
import { FolderTransport, TRANSPORT_GONE, type FileInfo, type SyncTransport } from './transport.js';

export const FOLDER_FILE = 'zsb-folder.json';
const FOLDER_FORMAT = 'zsb-review-desk/sync-folder@1';
const STATE = 'state.zsbsync';
const SEGMENT = /^(.+)\.(\d+)-(\d+)\.([0-9a-f]{12})\.zsbsync$/;
/** `.part` files in other PCs' folders younger than this may be a write in progress on a share. */
const STALE_PART_MS = 10 * 60 * 1000;

export const deskDir = (workspaceId: string): string => `desk-${workspaceId}`;

/** The folder this PC writes into, inside a sync folder. */
export function folderBundleName(ws: Workspace): string {
  return deskDir(ws.workspaceId);
}

export interface FolderSyncOptions {
  passphrase: string;
  deviceId: string;
  /** For tests: the clock the merge compares remote timestamps with. */
  now?: number | undefined;
  /** scrypt cost for files written (tests that make many visits); the files record it. */
  kdfN?: number | undefined;
}

interface Segment {
  file: FileInfo;
  origin: string;
  from: number;
  to: number;
  hash12: string;
}

function parseSegment(f: FileInfo): Segment | null {
  const base = f.name.slice(f.name.indexOf('/') + 1);
  const m = SEGMENT.exec(base);
  if (!m || !f.name.startsWith('desk-') || m[1] === undefined || m[2] === undefined || m[3] === undefined || m[4] === undefined) return null;
  return { file: f, origin: m[1], from: Number(m[2]), to: Number(m[3]), hash12: m[4] };
}

/** The folder's identity file: refuses a folder of another college, creates it for a new one. */
async function folderId(ws: Workspace, t: SyncTransport): Promise<string> {
  let raw: Buffer | null = null;
  try {
    raw = await t.get(FOLDER_FILE);
  } catch (e) {
    if (!(e instanceof DeskError) || e.code !== 'not_found') throw e;
  }
  if (raw) {
    let info: { format?: unknown; id?: unknown; collegeId?: unknown; college?: unknown };
    try {
      info = JSON.parse(raw.toString('utf8')) as typeof info;
    } catch {
      throw new DeskError('folder_damaged', `同步文件夹中的 ${FOLDER_FILE} 已损坏。请把它删除后再同步（同步包不受影响）。`);
    }
    if (info.collegeId !== collegeId(ws)) {
      throw new DeskError('bundle_foreign_college', `此同步文件夹属于另一个学院（${String(info.college ?? '未知')}），不是本学院（${ws.college}）的。请换一个文件夹。`);
    }
    if (typeof info.id === 'string') return info.id;
  }
  const id = randomUUID();
  await t.put(FOLDER_FILE, Buffer.from(JSON.stringify({ format: FOLDER_FORMAT, id, collegeId: collegeId(ws), college: ws.college, createdAt: new Date().toISOString() }, null, 1)));
  return id;
}

/** A keyed name for a scan: the folder shows no sha256 someone could look a document up by. */
export function scanFileName(ws: Workspace, passphrase: string, sha256: string): string {
  return `scans/${createHmac('sha256', `${collegeId(ws)}\u0000${passphrase}`).update(sha256).digest('hex').slice(0, 32)}.zsbsync`;
}

/** Imports what is new in the folder, then writes what the folder lacks. */
export async function exchangeThrough(ws: Workspace, t: SyncTransport, label: string, opts: FolderSyncOptions): Promise<SyncFolderReport> {
  const started = performance.now();
  sealLegacy(ws);
  const fid = await folderId(ws, t);
  const saltKey = `sync_folder_salt:${fid}`;
  const salt = getMeta(ws.db, saltKey) ?? initMeta(ws.db, saltKey, randomBytes(16).toString('base64'));
  const cache = new KeyCache(opts.passphrase, Buffer.from(salt, 'base64'));
  const own = deskDir(ws.workspaceId);
  const report: SyncFolderReport = {
    folder: label, written: { files: 0, bytes: 0, events: 0, scans: 0 }, read: { files: 0, bytes: 0, events: 0, scans: 0 },
    imported: [], skipped: [], unchanged: 0, cleaned: 0, conflicts: 0, forks: [], ms: 0,
  };

  // Left-overs of an interrupted visit: ours at once, others' once they cannot be a write in progress.
  const now = Date.now();
  for (const p of await t.parts()) {
    if (p.name.startsWith(`${own}/`) || now - p.mtimeMs > STALE_PART_MS) {
      await t.remove(p.name);
      report.cleaned++;
    }
  }

  const files = await t.list();
  const seenRow = ws.db.prepare('SELECT size, mtime_ms FROM sync_folder_files WHERE folder = ? AND name = ?');
  const remember = ws.db.prepare('INSERT OR REPLACE INTO sync_folder_files (folder, name, size, mtime_ms) VALUES (?, ?, ?, ?)');
  const unchanged = (f: FileInfo): boolean => {
    const r = seenRow.get(fid, f.name) as { size: number; mtime_ms: number } | undefined;
    return !!r && r.size === f.size && r.mtime_ms === f.mtimeMs;
  };
  const tipOf = ws.db.prepare('SELECT MAX(origin_seq) AS n FROM decision_events WHERE origin = ?').pluck();
  const hashAt = ws.db.prepare('SELECT hash FROM decision_events WHERE origin = ? AND origin_seq = ?').pluck();
  const has = (s: Segment): boolean => ((hashAt.get(s.origin, s.to) as string | undefined) ?? '').startsWith(s.hash12);

  // What to read: peers' changed states, segments with events we lack, scans a document waits for,
  // and the single full bundles older desks leave (desk-<id>.zsbsync).
  const segments = files.map(parseSegment).filter((s): s is Segment => s !== null).sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : a.from - b.from || b.to - a.to));
  const states = files.filter((f) => f.name.endsWith(`/${STATE}`) && f.name !== `${own}/${STATE}`);
  const legacy = files.filter((f) => !f.name.includes('/') && f.name.startsWith('desk-') && f.name.endsWith('.zsbsync'));
  const byName = new Map(files.map((f) => [f.name, f]));

  const reads: { f: FileInfo; kind: 'state' | 'segment' | 'scan' | 'legacy'; segment?: Segment }[] = [];
  for (const s of segments) {
    if (s.to <= ((tipOf.get(s.origin) as number | null) ?? 0) && (has(s) || unchanged(s.file))) report.unchanged++;
    else reads.push({ f: s.file, kind: 'segment', segment: s });
  }
  for (const f of legacy) if (!unchanged(f)) reads.push({ f, kind: 'legacy' });
  else report.unchanged++;
  // Watermarks last: a state is signed by its PC, whose enrolment (issue 19) may come in this
  // visit's segments — read first, it would be refused as from an unknown PC.
  for (const f of states) if (!unchanged(f)) reads.push({ f, kind: 'state' });
  else report.unchanged++;

  let backedUp = false;
  let recheck = false;
  const read = async (r: { f: FileInfo; kind: string; segment?: Segment }): Promise<void> => {
    // A segment may have become old news while reading others (the same events in another PC's folder).
    if (r.segment && r.segment.to <= ((tipOf.get(r.segment.origin) as number | null) ?? 0) && has(r.segment)) {
      report.unchanged++;
      return;
    }
    if (!backedUp) {
      // One safety copy for the whole visit, before the first file is merged.
      backupBeforeSync(ws, 'sync');
      backedUp = true;
    }
    try {
      const bytes = await t.get(r.f.name);
      report.read.files++;
      report.read.bytes += bytes.length;
      const res = mergeBundle(ws, bytes, opts.passphrase, `${label}/${r.f.name}`, { now: opts.now, keyCache: cache, backup: false });
      report.read.events += res.eventsAdded;
      report.read.scans += res.blobsAdded;
      recheck ||= res.recheck;
      report.forks.push(...res.forks);
      if (res.eventsAdded > 0 || res.blobsAdded > 0 || res.documentsAdded > 0 || r.kind !== 'state') report.imported.push(res);
      remember.run(fid, r.f.name, r.f.size, r.f.mtimeMs);
    } catch (e) {
      // One bad or foreign file must not block the others; the wrong passphrase blocks all, and
      // so does a hub gone away (every read after would fail the same way).
      if (e instanceof DeskError && (e.code === 'bundle_wrong_passphrase' || TRANSPORT_GONE.has(e.code))) throw e;
      // A PC's segment may come before the one that brings its enrolment (issue 19), and its next before that one: once more at the end.
      if (retry && e instanceof DeskError && (e.code === 'origin_unknown' || e.code === 'bundle_gap')) {
        later.push(r);
        return;
      }
      report.skipped.push({ file: r.f.name, code: e instanceof DeskError ? e.code : 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
  const later: { f: FileInfo; kind: string; segment?: Segment }[] = [];
  let retry = true;
  for (const r of reads) await read(r);
  retry = false;
  for (const r of later) await read(r);
  // Scans last, and only those a document here waits for — documents the list events just read
  // named included — merged together in one transaction.
  const scanFiles: { name: string; bytes: Buffer; f: FileInfo }[] = [];
  for (const sha of pendingScans(ws.db)) {
    const f = byName.get(scanFileName(ws, opts.passphrase, sha));
    if (!f) continue;
    try {
      const bytes = await t.get(f.name);
      report.read.files++;
      report.read.bytes += bytes.length;
      scanFiles.push({ name: f.name, bytes, f });
    } catch (e) {
      if (e instanceof DeskError && TRANSPORT_GONE.has(e.code)) throw e;
      report.skipped.push({ file: f.name, code: e instanceof DeskError ? e.code : 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
  if (scanFiles.length > 0) {
    if (!backedUp) backupBeforeSync(ws, 'sync');
    const res = await mergeScanBundles(ws, scanFiles, opts.passphrase, cache);
    report.read.scans += res.blobsAdded;
    report.skipped.push(...res.skipped);
    recheck ||= res.documentsAdded > 0;
    const bad = new Set(res.skipped.map((s) => s.file));
    for (const s of scanFiles) if (!bad.has(s.name)) remember.run(fid, s.f.name, s.f.size, s.f.mtimeMs);
  }

  // The visit's writes appear together (one transaction on a hub); what this PC remembers about
  // them is kept only once they are there, so a visit cut off while writing is simply redone.
  const written = await t.batch(() => writeNew(ws, t, fid, files, segments, opts, cache, report));
  written();
  if (recheck) await refreshChecksAfterImport(ws);
  report.conflicts = countConflicts(ws);
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** Writes what the transport lacks; returns what to remember once those writes are in. */
async function writeNew(
  ws: Workspace, t: SyncTransport, fid: string, files: FileInfo[], segments: Segment[], opts: FolderSyncOptions, cache: KeyCache, report: SyncFolderReport,
): Promise<() => void> {
  const own = deskDir(ws.workspaceId);
  const put = async (name: string, bytes: Buffer): Promise<void> => {
    await t.put(name, bytes);
    report.written.files++;
    report.written.bytes += bytes.length;
  };
  ws.db.transaction(() => ensureBaselines(ws)).immediate();
  // Who sends and what it has, once per visit: a visit may seal hundreds of scans.
  const fixed = { sender: senderFields(ws), marks: marks(ws.db) };
  const seal = (c: Parameters<typeof sealContents>[2]): Buffer => sealContents(ws, opts.deviceId, c, opts.passphrase, { kdfN: opts.kdfN, keyCache: cache, fixed }).bytes;

  // Events: per origin, what lies beyond the part of our chain the folder already holds.
  const hashAt = ws.db.prepare('SELECT hash FROM decision_events WHERE origin = ? AND origin_seq = ?').pluck();
  const range = ws.db.prepare('SELECT * FROM decision_events WHERE origin = ? AND origin_seq BETWEEN ? AND ? ORDER BY origin_seq');
  // Older unsigned chains only as far as an admin's seal vouches for them (peers refuse the rest).
  const seals = loadRoster(ws).seals;
  for (const [origin, mark] of Object.entries(marks(ws.db))) {
    const tip = signerPrefix(origin) === null ? Math.min(mark, seals.get(origin)?.seq ?? 0) : mark;
    const held = segments
      .filter((s) => s.origin === origin && ((hashAt.get(origin, s.to) as string | undefined) ?? '').startsWith(s.hash12))
      .sort((a, b) => a.from - b.from);
    let covered = 0;
    for (const s of held) if (s.from <= covered + 1) covered = Math.max(covered, s.to);
    if (tip <= covered) continue;
    const events = (range.all(origin, covered + 1, tip) as EventRow[]).map(rowToEvent);
    const last = events.at(-1);
    if (!last) continue;
    await put(`${own}/${origin}.${covered + 1}-${tip}.${last.hash.slice(0, 12)}.zsbsync`, seal({ events, scans: [], inventory: false, toWorkspace: null }));
    report.written.events += events.length;
  }

  // Scans: each once in the folder, and only when a PC that visits this folder lacks it.
  const present = new Set(files.map((f) => f.name));
  const peers = [...new Set(files.filter((f) => f.name.startsWith('desk-') && f.name.includes('/')).map((f) => f.name.slice(5, f.name.indexOf('/'))))].filter(
    (id) => id !== ws.workspaceId,
  );
  const inventories = peers
    .map((id) => ws.db.prepare('SELECT blobs FROM sync_peers WHERE workspace_id = ?').pluck().get(id) as string | undefined)
    .filter((b): b is string => b !== undefined)
    .map((b) => new Set(JSON.parse(b) as string[]));
  if (inventories.length > 0) {
    for (const sha of blobList(ws.db)) {
      if (inventories.every((inv) => inv.has(sha.slice(0, 16))) || !ws.blobs.has(sha)) continue;
      const name = scanFileName(ws, opts.passphrase, sha);
      if (present.has(name)) continue;
      await put(name, seal({ events: [], scans: [sha], inventory: false, toWorkspace: null }));
      report.written.scans++;
    }
  }

  // The watermark, only when what it says changed (an unchanged college writes nothing).
  const stateKey = `sync_folder_state:${fid}`;
  const digest = createHash('sha256').update(JSON.stringify({ marks: marks(ws.db), scans: blobInventory(ws), name: pcName(ws), key: collegeKeyPem(ws) !== null })).digest('hex');
  if (getMeta(ws.db, stateKey) !== digest || !present.has(`${own}/${STATE}`)) {
    await put(`${own}/${STATE}`, seal({ events: [], scans: [], inventory: true, toWorkspace: null }));
    return () => setMeta(ws.db, stateKey, digest);
  }
  return () => undefined;
}

export async function syncWithFolder(ws: Workspace, folder: string, opts: FolderSyncOptions, rename?: (from: string, to: string) => void): Promise<SyncFolderReport> {
  if (existsSync(folder) && !statSync(folder).isDirectory()) throw new DeskError('not_a_folder', `不是文件夹：${folder}`);
  mkdirSync(folder, { recursive: true });
  return exchangeThrough(ws, new FolderTransport(folder, rename), folder, opts);
}

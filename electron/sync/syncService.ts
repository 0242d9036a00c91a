/**
 * Sync by bundle between the PCs of one college, and cloning a workspace for another PC.
 * Import is all-or-nothing: every check (college, passphrase, signature, pinned key, each event's
 * hash and place on its chain, each scan's sha256, each list or account the events carry) runs
 * before the first write, and the writes are one transaction, so a refused or killed import
 * leaves the workspace as it was and can be redone. Idempotent and order-independent because
 * events are keyed by id and every state is derived from them (the list and the accounts too,
 * by their owners: electron/sync/projections.ts).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DeskError, type CloneReport, type DriftReport, type ForkReport, type SyncImportReport, type SyncStatus, type TrustReport } from '../../shared/api/index.js';
import type { BundleBlob, BundleDocument, BundleManifest } from '../../shared/sync/bundle.js';
import { EVENT_KINDS, type EventKind, type SyncEvent } from '../../shared/sync/events.js';
import { clockDrift, DEFAULT_MAX_DRIFT_MS, parseHlc } from '../../shared/sync/hlc.js';
import { copyAccountsFrom, hasAccounts, listAccounts } from '../accounts/index.js';
import { copyApplicantsFrom, countAllApplicants, isKnownApplicant } from '../applicants/index.js';
import { backupBeforeSync } from '../backup/index.js';
import { copyChecksFrom, refreshChecksAfterImport } from '../checks/index.js';
import { BlobBatch, blobList, blobMeta, copyDocumentsFrom, countDocuments, knownBlobs, documentsWithScan, insertBlobs, insertDocumentRows, pendingScans, promotePendingDocuments } from '../documents/index.js';
import { countConflicts } from '../review/index.js';
import { adoptCollegeKey, collegeKey, collegeKeyPem, getMeta, keyFingerprint, openWorkspace, setMeta, workspaceKey, type Workspace } from '../workspace/index.js';
import { planEvents, type ForkFound } from './chains.js';
import type { Roster } from '../../shared/sync/trust.js';
import {
  checkArrivals, enrolPayload, ensureTrust, loadRoster, markTrusted, newSetupCodes, pinRoot, sendable, shortPublicKey, trustRoot, trustStatus,
} from './trust.js';
import { openBundle, sealBundle, type KeyCache } from './codec.js';
import {
  markOriginStale, noteExported, originOf, ownOrigins, pcName, pcNameIsSet, readIdentity, recheckOrigin,
} from './identity.js';
import { appendEvents, collegeId, copyLogFrom, countEvents, hashEvent, insertEvent, marks, nextHlc, observeRemote, removeForRepair, rowToEvent, sealLegacy, type EventRow } from './log.js';
import { BASELINE_DEVICE, ensureBaselines, projections } from './projections.js';

const PREFIX = 16;

interface PeerRow {
  workspace_id: string;
  public_key: string;
  marks: string;
  blobs: string;
  last_bundle_at: string | null;
  name: string;
  origin: string;
  clock: string;
}

function peerRow(ws: Workspace, id: string): PeerRow | undefined {
  return ws.db.prepare('SELECT * FROM sync_peers WHERE workspace_id = ?').get(id) as PeerRow | undefined;
}

/** 16-hex prefixes of the scans present in this workspace (what a peer need not send again). */
export function blobInventory(ws: Workspace): string[] {
  return blobList(ws.db).filter((sha) => ws.blobs.has(sha)).map((sha) => sha.slice(0, PREFIX));
}

/** Which PC wrote each origin this PC knows of, and its name (this PC's own origins included). */
export function originDirectory(ws: Workspace): Record<string, { workspace: string; name: string }> {
  const out: Record<string, { workspace: string; name: string }> = {};
  for (const r of ws.db.prepare('SELECT origin, workspace_id, name FROM sync_origins').all() as { origin: string; workspace_id: string; name: string }[]) {
    out[r.origin] = { workspace: r.workspace_id, name: r.name };
  }
  for (const p of ws.db.prepare("SELECT workspace_id, name, origin FROM sync_peers WHERE name <> ''").all() as { workspace_id: string; name: string; origin: string }[]) {
    out[p.workspace_id] ??= { workspace: p.workspace_id, name: p.name };
    if (p.origin) out[p.origin] = { workspace: p.workspace_id, name: p.name };
  }
  const name = pcName(ws);
  for (const o of ownOrigins(ws.db)) out[o] = { workspace: ws.workspaceId, name };
  return out;
}

/** origin → PC name; a moved branch (ORIGIN~…) is named after the PC whose chain forked. */
export function originNamer(ws: Workspace): (origin: string) => string {
  const dir = originDirectory(ws);
  return (origin) => {
    const base = origin.includes('~') ? origin.slice(0, origin.indexOf('~')) : origin;
    return dir[origin]?.name || dir[base]?.name || `${base.slice(0, 8)}…`;
  };
}

function rememberOrigins(ws: Workspace, entries: Record<string, { workspace: string; name: string }>, at: string): void {
  const up = ws.db.prepare(
    `INSERT INTO sync_origins (origin, workspace_id, name, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(origin) DO UPDATE SET workspace_id = excluded.workspace_id,
       name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE sync_origins.name END, updated_at = excluded.updated_at`,
  );
  const own = new Set(ownOrigins(ws.db));
  for (const [origin, v] of Object.entries(entries)) {
    if (!own.has(origin) && typeof v?.workspace === 'string' && typeof v.name === 'string') up.run(origin, v.workspace, v.name.slice(0, 60), at);
  }
}

export interface ExportOptions {
  peer?: string | undefined;
  noScans: boolean;
  passphrase: string;
  kdfN?: number | undefined;
  keyCache?: KeyCache | undefined;
}

export interface BuiltBundle {
  bytes: Buffer;
  manifest: BundleManifest;
}

/** The manifest fields that say who sends (name, origins, clock, the college key). */
export function senderFields(ws: Workspace): Pick<BundleManifest, 'origin' | 'clock' | 'name' | 'origins'> & { collegeKey?: string; rootKey?: string } {
  const key = collegeKeyPem(ws);
  const root = trustRoot(ws);
  return {
    origin: originOf(ws.db), clock: nextHlc(ws), name: pcName(ws), origins: originDirectory(ws), ...(key ? { collegeKey: key } : {}), ...(root ? { rootKey: root } : {}),
  };
}

/** What goes into one bundle. */
export interface BundleContents {
  events: SyncEvent[];
  /** Scans to carry, by sha256 (each once, with the documents that name it). */
  scans: readonly string[];
  /** Send this PC's scan inventory (false: the bundle says nothing about scans). */
  inventory: boolean;
  toWorkspace: string | null;
}

/** Seals contents as a bundle from this PC, signed, with who sends and what it has. */
export function sealContents(
  ws: Workspace, deviceId: string, c: BundleContents, passphrase: string,
  opts: { kdfN?: number | undefined; keyCache?: KeyCache | undefined; fixed?: { sender: ReturnType<typeof senderFields>; marks: Record<string, number> } | undefined } = {},
): BuiltBundle {
  const documents: BundleDocument[] = [];
  const blobs: BundleBlob[] = [];
  const blobData: Buffer[] = [];
  let offset = 0;
  for (const sha of c.scans) {
    const meta = blobMeta(ws.db, sha);
    if (!meta || !ws.blobs.has(sha)) continue;
    for (const d of documentsWithScan(ws.db, sha)) documents.push({ idNumber: d.idNumber, kind: d.kind, sha256: sha, originalName: d.originalName });
    const data = ws.blobs.read(sha);
    blobs.push({ sha256: sha, mime: meta.mime, size: data.length, offset });
    blobData.push(data);
    offset += data.length;
  }
  const key = workspaceKey(ws);
  const cid = collegeId(ws);
  const createdAt = new Date().toISOString();
  const manifest: BundleManifest = {
    format: 1, collegeId: cid, college: ws.college, fromWorkspace: ws.workspaceId, fromDevice: deviceId,
    publicKey: key.publicKeyPem, toWorkspace: c.toWorkspace, createdAt, marks: opts.fixed?.marks ?? marks(ws.db),
    haveBlobs: c.inventory ? blobInventory(ws) : null, events: c.events, documents, blobs, ...(opts.fixed?.sender ?? senderFields(ws)),
  };
  const bytes = sealBundle({
    header: { collegeId: cid, college: ws.college, fromWorkspace: ws.workspaceId, toWorkspace: c.toWorkspace, createdAt },
    manifest, blobData, key, passphrase, kdfN: opts.kdfN, keyCache: opts.keyCache,
  });
  const origin = originOf(ws.db);
  noteExported(ws, c.events.reduce((m, e) => (e.origin === origin ? Math.max(m, e.originSeq) : m), 0));
  return { bytes, manifest };
}

/** Cuts a bundle: everything the peer may lack (by its last reported marks), or everything. */
export function buildBundle(ws: Workspace, deviceId: string, opts: ExportOptions): BuiltBundle {
  sealLegacy(ws);
  ensureTrust(ws);
  // Data from before it was events (a list, accounts) must travel too: it becomes events first.
  ws.db.transaction(() => ensureBaselines(ws)).immediate();
  // Older unsigned events travel only where an admin's seal vouches for them (peers refuse the rest).
  const canSend = sendable(loadRoster(ws));
  let peer: PeerRow | undefined;
  if (opts.peer) {
    peer = peerRow(ws, opts.peer) ?? (ws.db.prepare('SELECT * FROM sync_peers WHERE workspace_id LIKE ?').get(`${opts.peer}%`) as PeerRow | undefined);
  }
  // A peer that never sent us a bundle gets everything: safe, duplicates are skipped on import.
  const peerMarks = peer ? (JSON.parse(peer.marks) as Record<string, number>) : {};
  const events: SyncEvent[] = [];
  for (const r of ws.db.prepare('SELECT * FROM decision_events ORDER BY origin, origin_seq').iterate() as IterableIterator<EventRow>) {
    if (r.origin_seq <= (peerMarks[r.origin] ?? 0)) continue;
    const e = rowToEvent(r);
    if (canSend(e)) events.push(e);
  }
  const scans: string[] = [];
  if (!opts.noScans) {
    const peerHas = new Set(peer ? (JSON.parse(peer.blobs) as string[]) : []);
    for (const sha of blobList(ws.db)) if (!peerHas.has(sha.slice(0, PREFIX)) && ws.blobs.has(sha)) scans.push(sha);
  }
  return sealContents(ws, deviceId, { events, scans, inventory: !opts.noScans, toWorkspace: peer?.workspace_id ?? opts.peer ?? null }, opts.passphrase, opts);
}

/** The steps that repair a fork, in words, for the PC that shows it. */
function forkStep(f: { movedTo: string; keptHash: string }, pc: string): string {
  if (!f.movedTo) return `请在“${pc}”上与文件夹同步（或导出完整同步包），使本机得到分叉两侧的全部事件后自动修复。`;
  if (!f.keptHash) return `本机已按其他电脑的修复结果移动了本机一侧的分支；请继续与文件夹同步，取得保留一侧的事件。`;
  return '已自动修复：两侧的事件都已保留（另一侧改记在新的位置，内容不变）。请让每台电脑都再同步一次，它们会以同样的方式修复。';
}

export function forkReports(ws: Workspace): ForkReport[] {
  const name = originNamer(ws);
  return (ws.db.prepare('SELECT * FROM sync_forks ORDER BY detected_at, origin, origin_seq').all() as {
    origin: string; origin_seq: number; kept_hash: string; moved_hash: string; moved_to: string; detected_at: string;
  }[]).map((r) => ({
    origin: r.origin, originSeq: r.origin_seq, pcName: name(r.origin), keptHash: r.kept_hash, movedHash: r.moved_hash, movedTo: r.moved_to,
    repaired: r.kept_hash !== '' && r.moved_to !== '', step: forkStep({ movedTo: r.moved_to, keptHash: r.kept_hash }, name(r.origin)),
    detectedAt: r.detected_at,
  }));
}

function toForkReport(f: ForkFound, pc: string, at: string): ForkReport {
  return { ...f, pcName: pc, repaired: f.keptHash !== '' && f.movedTo !== '', step: forkStep(f, pc), detectedAt: at };
}

/** Opens, checks and merges a bundle. Throws (changing nothing) on any refusal. */
export interface MergeOptions {
  /** The clock the merge compares remote timestamps with (tests). */
  now?: number | undefined;
  keyCache?: KeyCache | undefined;
  /**
   * Take the safety backup before writing (default). A folder visit takes one for the whole
   * visit instead of one per file it merges.
   */
  backup?: boolean | undefined;
}

/**
 * A bundle this PC wrote itself (now or under a workspace id it had before): only when it is
 * signed with this PC's own key. A copy of this folder on another PC has its own key, so the
 * bundles the original PC keeps writing are a peer's, not its own.
 */
function isFromSelf(ws: Workspace, m: BundleManifest): boolean {
  const ownKey = workspaceKey(ws).publicKeyPem;
  return m.publicKey === ownKey && (m.fromWorkspace === ws.workspaceId || readIdentity(ws.db).formerWorkspaces.includes(m.fromWorkspace));
}

/** Lineage: a PC keeps the key it was first seen with; nobody else signs as this PC. */
function checkPinnedKey(ws: Workspace, m: BundleManifest, fromSelf: boolean): void {
  const pinned = fromSelf ? null : m.fromWorkspace === ws.workspaceId ? workspaceKey(ws).publicKeyPem : peerRow(ws, m.fromWorkspace)?.public_key;
  if (pinned && pinned !== m.publicKey) {
    throw new DeskError('origin_rekeyed', `同步包自称来自工作区 ${m.fromWorkspace.slice(0, 8)}…，但签名密钥与已登记的不同，已拒绝。`);
  }
}

/** The sending PC must be enrolled, with the key it signed the bundle with. */
function checkSender(roster: Roster, m: BundleManifest): void {
  const pc = roster.pcs.get(keyFingerprint(m.publicKey));
  const enrolled = roster.pcOfWorkspace(m.fromWorkspace);
  // A PC enrolled by its key alone (sync.enrol with the key it showed) is that key, whatever its workspace.
  if (pc && (pc.workspace === '' || pc.workspace === m.fromWorkspace)) return;
  if (enrolled || pc) {
    throw new DeskError('origin_rekeyed', `同步包来自“${m.name ?? m.fromWorkspace.slice(0, 8)}”，但它的签名密钥与管理员登记的不同（电脑被复制或重装过？），已拒绝。请管理员重新登记这台电脑。`);
  }
  throw new DeskError('origin_unknown', `同步包来自未经管理员登记的电脑“${m.name ?? m.fromWorkspace.slice(0, 8)}”（密钥指纹 ${keyFingerprint(m.publicKey).slice(0, 16)}），已拒绝。请管理员在已登记的电脑上登记它（同步 → 登记电脑）。`);
}

export function mergeBundle(ws: Workspace, bytes: Buffer, passphrase: string, file = '', opts: MergeOptions | number = {}): SyncImportReport {
  const o: MergeOptions = typeof opts === 'number' ? { now: opts } : opts;
  const now = o.now ?? Date.now();
  const keyCache = o.keyCache;
  const started = performance.now();
  sealLegacy(ws);
  const db = ws.db;
  const { manifest, blobArea } = openBundle(bytes, passphrase, { collegeId: collegeId(ws), college: ws.college }, keyCache);
  ensureTrust(ws);
  const fromSelf = isFromSelf(ws, manifest);
  checkPinnedKey(ws, manifest, fromSelf);
  // The root of trust: pinned here already, or (a PC that joined from a bundle) the sender's.
  const pinnedRoot = trustRoot(ws);
  const root = pinnedRoot ?? manifest.rootKey ?? null;

  const readable = new Map<EventKind, (e: SyncEvent) => boolean>();
  for (const p of projections()) for (const k of p.kinds) if (p.readable) readable.set(k, p.readable);
  for (const e of manifest.events) {
    const { hash, ...rest } = e;
    if (hashEvent(rest) !== hash) throw new DeskError('bundle_tampered', `同步包中的事件 ${e.id} 校验失败，已拒绝。`);
    // A kind (or a list, an account) this version does not know comes from a newer desk: say so
    // plainly instead of failing halfway through the transaction.
    if (!(EVENT_KINDS as readonly string[]).includes(e.kind) || readable.get(e.kind)?.(e) === false) {
      throw new DeskError('bundle_newer_version', `同步包含本程序不认识的事件类型“${e.kind}”，来自更新版本的审核台。请先把本机审核台升级到相同版本，再导入。`);
    }
  }
  // Every event must extend its origin's chain where ours ends, be here already, or be one side
  // of a fork that is repaired the same way on every PC (electron/sync/chains.ts).
  const plan = planEvents(db, manifest.events);
  // An event this log already holds in another place is a replay (a fork repair's moved copies
  // of local events are the only events that may meet their own id).
  const removed = new Set(plan.remove);
  const held = db.prepare('SELECT 1 FROM decision_events WHERE id = ?').pluck();
  const replayed = plan.fresh.find((e) => !removed.has(e.id) && held.get(e.id) !== undefined);
  if (replayed) throw new DeskError('event_replayed', `同步包中的事件 ${replayed.id.slice(0, 8)}… 本机已有，却出现在另一个位置（重放的事件），已拒绝。`, { eventId: replayed.id });
  // Who may write what: every new event against the roster as of its HLC, before any write.
  const roster = checkArrivals(ws, plan.fresh, removed, root);
  if (!fromSelf) checkSender(roster, manifest);

  const scans = manifest.blobs.map((b) => {
    const data = blobArea.subarray(b.offset, b.offset + b.size);
    if (data.length !== b.size || createHash('sha256').update(data).digest('hex') !== b.sha256) {
      throw new DeskError('bundle_tampered', `同步包中的扫描件 ${b.sha256.slice(0, 12)}… 校验失败，已拒绝。`);
    }
    return { ...b, data };
  });

  // The bundle passed every check: keep a copy of the database as it was before it changes.
  if ((plan.fresh.length > 0 || scans.length > 0) && o.backup !== false) backupBeforeSync(ws, 'sync');

  // Scans first (content-addressed files, harmless if orphaned); removed again if the rows fail.
  const created: string[] = [];
  const drift: DriftReport[] = [];
  let documentsAdded = 0;
  let applicantsChanged = 0;
  const at = new Date(now).toISOString();
  const kinds = new Set(plan.fresh.map((e) => e.kind));
  const own = new Set(ownOrigins(db));
  const documentsBefore = countDocuments(db);
  try {
    for (const s of scans) if (ws.blobs.putBuffer(s.data).created) created.push(s.sha256);
    // This transaction is crucial: events, repairs, what they project, peer marks and the clock
    // move together or not at all.
    db.transaction(() => {
      removeForRepair(db, plan.remove);
      for (const e of plan.fresh) insertEvent(db, e);
      const mv = db.prepare('INSERT OR REPLACE INTO sync_moved (event_id, origin, origin_seq, hash, moved_to, moved_seq) VALUES (?, ?, ?, ?, ?, ?)');
      for (const m of plan.moved) mv.run(m.eventId, m.origin, m.originSeq, m.hash, m.movedTo, m.movedSeq);
      const fk = db.prepare(
        `INSERT INTO sync_forks (origin, origin_seq, kept_hash, moved_hash, moved_to, from_workspace, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(origin, origin_seq, moved_hash) DO UPDATE SET kept_hash = CASE WHEN excluded.kept_hash <> '' THEN excluded.kept_hash ELSE sync_forks.kept_hash END`,
      );
      for (const f of plan.forks) fk.run(f.origin, f.originSeq, f.keptHash, f.movedHash, f.movedTo, manifest.fromWorkspace, at);
      // A fork known only from its moved branch is repaired here once the kept branch arrives.
      db.prepare(
        `UPDATE sync_forks SET kept_hash = COALESCE((SELECT e.hash FROM decision_events e WHERE e.origin = sync_forks.origin AND e.origin_seq = sync_forks.origin_seq), '')
         WHERE kept_hash = ''`,
      ).run();
      // Our own chain forked (an older desk of ours restored): never extend it again.
      if ([...plan.forkedOrigins].some((o) => own.has(o))) markOriginStale(db, 'fork');

      insertBlobs(db, scans, at);
      // What the events carry, applied by the areas that own it (this PC's own older data first).
      for (const p of projections()) {
        const mine = plan.fresh.filter((e) => p.kinds.includes(e.kind));
        if (mine.length === 0 || !p.apply) continue;
        p.baseline?.(ws);
        const n = p.apply(ws, mine);
        if (p.kinds.includes('list')) applicantsChanged += n;
      }
      const known = (id: string): boolean => isKnownApplicant(db, id);
      promotePendingDocuments(db, known);
      // Bundles of older desks name documents only here (no list events): known applicants only.
      insertDocumentRows(db, manifest.documents.filter((d) => known(d.idNumber)), 'sync');
      documentsAdded = countDocuments(db) - documentsBefore;

      if (!pinnedRoot && root) pinRoot(ws, root);
      if (!fromSelf) updatePeer(ws, manifest);
      rememberOrigins(ws, { ...(manifest.origins ?? {}), ...(manifest.origin ? { [manifest.origin]: { workspace: manifest.fromWorkspace, name: manifest.name ?? '' } } : {}) }, at);
      if (manifest.collegeKey) adoptCollegeKey(ws, manifest.collegeKey);

      observeRemote(ws, plan.fresh.map((e) => e.hlc), now);
      drift.push(...driftOf(ws, manifest, plan.fresh.filter((e) => !own.has(e.origin)), now));
      const report = { eventsAdded: plan.fresh.length, drift };
      db.prepare('INSERT INTO sync_imports (bundle_sha256, from_workspace, at, events_added, report) VALUES (?, ?, ?, ?, ?)').run(
        createHash('sha256').update(bytes).digest('hex'), manifest.fromWorkspace, at, plan.fresh.length, JSON.stringify(report),
      );
    }).immediate();
  } catch (e) {
    ws.blobs.remove(created);
    // An event whose id this log holds in another place: a replay, refused before it changes anything.
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /decision_events\.id/.test((e as Error).message)) {
      throw new DeskError('event_replayed', '同步包中的事件与本机记录的事件编号重复但位置不同（重放的事件），已拒绝。');
    }
    throw e;
  }
  // Peers may know more of our origin than we have now (a restore, a repair): check before writing.
  recheckOrigin(ws);
  const conflicts = countConflicts(ws);
  const namer = originNamer(ws);
  // Local events moved by a fork repair are not new to this PC.
  const movedLocal = plan.moved.filter((m) => removed.has(m.eventId)).length;
  return {
    file, fromWorkspace: manifest.fromWorkspace, eventsInBundle: manifest.events.length, eventsAdded: plan.fresh.length - movedLocal,
    duplicates: plan.duplicates, blobsAdded: created.length, documentsAdded, conflicts, drift,
    forks: plan.forks.map((f) => toForkReport(f, namer(f.origin), at)),
    recheck: [...kinds].some((k) => projections().some((p) => p.recheck && p.kinds.includes(k))) || documentsAdded > 0,
    applicantsChanged, fromName: manifest.name ?? namer(manifest.origin ?? manifest.fromWorkspace),
    ms: Math.round(performance.now() - started),
  };
}

/**
 * Scans from a sync folder: bundles that carry scans and nothing else (no events), each checked
 * like any bundle (college, passphrase, signature, pinned key, sha256), then written together in
 * one transaction, so a visit that brings 300 scans commits once rather than 300 times. A file
 * that fails its checks is reported and left out; the others still arrive.
 */
export async function mergeScanBundles(
  ws: Workspace, files: readonly { name: string; bytes: Buffer }[], passphrase: string, keyCache?: KeyCache, now = Date.now(),
): Promise<{ blobsAdded: number; documentsAdded: number; skipped: { file: string; code: string; message: string }[] }> {
  const db = ws.db;
  const skipped: { file: string; code: string; message: string }[] = [];
  const scans: { sha256: string; size: number; mime: string; data: Buffer }[] = [];
  const docs: BundleDocument[] = [];
  ensureTrust(ws);
  const roster = loadRoster(ws);
  for (const f of files) {
    try {
      const { manifest, blobArea } = openBundle(f.bytes, passphrase, { collegeId: collegeId(ws), college: ws.college }, keyCache);
      const self = isFromSelf(ws, manifest);
      checkPinnedKey(ws, manifest, self);
      if (!self) checkSender(roster, manifest);
      if (manifest.events.length > 0) throw new DeskError('bundle_tampered', '扫描件文件中不应有审核记录，已拒绝。');
      for (const b of manifest.blobs) {
        const data = blobArea.subarray(b.offset, b.offset + b.size);
        if (data.length !== b.size || createHash('sha256').update(data).digest('hex') !== b.sha256) {
          throw new DeskError('bundle_tampered', `扫描件 ${b.sha256.slice(0, 12)}… 校验失败，已拒绝。`);
        }
        scans.push({ sha256: b.sha256, size: b.size, mime: b.mime, data });
      }
      docs.push(...manifest.documents);
    } catch (e) {
      if (e instanceof DeskError && e.code === 'bundle_wrong_passphrase') throw e;
      skipped.push({ file: f.name, code: e instanceof DeskError ? e.code : 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
  // The import's durability barrier: all scans written, then one flush, then the rows.
  const batch = new BlobBatch(ws.blobs, knownBlobs(db));
  let documentsAdded = 0;
  try {
    for (const s of scans) await batch.add(s.sha256, s.data);
    await batch.flush();
    db.transaction(() => {
      const before = countDocuments(db);
      insertBlobs(db, scans, new Date(now).toISOString());
      const known = (id: string): boolean => isKnownApplicant(db, id);
      promotePendingDocuments(db, known);
      insertDocumentRows(db, docs.filter((d) => known(d.idNumber)), 'sync');
      documentsAdded = countDocuments(db) - before;
    }).immediate();
  } catch (e) {
    await batch.settle().catch(() => undefined);
    ws.blobs.remove(batch.created);
    throw e;
  } finally {
    batch.finish();
  }
  return { blobsAdded: batch.created.size, documentsAdded, skipped };
}

/** mergeBundle, then the checks again when the list, a cross-check list or scans arrived. */
export async function mergeAndRecheck(ws: Workspace, bytes: Buffer, passphrase: string, file = ''): Promise<SyncImportReport> {
  const report = mergeBundle(ws, bytes, passphrase, file);
  if (report.recheck) await refreshChecksAfterImport(ws);
  return report;
}

/**
 * What a peer told us it has. A bundle cut later (by its HLC) replaces what an earlier one said —
 * marks can go down: a restored peer, or one that moved a forked branch, really has fewer events.
 * Bundles of older desks carry no HLC: their marks only ever add up, as before.
 */
function updatePeer(ws: Workspace, m: BundleManifest): void {
  const old = peerRow(ws, m.fromWorkspace);
  const newer = !old || !old.clock || (m.clock !== undefined && m.clock > old.clock);
  let marksNow: Record<string, number>;
  let blobsNow: string[];
  if (m.clock === undefined) {
    marksNow = { ...(old ? (JSON.parse(old.marks) as Record<string, number>) : {}) };
    for (const [o, s] of Object.entries(m.marks)) marksNow[o] = Math.max(marksNow[o] ?? 0, s);
    blobsNow = [...new Set([...(old ? (JSON.parse(old.blobs) as string[]) : []), ...(m.haveBlobs ?? [])])].sort();
  } else if (newer) {
    marksNow = { ...m.marks };
    blobsNow = m.haveBlobs ? [...m.haveBlobs].sort() : old ? (JSON.parse(old.blobs) as string[]) : [];
  } else {
    return; // a stale bundle (cut before the one we last heard of): what it says is out of date
  }
  ws.db.prepare(
    `INSERT INTO sync_peers (workspace_id, public_key, marks, blobs, last_bundle_at, name, origin, clock) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(workspace_id) DO UPDATE SET marks = excluded.marks, blobs = excluded.blobs, last_bundle_at = excluded.last_bundle_at,
       name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE sync_peers.name END, origin = excluded.origin, clock = excluded.clock`,
  ).run(m.fromWorkspace, m.publicKey, JSON.stringify(marksNow), JSON.stringify(blobsNow), m.createdAt, m.name ?? '', m.origin ?? '', m.clock ?? '');
}

/** Clocks that are off, in both directions; one report per PC and direction (the largest). */
function driftOf(ws: Workspace, m: BundleManifest, events: readonly SyncEvent[], now: number): DriftReport[] {
  const namer = originNamer(ws);
  const worst = new Map<string, DriftReport>();
  const note = (origin: string, hlc: string, d: { direction: 'ahead' | 'behind'; driftMs: number }): void => {
    const key = `${origin}|${d.direction}`;
    const had = worst.get(key);
    if (!had || had.driftMs < d.driftMs) worst.set(key, { origin, pcName: namer(origin), hlc, driftMs: d.driftMs, direction: d.direction });
  };
  for (const e of events) {
    const d = clockDrift(e, now);
    if (d) note(e.origin, e.hlc, d);
  }
  // The sender's own clock when it cut the bundle: behind when its HLC had moved past its wall clock.
  if (m.clock) {
    const d = clockDrift({ hlc: m.clock, at: m.createdAt }, now);
    if (d) note(m.origin ?? m.fromWorkspace, m.clock, d);
  }
  return [...worst.values()];
}

/** This PC in the roster: what an admin enrols, and the root the office compares. */
function trustReport(ws: Workspace): TrustReport {
  ensureTrust(ws);
  const t = trustStatus(ws);
  return {
    publicKey: shortPublicKey(t.publicKey), fingerprint: t.fingerprint, enrolled: t.enrolled !== null, accounts: t.enrolled?.accounts ?? null,
    root: t.enrolled?.root ?? false, rootFingerprint: t.rootFingerprint,
  };
}

export function syncStatus(ws: Workspace, now = Date.now()): SyncStatus {
  const namer = originNamer(ws);
  const identity = readIdentity(ws.db);
  const peers = (ws.db.prepare('SELECT * FROM sync_peers ORDER BY workspace_id').all() as PeerRow[]).map((p) => ({
    workspaceId: p.workspace_id, name: p.name || namer(p.origin || p.workspace_id), marks: JSON.parse(p.marks) as Record<string, number>, lastBundleAt: p.last_bundle_at,
  }));
  const recent = ws.db.prepare('SELECT report FROM sync_imports ORDER BY id DESC LIMIT 20').all() as { report: string }[];
  const seen = new Set<string>();
  const recentDrift: DriftReport[] = [];
  for (const r of recent) {
    for (const d of (JSON.parse(r.report) as { drift: DriftReport[] }).drift) {
      const key = `${d.origin}|${d.direction ?? 'ahead'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      recentDrift.push({ ...d, pcName: namer(d.origin) });
    }
  }
  const clock = parseHlc(getMeta(ws.db, 'hlc_clock') ?? '');
  const behind = clock ? clock.millis - now : 0;
  const key = collegeKey(ws);
  return {
    collegeId: collegeId(ws), workspaceId: ws.workspaceId, name: pcName(ws), nameIsDefault: !pcNameIsSet(ws), origin: identity.origin,
    epochs: identity.epochs, marks: marks(ws.db), peers, conflicts: countConflicts(ws), recentDrift,
    clockBehindMs: behind > DEFAULT_MAX_DRIFT_MS ? behind : 0, forks: forkReports(ws),
    collegeKeyFingerprint: key ? keyFingerprint(key.publicKeyPem) : null, pendingScans: pendingScans(ws.db).length, trust: trustReport(ws),
  };
}

/**
 * A peer workspace for another PC: a complete copy of the college (list and its versions, log,
 * accounts, findings and cross-check lists, the college key, the peers and their names), with its
 * own workspace id. Scans are copied unless noScans; then their documents wait for the scans.
 */
export interface CloneOptions {
  /** Who enrols the new PC (an admin once the college has accounts; '' before). */
  by?: string | undefined;
  /** Accounts that may work on the new PC (default: the reviewer accounts; no accounts yet: any name). */
  accounts?: string[] | undefined;
  deviceId?: string | undefined;
}

export function cloneWorkspace(
  src: Workspace, out: string, noScans: boolean, opts: CloneOptions = {},
): CloneReport {
  if (existsSync(out) && readdirSync(out).length > 0) throw new DeskError('clone_target_exists', `目标文件夹不是空的：${out}`);
  sealLegacy(src);
  ensureTrust(src);
  const cid = collegeId(src);
  const college = collegeKeyPem(src);
  mkdirSync(dirname(out), { recursive: true });
  const dst = openWorkspace(out, { create: true, college: src.college });
  try {
    const srcKey = workspaceKey(src);
    const dstKey = workspaceKey(dst);
    if (!noScans) {
      for (const sha256 of blobList(src.db)) {
        if (!src.blobs.has(sha256)) continue;
        mkdirSync(dirname(dst.blobs.pathOf(sha256)), { recursive: true });
        copyFileSync(src.blobs.pathOf(sha256), dst.blobs.pathOf(sha256));
      }
    }
    // The new PC is enrolled here, before the log is copied: it arrives knowing it may write.
    const accounts = opts.accounts ?? (hasAccounts(src) ? listAccounts(src).filter((a) => a.role === 'reviewer').map((a) => a.name) : null);
    const setup = newSetupCodes(accounts);
    appendEvents(src, opts.deviceId ?? 'clone', [{
      kind: 'enrol', reviewer: opts.by || '复制登记',
      payload: enrolPayload(dstKey.publicKeyPem, dst.workspaceId, '', accounts, setup.hashes),
    }]);
    const root = trustRoot(src);
    const names = originDirectory(src);
    dst.db.prepare('ATTACH DATABASE ? AS src').run(join(src.dir, 'desk.sqlite'));
    try {
      dst.db.transaction(() => {
        setMeta(dst.db, 'college_id', cid);
        setMeta(dst.db, 'cloned_from', src.workspaceId);
        if (root) pinRoot(dst, root);
        markTrusted(dst);
        if (college) adoptCollegeKey(dst, college);
        // The list before what names its applicants (documents, findings).
        copyApplicantsFrom(dst.db, 'src');
        copyDocumentsFrom(dst.db, 'src', { scans: !noScans });
        copyLogFrom(dst.db, 'src');
        copyAccountsFrom(dst, 'src');
        copyChecksFrom(dst.db, 'src');
        // The other PCs: their keys, what they have, their names.
        dst.db.exec(`INSERT OR IGNORE INTO main.sync_peers SELECT * FROM src.sync_peers;
          INSERT OR IGNORE INTO main.sync_origins SELECT * FROM src.sync_origins;
          INSERT OR IGNORE INTO main.sync_forks SELECT * FROM src.sync_forks;
          INSERT OR IGNORE INTO main.sync_moved SELECT * FROM src.sync_moved;`);
        rememberOrigins(dst, names, new Date().toISOString());
      }).immediate();
    } finally {
      dst.db.exec('DETACH DATABASE src');
    }
    // Both sides know each other from the start: keys pinned, marks and scans as of now.
    const m = JSON.stringify(marks(src.db));
    const clock = nextHlc(src);
    const pin = `INSERT INTO sync_peers (workspace_id, public_key, marks, blobs, last_bundle_at, name, origin, clock) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)
      ON CONFLICT(workspace_id) DO UPDATE SET public_key = excluded.public_key, marks = excluded.marks, blobs = excluded.blobs,
        name = excluded.name, origin = excluded.origin, clock = excluded.clock`;
    src.db.prepare(pin).run(dst.workspaceId, dstKey.publicKeyPem, m, JSON.stringify(blobInventory(dst)), '', dst.workspaceId, clock);
    dst.db.prepare(pin).run(src.workspaceId, srcKey.publicKeyPem, m, JSON.stringify(blobInventory(src)), pcName(src), originOf(src.db), clock);
    return {
      dir: out, workspaceId: dst.workspaceId, collegeId: cid, applicants: countAllApplicants(dst.db), events: countEvents(dst.db),
      fingerprint: keyFingerprint(dstKey.publicKeyPem), setupCodes: setup.codes,
    };
  } finally {
    dst.close();
  }
}

export { BASELINE_DEVICE };

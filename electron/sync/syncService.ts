/**
 * Sync by bundle between the PCs of one college, and cloning a workspace for another PC.
 * Import is all-or-nothing: every check (college, passphrase, signature, pinned key, each event's
 * hash and chain link, each scan's sha256) runs before the first write, and the writes are one
 * transaction, so a refused or killed import leaves the workspace as it was and can be redone.
 * Idempotent and order-independent because events are keyed by id and state is derived.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DeskError, type DriftReport, type SyncImportReport, type SyncStatus } from '../../shared/api/index.js';
import type { BundleBlob, BundleDocument, BundleManifest } from '../../shared/sync/bundle.js';
import { EVENT_KINDS, type SyncEvent } from '../../shared/sync/events.js';
import { copyAccountsFrom } from '../accounts/index.js';
import { copyApplicantsFrom, countAllApplicants, isKnownApplicant } from '../applicants/index.js';
import { backupBeforeSync } from '../backup/index.js';
import { allDocuments, blobList, copyDocumentsFrom, insertBlobs, insertDocumentRows } from '../documents/index.js';
import { countConflicts } from '../review/index.js';
import { workspaceKey } from '../workspace/index.js';
import { setMeta } from '../workspace/index.js';
import { openWorkspace, type Workspace } from '../workspace/index.js';
import { openBundle, sealBundle } from './codec.js';
import { collegeId, copyLogFrom, countEvents, hashEvent, insertEvent, marks, observeRemote, rowToEvent, sealLegacy, type EventRow } from './log.js';

const PREFIX = 16;

interface PeerRow {
  workspace_id: string;
  public_key: string;
  marks: string;
  blobs: string;
  last_bundle_at: string | null;
}

function peerRow(ws: Workspace, id: string): PeerRow | undefined {
  return ws.db.prepare('SELECT * FROM sync_peers WHERE workspace_id = ?').get(id) as PeerRow | undefined;
}

/** 16-hex prefixes of the scans present in this workspace (what a peer need not send again). */
function blobInventory(ws: Workspace): string[] {
  return blobList(ws.db).filter((sha) => ws.blobs.has(sha)).map((sha) => sha.slice(0, PREFIX));
}

export interface ExportOptions {
  peer?: string | undefined;
  noScans: boolean;
  passphrase: string;
  kdfN?: number | undefined;
}

export interface BuiltBundle {
  bytes: Buffer;
  manifest: BundleManifest;
}

/** Cuts a bundle: everything the peer may lack (by its last reported marks), or everything. */
export function buildBundle(ws: Workspace, deviceId: string, opts: ExportOptions): BuiltBundle {
  sealLegacy(ws);
  let peer: PeerRow | undefined;
  if (opts.peer) {
    peer = peerRow(ws, opts.peer) ?? (ws.db.prepare('SELECT * FROM sync_peers WHERE workspace_id LIKE ?').get(`${opts.peer}%`) as PeerRow | undefined);
  }
  // A peer that never sent us a bundle gets everything: safe, duplicates are skipped on import.
  const peerMarks = peer ? (JSON.parse(peer.marks) as Record<string, number>) : {};
  const events: SyncEvent[] = [];
  for (const r of ws.db.prepare('SELECT * FROM decision_events ORDER BY origin, origin_seq').iterate() as IterableIterator<EventRow>) {
    if (r.origin_seq > (peerMarks[r.origin] ?? 0)) events.push(rowToEvent(r));
  }
  const documents: BundleDocument[] = [];
  const blobs: BundleBlob[] = [];
  const blobData: Buffer[] = [];
  if (!opts.noScans) {
    const peerHas = new Set(peer ? (JSON.parse(peer.blobs) as string[]) : []);
    const rows = allDocuments(ws.db).sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : a.idNumber < b.idNumber ? -1 : a.idNumber > b.idNumber ? 1 : 0));
    let offset = 0;
    const sent = new Set<string>();
    for (const r of rows) {
      if (peerHas.has(r.sha256.slice(0, PREFIX)) || !ws.blobs.has(r.sha256)) continue;
      documents.push({ idNumber: r.idNumber, kind: r.kind, sha256: r.sha256, originalName: r.originalName });
      // Content-addressed: a scan shared by several documents travels once.
      if (sent.has(r.sha256)) continue;
      sent.add(r.sha256);
      const data = ws.blobs.read(r.sha256);
      blobs.push({ sha256: r.sha256, mime: r.mime, size: data.length, offset });
      blobData.push(data);
      offset += data.length;
    }
  }
  const key = workspaceKey(ws);
  const cid = collegeId(ws);
  const createdAt = new Date().toISOString();
  const manifest: BundleManifest = {
    format: 1, collegeId: cid, college: ws.college, fromWorkspace: ws.workspaceId, fromDevice: deviceId,
    publicKey: key.publicKeyPem, toWorkspace: peer?.workspace_id ?? opts.peer ?? null, createdAt, marks: marks(ws.db),
    haveBlobs: opts.noScans ? null : blobInventory(ws), events, documents, blobs,
  };
  const bytes = sealBundle({
    header: { collegeId: cid, college: ws.college, fromWorkspace: ws.workspaceId, toWorkspace: manifest.toWorkspace, createdAt },
    manifest, blobData, key, passphrase: opts.passphrase, kdfN: opts.kdfN,
  });
  return { bytes, manifest };
}

/** Opens, checks and merges a bundle. Throws (changing nothing) on any refusal. */
export function mergeBundle(ws: Workspace, bytes: Buffer, passphrase: string, file = '', now = Date.now()): SyncImportReport {
  const started = performance.now();
  sealLegacy(ws);
  const db = ws.db;
  const { manifest, blobArea } = openBundle(bytes, passphrase, { collegeId: collegeId(ws), college: ws.college });

  // Lineage: a workspace keeps the key it was first seen with (trust on first use, or pinned by clone).
  const pinned = manifest.fromWorkspace === ws.workspaceId ? workspaceKey(ws).publicKeyPem : peerRow(ws, manifest.fromWorkspace)?.public_key;
  if (pinned && pinned !== manifest.publicKey) {
    throw new DeskError('bundle_key_mismatch', `同步包自称来自工作区 ${manifest.fromWorkspace.slice(0, 8)}…，但签名密钥与已登记的不同，已拒绝。`);
  }

  // Every event must hash right and extend its origin's chain exactly where ours ends.
  // One range read per origin instead of queries per event (10,000-event bundles).
  const range = db.prepare('SELECT id, origin_seq, hash FROM decision_events WHERE origin = ? AND origin_seq >= ? ORDER BY origin_seq');
  const tip = db.prepare('SELECT origin_seq, hash FROM decision_events WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1');
  const local = new Map<string, { bySeq: Map<number, { id: string; hash: string }>; seq: number; hash: string }>();
  const fresh: SyncEvent[] = [];
  const sorted = [...manifest.events].sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : a.originSeq - b.originSeq));
  for (const e of sorted) {
    const { hash, ...rest } = e;
    if (hashEvent(rest) !== hash) throw new DeskError('bundle_tampered', `同步包中的事件 ${e.id} 校验失败，已拒绝。`);
    // A kind this version does not know comes from a newer desk (as 'verdict' once did): say so
    // plainly instead of failing on the table's CHECK halfway through the transaction.
    if (!(EVENT_KINDS as readonly string[]).includes(e.kind)) {
      throw new DeskError('bundle_newer_version', `同步包含本程序不认识的事件类型“${e.kind}”，来自更新版本的审核台。请先把本机审核台升级到相同版本，再导入。`);
    }
    let o = local.get(e.origin);
    if (!o) {
      const rows = range.all(e.origin, e.originSeq) as { id: string; origin_seq: number; hash: string }[];
      const t = tip.get(e.origin) as { origin_seq: number; hash: string } | undefined;
      o = { bySeq: new Map(rows.map((r) => [r.origin_seq, r])), seq: t?.origin_seq ?? 0, hash: t?.hash ?? '0'.repeat(64) };
      local.set(e.origin, o);
    }
    const have = o.bySeq.get(e.originSeq);
    if (have) {
      if (have.id === e.id && have.hash === hash) continue; // already here: duplicate
      if (have.id === e.id) throw new DeskError('bundle_tampered', `事件 ${e.id} 与本机记录不一致，已拒绝。`);
      throw new DeskError('bundle_fork', `工作区 ${e.origin.slice(0, 8)}… 的第 ${e.originSeq} 条事件与本机记录冲突（日志分叉），已拒绝。`);
    }
    if (e.originSeq !== o.seq + 1 || e.prevHash !== o.hash) {
      throw new DeskError(
        'bundle_gap',
        `同步包缺少工作区 ${e.origin.slice(0, 8)}… 第 ${o.seq + 1} 条之前的事件（本包从第 ${e.originSeq} 条开始）。请先导入更早的同步包，或让对方不带 --peer 导出完整同步包。`,
      );
    }
    o.seq = e.originSeq;
    o.hash = hash;
    fresh.push(e);
  }

  const scans = manifest.blobs.map((b) => {
    const data = blobArea.subarray(b.offset, b.offset + b.size);
    if (data.length !== b.size || createHash('sha256').update(data).digest('hex') !== b.sha256) {
      throw new DeskError('bundle_tampered', `同步包中的扫描件 ${b.sha256.slice(0, 12)}… 校验失败，已拒绝。`);
    }
    return { ...b, data };
  });

  // The bundle passed every check: keep a copy of the database as it was before it changes.
  if (fresh.length > 0 || scans.length > 0) backupBeforeSync(ws, 'sync');

  // Scans first (content-addressed files, harmless if orphaned); removed again if the rows fail.
  const created: string[] = [];
  let drift: DriftReport[] = [];
  let documentsAdded = 0;
  try {
    for (const s of scans) if (ws.blobs.putBuffer(s.data).created) created.push(s.sha256);
    // This transaction is crucial: events, edges, peer marks and the clock move together or not at all.
    db.transaction(() => {
      for (const e of fresh) insertEvent(db, e);
      insertBlobs(db, scans, new Date(now).toISOString());
      documentsAdded = insertDocumentRows(db, manifest.documents.filter((d) => isKnownApplicant(db, d.idNumber)), 'sync');
      if (manifest.fromWorkspace !== ws.workspaceId) {
        const old = peerRow(ws, manifest.fromWorkspace);
        // A peer never loses events, so the per-origin maximum of everything it ever told us is safe.
        const m = { ...(old ? (JSON.parse(old.marks) as Record<string, number>) : {}) };
        for (const [o, s] of Object.entries(manifest.marks)) m[o] = Math.max(m[o] ?? 0, s);
        const have = new Set(old ? (JSON.parse(old.blobs) as string[]) : []);
        for (const h of manifest.haveBlobs ?? []) have.add(h);
        db.prepare(
          `INSERT INTO sync_peers (workspace_id, public_key, marks, blobs, last_bundle_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(workspace_id) DO UPDATE SET marks = excluded.marks, blobs = excluded.blobs, last_bundle_at = excluded.last_bundle_at`,
        ).run(manifest.fromWorkspace, manifest.publicKey, JSON.stringify(m), JSON.stringify([...have].sort()), manifest.createdAt);
      }
      const origins = new Map(fresh.map((e) => [e.hlc, e.origin]));
      drift = observeRemote(ws, fresh.map((e) => e.hlc), now).map((d) => ({ origin: origins.get(d.hlc) ?? '', hlc: d.hlc, driftMs: d.driftMs }));
      const report = { eventsAdded: fresh.length, drift };
      db.prepare('INSERT INTO sync_imports (bundle_sha256, from_workspace, at, events_added, report) VALUES (?, ?, ?, ?, ?)').run(
        createHash('sha256').update(bytes).digest('hex'), manifest.fromWorkspace, new Date(now).toISOString(), fresh.length, JSON.stringify(report),
      );
    }).immediate();
  } catch (e) {
    ws.blobs.remove(created);
    throw e;
  }
  const conflicts = countConflicts(ws);
  return {
    file, fromWorkspace: manifest.fromWorkspace, eventsInBundle: manifest.events.length, eventsAdded: fresh.length,
    duplicates: manifest.events.length - fresh.length, blobsAdded: created.length, documentsAdded, conflicts, drift,
    ms: Math.round(performance.now() - started),
  };
}

export function syncStatus(ws: Workspace): SyncStatus {
  const peers = (ws.db.prepare('SELECT * FROM sync_peers ORDER BY workspace_id').all() as PeerRow[]).map((p) => ({
    workspaceId: p.workspace_id, marks: JSON.parse(p.marks) as Record<string, number>, lastBundleAt: p.last_bundle_at,
  }));
  const recent = ws.db.prepare('SELECT report FROM sync_imports ORDER BY id DESC LIMIT 20').all() as { report: string }[];
  return {
    collegeId: collegeId(ws), workspaceId: ws.workspaceId, marks: marks(ws.db), peers,
    conflicts: countConflicts(ws),
    recentDrift: recent.flatMap((r) => (JSON.parse(r.report) as { drift: DriftReport[] }).drift),
  };
}


export function cloneWorkspace(src: Workspace, out: string, noScans: boolean): { dir: string; workspaceId: string; collegeId: string; applicants: number; events: number } {
  if (existsSync(out) && readdirSync(out).length > 0) throw new DeskError('clone_target_exists', `目标文件夹不是空的：${out}`);
  sealLegacy(src);
  const cid = collegeId(src);
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
    dst.db.prepare('ATTACH DATABASE ? AS src').run(join(src.dir, 'desk.sqlite'));
    try {
      dst.db.transaction(() => {
        setMeta(dst.db, 'college_id', cid);
        setMeta(dst.db, 'cloned_from', src.workspaceId);
        // A peer PC starts with the list, the log and the accounts; scans can follow in bundles.
        // Applicants first: documents reference them, and foreign keys are checked row by row.
        copyApplicantsFrom(dst.db, 'src');
        if (!noScans) copyDocumentsFrom(dst.db, 'src');
        copyLogFrom(dst.db, 'src');
        copyAccountsFrom(dst, 'src');
      }).immediate();
    } finally {
      dst.db.exec('DETACH DATABASE src');
    }
    // Both sides know each other from the start: keys pinned, marks and scans as of now.
    const m = JSON.stringify(marks(src.db));
    const pin = `INSERT INTO sync_peers (workspace_id, public_key, marks, blobs, last_bundle_at) VALUES (?, ?, ?, ?, NULL)
      ON CONFLICT(workspace_id) DO UPDATE SET public_key = excluded.public_key, marks = excluded.marks, blobs = excluded.blobs`;
    src.db.prepare(pin).run(dst.workspaceId, dstKey.publicKeyPem, m, JSON.stringify(blobInventory(dst)));
    dst.db.prepare(pin).run(src.workspaceId, srcKey.publicKeyPem, m, JSON.stringify(blobInventory(src)));
    return { dir: out, workspaceId: dst.workspaceId, collegeId: cid, applicants: countAllApplicants(dst.db), events: countEvents(dst.db) };
  } finally {
    dst.close();
  }
}

/**
 * Per-document verdicts travel in sync bundles as events of the log: the verdict a reviewer gives
 * a scan on one PC is the verdict shown on the other, a clear is carried too, and the latest HLC
 * wins whatever order the bundles arrive in.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stateOf as stateOfApplicant } from '../../../electron/review/state.js';
import { verdictEvents, verdictsOf, recordVerdict } from '../../../electron/review/verdicts.js';
import { openSqlite } from '../../../electron/workspace/sqlite.js';
import { migrate, openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { workspaceKey } from '../../../electron/workspace/keys.js';
import { sealBundle } from '../../../electron/sync/codec.js';
import { appendEvents, hashEvent, verifyChains } from '../../../electron/sync/log.js';
import { buildBundle, cloneWorkspace, mergeBundle } from '../../../electron/sync/syncService.js';
import { DeskError } from '../../../shared/api/index.js';
import type { EventKind, SyncEvent } from '../../../shared/sync/events.js';
import { currentVerdicts } from '../../../shared/sync/verdicts.js';
import { idOf, seedWorkspace, tempDir } from './helpers.js';

const PW = 'college-passphrase-2026';
const opened: Workspace[] = [];
afterAll(() => opened.forEach((w) => w.close()));

/** Two PCs of one college; applicant 0 has a 退役证 scan on the first only (clone without scans). */
function twoPcs(): { a: Workspace; b: Workspace; sha: string; docA: number } {
  const root = tempDir();
  const a = seedWorkspace(join(root, 'pc0'), 3);
  const blob = a.blobs.putBuffer(Buffer.from('%PDF-1.4 退役证 scan of 考生0'));
  a.db.prepare("INSERT INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, 'application/pdf', '2026-01-01T00:00:00.000Z')").run(blob.sha256, blob.size);
  // Another applicant's scan, so two documents travel in the first bundle.
  const other = a.blobs.putBuffer(Buffer.from('photo of 考生1'));
  a.db.prepare("INSERT INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, 'image/png', '2026-01-01T00:00:00.000Z')").run(other.sha256, other.size);
  a.db.prepare("INSERT INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, 'photo', ?, 'p.png', 'seed')").run(idOf(1), other.sha256);
  cloneWorkspace(a, join(root, 'pc1'), true);
  const b = openWorkspace(join(root, 'pc1'));
  // Scans imported on B alone take B's first row ids, so the synced scan's id differs from A's.
  for (const text of ['B scan 1', 'B scan 2']) {
    const own = b.blobs.putBuffer(Buffer.from(text));
    b.db.prepare("INSERT INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, 'image/png', '2026-01-01T00:00:00.000Z')").run(own.sha256, own.size);
    b.db.prepare("INSERT INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, 'other', ?, 'b.png', 'seed')").run(idOf(2), own.sha256);
  }
  const docA = Number(a.db.prepare("INSERT INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, 'discharge_cert', ?, 'd.pdf', 'seed')").run(idOf(0), blob.sha256).lastInsertRowid);
  opened.push(a, b);
  return { a, b, sha: blob.sha256, docA };
}

const sync = (from: Workspace, to: Workspace): ReturnType<typeof mergeBundle> =>
  mergeBundle(to, buildBundle(from, 'dev', { peer: to.workspaceId, noScans: false, passphrase: PW, kdfN: 1024 }).bytes, PW);

function docsOf(ws: Workspace, idNumber: string): { id: number; sha256: string }[] {
  return ws.db.prepare('SELECT id, sha256 FROM documents WHERE id_number = ?').all(idNumber) as { id: number; sha256: string }[];
}

function shown(ws: Workspace, idNumber: string): ReturnType<typeof verdictsOf> {
  return verdictsOf(verdictEvents(ws, idNumber), docsOf(ws, idNumber));
}

describe('verdict events in sync bundles', () => {
  it('carry a verdict, then its clear, across export and import; the scan is found by content on the other PC', () => {
    const { a, b, sha, docA } = twoPcs();
    recordVerdict(a, 'dev-a', { idNumber: idOf(0), documentId: docA, aspect: 'clarity', value: 'blurry', reviewer: '张老师' });
    recordVerdict(a, 'dev-a', { idNumber: idOf(0), documentId: docA, aspect: 'match', value: 'mismatch', reviewer: '张老师' });

    const first = sync(a, b);
    expect(first).toMatchObject({ eventsAdded: 2, documentsAdded: 2 });
    const docB = (b.db.prepare('SELECT id FROM documents WHERE sha256 = ?').get(sha) as { id: number }).id;
    expect(docB).not.toBe(docA);
    expect(shown(b, idOf(0)).verdicts).toEqual([{ documentId: docB, clarity: 'blurry', match: 'mismatch' }]);
    expect(shown(b, idOf(0)).verdictLog.map((e) => [e.documentKind, e.aspect, e.value, e.reviewer])).toEqual([
      ['discharge_cert', 'clarity', 'blurry', '张老师'],
      ['discharge_cert', 'match', 'mismatch', '张老师'],
    ]);
    // The same bundle again adds nothing (events are keyed by id).
    expect(sync(a, b).eventsAdded).toBe(0);

    // On the second PC another reviewer clears 模糊 and confirms 一致; both travel back.
    recordVerdict(b, 'dev-b', { idNumber: idOf(0), documentId: docB, aspect: 'clarity', value: null, reviewer: '李老师' });
    recordVerdict(b, 'dev-b', { idNumber: idOf(0), documentId: docB, aspect: 'match', value: 'match', reviewer: '李老师' });
    expect(sync(b, a).eventsAdded).toBe(2);
    expect(shown(a, idOf(0)).verdicts).toEqual([{ documentId: docA, clarity: null, match: 'match' }]);
    expect(shown(a, idOf(0)).verdictLog.map((e) => e.value)).toEqual(['blurry', 'mismatch', null, 'match']);
    expect(shown(b, idOf(0)).verdicts).toEqual([{ documentId: docB, clarity: null, match: 'match' }]);
    expect(verifyChains(a).problems).toEqual([]);
    expect(verifyChains(b).problems).toEqual([]);
  });

  it('converges on the latest HLC when both PCs judge the same scan before exchanging', () => {
    const { a, b, sha, docA } = twoPcs();
    sync(a, b);
    const docB = (b.db.prepare('SELECT id FROM documents WHERE sha256 = ?').get(sha) as { id: number }).id;
    recordVerdict(a, 'dev-a', { idNumber: idOf(0), documentId: docA, aspect: 'clarity', value: 'blurry', reviewer: '张老师' });
    recordVerdict(b, 'dev-b', { idNumber: idOf(0), documentId: docB, aspect: 'clarity', value: 'clear', reviewer: '李老师' });
    sync(a, b);
    sync(b, a);
    const events = verdictEvents(a, idOf(0));
    const latest = [...events].sort((x, y) => (x.hlc < y.hlc ? -1 : 1)).at(-1);
    expect(latest?.payload.value).toBeDefined();
    expect(shown(a, idOf(0)).verdicts[0]?.clarity).toBe(latest?.payload.value);
    expect(shown(b, idOf(0)).verdicts[0]?.clarity).toBe(latest?.payload.value);
    // Order of the events does not matter to the derivation.
    expect(currentVerdicts([...events].reverse())).toEqual(currentVerdicts(events));
  });
});

describe('a bundle from a newer desk', () => {
  it('is refused by name when it carries an event kind this version does not know, and nothing changes', () => {
    const { a, b, docA } = twoPcs();
    recordVerdict(a, 'dev-a', { idNumber: idOf(0), documentId: docA, aspect: 'clarity', value: 'blurry', reviewer: '张老师' });
    const m = buildBundle(a, 'dev-a', { peer: b.workspaceId, noScans: true, passphrase: PW, kdfN: 1024 }).manifest;
    const last = m.events.at(-1);
    if (!last) throw new Error('no events');
    // A correctly chained and hashed event of a kind from the future, signed by A's own key.
    const base: Omit<SyncEvent, 'hash'> = { ...last, id: 'future-1', originSeq: last.originSeq + 1, kind: 'handover' as EventKind, prevHash: last.hash, payload: {} };
    const events = [...m.events, { ...base, hash: hashEvent(base) }];
    const bytes = sealBundle({
      header: { collegeId: m.collegeId, college: m.college, fromWorkspace: m.fromWorkspace, toWorkspace: m.toWorkspace, createdAt: m.createdAt },
      manifest: { ...m, events }, blobData: [], key: workspaceKey(a), passphrase: PW, kdfN: 1024,
    });
    const before = verdictEvents(b, idOf(0)).length;
    let code = '';
    try {
      mergeBundle(b, bytes, PW);
    } catch (e) {
      code = e instanceof DeskError ? e.code : String(e);
    }
    expect(code).toBe('bundle_newer_version');
    expect(verdictEvents(b, idOf(0))).toHaveLength(before);
  });
});

describe('migration 8', () => {
  it('keeps a version-7 log (rows, seq, chain, views, append-only) and then accepts verdict events', () => {
    const dir = tempDir();
    const db = openSqlite(join(dir, 'desk.sqlite'));
    migrate(db, 7);
    db.prepare("INSERT INTO meta VALUES ('workspace_id', '11111111-2222-3333-4444-555555555555'), ('college', 'X')").run();
    db.prepare("INSERT INTO applicants (id_number, row_no, name, category, import_id, updated_at) VALUES ('A1', 1, 'a', 'general', 'i', 't')").run();
    const ins = db.prepare(
      `INSERT INTO decision_events (seq, id, id_number, decision, reviewer, device_id, at, kind, subject, origin, origin_seq, hlc)
       VALUES (?, ?, 'A1', ?, 'r', 'd', '2026-05-01T00:00:00.000Z', ?, 'A1', '11111111-2222-3333-4444-555555555555', ?, ?)`,
    );
    ins.run(7, 'e1', 'approve', 'decision', 1, '2026-05-01T00:00:00.000Z-0000-1111111122223333');
    expect(() => ins.run(8, 'v0', null, 'verdict', 2, '2026-05-01T00:00:00.000Z-0001-1111111122223333')).toThrow(/CHECK/);
    db.close();

    const ws = openWorkspace(dir);
    opened.push(ws);
    expect(ws.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(8);
    expect(ws.db.prepare('SELECT seq, id, decision FROM decision_events').all()).toEqual([{ seq: 7, id: 'e1', decision: 'approve' }]);
    expect(stateOfApplicant(ws, 'A1')).toMatchObject({ status: 'approve', current: { id: 'e1' } });
    const [v] = appendEvents(ws, 'dev', [{ kind: 'verdict', subject: 'A1', reviewer: 'r', payload: { sha256: 'x', documentKind: 'photo', aspect: 'clarity', value: 'blurry' } }]);
    expect(v?.originSeq).toBe(2);
    expect(currentVerdicts(verdictEvents(ws, 'A1')).map((c) => c.value)).toEqual(['blurry']);
    // A verdict is not a state event: the current decision is unchanged.
    expect(stateOfApplicant(ws, 'A1')).toMatchObject({ status: 'approve', current: { id: 'e1' } });
    // The older event, the baseline of the older list (both unsigned), the founding PC's seal over
    // them and the verdict (issue 19: the first use of this version seals the older log).
    expect(verifyChains(ws)).toMatchObject({ events: 4, problems: [] });
    expect(() => ws.db.prepare("UPDATE decision_events SET note = 'x'").run()).toThrow(/append-only/);
    expect(() => ws.db.prepare('DELETE FROM decision_events').run()).toThrow(/append-only/);
  });
});

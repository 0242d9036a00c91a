import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeskError } from '../../../shared/api/index.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { createContext } from '../../../electron/app/context.js';
import { createHandlers } from '../../../electron/app/handlers.js';
import { createDispatcher } from '../../../electron/app/dispatch.js';
import { openSqlite } from '../../../electron/workspace/sqlite.js';
import { migrate, openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { workspaceKey } from '../../../electron/workspace/keys.js';
import { createAccount, resetSecret, signIn } from '../../../electron/accounts/accounts.js';
import { sealBundle } from '../../../electron/sync/codec.js';
import { collegeId, verifyChains } from '../../../electron/sync/log.js';
import { applicantHistory, drawQc, listConflicts, pendingReview, qcAgreement, qcQueue, recordQc, recordReview, resolveConflict } from '../../../electron/review/team.js';
import { assign } from '../../../electron/review/access.js';
import { undoDecision } from '../../../electron/review/decisions.js';
import { stateOf as stateOfApplicant } from '../../../electron/review/state.js';
import { buildBundle, cloneWorkspace, mergeBundle } from '../../../electron/sync/syncService.js';
import { MemoryTransport } from '../../../electron/sync/transport.js';
import { college, dumpHash, idOf, seedWorkspace, stateOf, tempDir } from './helpers.js';

const PW = 'college-passphrase-2026';
const opened: Workspace[] = [];
afterAll(() => opened.forEach((w) => w.close()));
function pcs(n: number, applicants = 20, noScans = false): Workspace[] {
  const w = college(n, applicants, noScans);
  opened.push(...w);
  return w;
}
const decide = (ws: Workspace, dev: string, i: number, decision: 'approve' | 'reject' | 'return', reviewer = '张老师') =>
  recordDecision(ws, dev, { idNumber: idOf(i), decision, reasons: decision === 'approve' ? [] : ['blurry'], note: '', reviewer });
const sync = (from: Workspace, to: Workspace, peer = true) => mergeBundle(to, buildBundle(from, 'dev', { peer: peer ? to.workspaceId : undefined, noScans: false, passphrase: PW }).bytes, PW);
const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof DeskError ? e.code : `not a DeskError: ${String(e)}`;
  }
  return 'no error';
};

describe('migration 3 keeps a schema-1 log', () => {
  it('turns legacy rows into a sealed chain with the same current decisions', () => {
    const dir = tempDir();
    const db = openSqlite(join(dir, 'desk.sqlite'));
    migrate(db, 1);
    db.prepare("INSERT INTO meta VALUES ('workspace_id', '11111111-2222-3333-4444-555555555555'), ('college', 'X')").run();
    db.prepare("INSERT INTO applicants (id_number, row_no, name, category, import_id, updated_at) VALUES ('A1', 1, 'a', 'general', 'i', 't')").run();
    const ins = db.prepare("INSERT INTO decision_events (id, id_number, decision, reasons, note, reviewer, device_id, at) VALUES (?, 'A1', ?, '[]', '', 'r', 'd', ?)");
    ins.run('e1', 'approve', '2026-05-01T00:00:00.000Z');
    ins.run('e2', 'reject', '2026-05-01T00:00:00.000Z');
    db.close();
    const ws = openWorkspace(dir);
    opened.push(ws);
    const s = stateOfApplicant(ws, 'A1');
    expect([s.current?.id, s.decision, s.status]).toEqual(['e2', 'reject', 'reject']);
    expect(verifyChains(ws)).toMatchObject({ events: 2, origins: 1, problems: [] });
    expect(() => ws.db.prepare("UPDATE decision_events SET note = 'x' WHERE id = 'e1'").run()).toThrow(/append-only/);
  });
});

describe('decisions, undo and history on one PC', () => {
  it('keeps the legacy typed-name path and undoes by appending', () => {
    const [a] = pcs(1);
    if (!a) throw new Error('no pc');
    decide(a, 'dev-a', 0, 'approve');
    decide(a, 'dev-a', 0, 'reject');
    // Each undo goes one step further back: 不通过 → 通过 → 待审, then there is nothing left.
    expect(undoDecision(a, 'dev-a', { idNumber: idOf(0), reviewer: '张老师' })).toMatchObject({ status: 'approve', restored: 'approve', undone: 'reject' });
    expect(undoDecision(a, 'dev-a', { idNumber: idOf(0), reviewer: '张老师' })).toMatchObject({ status: 'pending', restored: 'pending', undone: 'approve' });
    expect(code(() => undoDecision(a, 'dev-a', { idNumber: idOf(0), reviewer: '张老师' }))).toBe('nothing_to_undo');
    decide(a, 'dev-a', 1, 'approve');
    expect(undoDecision(a, 'dev-a', { idNumber: idOf(1), reviewer: '张老师' }).status).toBe('pending');
    expect(stateOfApplicant(a, idOf(1))).toMatchObject({ status: 'pending', current: null });
    expect(code(() => undoDecision(a, 'dev-a', { idNumber: idOf(2), reviewer: 'x' }))).toBe('nothing_to_undo');
    const h = applicantHistory(a, idOf(0));
    expect(h.entries.map((e) => `${e.kind}:${e.decision}`)).toEqual(['decision:approve', 'decision:reject', 'undo:approve', 'undo:null']);
    expect(h.entries.every((e) => e.deviceId === 'dev-a' && e.origin === a.workspaceId)).toBe(true);
    expect(h.entries.filter((e) => e.head)).toHaveLength(1);
    expect(verifyChains(a).problems).toEqual([]);
  });
});

describe('two offline PCs', () => {
  it('different concurrent decisions become a conflict on both PCs until a supervisor resolves it', () => {
    const [a, b] = pcs(2);
    if (!a || !b) throw new Error('no pcs');
    decide(a, 'dev-a', 0, 'approve', '张老师');
    decide(b, 'dev-b', 0, 'reject', '李老师');
    decide(a, 'dev-a', 1, 'approve', '张老师');
    decide(b, 'dev-b', 1, 'approve', '李老师'); // same outcome: not a conflict
    sync(a, b);
    sync(b, a);
    for (const w of [a, b]) {
      const c = listConflicts(w);
      expect(c.map((x) => x.idNumber)).toEqual([idOf(0)]);
      expect(c[0]?.heads.map((h) => `${h.reviewer}:${h.decision}`).sort()).toEqual(['张老师:approve', '李老师:reject']);
      expect(code(() => decide(w, 'dev', 0, 'approve'))).toBe('conflict_open');
    }
    expect(resolveConflict(b, 'dev-b', { idNumber: idOf(0), decision: 'reject', reasons: ['blurry'], note: '证件模糊', by: '王主任' }).status).toBe('reject');
    expect(code(() => resolveConflict(b, 'dev-b', { idNumber: idOf(0), decision: 'reject', reasons: ['blurry'], note: '', by: '王主任' }))).toBe('no_conflict');
    sync(b, a);
    expect(stateOf(a)).toEqual(stateOf(b));
    expect(stateOf(a).conflicts).toEqual([]);
    expect(verifyChains(a)).toMatchObject({ origins: 2, problems: [] });
  });

  it('imports idempotently and in any order; incremental bundles carry only what the peer lacks', async () => {
    const [a, b] = pcs(2);
    if (!a || !b) throw new Error('no pcs');
    decide(a, 'dev-a', 0, 'approve');
    const first = buildBundle(a, 'dev-a', { peer: b.workspaceId, noScans: false, passphrase: PW }).bytes;
    decide(a, 'dev-a', 1, 'reject');
    const second = buildBundle(a, 'dev-a', { noScans: false, passphrase: PW }).bytes; // full
    expect(mergeBundle(b, second, PW).eventsAdded).toBe(2);
    expect(mergeBundle(b, first, PW).eventsAdded).toBe(0);
    expect(mergeBundle(b, second, PW).duplicates).toBe(2);
    sync(b, a); // a learns b's marks
    decide(a, 'dev-a', 2, 'approve');
    expect(buildBundle(a, 'dev-a', { peer: b.workspaceId, noScans: true, passphrase: PW }).manifest.events).toHaveLength(1);
    // through the transport interface
    const t = new MemoryTransport();
    await t.put('a-to-b.zsbsync', buildBundle(a, 'dev-a', { peer: b.workspaceId, noScans: true, passphrase: PW }).bytes);
    expect(mergeBundle(b, await t.get('a-to-b.zsbsync'), PW).eventsAdded).toBe(1);
    expect(stateOf(a)).toEqual(stateOf(b));
  });

  it('carries scans the receiver lacks, each once, with their documents', () => {
    const [a, b] = pcs(2, 5, true);
    if (!a || !b) throw new Error('no pcs');
    const blob = a.blobs.putBuffer(Buffer.from('%PDF-1.4 fake scan of 退役证'));
    a.db.prepare("INSERT INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, 'application/pdf', 't')").run(blob.sha256, blob.size);
    for (const i of [0, 1]) a.db.prepare("INSERT INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, 'discharge_cert', ?, 'x.pdf', 'i')").run(idOf(i), blob.sha256);
    const r = sync(a, b);
    expect(r).toMatchObject({ blobsAdded: 1, documentsAdded: 2 });
    expect(b.blobs.read(blob.sha256).toString()).toContain('退役证');
    sync(b, a);
    expect(buildBundle(a, 'dev-a', { peer: b.workspaceId, noScans: false, passphrase: PW }).manifest.blobs).toHaveLength(0);
  });
});

describe('refused bundles change nothing', () => {
  const [a, b] = pcs(2);
  const [other] = pcs(1);
  if (!a || !b || !other) throw new Error('no pcs');
  decide(a, 'dev-a', 0, 'approve');
  decide(a, 'dev-a', 1, 'reject');
  const good = buildBundle(a, 'dev-a', { peer: b.workspaceId, noScans: false, passphrase: PW }).bytes;
  decide(other, 'dev-o', 0, 'reject');

  const refused = (bytes: Buffer, expected: string, passphrase = PW): void => {
    const before = dumpHash(b);
    const blobFiles = (): number => (existsSync(join(b.dir, 'blobs')) ? readdirSync(join(b.dir, 'blobs'), { recursive: true }).length : 0);
    const blobsBefore = blobFiles();
    expect(code(() => mergeBundle(b, bytes, passphrase))).toBe(expected);
    expect(dumpHash(b)).toBe(before);
    expect(blobFiles()).toBe(blobsBefore);
  };

  it('wrong passphrase', () => refused(good, 'bundle_wrong_passphrase', 'not-the-passphrase'));
  it('truncated at any point', () => {
    for (const len of [0, 5, 11, 40, good.length - 200, good.length - 1]) refused(good.subarray(0, len), len === 0 ? 'bundle_truncated' : 'bundle_truncated');
  });
  it('tampered ciphertext, tag, header or trailing bytes', () => {
    const hlen = good.readUInt32BE(8);
    for (const at of [12 + hlen + 5, good.length - 3]) {
      const t = Buffer.from(good);
      t[at] = (t[at] ?? 0) ^ 0x01;
      refused(t, 'bundle_tampered');
    }
    const header = good.subarray(12, 12 + hlen).toString().replace(/"createdAt":"(\d)/, (_m, d: string) => `"createdAt":"${d === '1' ? '2' : '1'}`);
    refused(Buffer.concat([good.subarray(0, 12), Buffer.from(header), good.subarray(12 + hlen)]), 'bundle_tampered');
    refused(Buffer.concat([good, Buffer.from('x')]), 'bundle_tampered');
    refused(Buffer.from('PK\u0003\u0004 not a bundle at all'), 'bundle_not_a_bundle');
  });
  it('from another college', () => {
    refused(buildBundle(other, 'dev-o', { noScans: false, passphrase: PW }).bytes, 'bundle_foreign_college');
  });
  it('replayed from another college under our name', () => {
    const foreign = buildBundle(other, 'dev-o', { noScans: false, passphrase: PW }).manifest;
    const bytes = sealBundle({
      header: { collegeId: collegeId(b), college: b.college, fromWorkspace: foreign.fromWorkspace, toWorkspace: null, createdAt: foreign.createdAt },
      manifest: foreign, blobData: [], key: workspaceKey(other), passphrase: PW,
    });
    refused(bytes, 'bundle_replayed');
  });
  it('signed by a key that is not the pinned key of the sending PC', () => {
    const m = buildBundle(a, 'dev-a', { noScans: false, passphrase: PW }).manifest;
    const forged = { ...m, publicKey: workspaceKey(other).publicKeyPem };
    const bytes = sealBundle({ header: { collegeId: m.collegeId, college: m.college, fromWorkspace: m.fromWorkspace, toWorkspace: null, createdAt: m.createdAt }, manifest: forged, blobData: [], key: workspaceKey(other), passphrase: PW });
    refused(bytes, 'bundle_key_mismatch');
  });
  it('still imports the good bundle afterwards', () => {
    expect(mergeBundle(b, good, PW).eventsAdded).toBe(2);
  });
});

describe('audit', () => {
  it('detects an edited event even when someone bypasses the triggers', () => {
    const [a] = pcs(1);
    if (!a) throw new Error('no pc');
    decide(a, 'dev-a', 0, 'approve');
    decide(a, 'dev-a', 1, 'approve');
    expect(verifyChains(a).problems).toEqual([]);
    a.db.exec("DROP TRIGGER decision_events_no_update; UPDATE decision_events SET decision = 'reject' WHERE origin_seq = 1");
    expect(verifyChains(a).problems.map((p) => `${p.originSeq}:${p.problem}`)).toEqual(['1:hash']);
  });
});

describe('accounts, assignment, sign-off and QC', () => {
  it('requires sign-in once an admin exists and keeps reviewers to their share', () => {
    const [a] = pcs(1, 10);
    if (!a) throw new Error('no pc');
    expect(code(() => createAccount(a, { name: '张老师', role: 'reviewer', secret: '1234' }))).toBe('first_account_admin');
    createAccount(a, { name: 'admin', role: 'admin', secret: 'admin-pass' });
    const adm = { name: 'admin', secret: 'admin-pass' };
    createAccount(a, { name: '张老师', role: 'reviewer', secret: '1234' }, adm);
    createAccount(a, { name: '李老师', role: 'reviewer', secret: '5678' }, adm);
    createAccount(a, { name: '王主任', role: 'supervisor', secret: 'sup-pass' }, adm);
    expect(code(() => decide(a, 'dev', 0, 'approve', '张老师'))).toBe('sign_in_required');
    expect(code(() => signIn(a, { name: '张老师', secret: 'wrong' }))).toBe('sign_in_failed');
    expect(assign(a, 'dev', { reviewer: '李老师', category: 'veteran', as: adm }).assigned).toBe(2);
    signIn(a, { name: '张老师', secret: '1234' });
    expect(code(() => decide(a, 'dev', 0, 'approve', '李老师'))).toBe('not_signed_in_as');
    expect(code(() => decide(a, 'dev', 0, 'approve', '张老师'))).toBe('not_assigned'); // idOf(0) is a veteran
    decide(a, 'dev', 1, 'approve', '张老师');
    decide(a, 'dev', 2, 'approve', '张老师');
    decide(a, 'dev', 3, 'reject', '张老师');
    expect(code(() => resolveConflict(a, 'dev', { idNumber: idOf(1), decision: 'approve', reasons: [], note: '' }))).toBe('forbidden');
    // 复核
    const sup = { name: '王主任', secret: 'sup-pass' };
    expect(pendingReview(a).map((r) => r.idNumber)).toEqual([idOf(1), idOf(2), idOf(3)]);
    recordReview(a, 'dev', { idNumber: idOf(1), verdict: 'confirm', reasons: [], note: '', as: sup });
    expect(code(() => recordReview(a, 'dev', { idNumber: idOf(3), verdict: 'overturn', decision: 'approve', reasons: [], note: '', as: sup }))).toBe('reason_required');
    expect(recordReview(a, 'dev', { idNumber: idOf(3), verdict: 'overturn', decision: 'approve', reasons: [], note: '材料已补齐', as: sup }).status).toBe('approve');
    expect(pendingReview(a).map((r) => r.idNumber)).toEqual([idOf(2)]);
    // QC: all three approvals drawn, second review is blind and by someone else
    expect(drawQc(a, 'dev', { percent: 100, seed: 7, as: sup }).drawn).toBe(3);
    expect(Object.keys(qcQueue(a)[0] ?? {}).sort()).toEqual(['category', 'drawnAt', 'idMasked', 'idNumber', 'name']);
    expect(code(() => recordQc(a, 'dev', { idNumber: idOf(2), decision: 'approve', reasons: [], note: '', as: { name: '张老师', secret: '1234' } }))).toBe('qc_same_reviewer');
    expect(recordQc(a, 'dev', { idNumber: idOf(2), decision: 'approve', reasons: [], note: '', as: { name: '李老师', secret: '5678' } }).agreed).toBe(true);
    expect(recordQc(a, 'dev', { idNumber: idOf(1), decision: 'reject', reasons: ['blurry'], note: '', as: { name: '李老师', secret: '5678' } }).agreed).toBe(false);
    expect(qcAgreement(a).find((r) => r.reviewer === '张老师')).toMatchObject({ sampled: 2, reviewed: 2, agreed: 1, rate: 0.5 });
    // admin resets a forgotten PIN; the old one stops working
    resetSecret(a, { name: '张老师', secret: '9999' }, adm);
    expect(code(() => signIn(a, { name: '张老师', secret: '1234' }))).toBe('sign_in_failed');
    expect(verifyChains(a).problems).toEqual([]);
  });
});

describe('through the contract', () => {
  it('decisions.undo, decisions.history and workspace.clone dispatch with validation', async () => {
    const ws = seedWorkspace(join(tempDir(), 'pc'), 3);
    const ctx = createContext('dev-ctx', ws);
    const dispatch = createDispatcher(() => createHandlers(ctx));
    expect(await dispatch('decisions.record', { idNumber: idOf(0), decision: 'approve', reviewer: '张老师' })).toMatchObject({ ok: true });
    expect(await dispatch('decisions.undo', { idNumber: idOf(0), reviewer: '张老师' })).toMatchObject({ ok: true, value: { status: 'pending' } });
    const h = await dispatch('decisions.history', { idNumber: idOf(0) });
    expect(h).toMatchObject({ ok: true, value: { status: 'pending', entries: [{ kind: 'decision' }, { kind: 'undo' }] } });
    const out = join(tempDir(), 'peer');
    const c = await dispatch('workspace.clone', { out });
    expect(c).toMatchObject({ ok: true, value: { applicants: 3, events: 2, collegeId: ws.workspaceId } });
    expect(await dispatch('sync.import', { file: join(out, 'nope.zsbsync'), passphrase: PW })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const peer = openWorkspace(out);
    opened.push(peer);
    expect(peer.workspaceId).not.toBe(ws.workspaceId);
    expect(collegeId(peer)).toBe(collegeId(ws));
    expect(code(() => cloneWorkspace(ws, out, false))).toBe('clone_target_exists');
    ctx.setWorkspace(null);
  });
});

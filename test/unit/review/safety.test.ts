/**
 * No decision changes unless a reviewer meant it (issue 13): the bulk approval rule, undo that
 * restores what was there, overrides of error findings, one reason rule for every kind of
 * decision, notes kept as typed, and "changed since decided" by the order of events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recordExternalFindings } from '../../../electron/checks/index.js';
import { runExport } from '../../../electron/export/index.js';
import type { ScanReader } from '../../../electron/ocr/client.js';
import { OcrService } from '../../../electron/ocr/index.js';
import { stateOf, changedSinceDecidedOf } from '../../../electron/review/state.js';
import { appendEvents } from '../../../electron/sync/index.js';
import { deskOf, importApplicants, ok, refused, workspaceWith, type TestWorkspace } from '../../fixtures/workspace.js';
import { tempDir } from '../../fixtures/tmp.js';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

let t: TestWorkspace | null = null;
afterEach(() => {
  t?.close();
  t = null;
});


/** A stand-in OCR reader: reads every scan as a page without text (no findings, but read). */
const blankReader: ScanReader = {
  read: () => Promise.resolve({ read: { pages: [], problem: '', ms: 1, ocrPages: 0 }, peakRss: 0 }),
  close: () => Promise.resolve(),
};

describe('bulk approval', () => {
  it('takes only undecided applicants without any finding whose scans are read, never changes a decision, and is undone as one unit', async () => {
    // Categories cycle veteran, competition, craftsman, poverty, general: the craftsman applicants
    // upload the 获奖证书 the rules file requires and the general ones a diploma, so they carry no
    // finding; the others miss documents.
    t = await workspaceWith(15, { checks: true, scans: (a) => (a.category === 'general' ? ['diploma'] : a.category === 'craftsman' ? ['award_cert'] : []) });
    const call = deskOf(t.ws);
    const clean = t.applicants.filter((a) => a.category === 'craftsman' || a.category === 'general').map((a) => a.idNumber);
    const flagged = t.applicants.filter((a) => !clean.includes(a.idNumber)).map((a) => a.idNumber);
    const [rejected, approvedBefore, ...rest] = clean;
    await ok(call, 'decisions.record', { idNumber: rejected!, decision: 'reject', reasons: ['missing_docs'], reviewer: '李老师' });
    await ok(call, 'decisions.record', { idNumber: approvedBefore!, decision: 'approve', reviewer: '李老师' });
    // A warning (not an error) keeps an applicant out too: it needs a look of its own.
    const warned = rest.find((id) => t!.applicants.find((a) => a.idNumber === id)?.category === 'craftsman')!;
    recordExternalFindings(t.ws, 'ocr', { id: 999_999, idNumber: warned }, [{ checkId: 'ocr.differs', severity: 'warning', message: '姓名识别不一致', messageEn: 'name differs' }]);

    const all = t.ids;
    const preview = await ok(call, 'decisions.bulkPreview', { idNumbers: all, reviewer: '李老师' });
    // Their scans are not read yet: they wait for OCR (the warned one is out for its finding).
    const waiting = rest.filter((id) => id !== warned);
    expect(preview.excluded).toEqual({ notOnList: 0, decided: 2, conflict: 0, findings: flagged.length + 1, ocrPending: waiting.length, notAssigned: 0 });
    expect(preview.eligible).toBe(0);

    const ocr = new OcrService(t.ws, { client: blankReader });
    await ocr.run();
    await ocr.close();
    const after = await ok(call, 'decisions.bulkPreview', { idNumbers: all, reviewer: '李老师' });
    expect(after.excluded.ocrPending).toBe(0);
    expect(after.eligible).toBe(rest.length - 1);

    const res = await ok(call, 'decisions.bulkApprove', { idNumbers: all, reviewer: '李老师' });
    // The same rule for the count shown and the approval itself.
    expect(res.approved).toBe(after.eligible);
    expect(res.excluded).toEqual(after.excluded);
    expect(stateOf(t.ws, rejected!).status).toBe('reject');
    expect(stateOf(t.ws, warned).status).toBe('pending');
    for (const id of flagged) expect(stateOf(t.ws, id).status).toBe('pending');
    const taken = rest.filter((id) => id !== warned);
    for (const id of taken) expect(stateOf(t.ws, id).current?.payload.bulk).toBe(res.bulkId);

    // One of them is decided again by hand; undoing the bulk leaves that one alone.
    const [redecided, ...others] = taken;
    await ok(call, 'decisions.record', { idNumber: redecided!, decision: 'return', reasons: ['blurry'], reviewer: '李老师' });
    expect(await ok(call, 'decisions.undoBulk', { bulkId: res.bulkId!, reviewer: '李老师' })).toEqual({ undone: others.length, kept: 1 });
    for (const id of others) expect(stateOf(t.ws, id).status).toBe('pending');
    expect(stateOf(t.ws, redecided!).status).toBe('return');
    expect(stateOf(t.ws, approvedBefore!).status).toBe('approve');
    expect(stateOf(t.ws, rejected!).status).toBe('reject');
    expect(await refused(call, 'decisions.undoBulk', { bulkId: '00000000-0000-4000-8000-000000000000', reviewer: '李老师' })).toBe('not_found');
  });

  it('approves nobody in conflict, and nobody at all without a reviewer', async () => {
    t = await workspaceWith(5, { checks: true });
    const call = deskOf(t.ws);
    const id = t.applicants.find((a) => a.category === 'general')!.idNumber;
    await ok(call, 'decisions.record', { idNumber: id, decision: 'approve', reviewer: '李老师' });
    appendEvents(t.ws, 'pc-b', [{ kind: 'decision', idNumber: id, decision: 'reject', reasons: ['blurry'], reviewer: '王老师', supersedes: [] }]);
    expect(stateOf(t.ws, id).status).toBe('conflict');
    const p = await ok(call, 'decisions.bulkPreview', { idNumbers: [id], reviewer: '李老师' });
    expect(p).toEqual({ eligible: 0, excluded: { notOnList: 0, decided: 0, conflict: 1, findings: 0, ocrPending: 0, notAssigned: 0 } });
    expect(await refused(call, 'decisions.bulkApprove', { idNumbers: [id], reviewer: ' ' })).toBe('invalid_args');
  });
});

describe('undo', () => {
  it('restores the state before the decision in force, one step per call, on that applicant only', async () => {
    t = await workspaceWith(5);
    const call = deskOf(t.ws);
    const [a, b] = t.applicants.filter((x) => x.category === 'general' || x.category === 'craftsman').map((x) => x.idNumber);
    await ok(call, 'decisions.record', { idNumber: a!, decision: 'approve', reviewer: '李老师' });
    await ok(call, 'decisions.record', { idNumber: b!, decision: 'approve', reviewer: '李老师' });
    await ok(call, 'decisions.record', { idNumber: a!, decision: 'reject', reasons: ['blurry'], reviewer: '李老师' });
    expect(await ok(call, 'decisions.undo', { idNumber: a!, reviewer: '李老师' })).toMatchObject({ undone: 'reject', restored: 'approve', kind: 'undo' });
    expect(stateOf(t.ws, b!).status).toBe('approve');
    expect(await ok(call, 'decisions.undo', { idNumber: a!, reviewer: '李老师' })).toMatchObject({ undone: 'approve', restored: 'pending' });
    expect(await refused(call, 'decisions.undo', { idNumber: a!, reviewer: '李老师' })).toBe('nothing_to_undo');
    expect(stateOf(t.ws, a!).status).toBe('pending');
    expect(stateOf(t.ws, b!).status).toBe('approve');
  });

  it('refuses to undo another reviewer’s decision once accounts exist, and to undo in conflict', async () => {
    t = await workspaceWith(3);
    const call = deskOf(t.ws);
    const id = t.applicants.find((x) => x.category === 'craftsman')!.idNumber;
    await ok(call, 'accounts.create', { name: '管理员', role: 'admin', secret: '办公室-口令-2026' });
    await ok(call, 'accounts.create', { name: '李老师', role: 'reviewer', secret: '一号审核-口令-2026', as: { name: '管理员', secret: '办公室-口令-2026' } });
    await ok(call, 'accounts.create', { name: '王老师', role: 'reviewer', secret: '二号审核-口令-2026', as: { name: '管理员', secret: '办公室-口令-2026' } });
    await ok(call, 'accounts.signIn', { name: '李老师', secret: '一号审核-口令-2026' });
    await ok(call, 'decisions.record', { idNumber: id, decision: 'approve', reviewer: '李老师' });
    await ok(call, 'accounts.signIn', { name: '王老师', secret: '二号审核-口令-2026' });
    expect(await refused(call, 'decisions.undo', { idNumber: id, reviewer: '王老师' })).toBe('forbidden');
    appendEvents(t.ws, 'pc-b', [{ kind: 'decision', idNumber: id, decision: 'reject', reasons: ['blurry'], reviewer: '赵老师', supersedes: [] }]);
    await ok(call, 'accounts.signIn', { name: '李老师', secret: '一号审核-口令-2026' });
    expect(await refused(call, 'decisions.undo', { idNumber: id, reviewer: '李老师' })).toBe('conflict_open');
  });
});

describe('overrides', () => {
  it('needs a note to approve over an error finding, records the override and marks the exported row', async () => {
    t = await workspaceWith(4, { checks: true });
    const call = deskOf(t.ws);
    const veteran = t.applicants.find((a) => a.category === 'veteran')!.idNumber;
    expect(await refused(call, 'decisions.record', { idNumber: veteran, decision: 'approve', reviewer: '李老师' })).toBe('override_needs_note');
    expect(stateOf(t.ws, veteran).status).toBe('pending');
    const r = await ok(call, 'decisions.record', { idNumber: veteran, decision: 'approve', note: '退役证原件已现场核验', reviewer: '李老师' });
    expect(r.event.override).toEqual(['doc_missing']);
    expect(r.event.note).toBe('退役证原件已现场核验');
    const history = await ok(call, 'applicants.get', { idNumber: veteran });
    expect(history.current?.override).toEqual(['doc_missing']);
    // The row of the draft table says so, in Chinese, with the note.
    const out = join(tempDir('desk-override-').dir, 'draft');
    const exp = await runExport(t.ws, 'test', { table: 'exempt', out, draft: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(exp.dir, exp.files.find((f) => f.name.endsWith('.xlsx'))!.name));
    const cells: string[] = [];
    wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((c) => void cells.push(c.text))));
    expect(cells.some((c) => c.includes('经审核人核实后通过') && c.includes('退役证原件已现场核验'))).toBe(true);
  });
});

describe('one reason rule', () => {
  it('accepts a supervisor’s new reason for a decision, a 复核 overturn, a ruling and a QC review; refuses retired and foreign ones by code', async () => {
    t = await workspaceWith(10);
    const call = deskOf(t.ws);
    const cat = await ok(call, 'review.reasons.catalogue', {});
    await ok(call, 'review.reasons.save', {
      editor: '王主任',
      reasons: [
        ...cat.filter((r) => r.code !== 'previous_exam').map((r) => ({ ...r })),
        { code: 'seal_missing', label: '证明缺少公章', categories: [], retired: false },
        { code: 'vet_only', label: '仅限退役士兵的理由', categories: ['veteran'], retired: false },
      ],
    });
    const [g1, g2, g3, g4] = t.applicants.filter((a) => a.category === 'general' || a.category === 'craftsman').map((a) => a.idNumber);
    await ok(call, 'decisions.record', { idNumber: g1!, decision: 'reject', reasons: ['seal_missing'], reviewer: '李老师' });
    expect(await refused(call, 'decisions.record', { idNumber: g2!, decision: 'reject', reasons: ['previous_exam'], reviewer: '李老师' })).toBe('reason_retired');
    expect(await refused(call, 'decisions.record', { idNumber: g2!, decision: 'reject', reasons: ['vet_only'], reviewer: '李老师' })).toBe('reason_not_for_category');
    expect(await refused(call, 'decisions.record', { idNumber: g2!, decision: 'reject', reasons: ['no_such_code'], reviewer: '李老师' })).toBe('unknown_reason');
    expect(await refused(call, 'decisions.record', { idNumber: g2!, decision: 'reject', reasons: [], reviewer: '李老师' })).toBe('reason_required');

    await ok(call, 'decisions.record', { idNumber: g2!, decision: 'approve', reviewer: '李老师' });
    await ok(call, 'signoff.record', { idNumber: g2!, verdict: 'overturn', decision: 'reject', reasons: ['seal_missing'], by: '王主任' });
    expect(await refused(call, 'signoff.record', { idNumber: g2!, verdict: 'overturn', decision: 'return', reasons: ['previous_exam'], by: '王主任' })).toBe('reason_retired');

    await ok(call, 'decisions.record', { idNumber: g3!, decision: 'approve', reviewer: '李老师' });
    appendEvents(t.ws, 'pc-b', [{ kind: 'decision', idNumber: g3!, decision: 'reject', reasons: ['blurry'], reviewer: '赵老师', supersedes: [] }]);
    await ok(call, 'conflicts.resolve', { idNumber: g3!, decision: 'reject', reasons: ['seal_missing'], by: '王主任' });
    expect(stateOf(t.ws, g3!).status).toBe('reject');

    await ok(call, 'decisions.record', { idNumber: g4!, decision: 'approve', reviewer: '李老师' });
    const draw = await ok(call, 'qc.draw', { percent: 100, seed: 1, by: '王主任' });
    expect(draw.idNumbers).toContain(g4);
    expect(await refused(call, 'qc.record', { idNumber: g4!, decision: 'reject', reasons: ['previous_exam'], by: '王主任' })).toBe('reason_retired');
    await ok(call, 'qc.record', { idNumber: g4!, decision: 'reject', reasons: ['seal_missing'], by: '王主任' });
  });
});

describe('notes and verdicts', () => {
  it('keeps the note as typed and the verdicts as codes with the decision', async () => {
    t = await workspaceWith(5, { scans: (a) => (a.category === 'general' ? ['diploma'] : []) });
    const call = deskOf(t.ws);
    const id = t.applicants.find((a) => a.category === 'general')!.idNumber;
    const doc = (await ok(call, 'applicants.get', { idNumber: id })).documents[0]!;
    await ok(call, 'documents.verdict', { idNumber: id, documentId: doc.id, aspect: 'clarity', value: 'blurry', reviewer: '李老师' });
    const r = await ok(call, 'decisions.record', { idNumber: id, decision: 'return', reasons: ['blurry'], note: '请重新上传', reviewer: '李老师' });
    expect(r.event.note).toBe('请重新上传');
    expect(r.event.verdicts).toEqual([{ sha256: doc.sha256, documentKind: 'diploma', clarity: 'blurry', match: null }]);
  });
});

describe('changed since decided', () => {
  it('follows the order of events, not the wall clock of the PC that decided', async () => {
    t = await workspaceWith(5);
    const call = deskOf(t.ws);
    const a = t.applicants.find((x) => x.category === 'general')!;
    // A decision stamped a year ahead (a PC with a wrong date) …
    appendEvents(t.ws, 'pc-fast', [{ kind: 'decision', idNumber: a.idNumber, decision: 'approve', reviewer: '李老师', payload: { basis: '' } }], Date.parse('2027-12-01T00:00:00Z'));
    expect(changedSinceDecidedOf(t.ws, a.idNumber)).toBeNull();
    // … then a corrected list changes the school: the decision had not seen it.
    await importApplicants(t.ws, t.applicants.map((x) => (x.idNumber === a.idNumber ? { ...x, school: '湖南新学院' } : x)), { checks: false });
    expect(changedSinceDecidedOf(t.ws, a.idNumber)).not.toBeNull();
    const q = await ok(call, 'review.queue', {});
    expect(q.rows.find((r) => r.idNumber === a.idNumber)?.changedAt).not.toBeNull();
    // A new decision on the new data clears it.
    await ok(call, 'decisions.record', { idNumber: a.idNumber, decision: 'approve', reviewer: '李老师' });
    expect(changedSinceDecidedOf(t.ws, a.idNumber)).toBeNull();
  });
});

/**
 * The team workflow's gates in the service (issue 15): who may hand out shares, open the 复核
 * queue, draw and read the QC sample, settle conflicts and manage accounts — each refusal by its
 * code, through the contract as the desk calls it. Also what the desk shows of a team: each
 * applicant's share and unread scans in the queue, the shares on the dashboard, the same number
 * key for a reason in every category, and the applicants a duplicate finding names.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SEED_REASONS } from '../../../shared/domain.js';
import { reasonKeys } from '../../../shared/review/reasonKeys.js';
import { deskOf, ok, refused, workspaceWith, type DeskCall, type TestWorkspace } from '../../fixtures/workspace.js';

let t: TestWorkspace | null = null;
afterEach(() => {
  t?.close();
  t = null;
});


const ADMIN = { name: '王主任', secret: 'admin-2468' };
const SUP = { name: '刘复核', secret: 'sup-1357' };
const REV = { name: '张老师', secret: '240719' };
const REV2 = { name: '李老师', secret: '530862' };

async function team(call: DeskCall): Promise<void> {
  await ok(call, 'accounts.create', { name: ADMIN.name, role: 'admin', secret: ADMIN.secret });
  await ok(call, 'accounts.create', { name: SUP.name, role: 'supervisor', secret: SUP.secret, as: ADMIN });
  await ok(call, 'accounts.create', { name: REV.name, role: 'reviewer', secret: REV.secret, as: ADMIN });
  await ok(call, 'accounts.create', { name: REV2.name, role: 'reviewer', secret: REV2.secret, as: ADMIN });
}

describe('the team calls are gated by role in the service', () => {
  it('refuses a reviewer every supervisor and admin call, and nobody signed in at all', async () => {
    t = await workspaceWith(10);
    const call = deskOf(t.ws);
    await team(call);
    const [a, b] = t.ids;
    // Nobody signed in: the supervisor's screens ask for a sign-in first.
    expect(await refused(call, 'signoff.pending', {})).toBe('sign_in_required');
    expect(await refused(call, 'qc.agreement', {})).toBe('sign_in_required');
    expect(await refused(call, 'accounts.list', {})).toBe('sign_in_required');
    expect(await refused(call, 'assignments.set', { reviewer: REV.name, category: 'veteran' })).toBe('sign_in_required');

    await ok(call, 'accounts.signIn', REV);
    await ok(call, 'decisions.record', { idNumber: a!, decision: 'approve', reviewer: REV.name });
    expect(await refused(call, 'assignments.set', { reviewer: REV.name, idNumbers: [b!] })).toBe('forbidden');
    expect(await refused(call, 'signoff.pending', {})).toBe('forbidden');
    expect(await refused(call, 'signoff.record', { idNumber: a!, verdict: 'confirm' })).toBe('forbidden');
    expect(await refused(call, 'qc.draw', { percent: 100 })).toBe('forbidden');
    expect(await refused(call, 'qc.agreement', {})).toBe('forbidden');
    expect(await refused(call, 'conflicts.resolve', { idNumber: a!, decision: 'approve' })).toBe('forbidden');
    expect(await refused(call, 'accounts.list', {})).toBe('forbidden');
    expect(await refused(call, 'accounts.create', { name: '赵老师', role: 'reviewer', secret: '9999' })).toBe('forbidden');
    expect(await refused(call, 'accounts.resetSecret', { name: REV2.name, secret: '0000' })).toBe('forbidden');
    expect(await refused(call, 'review.reasons.save', { reasons: SEED_REASONS.map((r) => ({ ...r, categories: [...r.categories], retired: false })), editor: REV.name })).toBe('supervisor_only');
    // The refusal names the roles in Chinese, as registrar staff read it.
    const r = await call('signoff.pending', {});
    expect(!r.ok && r.error.message).toMatch(/复核人或管理员.*张老师 是审核员/);
    // What a reviewer may do: the blind QC queue, history, the conflicts list.
    expect(await ok(call, 'qc.queue', {})).toEqual([]);
    expect(await ok(call, 'conflicts.list', {})).toEqual([]);
    expect(await ok(call, 'assignments.list', {})).toEqual([]);

    // A supervisor gets in; an admin too. Accounts are listed for both (names and roles only).
    await ok(call, 'accounts.signIn', SUP);
    expect((await ok(call, 'signoff.pending', {})).map((x) => x.idNumber)).toEqual([a]);
    expect((await ok(call, 'accounts.list', {})).map((x) => `${x.name}:${x.role}`).sort()).toEqual(['刘复核:supervisor', '张老师:reviewer', '李老师:reviewer', '王主任:admin'].sort());
    expect(await refused(call, 'accounts.create', { name: '赵老师', role: 'reviewer', secret: '9999' })).toBe('forbidden');
    expect((await ok(call, 'assignments.set', { reviewer: REV2.name, idNumbers: [b!] })).assigned).toBe(1);
    await ok(call, 'accounts.signIn', ADMIN);
    expect(await ok(call, 'qc.agreement', {})).toEqual([]);
    // One-shot credentials (the CLI's `as`) are checked the same way.
    expect(await refused(call, 'signoff.pending', { as: REV })).toBe('forbidden');
    expect(await ok(call, 'signoff.pending', { as: SUP })).toHaveLength(1);
  });

  it('on a desk without accounts everyone may open every screen (it has no roles)', async () => {
    t = await workspaceWith(3);
    const call = deskOf(t.ws);
    expect(await ok(call, 'signoff.pending', {})).toEqual([]);
    expect(await ok(call, 'qc.agreement', {})).toEqual([]);
    expect(await ok(call, 'accounts.list', {})).toEqual([]);
  });
});

describe('what the desk shows of a team', () => {
  it('puts each applicant\'s share in the queue and each reviewer\'s share on the dashboard', async () => {
    t = await workspaceWith(10);
    const call = deskOf(t.ws);
    await ok(call, 'assignments.set', { reviewer: '张老师', category: 'veteran', by: '王主任' });
    await ok(call, 'assignments.set', { reviewer: '李老师', fromRow: 3, toRow: 4, by: '王主任' });
    const veterans = t.applicants.filter((x) => x.category === 'veteran').map((x) => x.idNumber);
    const q = await ok(call, 'review.queue', {});
    expect(q.rows.filter((r) => r.assignee === '张老师').map((r) => r.idNumber).sort()).toEqual([...veterans].sort());
    expect(q.rows.filter((r) => r.assignee === '李老师').map((r) => r.rowNo)).toEqual([3, 4]);
    expect(q.rows.every((r) => r.ocrPending === false)).toBe(true);
    await ok(call, 'decisions.record', { idNumber: veterans[0]!, decision: 'approve', reviewer: '张老师' });
    const d = await ok(call, 'review.dashboard', {});
    expect(d.assignments).toEqual([
      { reviewer: '张老师', assigned: veterans.length, decided: 1 },
      { reviewer: '李老师', assigned: 2, decided: 0 },
    ].sort((x, y) => (x.reviewer < y.reviewer ? -1 : 1)));
    // The queue's assignee filter: a share, or nobody's.
    const { filterQueue } = await import('../../../shared/pinyinSearch.js');
    expect(filterQueue(q.rows, { assignee: '李老师' }).map((r) => r.rowNo)).toEqual([3, 4]);
    expect(filterQueue(q.rows, { assignee: '' })).toHaveLength(10 - veterans.length - 2);
  });

  it('marks applicants whose scans are not read yet', async () => {
    t = await workspaceWith(4, { scans: (_a, i) => (i < 2 ? ['diploma'] : []) });
    const call = deskOf(t.ws);
    const q = await ok(call, 'review.queue', {});
    expect(q.rows.filter((r) => r.ocrPending).map((r) => r.idNumber).sort()).toEqual(t.ids.slice(0, 2).sort());
  });

  it('names the applicants a duplicate finding points at, so the desk can jump to them', async () => {
    t = await workspaceWith(4, { checks: true, over: (i) => (i < 2 ? { phone: '13900001111' } : {}) });
    const call = deskOf(t.ws);
    const [a, b] = t.ids;
    const view = await ok(call, 'review.applicant', { idNumber: a! });
    const dup = view.findings.find((f) => f.checkId === 'duplicate_phone');
    expect(dup?.peers).toEqual([{ idNumber: b, idMasked: expect.stringMatching(/\*{11}/), name: t.applicants[1]!.name }]);
  });
});

describe('reason number keys', () => {
  it('gives a reason the same key in every category and every seed reason a key', () => {
    const keys = reasonKeys(SEED_REASONS);
    // Issue 17's reasons (上半年已录取, 医学类专业, 燎原计划) take 8, 9 and the category key 5; 其他 is 0.
    expect(keys).toMatchObject({ blurry: 1, name_mismatch: 2, id_mismatch: 3, missing_docs: 4, previous_exam: 7, admitted_other_plan: 8, medical_major: 9, craft_info: 5, other: 0 });
    expect(Object.keys(keys).sort()).toEqual(SEED_REASONS.map((r) => r.code).sort());
    // Within any one category no two reasons share a key.
    for (const cat of ['veteran', 'competition', 'craftsman', 'poverty', 'general'] as const) {
      const shown = SEED_REASONS.filter((r) => r.categories.length === 0 || r.categories.includes(cat)).map((r) => keys[r.code]);
      expect(new Set(shown).size).toBe(shown.length);
    }
  });

  it('uses 0 for the tenth key and leaves later reasons without one', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ code: `r${i}`, categories: [] }));
    const keys = reasonKeys(many);
    expect(keys.r8).toBe(9);
    expect(keys.r9).toBe(0);
    expect(keys.r10).toBeUndefined();
  });

  it('sends the keys with the applicant, numbered over the whole catalogue', async () => {
    t = await workspaceWith(5);
    const call = deskOf(t.ws);
    const veteran = await ok(call, 'review.applicant', { idNumber: t.applicants.find((x) => x.category === 'veteran')!.idNumber });
    const general = await ok(call, 'review.applicant', { idNumber: t.applicants.find((x) => x.category === 'general')!.idNumber });
    expect(veteran.reasonKeys.name_mismatch).toBe(2);
    expect(general.reasonKeys.name_mismatch).toBe(2);
    expect(veteran.reasonKeys.other).toBe(general.reasonKeys.other);
  });
});

describe('refusals speak Chinese', () => {
  it('gives zod\'s validation texts in Chinese', async () => {
    t = await workspaceWith(1);
    const call = deskOf(t.ws);
    const r = await call('accounts.signIn', { name: '张老师', secret: '' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(!r.ok && r.error.message).toMatch(/参数不正确（accounts\.signIn）：secret: 数值过小/);
    expect(!r.ok && r.error.message).not.toMatch(/Too small|expected/);
  });
});

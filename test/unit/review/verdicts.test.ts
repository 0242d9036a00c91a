/**
 * Through the contract, on a real workspace: per-document verdicts are logged events returned
 * with the applicant (also after reopening), listed in the history and mapped to the catalogue's
 * reasons; the reason catalogue is a supervisor's; decisions are recorded as the signed-in account.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsOfKind } from '../../../electron/sync/log.js';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import { verdictReasons } from '../../../electron/review/verdicts.js';
import type { ApplicantHistory, ReasonEntry, ReviewApplicant } from '../../../shared/api/index.js';
import { SEED_REASONS } from '../../../shared/domain.js';
import { checkDigit } from '../../../shared/idcard.js';
import { tempDir } from '../../fixtures/tmp.js';
import { applicantFor, importApplicants } from '../../fixtures/workspace.js';

function id(n: number): string {
  const first17 = `43010219990101${String(n).padStart(3, '0')}`;
  return first17 + (checkDigit(first17) ?? '0');
}

describe('per-document verdicts, the supervisor-only catalogue and the signed-in reviewer', () => {
  let tmp: ReturnType<typeof tempDir>;
  let desk: Desk;
  const wsDir = (): string => join(tmp.dir, 'ws');
  const dispatch = async (name: string, args: unknown): Promise<{ ok: true; value: unknown } | { ok: false; code: string; message: string }> => {
    const env = await desk.dispatch(name, args);
    return env.ok ? { ok: true, value: env.value } : { ok: false, code: env.error.code, message: env.error.message };
  };
  const call = async <T,>(name: string, args: unknown): Promise<T> => {
    const r = await dispatch(name, args);
    if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
    return r.value as T;
  };
  const fails = async (name: string, args: unknown): Promise<string> => {
    const r = await dispatch(name, args);
    return r.ok ? 'no error' : r.code;
  };
  let docs: number[] = [];

  beforeEach(async () => {
    tmp = tempDir();
    desk = createDesk(wsDir(), { create: true, college: '测试学院' });
    // Through the list import with real scans: 张三丰 a 退役证 and a 毕业证, 欧阳娜 a 毕业证.
    const list = [applicantFor(0, { idNumber: id(1), name: '张三丰', category: 'veteran' }), applicantFor(1, { idNumber: id(2), name: '欧阳娜', category: 'general' })];
    await importApplicants(desk.ctx.ws(), list, { checks: false, scans: (a) => (a.idNumber === id(1) ? ['discharge_cert', 'diploma'] : ['diploma']) });
    const docsOf = async (n: number): Promise<{ id: number; kind: string }[]> => (await call<ReviewApplicant>('review.applicant', { idNumber: id(n) })).detail.documents;
    const mine = await docsOf(1);
    docs = [mine.find((d) => d.kind === 'discharge_cert')!.id, mine.find((d) => d.kind === 'diploma')!.id, (await docsOf(2))[0]!.id];
  });
  afterEach(() => {
    desk.close();
    tmp.cleanup();
  });

  it('records verdicts as events, returns them with the applicant after a reopen, and lists them in the history', async () => {
    const [discharge, diploma] = docs;
    const set = await call<{ verdicts: unknown[]; entry: { value: string } | null }>('documents.verdict', {
      idNumber: id(1), documentId: discharge, aspect: 'clarity', value: 'blurry', reviewer: '张老师',
    });
    expect(set.entry?.value).toBe('blurry');
    await call('documents.verdict', { idNumber: id(1), documentId: diploma, aspect: 'match', value: 'mismatch', reviewer: '张老师' });
    // The same verdict again appends nothing.
    const again = await call<{ entry: unknown }>('documents.verdict', { idNumber: id(1), documentId: discharge, aspect: 'clarity', value: 'blurry', reviewer: '张老师' });
    expect(again.entry).toBeNull();
    // An explicit clear is an event too.
    await call('documents.verdict', { idNumber: id(1), documentId: diploma, aspect: 'match', value: null, reviewer: '李老师' });
    await call('documents.verdict', { idNumber: id(1), documentId: diploma, aspect: 'clarity', value: 'clear', reviewer: '李老师' });

    desk.close();
    desk = createDesk(wsDir());
    const a = await call<ReviewApplicant>('review.applicant', { idNumber: id(1) });
    expect(a.verdicts).toEqual([
      { documentId: discharge, clarity: 'blurry', match: null },
      { documentId: diploma, clarity: 'clear', match: null },
    ].sort((x, y) => (x.documentId ?? 0) - (y.documentId ?? 0)));
    expect(a.verdictLog.map((e) => `${e.documentKind}:${e.aspect}:${String(e.value)}:${e.reviewer}`)).toEqual([
      'discharge_cert:clarity:blurry:张老师',
      'diploma:match:mismatch:张老师',
      'diploma:match:null:李老师',
      'diploma:clarity:clear:李老师',
    ]);
    expect(a.verdictReasons).toEqual({ blurry: 'blurry', mismatch: 'name_mismatch' });
    // The synced history lists them beside the decisions; they do not change the decision.
    await call('decisions.record', { idNumber: id(1), decision: 'reject', reasons: ['blurry'], note: '', reviewer: '张老师' });
    const h = await call<ApplicantHistory>('decisions.history', { idNumber: id(1) });
    expect(h.entries.map((e) => e.kind)).toEqual(['verdict', 'verdict', 'verdict', 'verdict', 'decision']);
    expect(h.status).toBe('reject');
    // Another applicant's verdicts stay apart.
    expect((await call<ReviewApplicant>('review.applicant', { idNumber: id(2) })).verdicts).toEqual([]);
  });

  it('refuses a value of the other aspect, a document of another applicant, and a withdrawn applicant', async () => {
    const [discharge, , other] = docs;
    expect(await fails('documents.verdict', { idNumber: id(1), documentId: discharge, aspect: 'clarity', value: 'mismatch', reviewer: '张老师' })).toBe('invalid_args');
    expect(await fails('documents.verdict', { idNumber: id(1), documentId: other, aspect: 'clarity', value: 'blurry', reviewer: '张老师' })).toBe('not_found');
    expect(await fails('documents.verdict', { idNumber: id(1), documentId: discharge, aspect: 'clarity', value: 'blurry', reviewer: '' })).toBe('invalid_args');
    // A corrected list without 张三丰 withdraws him.
    await importApplicants(desk.ctx.ws(), [applicantFor(1, { idNumber: id(2), name: '欧阳娜', category: 'general' })], { checks: false });
    expect(await fails('documents.verdict', { idNumber: id(1), documentId: discharge, aspect: 'clarity', value: 'blurry', reviewer: '张老师' })).toBe('withdrawn');
  });

  it('maps 模糊 / 不一致 to the category catalogue, by wording once a supervisor replaced the seeded codes', () => {
    expect(verdictReasons(SEED_REASONS)).toEqual({ blurry: 'blurry', mismatch: 'name_mismatch' });
    const own = [
      { code: 'discharge_date', label: '退役时间不符合要求', categories: [] },
      { code: 'scan_unreadable', label: '扫描件不清晰，请重新上传', categories: [] },
      { code: 'cert_no_differs', label: '退役证编号与报名信息不一致', categories: [] },
    ];
    expect(verdictReasons(own)).toEqual({ blurry: 'scan_unreadable', mismatch: 'cert_no_differs' });
    expect(verdictReasons([])).toEqual({ blurry: null, mismatch: null });
  });

  it('lets only a supervisor (or admin) edit the reason catalogue once accounts exist', async () => {
    const reasons = await call<ReasonEntry[]>('review.reasons.catalogue', {});
    const edited = reasons.map((r) => (r.code === 'blurry' ? { ...r, label: '证件模糊，无法辨认' } : r));
    await call('accounts.create', { name: 'admin', role: 'admin', secret: 'Office#Desk-2026' });
    const adm = { name: 'admin', secret: 'Office#Desk-2026' };
    await call('accounts.create', { name: '张老师', role: 'reviewer', secret: '240719', as: adm });
    await call('accounts.create', { name: '王主任', role: 'supervisor', secret: 'Supervisor#2026', as: adm });

    expect(await fails('review.reasons.save', { reasons: edited, editor: '张老师' })).toBe('sign_in_required');
    await call('accounts.signIn', { name: '张老师', secret: '240719' });
    // The dispatcher refuses a reviewer before the service's own check (supervisor_only) is reached.
    const refused = await dispatch('review.reasons.save', { reasons: edited, editor: '张老师' });
    expect(refused).toMatchObject({ ok: false, code: 'forbidden' });
    expect(refused.ok ? '' : refused.message).toContain('复核人');
    // A reviewer cannot borrow the supervisor's name either.
    expect(await fails('review.reasons.save', { reasons: edited, editor: '王主任' })).toBe('forbidden');
    expect((await call<ReasonEntry[]>('review.reasons.catalogue', {})).find((r) => r.code === 'blurry')?.label).toBe(SEED_REASONS[0]?.label);

    await call('accounts.signIn', { name: '王主任', secret: 'Supervisor#2026' });
    const saved = await call<ReasonEntry[]>('review.reasons.save', { reasons: edited, editor: '王主任' });
    expect(saved.find((r) => r.code === 'blurry')?.label).toBe('证件模糊，无法辨认');
    // The edit is an event of the log (it travels to the other PCs), signed by the supervisor.
    expect(eventsOfKind(desk.ctx.ws().db, ['reasons']).map((e) => e.reviewer)).toEqual(['王主任']);
  });

  it('records decisions and verdicts as the signed-in account; without accounts the typed name stays', async () => {
    const typed = await call<{ event: { reviewer: string } }>('decisions.record', { idNumber: id(2), decision: 'approve', note: '', reviewer: '临时名' });
    expect(typed.event.reviewer).toBe('临时名');

    await call('accounts.create', { name: 'admin', role: 'admin', secret: 'Office#Desk-2026' });
    await call('accounts.create', { name: '张老师', role: 'reviewer', secret: '240719', as: { name: 'admin', secret: 'Office#Desk-2026' } });
    expect(await fails('decisions.record', { idNumber: id(1), decision: 'approve', note: '', reviewer: '张老师' })).toBe('sign_in_required');
    expect(await fails('documents.verdict', { idNumber: id(1), documentId: docs[0], aspect: 'clarity', value: 'blurry', reviewer: '张老师' })).toBe('sign_in_required');
    await call('accounts.signIn', { name: '张老师', secret: '240719' });
    expect(await fails('decisions.record', { idNumber: id(1), decision: 'approve', note: '', reviewer: '王主任' })).toBe('not_signed_in_as');
    const rec = await call<{ event: { reviewer: string } }>('decisions.record', { idNumber: id(1), decision: 'approve', note: '', reviewer: '张老师' });
    expect(rec.event.reviewer).toBe('张老师');
    const v = await call<{ entry: { reviewer: string } }>('documents.verdict', { idNumber: id(1), documentId: docs[0], aspect: 'clarity', value: 'clear', reviewer: '张老师' });
    expect(v.entry.reviewer).toBe('张老师');
  });
});

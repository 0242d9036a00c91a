import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import { chinaDate } from '../../../electron/review/dashboard.js';
import type { Dashboard, QueueIndex, ReasonEntry, ReviewApplicant } from '../../../shared/api/index.js';
import { checkDigit } from '../../../shared/idcard.js';
import { pinyinInitials } from '../../../shared/pinyin.js';
import { countQueue, filterQueue, parseSearch } from '../../../shared/pinyinSearch.js';
import { tempDir } from '../../fixtures/tmp.js';
import { applicantFor, importApplicants } from '../../fixtures/workspace.js';

function id(n: number): string {
  const first17 = `43010219990101${String(n).padStart(3, '0')}`;
  return first17 + (checkDigit(first17) ?? '0');
}

const PEOPLE = [
  { name: '张三丰', category: 'veteran', phone: '13800001111' },
  { name: '欧阳娜', category: 'general', phone: '13900002222' },
  { name: '曾静', category: 'veteran', phone: '13700003333' },
  { name: '李堃', category: 'competition', phone: '13600004444' },
  { name: '覃思', category: 'poverty', phone: '13500005555' },
] as const;

describe('pinyin initials', () => {
  it('reads names, two-character and polyphonic surnames, and rare name characters', () => {
    expect(pinyinInitials('张三丰')).toBe('zsf');
    expect(pinyinInitials('欧阳娜')).toBe('oyn');
    expect(pinyinInitials('曾静')).toBe('zj');
    expect(pinyinInitials('单丽')).toBe('sl');
    expect(pinyinInitials('李堃')).toBe('lk');
    expect(pinyinInitials('覃思')).toBe('qs');
    expect(pinyinInitials('王喆玥')).toBe('wzy');
  });
  it('parses the search box: digits need four, letters are initials, the rest a name', () => {
    expect(parseSearch('123')).toBeNull();
    expect(parseSearch(' 1234 ')).toEqual({ kind: 'digits', digits: '1234' });
    expect(parseSearch('ZSF')).toEqual({ kind: 'initials', letters: 'zsf' });
    expect(parseSearch('三丰')).toEqual({ kind: 'name', text: '三丰' });
  });
});

describe('review services on a real workspace', () => {
  let tmp: ReturnType<typeof tempDir>;
  let desk: Desk;
  const call = async <T,>(name: string, args: unknown): Promise<T> => {
    const env = await desk.dispatch(name, args);
    if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`);
    return env.value as T;
  };

  beforeEach(async () => {
    tmp = tempDir();
    desk = createDesk(join(tmp.dir, 'ws'), { create: true, college: '测试学院' });
    // Through the list import, with a diploma scan each, as the desk gets them.
    const list = PEOPLE.map((p, i) => applicantFor(i, { idNumber: id(i + 1), name: p.name, phone: p.phone, category: p.category }));
    await importApplicants(desk.ctx.ws(), list, { checks: false, scans: () => ['diploma'] });
  });
  afterEach(() => {
    desk.close();
    tmp.cleanup();
  });

  it('lists the queue with initials and masked values, and filters it like applicants.list', async () => {
    const q = await call<QueueIndex>('review.queue', {});
    expect(q.rows.map((r) => r.initials)).toEqual(['zsf', 'oyn', 'zj', 'lk', 'qs']);
    expect(q.rows[0]!.idMasked).not.toContain(id(1).slice(3, 14));
    expect(q.rows[0]!.phoneMasked).toBe('138****1111');
    expect(filterQueue(q.rows, { search: 'zs' }).map((r) => r.name)).toEqual(['张三丰']);
    expect(filterQueue(q.rows, { search: '0003333' }).map((r) => r.name)).toEqual(['曾静']);
    expect(filterQueue(q.rows, { search: id(4).slice(14) }).map((r) => r.name)).toEqual(['李堃']);
    const viaContract = await call<{ name: string }[]>('applicants.list', { category: 'veteran', search: 'z' });
    expect(viaContract.map((r) => r.name)).toEqual(['张三丰', '曾静']);
  });

  it('counts every filter option with the other filters applied', async () => {
    await call('decisions.record', { idNumber: id(1), decision: 'approve', reviewer: '李老师' });
    const q = await call<QueueIndex>('review.queue', {});
    const c = countQueue(q.rows, { category: 'veteran', status: 'pending' });
    expect(c.total).toBe(1);
    expect(c.byCategory).toMatchObject({ veteran: 1, general: 1, competition: 1, poverty: 1 });
    expect(c.byStatus).toMatchObject({ pending: 1, approve: 1 });
  });

  it('remembers a rotation per scan and returns it with the applicant', async () => {
    const a = await call<ReviewApplicant>('review.applicant', { idNumber: id(2) });
    const docId = a.detail.documents[0]!.id;
    await call('review.rotation.set', { documentId: docId, rotation: 90 });
    const b = await call<ReviewApplicant>('review.applicant', { idNumber: id(2) });
    expect(b.rotations[docId]).toBe(90);
    // Turning it back to 0° is a choice too, kept so that OCR's suggested rotation does not return.
    await call('review.rotation.set', { documentId: docId, rotation: 0 });
    expect((await call<ReviewApplicant>('review.applicant', { idNumber: id(2) })).rotations[docId]).toBe(0);
    const bad = await desk.dispatch('review.rotation.set', { documentId: docId, rotation: 45 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
  });

  it('lets a supervisor edit the catalogue; left-out codes are retired, not deleted, and refused for new decisions', async () => {
    const all = await call<ReasonEntry[]>('review.reasons.catalogue', {});
    expect(all.map((r) => r.code)).toContain('blurry');
    const kept = all.filter((r) => r.code !== 'previous_exam').map((r) => ({ ...r }));
    kept.push({ code: 'seal_missing', label: '证明缺少公章', categories: [], retired: false });
    const saved = await call<ReasonEntry[]>('review.reasons.save', { reasons: kept, editor: '王主任' });
    expect(saved.find((r) => r.code === 'previous_exam')?.retired).toBe(true);
    const forVeteran = await call<{ code: string }[]>('reasons.list', { category: 'veteran' });
    expect(forVeteran.map((r) => r.code)).toContain('seal_missing');
    expect(forVeteran.map((r) => r.code)).not.toContain('previous_exam');
    expect(forVeteran.map((r) => r.code)).not.toContain('award_level');
    await call('decisions.record', { idNumber: id(1), decision: 'reject', reasons: ['seal_missing'], reviewer: '李老师' });
    const refused = await desk.dispatch('decisions.record', { idNumber: id(2), decision: 'reject', reasons: ['previous_exam'], reviewer: '李老师' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'reason_retired' } });
  });

  it('reports progress, pace, projection against the deadline and what blocks export', async () => {
    await call('decisions.record', { idNumber: id(1), decision: 'approve', reviewer: '李老师' });
    await call('decisions.record', { idNumber: id(2), decision: 'return', reasons: ['blurry'], reviewer: '王老师' });
    // "Today" is the China-time day the decisions were taken (not the test machine's clock now).
    const decidedAt = (await call<ReviewApplicant>('review.applicant', { idNumber: id(1) })).detail.current?.at ?? '';
    const today = chinaDate(decidedAt);
    await call('review.prefs.set', { key: 'deadline', value: '2099-02-23' });
    const d = await call<Dashboard>('review.dashboard', { today });
    expect(d.today).toBe(today);
    expect(d.byStatus).toEqual({ pending: 3, approve: 1, reject: 0, return: 1, conflict: 0 });
    expect(d.todayDecisions).toBe(2);
    expect(d.pacePerDay).toBe(2);
    expect(d.byReviewer).toEqual(expect.arrayContaining([{ reviewer: '李老师', decided: 1, today: 1 }, { reviewer: '王老师', decided: 1, today: 1 }]));
    expect(d.deadline).toBe('2099-02-23');
    expect(d.projectedFinish).not.toBeNull();
    expect(d.onTrack).toBe(true);
    expect(d.blockers.undecided).toBe(3);
  });

  it('takes the deadline from the rules year (resources/rules/2024.json), not from the calendar', async () => {
    const d = await call<Dashboard>('review.dashboard', { today: '2026-11-26' });
    expect(d).toMatchObject({ deadline: '2024-02-23', rulesDeadline: '2024-02-23', rulesYear: 2024 });
    // An earlier date of the college's own wins; the rules' one is still shown beside it.
    await call('review.prefs.set', { key: 'deadline', value: '2024-02-20' });
    expect(await call<Dashboard>('review.dashboard', { today: '2024-02-04' })).toMatchObject({ deadline: '2024-02-20', rulesDeadline: '2024-02-23' });
    expect(chinaDate('2024-02-22T17:00:00.000Z')).toBe('2024-02-23');
  });
});

describe('the renderer and applicants.list filter alike', () => {
  // Surnames and given names with several readings, two-character surnames, Extension A.
  const NAMES = [
    '张三丰', '张长青', '张重阳', '曾小明', '王曾', '单雄信', '单丽', '覃思', '蒋沐宸', '欧阳娜', '尉迟恭', '李堃',
    '王喆玥', '刘䶮', '林㛃', '乐嘉', '叶行', '石磊', '朱鑫', '曾长', '万俟卨', '长孙无忌', '查良镛', '解缙',
  ];
  /** Every spelling of stored initials: 'z[cz]q' → ['zcq', 'zzq']. */
  const spellings = (initials: string): string[] => {
    let out = [''];
    for (const m of initials.matchAll(/\[([^\]]+)\]|(.)/g)) out = out.flatMap((s) => [...(m[1] ?? m[2] ?? '')].map((c) => s + c));
    return out;
  };
  let tmp: ReturnType<typeof tempDir>;
  let desk: Desk;
  const call = async <T,>(name: string, args: unknown): Promise<T> => {
    const env = await desk.dispatch(name, args);
    if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`);
    return env.value as T;
  };

  beforeEach(async () => {
    tmp = tempDir();
    desk = createDesk(join(tmp.dir, 'ws'), { create: true, college: '测试学院' });
    const list = NAMES.map((name, i) => applicantFor(i, { idNumber: id(i + 1), name, phone: `1380000${String(i).padStart(4, '0')}`, category: i % 2 ? 'general' : 'veteran' }));
    await importApplicants(desk.ctx.ws(), list, { checks: false });
  });
  afterEach(() => {
    desk.close();
    tmp.cleanup();
  });

  it('gives the same applicants for every search, and finds each name by every spelling', async () => {
    // As the renderer has the queue: after the trip through IPC.
    const rows = (JSON.parse(JSON.stringify(await call<QueueIndex>('review.queue', {}))) as QueueIndex).rows;
    const searches = new Set<string>(['', 'z', 'zc', 'zz', 'c', 'sx', 'd', 'jmc', 'wc', 'wz', 'zxq', '曾', '长']);
    for (const r of rows) for (const s of spellings(r.initials)) for (let n = 1; n <= s.length; n++) searches.add(s.slice(0, n));
    for (const search of searches) {
      for (const f of [{ search }, { search, category: 'veteran' as const }, { search, sort: 'name' as const }]) {
        const local = filterQueue(rows, f).map((r) => r.idNumber);
        const served = (await call<{ idNumber: string }[]>('applicants.list', f)).map((r) => r.idNumber);
        expect(served, JSON.stringify(f)).toEqual(local);
      }
    }
    for (const r of rows) for (const s of spellings(r.initials)) expect(filterQueue(rows, { search: s }), `${r.name} by ${s}`).toContainEqual(r);
  });
});

/**
 * The queue's one-pass filter (queueView) against a plain reading of the rules, over generated
 * rows: every kind of search (ID/phone digits, pinyin initials, name) alone and combined with the
 * other filters, the rows in order and the faceted counts (each option counted with the other
 * filters kept). Names include polyphonic characters, whose initials the plain reading expands
 * into every spelling.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES, type CategoryCode, type DecisionStatus } from '../../../shared/domain.js';
import { pinyinInitials } from '../../../shared/pinyin.js';
import { parseSearch, primaryInitials, queueView, type FilterableRow, type QueueFilter } from '../../../shared/pinyinSearch.js';

const SURNAMES = ['张', '李', '王', '刘', '陈', '杨', '黄', '赵', '周', '吴', '曾', '单'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '长', '重', '行', '曾', '乐'];
const STATUSES: DecisionStatus[] = ['pending', 'approve', 'reject', 'return'];

/** Deterministic rows (a linear congruential sequence), so a failure reproduces. */
function rows(n: number): FilterableRow[] {
  let x = 12345;
  const next = (m: number): number => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % m;
  };
  return Array.from({ length: n }, (_, i) => {
    const name = `${SURNAMES[next(SURNAMES.length)]}${GIVEN[next(GIVEN.length)]}${next(2) ? GIVEN[next(GIVEN.length)] : ''}`;
    const status = STATUSES[next(4)] as DecisionStatus;
    return {
      rowNo: i + 1,
      name,
      initials: pinyinInitials(name),
      idNumber: `4301${String(100000 + next(900000))}${String(10000000 + i).slice(-8)}`,
      phone: `13${String(100000000 + next(900000000))}`,
      category: (CATEGORIES[next(CATEGORIES.length)]?.code ?? 'general') as CategoryCode,
      status,
      reviewer: status === 'pending' ? null : next(2) ? '李老师' : '王老师',
      decidedAt: status === 'pending' ? null : '2024-02-20T08:00:00Z',
      flags: { error: next(10) === 0 ? 1 : 0, warning: 0 },
      changedAt: next(20) === 0 ? '2024-02-21T08:00:00Z' : null,
    };
  });
}

/** Every spelling of stored initials: 'z[cz]q' → ['zcq', 'zzq']. */
function spellings(initials: string): string[] {
  let out = [''];
  for (const m of initials.matchAll(/\[([^\]]+)\]|(.)/g)) {
    const options = m[1] ?? m[2] ?? '';
    out = out.flatMap((s) => [...options].map((c) => s + c));
  }
  return out;
}

/** The rules read plainly, row by row. */
function plain(r: FilterableRow, f: QueueFilter, skip?: keyof QueueFilter): boolean {
  const q = parseSearch(f.search ?? '');
  if (skip !== 'category' && f.category && r.category !== f.category) return false;
  if (skip !== 'status' && f.status && r.status !== f.status) return false;
  if (f.reviewer && r.reviewer !== f.reviewer) return false;
  if (skip !== 'flagged' && f.flagged && r.flags.error === 0) return false;
  if (skip !== 'changed' && f.changed && r.changedAt === null) return false;
  if (!q) return true;
  if (q.kind === 'digits') return r.idNumber.includes(q.digits) || r.phone.includes(q.digits);
  if (q.kind === 'initials') return spellings(r.initials).some((s) => s.startsWith(q.letters));
  return r.name.includes(q.text);
}

describe('queueView', () => {
  const all = rows(3000);
  const someone = all[1234]!;
  const polyphonic = all.find((r) => /^.\[/.test(r.initials))!;
  const searches = [
    someone.idNumber.slice(6, 10), someone.phone.slice(-4), primaryInitials(someone.initials).slice(0, 2), someone.name.slice(0, 1), someone.name,
    ...spellings(polyphonic.initials).map((s) => s.slice(0, 2)), '', '12',
  ];
  const filters: QueueFilter[] = [{}, { category: 'veteran' }, { status: 'pending' }, { category: 'poverty', status: 'approve', reviewer: '李老师' }, { flagged: true }, { changed: true, status: 'reject' }];

  it('gives the rows and the faceted counts the rules give, for every kind of search and filter', () => {
    let checked = 0;
    for (const search of searches) {
      for (const base of filters) {
        const f: QueueFilter = { ...base, search };
        const view = queueView(all, f);
        const want = all.filter((r) => plain(r, f));
        expect(view.rows).toEqual(want);
        expect(view.counts.total).toBe(want.length);
        for (const c of CATEGORIES) expect(view.counts.byCategory[c.code]).toBe(all.filter((r) => r.category === c.code && plain(r, f, 'category')).length);
        for (const s of STATUSES) expect(view.counts.byStatus[s]).toBe(all.filter((r) => r.status === s && plain(r, f, 'status')).length);
        expect(view.counts.flagged).toBe(all.filter((r) => r.flags.error > 0 && plain(r, f, 'flagged')).length);
        expect(view.counts.changed).toBe(all.filter((r) => r.changedAt !== null && plain(r, f, 'changed')).length);
        checked += want.length;
      }
    }
    // The probes are not all empty: the someone row is found by each of its own searches.
    expect(checked).toBeGreaterThan(searches.length);
    for (const search of searches.slice(0, 5)) expect(queueView(all, { search }).rows).toContain(someone);
    for (const s of spellings(polyphonic.initials)) expect(queueView(all, { search: s }).rows).toContain(polyphonic);
  });

  it('takes fewer than four digits as no search, and a trailing X of an ID number as part of it', () => {
    expect(queueView(all, { search: '12' }).rows).toHaveLength(all.length);
    const withX = { ...someone, idNumber: `${someone.idNumber.slice(0, 17)}X` };
    const list = [...all.slice(0, 10), withX];
    expect(queueView(list, { search: `${withX.idNumber.slice(-4, -1)}x` }).rows).toContain(withX);
  });
});

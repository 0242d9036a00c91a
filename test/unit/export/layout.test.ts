import { describe, expect, it } from 'vitest';
import { fitColumns, type FitColumn } from '../../../electron/export/pdf.js';

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
const col = (template: number, header: number, values: number[], nowrap = false): FitColumn => ({ template, header, values, nowrap });
const rows = (n: number, v: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => v(i));
/** Padding fitColumns adds around a value (2 × 3 pt + 1). */
const PAD = 7;

describe('fitColumns', () => {
  it('gives every column its one-line width and shares the rest by template proportions', () => {
    const w = fitColumns([col(1, 20, [10]), col(3, 20, [100])], 400);
    expect(w).not.toBeNull();
    expect(sum(w ?? [])).toBeCloseTo(400);
    expect(w?.[0]).toBeGreaterThanOrEqual(20 + PAD);
    expect(w?.[1]).toBeGreaterThanOrEqual(100 + PAD);
  });

  it('keeps ID numbers on one line and widens the column that wraps in every row before one long opinion', () => {
    const n = 30;
    const w = fitColumns([
      col(20, 34, rows(n, () => 90), true), // 身份证号: never wraps
      col(18, 34, rows(n, () => 85)), // 专科学校: every row
      col(15, 42, rows(n, () => 90)), // 退役证编号: every row
      col(24, 34, rows(n, (i) => (i === 4 ? 500 : 51))), // 审核意见: one long rejection
    ], 420);
    expect(w).not.toBeNull();
    const [id = 0, school = 0, cert = 0, opinion = 0] = w ?? [];
    expect(sum(w ?? [])).toBeCloseTo(420);
    expect(id).toBeGreaterThanOrEqual(90 + PAD);
    // Both long columns of every row fit their values on one line (with the estimate's slack) …
    expect(school).toBeGreaterThanOrEqual(85 + PAD);
    expect(cert).toBeGreaterThanOrEqual(90 + PAD);
    // … and the one rejection wraps instead.
    expect(opinion).toBeLessThan(500);
    expect(opinion).toBeGreaterThanOrEqual(51 + PAD);
  });

  it('lets the header of a one-line column wrap when room is short, never its values', () => {
    // Two date columns under long headers (燎原计划入学时间) and a long text column.
    const dates = rows(20, () => 32);
    const w = fitColumns([col(9, 70, dates, true), col(9, 70, dates, true), col(20, 34, rows(20, () => 100))], 180);
    expect(sum(w ?? [])).toBeCloseTo(180);
    expect(w?.[0]).toBeGreaterThanOrEqual(32 + PAD);
    expect(w?.[0]).toBeLessThan(70 + PAD);
  });

  it('gives up (null) when the columns that must not wrap do not fit the page', () => {
    expect(fitColumns([col(1, 20, [200], true), col(1, 20, [200], true), col(1, 20, [50])], 300)).toBeNull();
  });
});

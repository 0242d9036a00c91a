import { describe, expect, it } from 'vitest';
import { fitColumns } from '../../../electron/export/pdf.js';

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

describe('fitColumns', () => {
  it('gives every column its one-line width and shares the rest by template proportions', () => {
    const w = fitColumns([1, 3], [20, 20], [[10, 100]], 400);
    expect(sum(w)).toBeCloseTo(400);
    expect(w[0]).toBeGreaterThanOrEqual(20);
    expect(w[1]).toBeGreaterThanOrEqual(100);
  });

  it('narrows the widest column first when the page is too narrow; short columns never shrink', () => {
    // 性别-like (20), 退役证编号-like (114), two long opinions, a 100-point column; 600-point page.
    const w = fitColumns([5, 15, 24, 24, 10], [20, 40, 40, 40, 40], [[20, 114, 394, 300, 100]], 600);
    expect(sum(w)).toBeCloseTo(600);
    expect(w[0]).toBeCloseTo(20 + 7); // its need (text + padding) untouched
    expect(w[1]).toBeGreaterThanOrEqual(114 + 6); // still one line
    expect(w[4]).toBeGreaterThanOrEqual(100 + 6);
    expect(w[2]).toBeLessThan(394); // the long texts wrap
    expect(w[3]).toBeCloseTo(w[2] ?? 0);
  });

  it('falls back to template proportions when even short widths do not fit', () => {
    const w = fitColumns([1, 1, 1], [200, 200, 200], [], 300);
    expect(w.map((x) => Math.round(x))).toEqual([100, 100, 100]);
  });
});

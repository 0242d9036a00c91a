/**
 * Dates of declared data are 'YYYY-MM' or 'YYYY-MM-DD' (normalised at import). Comparisons use the
 * coarser of the two precisions: '2024-06' is within a window ending '2024-06-30', and a month
 * value is never called late because its day is unknown.
 */
import { isRealDate } from '../idcard.js';

const DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/** True for a well-formed, real 'YYYY-MM' or 'YYYY-MM-DD'. */
export function isDeclaredDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return false;
  return m[3] === undefined || isRealDate(y, mo, Number(m[3]));
}

/** <0, 0, >0 comparing at the common precision. */
export function compareDates(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  const x = a.slice(0, n);
  const y = b.slice(0, n);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function inWindow(value: string, from: string, to: string): boolean {
  return compareDates(value, from) >= 0 && compareDates(value, to) <= 0;
}

/**
 * Normalisation of declared values, each change reported. Pure.
 */
import { CATEGORIES, type CategoryCode } from '../domain.js';
import { checkDigit } from '../idcard.js';

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;

/** Full-width ASCII (０-９, Ａ-Ｚ, ｘ…) and ideographic space → half-width. */
export function toHalfWidth(s: string): string {
  // Most cells have nothing to convert: test first, replace (with a callback) only when needed.
  if (!FULL_WIDTH.test(s)) return s;
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

export function cleanText(s: string): string {
  return toHalfWidth(s).replace(/\s+/g, ' ').trim();
}

/** ID number: half-width, no spaces, upper-case X. Does not validate (see idcard.ts). */
export function normaliseIdNumber(s: string): string {
  return toHalfWidth(s).replace(/\s+/g, '').toUpperCase();
}

/**
 * Excel's number format destroys 18-digit IDs (4.30102199901011E+17, or digits ending in 000
 * after the precision loss). Such values must be refused, never "fixed".
 */
export function looksExcelDestroyedId(raw: string): boolean {
  const s = raw.trim();
  if (/^\d(\.\d+)?E\+\d+$/i.test(s)) return true;
  // Precision loss rounds the last digits to zeros; a real ID ending in 000 still has a valid check digit.
  return /^\d{18}$/.test(s) && s.endsWith('000') && checkDigit(s.slice(0, 17)) !== s[17];
}

export function normaliseCategory(s: string): CategoryCode | null {
  const v = cleanText(s).replace(/\s/g, '');
  if (!v) return null;
  for (const c of CATEGORIES) {
    if (c.code === v || c.label === v || c.aliases.includes(v)) return c.code;
  }
  return null;
}

/**
 * Dates as they arrive: 2021-09, 2021.09, 2021/9, 2021年9月, 202109, 2021-09-15, 2021年9月15日,
 * or an Excel serial number. Returns 'YYYY-MM' or 'YYYY-MM-DD', or null when not a date.
 */
export function normaliseDate(raw: string): string | null {
  const s = toHalfWidth(raw).trim().replace(/\s+/g, '');
  if (!s) return '';
  let m = /^(\d{4})[-./年](\d{1,2})(?:[-./月](\d{1,2})日?|月)?$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : null);
  m = /^(\d{4})(\d{2})(\d{2})?$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : null);
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    // Excel serial day (1900 system): day 25569 = 1970-01-01.
    const days = Math.floor(Number(s));
    if (days < 20000 || days > 80000) return null;
    const d = new Date((days - 25569) * 86400000);
    return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return null;
}

function ymd(y: number, m: number, d: number | null): string | null {
  if (y < 1950 || y > 2100 || m < 1 || m > 12) return null;
  const mm = String(m).padStart(2, '0');
  if (d === null) return `${y}-${mm}`;
  if (d < 1 || d > 31) return null;
  return `${y}-${mm}-${String(d).padStart(2, '0')}`;
}

export function normaliseSex(s: string): '男' | '女' | '' | null {
  const v = cleanText(s);
  if (!v) return '';
  if (v === '男' || v.toUpperCase() === 'M' || v === '1') return '男';
  if (v === '女' || v.toUpperCase() === 'F' || v === '2') return '女';
  return null;
}

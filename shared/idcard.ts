/**
 * 身份证号 (GB 11643-1999) helpers: check digit (ISO 7064 MOD 11-2), birth date, sex, region.
 * Pure; used by import, checks, the demo maker and masking.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits, or null when they are not 17 digits. */
export function checkDigit(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? null;
}

export type IdProblem =
  | 'length' // not 18 characters
  | 'characters' // not 17 digits + digit/X
  | 'birth_date' // digits 7-14 are not a real date
  | 'region' // first two digits are not a province code
  | 'check_digit'; // ISO 7064 MOD 11-2 check fails

/** What each problem means, as the desk tells registrar staff (never the code itself). */
export const ID_PROBLEM_LABELS: Record<IdProblem, string> = {
  length: '长度不是 18 位',
  characters: '含有数字和 X 以外的字符',
  birth_date: '第 7–14 位不是有效的出生日期',
  region: '前两位不是省级行政区代码',
  check_digit: '第 18 位校验位不正确',
};

/** Province-level codes (first two digits) of GB/T 2260. */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= (days[m - 1] ?? 0);
}

/** All problems of an (already normalised) ID number; empty when valid. */
export function idProblems(id: string): IdProblem[] {
  if (id.length !== 18) return ['length'];
  if (!/^\d{17}[\dX]$/.test(id)) return ['characters'];
  const problems: IdProblem[] = [];
  if (!PROVINCES.has(id.slice(0, 2))) problems.push('region');
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1800 || y > 2100 || !isRealDate(y, m, d)) problems.push('birth_date');
  if (checkDigit(id.slice(0, 17)) !== id[17]) problems.push('check_digit');
  return problems;
}

export function isValidId(id: string): boolean {
  return idProblems(id).length === 0;
}

/** Birth date as YYYY-MM-DD, or null. */
export function birthDateOf(id: string): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** 男 when the 17th digit is odd, 女 when even. */
export function sexOf(id: string): '男' | '女' | null {
  const c = id[16];
  if (c === undefined || !/\d/.test(c)) return null;
  return Number(c) % 2 === 1 ? '男' : '女';
}

export function isHunan(id: string): boolean {
  return id.startsWith('43');
}

/** Mask for lists and the 公示 list: 430***********123X (first 3, last 4 kept). */
export function maskId(id: string): string {
  if (id.length <= 7) return '*'.repeat(id.length);
  return id.slice(0, 3) + '*'.repeat(id.length - 7) + id.slice(-4);
}

/** Mask a mobile number: 138****5678. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/**
 * Applicant lists for the hardening tests: valid GB 11643 ID numbers, and two versions of a list
 * (A and B) that differ in members and in declared values, so a mix of the two is detectable.
 */
import { writeFileSync } from 'node:fs';
import { checkDigit } from '../../../shared/idcard.js';

export function idNumber(i: number): string {
  const birth = new Date(Date.UTC(1999, 0, 1) + (i % 3000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `430102${birth}${String(i % 1000).padStart(3, '0')}`;
  return first17 + (checkDigit(first17) ?? '0');
}

export function phone(i: number, version: number): string {
  return `1${38 + version}${String(10_000_000 + i * 7 + version).slice(-8)}`;
}

const SURNAMES = '张王李赵刘陈杨黄周吴';
const GIVEN = '伟芳娜敏静丽强磊军洋';

/** Version 0 = list A (members 0..n-1), version 1 = list B (members 10..n+9, other phones and schools). */
export function listCsv(n: number, version: 0 | 1): string {
  const lines = ['序号,姓名,身份证号,报考类别,手机号,专科学校'];
  const from = version === 0 ? 0 : 10;
  for (let k = 0; k < n; k++) {
    const i = from + k;
    const name = SURNAMES[i % 10]! + GIVEN[Math.floor(i / 10) % 10]!;
    lines.push(`${k + 1},${name},${idNumber(i)},普通计划,${phone(i, version)},${version === 0 ? '长沙职院' : '湖南职院'}`);
  }
  return lines.join('\r\n') + '\r\n';
}

export function writeList(path: string, n: number, version: 0 | 1): string {
  writeFileSync(path, '\ufeff' + listCsv(n, version));
  return path;
}

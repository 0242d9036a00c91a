/**
 * Recognises the Chinese column headers of an applicant list and maps them to declared fields.
 * Pure: the header row arrives as strings.
 */
import type { ImportTarget } from '../api/applicants.js';
import type { DeclaredField } from '../domain.js';

/** Field → header names seen in platform and office exports (compared after normaliseHeader). */
export const HEADER_ALIASES: Record<DeclaredField, string[]> = {
  name: ['姓名', '考生姓名', '学生姓名'],
  sex: ['性别'],
  idNumber: ['身份证号', '身份证号码', '证件号码', '证件号', '身份证', '身份证件号码', '公民身份号码'],
  phone: ['手机号', '手机号码', '联系电话', '手机', '电话', '移动电话', '联系方式'],
  category: ['报考类别', '考生类别', '报名类别', '类别', '报考类型', '考生类型', '报考计划'],
  school: ['专科学校', '毕业学校', '专科院校', '所在院校', '毕业院校', '就读学校', '专科毕业学校'],
  major: ['专科专业', '所学专业', '专业', '专业名称', '专科所学专业'],
  gradYear: ['毕业年份', '毕业年度', '毕业时间'],
  dischargeCertNo: ['退役证编号', '退役证号', '退出现役证编号'],
  enlistDate: ['入伍时间', '入伍年月'],
  dischargeDate: ['退役时间', '退役年月', '退伍时间'],
  merit: ['立功情况', '立功受奖情况', '立功'],
  competition: ['获奖赛事', '竞赛名称', '赛事名称'],
  award: ['奖项', '获奖项目', '赛项'],
  awardLevel: ['获奖等级', '奖项等级', '等级'],
  awardDate: ['获奖时间', '获奖年月'],
  hukou: ['户籍所在地', '户籍地', '户口所在地'],
  povertyIssuer: ['脱贫证明出具单位', '证明出具单位', '出具单位'],
  targetSchool: ['报考院校', '报考学校', '报考本科院校', '志愿院校', '招生院校'],
  targetMajor: ['报考专业', '报考本科专业', '志愿专业', '拟报专业'],
  craftEnrollDate: ['燎原计划入学时间', '入学时间', '燎原入学时间'],
  craftGradDate: ['燎原计划毕业时间', '燎原毕业时间', '结业时间'],
  craftContest: ['燎原计划赛项', '燎原赛项', '参赛赛项'],
  craftContestLevel: ['赛项级别', '赛项等级', '竞赛级别'],
};

/** Columns that must be present for a list to be importable. */
export const REQUIRED_FIELDS: DeclaredField[] = ['name', 'idNumber', 'category'];

/** Extra non-field columns the desk understands. 考生号 also matches attachments by name. */
export const EXTRA_HEADERS = {
  rowNo: ['序号', '编号'],
  attachments: ['附件', '附件名称', '材料'],
  examNo: ['考生号', '报名号', '考生编号', '报名序号'],
} as const;

export function normaliseHeader(h: string): string {
  return h
    .normalize('NFKC')
    .replace(/[\s\u3000*＊:：]/g, '')
    .replace(/[（(].*?[）)]/g, '');
}

export type HeaderTarget = Exclude<ImportTarget, 'ignore'>;

export interface HeaderMapping {
  /** Column index (0-based) → target. */
  columns: Map<number, HeaderTarget>;
  /** Required fields with no column. */
  missing: DeclaredField[];
  /** Header cells that matched nothing (column index, text). */
  unknown: { index: number; header: string }[];
  /** Columns that claim a target an earlier column already took (the first one wins). */
  ambiguous: { index: number; header: string; target: HeaderTarget }[];
  /** Some targets came from the caller's mapping rather than the built-in names. */
  fromMapping: boolean;
}

const lookup = new Map<string, HeaderTarget>();
for (const [field, names] of Object.entries(HEADER_ALIASES) as [DeclaredField, string[]][]) {
  for (const n of names) lookup.set(normaliseHeader(n), field);
}
for (const [target, names] of Object.entries(EXTRA_HEADERS) as [HeaderTarget, readonly string[]][]) {
  for (const n of names) lookup.set(normaliseHeader(n), target);
}

/** The built-in target of one header text, if any. */
export function knownTarget(header: string): HeaderTarget | undefined {
  return lookup.get(normaliseHeader(header));
}

/**
 * Maps a header row. A mapping (header text → target, as the user confirmed it) wins over the
 * built-in names; otherwise the first column wins when two columns claim one field.
 */
export function mapHeaders(header: readonly string[], mapping?: Readonly<Record<string, ImportTarget>>): HeaderMapping {
  const columns = new Map<number, HeaderTarget>();
  const taken = new Set<HeaderTarget>();
  const unknown: HeaderMapping['unknown'] = [];
  const ambiguous: HeaderMapping['ambiguous'] = [];
  const given = new Map<string, ImportTarget>();
  for (const [h, t] of Object.entries(mapping ?? {})) given.set(normaliseHeader(h), t);
  let fromMapping = false;
  // Explicit choices first, so a built-in guess never takes a field the user gave to another column.
  header.forEach((raw, index) => {
    const t = given.get(normaliseHeader(raw ?? ''));
    if (t === undefined || t === 'ignore' || taken.has(t)) return;
    columns.set(index, t);
    taken.add(t);
    fromMapping = true;
  });
  header.forEach((raw, index) => {
    const h = normaliseHeader(raw ?? '');
    if (!h || columns.has(index)) return;
    if (given.has(h)) {
      fromMapping = true;
      return;
    }
    const target = lookup.get(h);
    if (!target) unknown.push({ index, header: raw });
    else if (taken.has(target)) ambiguous.push({ index, header: raw, target });
    else {
      columns.set(index, target);
      taken.add(target);
    }
  });
  const missing = REQUIRED_FIELDS.filter((f) => !taken.has(f));
  return { columns, missing, unknown, ambiguous, fromMapping };
}

/** How many known headers a row has: used to find the header row below title rows. */
export function headerScore(row: readonly string[]): number {
  let n = 0;
  for (const c of row) if (lookup.has(normaliseHeader(c ?? ''))) n++;
  return n;
}

/**
 * Identifies a header layout regardless of spacing, full-width forms and trailing empty columns;
 * a remembered mapping is stored under it.
 */
export function headerSignature(header: readonly string[]): string {
  const cells = header.map((h) => normaliseHeader(h ?? ''));
  while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
  return cells.join('|');
}

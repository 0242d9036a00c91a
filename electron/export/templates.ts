/**
 * Review-table templates (resources/templates/<table>-<year>.json): the layout of each table is
 * data, so next year's form is a new file, not a code change. Templates are validated on load;
 * a public one (公示) may not carry fields that must not be published.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../../shared/api/index.js';
import { EXPORT_TABLES, type ExportTableId } from '../../shared/api/export.js';
import { CATEGORY_CODES } from '../../shared/domain.js';
import { findResource } from '../platform/index.js';

/** What a column shows; declared fields plus the review's own values. */
export const COLUMN_FIELDS = [
  'seq', 'name', 'sex', 'idNumber', 'idMasked', 'school', 'major', 'category', 'gradYear',
  'dischargeCertNo', 'enlistDate', 'dischargeDate', 'merit', 'competition', 'award', 'awardLevel',
  'awardDate', 'craftEnrollDate', 'craftGradDate', 'craftContest', 'craftContestLevel',
  'hukou', 'outsideHunan', 'povertyIssuer', 'result', 'opinion', 'remark', 'reviewer', 'supervisor',
] as const;
export type ColumnField = (typeof COLUMN_FIELDS)[number];

/** Never on a public list: full ID numbers, poverty details, reasons, notes and who reviewed (domain.md). */
const NOT_PUBLIC: readonly ColumnField[] = ['idNumber', 'hukou', 'outsideHunan', 'povertyIssuer', 'opinion', 'remark', 'reviewer', 'supervisor'];

/** Values that are numbers in a spreadsheet (序号, 毕业年份) and dates (year-month or day). */
const INT_FIELDS: readonly ColumnField[] = ['seq', 'gradYear'];
const DATE_FIELDS: readonly ColumnField[] = ['enlistDate', 'dischargeDate', 'awardDate', 'craftEnrollDate', 'craftGradDate'];
/**
 * Short values that must never break over two lines: an ID number split in two cannot be read
 * or copied whole, and a name, date or result that wraps makes the row twice as tall for nothing.
 */
const NOWRAP_FIELDS: readonly ColumnField[] = [
  'seq', 'name', 'sex', 'idNumber', 'idMasked', 'gradYear', ...DATE_FIELDS, 'merit', 'awardLevel', 'craftContestLevel', 'result', 'reviewer', 'supervisor',
];

export type CellKind = 'text' | 'int' | 'date';
export function fieldKind(field: ColumnField): CellKind {
  return INT_FIELDS.includes(field) ? 'int' : DATE_FIELDS.includes(field) ? 'date' : 'text';
}
export function fieldNoWrap(field: ColumnField): boolean {
  return NOWRAP_FIELDS.includes(field);
}

const column = z
  .object({
    header: z.string().min(1),
    field: z.enum(COLUMN_FIELDS),
    /** Width in characters of a Chinese-capable spreadsheet column; the PDF scales them to the page. */
    width: z.number().min(2).max(80),
    align: z.enum(['left', 'center', 'right']).default('left'),
    /** The header when 复核 is on (审核人 becomes 初审人). */
    signoffHeader: z.string().min(1).optional(),
    /** Shown only when 复核 is on (复核人). */
    signoffOnly: z.boolean().default(false),
  })
  .strict();

/** Words with {college} {code} {year} {title} {recipient} {start} {end} {days} {contact} filled in. */
const words = z.string().min(1);

const templateSchema = z
  .object({
    table: z.enum(EXPORT_TABLES),
    year: z.number().int(),
    /** May name {college} (a public notice names the college in its title). */
    title: words,
    fileName: z.string().min(1).regex(/^[^\\/:*?"<>|]+$/, 'file name without path characters'),
    recipient: z.string(),
    public: z.boolean(),
    categories: z.array(z.enum(CATEGORY_CODES)).min(1),
    /** Decisions whose applicants appear in a final export. */
    decisions: z.array(z.enum(['approve', 'reject'])).min(1),
    sort: z.array(z.enum(['rowNo', 'idNumber', 'category', 'name', 'school'])).min(1),
    /** Fixed wording of 审核意见 per decision (the exempt table states the general-plan fallback). */
    opinion: z.object({ approve: z.string(), reject: z.string() }).strict(),
    sections: z
      .array(
        z
          .object({ title: z.string().min(1), categories: z.array(z.enum(CATEGORY_CODES)).min(1), columns: z.array(column).min(1) })
          .strict(),
      )
      .min(1),
    /** Printed under the last row. */
    note: z.string().optional(),
    /** Printed when the user stated the table has no applicant to report. */
    noneText: words,
    /** Internal tables: the signature lines, once after the last row, without and with 复核. */
    signatures: z.object({ single: z.array(words).min(1), signoff: z.array(words).min(1), seal: words }).strict().optional(),
    /** Internal tables: the 报送函 that goes with the files. */
    coverLetter: z.object({ title: words, body: words }).strict().optional(),
    /** The public notice: the words above and below the lists. */
    notice: z.object({ intro: words, objection: words, contactNone: words }).strict().optional(),
  })
  .strict();

export type ExportTemplate = z.output<typeof templateSchema>;
export type TemplateColumn = z.output<typeof column>;

/** The folder holding a kind of resource (templates, fonts), found by the one resolver. */
export function resourceFolder(kind: 'templates' | 'fonts'): string {
  const found = findResource(kind);
  if (!found) throw new DeskError('resources_missing', `找不到程序资源目录（resources/${kind}）。`);
  return found;
}

export function validateTemplate(raw: unknown, source: string): ExportTemplate {
  const parsed = templateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DeskError('template_invalid', `模板 ${source} 格式不正确：${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const t = parsed.data;
  if (t.public && (!t.notice || t.signatures || t.coverLetter)) {
    throw new DeskError('template_invalid', `公示模板 ${source} 须有 notice（公示说明），且不得有内部签字栏或报送函`);
  }
  if (!t.public && (!t.signatures || !t.coverLetter || t.notice)) {
    throw new DeskError('template_invalid', `报送表模板 ${source} 须有 signatures（签字栏）和 coverLetter（报送函）`);
  }
  if (t.public) {
    const leaked = t.sections.flatMap((s) => s.columns).filter((c) => NOT_PUBLIC.includes(c.field));
    if (leaked.length > 0) {
      throw new DeskError('template_invalid', `公示模板 ${source} 不得包含列：${leaked.map((c) => c.header).join('、')}`);
    }
  }
  for (const s of t.sections) {
    const outside = s.categories.filter((c) => !t.categories.includes(c));
    if (outside.length > 0) throw new DeskError('template_invalid', `模板 ${source} 的分表“${s.title}”含有表外类别 ${outside.join(', ')}`);
  }
  return t;
}

/** The template of a table for a year; the latest year when none is given. */
export function loadTemplate(table: ExportTableId, year?: number): ExportTemplate {
  const dir = resourceFolder('templates');
  const years = readdirSync(dir)
    .map((f) => new RegExp(`^${table}-(\\d{4})\\.json$`).exec(f)?.[1])
    .filter((y): y is string => y !== undefined)
    .map(Number)
    .sort((a, b) => b - a);
  const pick = year ?? years[0];
  if (pick === undefined || !years.includes(pick)) {
    throw new DeskError('template_missing', `没有 ${table} 表 ${year ?? ''} 年的模板（已有：${years.join('、') || '无'}）。`);
  }
  const file = join(dir, `${table}-${pick}.json`);
  const t = validateTemplate(JSON.parse(readFileSync(file, 'utf8')) as unknown, `${table}-${pick}.json`);
  if (t.table !== table || t.year !== pick) throw new DeskError('template_invalid', `模板 ${file} 的 table/year 与文件名不符。`);
  return t;
}

/** Fills {name} placeholders; unknown names stay as written so a typo shows on the page. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}

/**
 * The review table as .xlsx (exceljs). An internal table has one worksheet per section (序号
 * restarting in each, the header frozen and repeated on every printed page) and a last sheet
 * 汇总 with the per-category totals, the review period and export date as date values, and —
 * once — the signature and seal block. A 公示 is one sheet laid out as the public notice.
 *
 * Values are typed: 序号 and 毕业年份 are numbers, dates are dates (shown as written), ID numbers
 * are text (Excel would otherwise turn them into 4.30102199901011E+17). Column widths come from
 * the content; every row's height is set from the lines its wrapped text needs, because neither
 * Excel nor LibreOffice re-measures rows when it opens a file (rows would overlap).
 */
import type ExcelJS from 'exceljs';
import { categoryInfo } from '../../shared/domain.js';
import { zhDate } from '../../shared/export/dates.js';
import { cellText, type Cell, type TableData, type TableSection } from './tableData.js';
import { fill, type ExportTemplate } from './templates.js';

export interface XlsxOptions {
  exportId: string;
  dataSha256: string;
  exportedAt: Date;
  draft: boolean;
}

const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FONT = 'SimSun';
/**
 * Points per line of 10-point text, and the padding of a row. Measured against LibreOffice's own
 * optimal heights (its CJK font is taller than SimSun), so a row fits in both programs.
 */
const LINE_PT = 15;
const ROW_PAD = 3;

/** Excel sheet names: ≤ 31 characters, none of []:*?/\ */
function sheetName(title: string, used: Set<string>): string {
  let base = title.replace(/[[\]:*?/\\“”"]/g, '').slice(0, 28) || 'Sheet';
  let n = 2;
  while (used.has(base)) base = `${base.slice(0, 26)}${n++}`;
  used.add(base);
  return base;
}

/**
 * Display width of text in Excel character units (the width of '0' in the default font): CJK and
 * full-width characters take about two, others a little over one in SimSun and in the CJK fonts
 * LibreOffice substitutes for it. Overestimating only costs a little space; underestimating
 * hides text.
 */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1.1;
  return w;
}

/** Lines a text takes in a column of `width` units (CJK breaks anywhere; one unit of padding). */
export function linesIn(text: string, width: number): number {
  if (!text) return 1;
  return text.split('\n').reduce((n, part) => n + Math.max(1, Math.ceil(textWidth(part) / Math.max(1, width - 1.5))), 0);
}

export function rowHeight(lines: number): number {
  return lines * LINE_PT + ROW_PAD;
}

/** Excel's own value for a cell: a number, a date (UTC midnight, shown as written), or text. */
function value(c: Cell): string | number | Date {
  if (typeof c !== 'object') return c;
  const [y, m, d] = c.date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

function pageSetup(printTitlesRow: string | undefined): Partial<ExcelJS.PageSetup> {
  return {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.2, footer: 0.25 },
    ...(printTitlesRow ? { printTitlesRow } : {}),
  };
}

/** A merged line of text across `ncol` columns, its height fitted to the wrapped text. */
function mergedLine(ws: ExcelJS.Worksheet, text: string, ncol: number, widths: number[], font: Partial<ExcelJS.Font>, align: Partial<ExcelJS.Alignment> = {}): ExcelJS.Row {
  const row = ws.addRow([text]);
  if (ncol > 1) ws.mergeCells(row.number, 1, row.number, ncol);
  const c = row.getCell(1);
  c.font = { name: FONT, size: 10, ...font };
  c.alignment = { vertical: 'middle', wrapText: true, ...align };
  const width = widths.slice(0, ncol).reduce((s, w) => s + w, 0);
  const scale = (font.size ?? 10) / 10;
  row.height = Math.max(18, linesIn(text, width / scale) * LINE_PT * scale + ROW_PAD);
  return row;
}

function headerRow(ws: ExcelJS.Worksheet, headers: string[], widths: number[]): void {
  const row = ws.addRow(headers);
  row.height = rowHeight(Math.max(...headers.map((h, i) => linesIn(h, widths[i] ?? 10))));
  row.eachCell((cell) => {
    cell.font = { name: FONT, size: 10, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
  });
}

/** Column widths from the content: values that must stay on one line get all they need. */
function columnWidths(section: TableSection): number[] {
  return section.columns.map((c, i) => {
    const longest = section.rows.reduce((m, r) => Math.max(m, textWidth(cellText(r[i] ?? ''))), 0);
    if (c.nowrap) return Math.max(c.width, longest + 2, Math.min(textWidth(c.header), 8) + 2);
    return Math.min(Math.max(c.width, longest + 2), Math.max(c.width, 40));
  });
}

/** The rows of a section: typed values, one shared style per column, heights from the wrapped text. */
function dataRows(ws: ExcelJS.Worksheet, section: TableSection, widths: number[], noneText: string): void {
  const ncol = section.columns.length;
  if (section.rows.length === 0) {
    const r = mergedLine(ws, noneText, ncol, widths, {}, { horizontal: 'center' });
    for (let i = 1; i <= ncol; i++) r.getCell(i).border = BORDER;
    return;
  }
  // One style object per column, shared by all its cells: exceljs recognises a style object it
  // has seen (WeakMap) instead of re-deriving it per cell, which is most of the cost of 3,000 rows.
  const styles = section.columns.map((c): Partial<ExcelJS.Style> => ({
    font: { name: FONT, size: 10 },
    alignment: { horizontal: c.align, vertical: 'middle', wrapText: !c.nowrap },
    border: BORDER,
    ...(c.field === 'idNumber' || c.field === 'idMasked' ? { numFmt: '@' } : c.kind === 'int' ? { numFmt: '0' } : {}),
  }));
  const dateStyles = new Map<string, Partial<ExcelJS.Style>>();
  const dateStyle = (i: number, fmt: string): Partial<ExcelJS.Style> => {
    const key = `${i}:${fmt}`;
    let s = dateStyles.get(key);
    if (!s) dateStyles.set(key, (s = { ...styles[i], numFmt: fmt }));
    return s;
  };
  for (const cells of section.rows) {
    const row = ws.addRow(cells.map(value));
    let lines = 1;
    cells.forEach((c, i) => {
      const col = section.columns[i];
      row.getCell(i + 1).style = typeof c === 'object' ? dateStyle(i, c.date.length === 7 ? 'yyyy-mm' : 'yyyy-mm-dd') : (styles[i] ?? {});
      if (col && !col.nowrap) lines = Math.max(lines, linesIn(cellText(c), widths[i] ?? 10));
    });
    row.height = rowHeight(lines);
  }
}

function sectionSheet(wb: ExcelJS.Workbook, data: TableData, section: TableSection, o: { title: string; verifyLine: string; draft: boolean; used: Set<string> }): void {
  const ncol = section.columns.length;
  const ws = wb.addWorksheet(sheetName(data.sections.length > 1 ? section.title : data.title, o.used), {
    views: [{ state: 'frozen', ySplit: 4, xSplit: 0, topLeftCell: 'A5', activeCell: 'A5' }],
    pageSetup: pageSetup('4:4'),
    headerFooter: {
      oddHeader: o.draft ? '&C&"宋体,加粗"&14草稿 — 未签名，不得上报' : '',
      oddFooter: `&L${o.verifyLine}&R第 &P 页，共 &N 页`,
    },
  });
  const widths = columnWidths(section);
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  const title = mergedLine(ws, o.title, ncol, widths, { size: 16, bold: true }, { horizontal: 'center' });
  title.height = Math.max(title.height ?? 0, 30);
  const c = data.college;
  mergedLine(ws, `学校名称：${c.name}\u3000学校代码：${c.code || '（未设置）'}\u3000报送单位：${data.recipient}\u3000导出日期：${zhDate(data.exportDate)}`, ncol, widths, {});
  const b = section.byDecision;
  const period = data.reviewPeriod ? `${zhDate(data.reviewPeriod.from)}至${zhDate(data.reviewPeriod.to)}` : '—';
  mergedLine(ws, `类别：${section.title}\u3000共 ${section.rows.length} 人（通过 ${b.approve} 人，不通过 ${b.reject} 人${b.return ? `，退回补正 ${b.return} 人` : ''}）\u3000审核时间：${period}`, ncol, widths, {});
  headerRow(ws, section.columns.map((x) => x.header), widths);
  dataRows(ws, section, widths, data.noneConfirmed ? '无' : '本类别无考生');
  mergedLine(ws, '（各类别汇总、签字及盖章见“汇总”工作表）', ncol, widths, { size: 9, color: { argb: 'FF666666' } });
}

/** 汇总: totals as numbers, dates as dates, the note and — once — the signature and seal block. */
function summarySheet(wb: ExcelJS.Workbook, t: ExportTemplate, data: TableData, o: { title: string; verifyLine: string; draft: boolean; used: Set<string> }): void {
  const ws = wb.addWorksheet(sheetName('汇总', o.used), {
    pageSetup: { ...pageSetup(undefined), orientation: 'portrait' },
    headerFooter: { oddHeader: o.draft ? '&C&"宋体,加粗"&14草稿 — 未签名，不得上报' : '', oddFooter: `&L${o.verifyLine}&R第 &P 页，共 &N 页` },
  });
  const widths = [24, 13, 13, 13, 13];
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  const title = mergedLine(ws, o.title, 5, widths, { size: 14, bold: true }, { horizontal: 'center' });
  title.height = Math.max(title.height ?? 0, 30);
  const pair = (label: string, v: string | Date, fmt?: string): void => {
    const r = ws.addRow([label, v]);
    ws.mergeCells(r.number, 2, r.number, 5);
    r.height = 18;
    r.getCell(1).font = { name: FONT, size: 10, bold: true };
    r.getCell(2).font = { name: FONT, size: 10 };
    r.getCell(2).alignment = { horizontal: 'left' };
    if (fmt) r.getCell(2).numFmt = fmt;
  };
  const day = (s: string): Date => new Date(`${s}T00:00:00Z`);
  pair('学校名称', data.college.name);
  pair('学校代码', data.college.code || '（未设置）', '@');
  pair('报送单位', data.recipient);
  if (data.reviewPeriod) {
    pair('审核开始日期', day(data.reviewPeriod.from), 'yyyy-mm-dd');
    pair('审核结束日期', day(data.reviewPeriod.to), 'yyyy-mm-dd');
  } else pair('审核时间', '—');
  pair('导出日期', day(data.exportDate), 'yyyy-mm-dd');
  pair('审核方式', data.signoff ? '初审、复核两级审核' : '一级审核');
  ws.addRow([]);
  headerRow(ws, ['类别', '通过', '不通过', '退回补正', '合计'], widths);
  const sums = { approve: 0, reject: 0, return: 0, total: 0 };
  const line = (cells: (string | number)[], bold = false): void => {
    const r = ws.addRow(cells);
    r.height = 18;
    r.eachCell((cell, i) => {
      cell.font = { name: FONT, size: 10, bold };
      cell.border = BORDER;
      cell.alignment = { horizontal: i === 1 ? 'left' : 'center', vertical: 'middle' };
      if (i > 1) cell.numFmt = '0';
    });
  };
  for (const x of data.totals) {
    line([categoryInfo(x.category).label, x.approve, x.reject, x.return, x.total]);
    sums.approve += x.approve;
    sums.reject += x.reject;
    sums.return += x.return;
    sums.total += x.total;
  }
  line(['合计', sums.approve, sums.reject, sums.return, sums.total], true);
  ws.addRow([]);
  if (data.noneConfirmed) mergedLine(ws, fill(t.noneText, { year: String(t.year) }), 5, widths, { bold: true });
  if (t.note) mergedLine(ws, t.note, 5, widths, { size: 9 });
  if (t.signatures) {
    ws.addRow([]);
    for (const label of [...(data.signoff ? t.signatures.signoff : t.signatures.single), t.signatures.seal]) {
      const r = ws.addRow([`${label}：`]);
      r.height = label === t.signatures.seal ? 60 : 30;
      r.getCell(1).font = { name: FONT, size: 11 };
      r.getCell(1).alignment = { vertical: 'bottom' };
      // The line to sign on: an empty merged cell with a bottom border (empty text, not no value:
      // readers that follow a merge to its first cell expect a value there).
      r.getCell(2).value = '';
      ws.mergeCells(r.number, 2, r.number, 4);
      r.getCell(2).border = { bottom: THIN };
    }
    const d = ws.addRow(['日期：', '\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日']);
    d.height = 30;
    ws.mergeCells(d.number, 2, d.number, 4);
    d.eachCell((cell) => {
      cell.font = { name: FONT, size: 11 };
      cell.alignment = { vertical: 'bottom' };
    });
  }
  ws.addRow([]);
  mergedLine(ws, o.verifyLine, 5, widths, { size: 8, color: { argb: 'FF666666' } });
}

/** The 公示 as one sheet: title, text, the lists, 公示期 and contact, the college's dated sign-off. */
function noticeSheet(wb: ExcelJS.Workbook, t: ExportTemplate, data: TableData, o: { title: string; verifyLine: string; draft: boolean; used: Set<string> }): void {
  const ncol = Math.max(...data.sections.map((s) => s.columns.length));
  const ws = wb.addWorksheet(sheetName('公示', o.used), {
    pageSetup: pageSetup(undefined),
    headerFooter: { oddHeader: o.draft ? '&C&"宋体,加粗"&14草稿 — 不得公示' : '', oddFooter: `&L${o.verifyLine}&R第 &P 页，共 &N 页` },
  });
  // One set of widths for all lists (they share their leading columns).
  const widths = Array.from({ length: ncol }, (_, i) => Math.max(...data.sections.map((s) => columnWidths(s)[i] ?? 0)));
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  const title = mergedLine(ws, o.title, ncol, widths, { size: 16, bold: true }, { horizontal: 'center' });
  title.height = Math.max(title.height ?? 0, 32);
  if (t.notice) mergedLine(ws, `\u3000\u3000${t.notice.intro}`, ncol, widths, { size: 11 });
  data.sections.forEach((s, k) => {
    ws.addRow([]);
    mergedLine(ws, `${['一', '二', '三', '四'][k] ?? k + 1}、${s.title}（共 ${s.rows.length} 人）`, ncol, widths, { size: 11, bold: true });
    headerRow(ws, s.columns.map((c) => c.header), widths);
    dataRows(ws, s, widths, data.noneConfirmed ? '无' : '本类别无考生');
  });
  ws.addRow([]);
  const n = data.notice;
  if (t.notice && n) {
    const contact = [n.phone && `联系电话：${n.phone}`, n.email && `电子邮箱：${n.email}`].filter(Boolean).join('；');
    const words = fill(t.notice.objection, { start: zhDate(n.start), end: zhDate(n.end), days: String(n.days), contact: contact ? `${contact}。` : t.notice.contactNone });
    mergedLine(ws, `\u3000\u3000${words}`, ncol, widths, { size: 11 });
  }
  ws.addRow([]);
  mergedLine(ws, `${data.college.name}（盖章）`, ncol, widths, { size: 11 }, { horizontal: 'right' }).height = 48;
  const d = ws.addRow([value({ date: data.exportDate })]);
  ws.mergeCells(d.number, 1, d.number, ncol);
  d.height = 20;
  d.getCell(1).numFmt = 'yyyy"年"m"月"d"日"';
  d.getCell(1).font = { name: FONT, size: 11 };
  d.getCell(1).alignment = { horizontal: 'right' };
}

export async function writeXlsx(t: ExportTemplate, data: TableData, opts: XlsxOptions): Promise<Buffer> {
  // exceljs is loaded on first use: it costs ~0.4 s at start-up for every CLI command otherwise.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = data.college.name;
  wb.lastModifiedBy = data.college.name;
  wb.created = opts.exportedAt;
  wb.modified = opts.exportedAt;
  wb.title = data.title;
  const o = {
    title: opts.draft ? `${data.title}（草稿）` : data.title,
    verifyLine: `导出编号 ${opts.exportId} · 数据校验 ${opts.dataSha256.slice(0, 16)}`,
    draft: opts.draft,
    used: new Set<string>(),
  };
  if (data.public) noticeSheet(wb, t, data, o);
  else {
    for (const section of data.sections) sectionSheet(wb, data, section, o);
    summarySheet(wb, t, data, o);
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

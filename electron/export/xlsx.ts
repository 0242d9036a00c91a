/**
 * The review table as .xlsx (exceljs): one worksheet per section, a merged title row, the header
 * frozen and repeated on every printed page, ID numbers stored as text (Excel would otherwise
 * turn them into 4.30102199901011E+17), A4 landscape fit to width, page numbers and the
 * signature lines the office expects below the table.
 */
import type ExcelJS from 'exceljs';
import { footerText, type ExportTemplate } from './templates.js';
import type { TableData } from './tableData.js';

export interface XlsxOptions {
  exportId: string;
  dataSha256: string;
  exportedAt: Date;
  draft: boolean;
}

const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FONT = 'SimSun';

/** Excel sheet names: ≤ 31 characters, none of []:*?/\ */
function sheetName(title: string, used: Set<string>): string {
  let base = title.replace(/[[\]:*?/\\]/g, '').slice(0, 28) || 'Sheet';
  let n = 2;
  while (used.has(base)) base = `${base.slice(0, 26)}${n++}`;
  used.add(base);
  return base;
}

/** Rough display width of text in Excel character units: CJK and full-width characters count two. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return w;
}

export async function writeXlsx(t: ExportTemplate, data: TableData, opts: XlsxOptions): Promise<Buffer> {
  // exceljs is loaded on first use: it costs ~0.4 s at start-up for every CLI command otherwise.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = data.college;
  wb.lastModifiedBy = data.college;
  wb.created = opts.exportedAt;
  wb.modified = opts.exportedAt;
  wb.title = data.title;
  const used = new Set<string>();
  const title = opts.draft ? `${data.title}（草稿）` : data.title;
  const verifyLine = `导出编号 ${opts.exportId} · 数据校验 ${opts.dataSha256.slice(0, 16)}`;

  for (const section of data.sections) {
    const ncol = section.columns.length;
    const ws = wb.addWorksheet(sheetName(t.sections.length > 1 ? section.title : data.title, used), {
      views: [{ state: 'frozen', ySplit: 3, xSplit: 0, topLeftCell: 'A4', activeCell: 'A4' }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        horizontalCentered: true,
        margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.2, footer: 0.25 },
        printTitlesRow: '3:3',
      },
      headerFooter: {
        oddHeader: opts.draft ? '&C&"宋体,加粗"&14草稿 — 未签名，不得上报' : '',
        oddFooter: `&L${verifyLine}&R第 &P 页，共 &N 页`,
      },
    });
    section.columns.forEach((c, i) => {
      // The template's width, widened when a value would not fit, capped so long text wraps.
      const longest = Math.max(textWidth(c.header), ...section.rows.map((r) => textWidth(r[i] ?? '')));
      ws.getColumn(i + 1).width = Math.min(Math.max(c.width, longest + 2), Math.max(c.width, 40));
    });

    const titleRow = ws.addRow([title]);
    ws.mergeCells(1, 1, 1, ncol);
    titleRow.height = 30;
    titleRow.getCell(1).font = { name: FONT, size: 16, bold: true };
    titleRow.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };

    const sub = [`学校（盖章）：${data.college}`, t.sections.length > 1 ? `类别：${section.title}` : '', `报送：${t.recipient}`, `共 ${section.rows.length} 人`]
      .filter(Boolean)
      .join('　　');
    const subRow = ws.addRow([sub]);
    ws.mergeCells(2, 1, 2, ncol);
    subRow.getCell(1).font = { name: FONT, size: 10 };
    subRow.getCell(1).alignment = { horizontal: 'left', vertical: 'middle' };

    const header = ws.addRow(section.columns.map((c) => c.header));
    header.height = 22;
    header.eachCell((cell) => {
      cell.font = { name: FONT, size: 10, bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = BORDER;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
    });

    // One style object per column, shared by all its cells: exceljs recognises a style object it
    // has seen (WeakMap) instead of re-deriving it per cell, which is most of the cost of 2,000 rows.
    const bodyStyles = section.columns.map(
      (c): Partial<ExcelJS.Style> => ({
        font: { name: FONT, size: 10 },
        alignment: { horizontal: c.align, vertical: 'middle', wrapText: true },
        border: BORDER,
        // ID numbers as text, or Excel shows 4.30102E+17 and drops the last digits.
        ...(c.field === 'idNumber' || c.field === 'idMasked' ? { numFmt: '@' } : {}),
      }),
    );
    for (const values of section.rows) {
      const row = ws.addRow(values);
      bodyStyles.forEach((style, i) => {
        row.getCell(i + 1).style = style;
      });
    }

    ws.addRow([]);
    if (t.note) {
      const n = ws.addRow([t.note]);
      ws.mergeCells(n.number, 1, n.number, ncol);
      n.getCell(1).font = { name: FONT, size: 10 };
    }
    // Signature lines: two labels per row, each owning half of the columns.
    const half = Math.max(1, Math.floor(ncol / 2));
    for (let i = 0; i < t.footer.length; i += 2) {
      const r = ws.addRow([]);
      r.height = 28;
      const pair = [t.footer[i], t.footer[i + 1]];
      pair.forEach((label, k) => {
        if (!label) return;
        const from = k === 0 ? 1 : half + 1;
        const to = k === 0 ? half : ncol;
        const text = footerText(label);
        r.getCell(from).value = text;
        r.getCell(from).font = { name: FONT, size: 11 };
        r.getCell(from).alignment = { vertical: 'bottom' };
        if (to > from) ws.mergeCells(r.number, from, r.number, to);
      });
    }
    const v = ws.addRow([verifyLine]);
    ws.mergeCells(v.number, 1, v.number, ncol);
    v.getCell(1).font = { name: FONT, size: 8, color: { argb: 'FF666666' } };
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

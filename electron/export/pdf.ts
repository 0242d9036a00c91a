/**
 * The review table as a printable PDF (pdfkit + the bundled Noto Sans SC, embedded as a subset so
 * the file prints the same on any PC): A4 landscape, the header row repeated on every page, long
 * text wrapped inside its cell, signature lines, a verification line and 第 x / y 页 on every page.
 * A signature placeholder is added when the PDF is to be signed (pdfSignature.ts fills it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TableData } from './tableData.js';
import { footerText, resourceFolder, type ExportTemplate } from './templates.js';

export interface PdfOptions {
  exportId: string;
  dataSha256: string;
  keyFingerprint: string;
  exportedAt: Date;
  draft: boolean;
  /** Reserve a signature (final exports with a certificate). */
  signature?: { name: string; reason: string; location: string } | undefined;
}

/** Bytes reserved for the CMS signature: an RSA-4096 signature with a 3-certificate chain fits. */
export const SIGNATURE_LENGTH = 16384;

const W = 841.89;
const H = 595.28;
const MX = 28;
const TABLE_TOP = 66;
const TABLE_BOTTOM = H - 72;
const PAD = 3;
const SIZE = 8.5;
/** Below this width (points) a column is short text that should never wrap. */
const SHORT_COLUMN = 48;

let fonts: { regular: Buffer; bold: Buffer } | null = null;
function loadFonts(): { regular: Buffer; bold: Buffer } {
  // Read once: 10 MB per weight; pdfkit still parses them per document.
  if (!fonts) {
    const dir = resourceFolder('fonts');
    fonts = { regular: readFileSync(join(dir, 'NotoSansSC-Regular.ttf')), bold: readFileSync(join(dir, 'NotoSansSC-Bold.ttf')) };
  }
  return fonts;
}

/** The text of the keywords entry that binds the PDF to its manifest (read back by verify). */
export function bindingKeywords(exportId: string, dataSha256: string, keyFingerprint: string): string {
  return `desk-export:${exportId};data:${dataSha256};key:${keyFingerprint}`;
}

interface FontkitGlyph { advanceWidth: number; codePoints: number[] }
interface FontkitFont { layout(text: string): unknown; glyphForCodePoint(cp: number): FontkitGlyph }

/**
 * Full OpenType shaping of Noto Sans SC costs ~0.3 ms per string in fontkit, which makes a
 * 2,000-row table take many seconds. Table cells hold Chinese, digits and a few Latin letters,
 * none of which need ligatures or kerning, so the font's layout is replaced by a per-character
 * glyph lookup (cached). pdfkit still subsets, embeds and writes ToUnicode from these glyphs.
 * Relies on pdfkit's private `_font.font` (the fontkit font) — checked at runtime, and when it is
 * missing the normal (slow) shaping simply stays in place.
 */
function useFastLayout(doc: PDFKit.PDFDocument): void {
  const font = (doc as unknown as { _font?: { font?: FontkitFont & { deskFast?: boolean } } })._font?.font;
  if (!font || font.deskFast || typeof font.glyphForCodePoint !== 'function') return;
  const cache = new Map<number, FontkitGlyph>();
  font.layout = (text: string) => {
    const glyphs: FontkitGlyph[] = [];
    const positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      let g = cache.get(cp);
      if (!g) {
        g = font.glyphForCodePoint(cp);
        cache.set(cp, g);
      }
      glyphs.push(g);
      positions.push({ xAdvance: g.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
    }
    // pdfkit scales positions in place and then reads advanceWidth, so it must be computed late.
    return {
      glyphs,
      positions,
      get advanceWidth(): number {
        return positions.reduce((w, p) => w + p.xAdvance, 0);
      },
    };
  };
  font.deskFast = true;
}

/**
 * Column widths for the page: each column gets what its longest value needs on one line (a long
 * column at most a third of the page); spare width is shared in the template's proportions. When
 * the page is too narrow the widest columns give way first, down to a common width (like water
 * finding its level), so 审核意见 wraps before 退役证编号 does and short columns (性别, 审核人)
 * never break.
 */
export function fitColumns(template: number[], header: number[], cells: number[][], total: number): number[] {
  const sum = template.reduce((s, w) => s + w, 0);
  const need = template.map((_, i) => {
    let longest = header[i] ?? 0;
    for (const r of cells) longest = Math.max(longest, r[i] ?? 0);
    return Math.min(longest + 2 * PAD + 1, total / 3);
  });
  const natural = need.reduce((s, w) => s + w, 0);
  if (natural <= total) return need.map((w, i) => w + ((total - natural) * (template[i] ?? 0)) / sum);
  const at = (level: number): number[] => need.map((w) => (w <= SHORT_COLUMN ? w : Math.min(w, Math.max(level, SHORT_COLUMN))));
  const width = (ws: number[]): number => ws.reduce((s, w) => s + w, 0);
  if (width(at(SHORT_COLUMN)) > total) return template.map((w) => (w / sum) * total);
  let lo = SHORT_COLUMN;
  let hi = total / 3;
  for (let k = 0; k < 40; k++) {
    const mid = (lo + hi) / 2;
    if (width(at(mid)) <= total) lo = mid;
    else hi = mid;
  }
  const widths = at(lo);
  const capped = widths.map((w, i) => (w < (need[i] ?? 0) ? (template[i] ?? 0) : 0));
  const cappedSum = capped.reduce((s, w) => s + w, 0);
  const spare = total - width(widths);
  return widths.map((w, i) => w + (cappedSum > 0 ? (spare * (capped[i] ?? 0)) / cappedSum : 0));
}

export async function writePdf(t: ExportTemplate, data: TableData, opts: PdfOptions): Promise<Buffer> {
  // pdfkit is loaded on first use: it costs ~0.3 s at start-up for every CLI command otherwise.
  const [{ default: PDFDocument }, { pdfkitAddPlaceholder }] = await Promise.all([import('pdfkit'), import('@signpdf/placeholder-pdfkit')]);
  const f = loadFonts();
  const doc: PDFKit.PDFDocument = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    // Zero margins: this module places every line itself, so pdfkit must never break pages on its own.
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    bufferPages: true,
    autoFirstPage: false,
    compress: true,
    info: {
      Title: opts.draft ? `${data.title}（草稿）` : data.title,
      Author: data.college,
      Subject: t.recipient,
      Creator: '资格审核台',
      Keywords: bindingKeywords(opts.exportId, opts.dataSha256, opts.keyFingerprint),
      CreationDate: opts.exportedAt,
      ModDate: opts.exportedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((res, rej) => {
    doc.on('end', () => res(Buffer.concat(chunks)));
    doc.on('error', rej);
  });
  doc.registerFont('R', f.regular);
  doc.registerFont('B', f.bold);
  doc.font('B');
  useFastLayout(doc);
  doc.font('R');
  useFastLayout(doc);

  const title = opts.draft ? `${data.title}（草稿）` : data.title;
  const verifyLine = `导出编号 ${opts.exportId} · 数据校验 ${opts.dataSha256.slice(0, 16)} · 签名密钥 ${opts.keyFingerprint.slice(0, 16)}`;

  for (const section of data.sections) {
    const total = W - 2 * MX;
    const rows = section.rows.length > 0 ? section.rows : [section.columns.map((_, i) => (i === 1 ? '（无）' : ''))];
    doc.font('R').fontSize(SIZE);
    const cellWidths = rows.map((r) => r.map((text) => (text ? doc.widthOfString(text) : 0)));
    doc.font('B');
    const headerWidths = section.columns.map((c) => doc.widthOfString(c.header));
    const widths = fitColumns(section.columns.map((c) => c.width), headerWidths, cellWidths, total);
    const xs = widths.reduce<number[]>((acc, w, i) => [...acc, (acc[i] ?? MX) + w], [MX]);
    const sub = [`学校（盖章）：${data.college}`, t.sections.length > 1 ? `类别：${section.title}` : '', `报送：${t.recipient}`].filter(Boolean).join('　　');

    let y = 0;
    let pageTop = TABLE_TOP;
    const newPage = (): void => {
      doc.addPage();
      doc.font('B').fontSize(15).fillColor('black').text(title, MX, 22, { width: total, align: 'center', lineBreak: false });
      doc.font('R').fontSize(9).text(sub, MX, 47, { width: total * 0.8, lineBreak: false });
      doc.text(`共 ${section.rows.length} 人`, MX, 47, { width: total, align: 'right', lineBreak: false });
      pageTop = TABLE_TOP;
      y = pageTop;
      drawRow(section.columns.map((c) => c.header), true);
    };
    const closePage = (): void => {
      // Vertical rules once per page, from the header's top to the last row's bottom.
      doc.lineWidth(0.5).strokeColor('black');
      for (const x of xs) doc.moveTo(x, pageTop).lineTo(x, y);
      doc.moveTo(MX, pageTop).lineTo(MX + total, pageTop).stroke();
    };
    interface Measured { h: number; heights: number[]; textWidths: number[]; line: number }
    const measure = (cells: string[], bold: boolean, known?: number[]): Measured => {
      doc.font(bold ? 'B' : 'R').fontSize(SIZE);
      const line = doc.currentLineHeight(true);
      const textWidths = known ?? cells.map((text) => (text ? doc.widthOfString(text) : 0));
      const heights = cells.map((text, i) => {
        const inner = (widths[i] ?? 0) - 2 * PAD;
        if ((textWidths[i] ?? 0) <= inner) return line;
        return doc.heightOfString(text, { width: inner });
      });
      return { h: Math.max(line, ...heights) + 2 * PAD, heights, textWidths, line };
    };
    const drawRow = (cells: string[], header: boolean, m: Measured = measure(cells, header)): void => {
      const rowH = Math.min(m.h, TABLE_BOTTOM - TABLE_TOP - 40);
      if (header) doc.rect(MX, y, total, rowH).fill('#e7e6e6');
      doc.fillColor('black').font(header ? 'B' : 'R').fontSize(SIZE);
      cells.forEach((text, i) => {
        if (!text) return;
        const align = header ? 'center' : (section.columns[i]?.align ?? 'left');
        const inner = (widths[i] ?? 0) - 2 * PAD;
        const x0 = (xs[i] ?? MX) + PAD;
        const tw = m.textWidths[i] ?? 0;
        if (tw <= inner) {
          // One line: placed by hand, which skips pdfkit's line wrapper (most cells, most of the time).
          const dx = align === 'center' ? (inner - tw) / 2 : align === 'right' ? inner - tw : 0;
          doc.text(text, x0 + dx, y + (rowH - m.line) / 2, { lineBreak: false });
          return;
        }
        const th = Math.min(m.heights[i] ?? 0, rowH - 2 * PAD);
        doc.text(text, x0, y + (rowH - th) / 2, { width: inner, height: rowH - 2 * PAD + 1, ellipsis: true, align });
      });
      y += rowH;
      doc.lineWidth(0.5).strokeColor('black').moveTo(MX, y).lineTo(MX + total, y).stroke();
    };

    newPage();
    rows.forEach((r, k) => {
      const m = measure(r, false, cellWidths[k]);
      if (y + m.h > TABLE_BOTTOM) {
        closePage();
        newPage();
      }
      drawRow(r, false, m);
    });
    closePage();
    if (t.note) doc.font('R').fontSize(9).fillColor('black').text(t.note, MX, y + 6, { width: total, lineBreak: false });
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const total = W - 2 * MX;
    // Signature lines on every page: each page may be printed and filed on its own.
    doc.font('R').fontSize(10).fillColor('black');
    const slot = total / t.footer.length;
    t.footer.forEach((label, k) => {
      const text = footerText(label);
      const x = MX + k * slot;
      doc.text(text, x, H - 58, { width: slot, lineBreak: false });
      if (label !== '日期') {
        const lw = doc.widthOfString(text);
        doc.lineWidth(0.5).moveTo(x + lw, H - 46).lineTo(x + slot - 14, H - 46).stroke();
      }
    });
    doc.fontSize(7.5).fillColor('#555555');
    doc.text(verifyLine, MX, H - 28, { width: total * 0.8, lineBreak: false });
    doc.text(`第 ${i - range.start + 1} / ${range.count} 页`, MX, H - 28, { width: total, align: 'right', lineBreak: false });
    if (opts.draft) {
      doc.save();
      doc.rotate(-30, { origin: [W / 2, H / 2] });
      doc.font('B').fontSize(150).fillColor('#cc0000', 0.12).text('草稿', W / 2 - 160, H / 2 - 110, { width: 320, align: 'center', lineBreak: false });
      doc.restore();
    }
  }
  if (opts.signature) {
    // The invisible signature widget sits on the last page, where a reader looks for it.
    pdfkitAddPlaceholder({
      pdf: doc,
      pdfBuffer: Buffer.alloc(0),
      reason: opts.signature.reason,
      contactInfo: '',
      name: opts.signature.name,
      location: opts.signature.location,
      signingTime: opts.exportedAt,
      signatureLength: SIGNATURE_LENGTH,
      // A PDF name object: ASCII only.
      appName: 'zsb-review-desk',
    });
  }
  doc.end();
  return done;
}

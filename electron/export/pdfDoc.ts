/**
 * What every PDF of an export shares: pdfkit with the bundled Noto Sans SC (embedded as a subset,
 * so a page prints the same on any PC), the binding keywords read back by verify, the footer of
 * every page (verification line, 第 x / y 页, the 草稿 watermark) and the signature placeholder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourceFolder } from './templates.js';

/** Bytes reserved for the CMS signature: an RSA-4096 signature with a 3-certificate chain fits. */
export const SIGNATURE_LENGTH = 16384;

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

export interface DocMeta {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  at: Date;
  layout: 'landscape' | 'portrait';
}

export interface OpenDoc {
  doc: PDFKit.PDFDocument;
  /** Page size in points. */
  W: number;
  H: number;
  done: Promise<Buffer>;
}

/** A pdfkit document with the fonts registered as 'R' and 'B', pages added by the caller. */
export async function openDoc(meta: DocMeta): Promise<OpenDoc> {
  // pdfkit is loaded on first use: it costs ~0.3 s at start-up for every CLI command otherwise.
  const { default: PDFDocument } = await import('pdfkit');
  const f = loadFonts();
  const doc: PDFKit.PDFDocument = new PDFDocument({
    size: 'A4',
    layout: meta.layout,
    // Zero margins: the writers place every line themselves, so pdfkit must never break pages on its own.
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    bufferPages: true,
    autoFirstPage: false,
    compress: true,
    info: { Title: meta.title, Author: meta.author, Subject: meta.subject, Creator: '资格审核台', Keywords: meta.keywords, CreationDate: meta.at, ModDate: meta.at },
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
  const [W, H] = meta.layout === 'landscape' ? [841.89, 595.28] : [595.28, 841.89];
  return { doc, W, H, done };
}

export interface FinishOptions {
  /** Printed small at the bottom left of every page. */
  verifyLine: string;
  draft: boolean;
  margin: number;
  /** Reserve a signature (final exports with a certificate); pdfSignature.ts fills it. */
  signature?: { name: string; reason: string; location: string; at: Date } | undefined;
}

/** Footer of every page, the 草稿 watermark, the signature placeholder; ends the document. */
export async function finishDoc(o: OpenDoc, f: FinishOptions): Promise<{ pdf: Buffer; pages: number }> {
  const { doc, W, H } = o;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const total = W - 2 * f.margin;
    // The verification line stays on one line: smaller type on a narrow (portrait) page.
    doc.font('R').fontSize(7.5);
    const room = total - 60;
    doc.fontSize(Math.min(7.5, (7.5 * room) / doc.widthOfString(f.verifyLine))).fillColor('#555555');
    doc.text(f.verifyLine, f.margin, H - 24, { width: room, lineBreak: false });
    doc.fontSize(7.5);
    doc.text(`第 ${i - range.start + 1} / ${range.count} 页`, f.margin, H - 24, { width: total, align: 'right', lineBreak: false });
    if (f.draft) {
      doc.save();
      doc.rotate(-30, { origin: [W / 2, H / 2] });
      doc.font('B').fontSize(150).fillColor('#cc0000', 0.12).text('草稿', W / 2 - 160, H / 2 - 110, { width: 320, align: 'center', lineBreak: false });
      doc.restore();
    }
  }
  if (f.signature) {
    const { pdfkitAddPlaceholder } = await import('@signpdf/placeholder-pdfkit');
    // The invisible signature widget sits on the last page, where a reader looks for it.
    pdfkitAddPlaceholder({
      pdf: doc,
      pdfBuffer: Buffer.alloc(0),
      reason: f.signature.reason,
      contactInfo: '',
      name: f.signature.name,
      location: f.signature.location,
      signingTime: f.signature.at,
      signatureLength: SIGNATURE_LENGTH,
      // A PDF name object: ASCII only.
      appName: 'zsb-review-desk',
    });
  }
  doc.end();
  return { pdf: await o.done, pages: range.count };
}

/**
 * Reads one scan into lines with boxes (runs inside the OCR worker): a PDF's own text layer where
 * it has one, PaddleOCR (via @gutenye/ocr-node) for images and image-only PDF pages. Images are
 * turned upright first (phone photos arrive sideways): the page is read as stored and, when that
 * does not look like a certificate, at the other quarter turns.
 */
import { createCanvas, loadImage, type Image } from '@napi-rs/canvas';
import type { OcrLine, OcrPage, OcrRead, Rotation } from '../../shared/ocr/types.js';
import { LIMITS } from '../../shared/limits.js';

/** The part of @gutenye/ocr-node the engine uses (kept narrow so tests can reason about it). */
export interface Recogniser {
  detect(image: string, options?: object): Promise<{ text: string; mean: number; box?: number[][] }[]>;
}

/** Bump when reading changes (models, scale, orientation rules): cached readings are redone. */
export const ENGINE_VERSION = 1;

/** Longest side an image is read at: enough for 20 px characters on a phone photo of A4. */
const MAX_SIDE = 1800;
/** pdf.js render scale for image-only pages: A4 → 893×1263, about the scanner's resolution. */
const PDF_SCALE = 1.5;

/** Words printed on every kind of certificate; reading several means the page is upright. */
const KEYWORDS = ['姓名', '身份证', '性别', '证明', '证书', '时间', '出生', '专业', '部别', '户籍', '特此', '学校', '奖'];

export function orientationScore(lines: readonly OcrLine[]): { keywords: number; horizontal: number; chars: number } {
  let chars = 0;
  let flat = 0;
  const text = lines.map((l) => l.text).join('\n');
  for (const l of lines) {
    const n = l.text.replace(/\s/g, '').length;
    chars += n;
    const b = l.segments[0]?.box;
    // Upright, a line is about one character high; on a sideways page the detector's columns
    // get merged into boxes many characters high.
    if (b && n > 0 && b.h <= (3 * b.w) / n) flat += n;
  }
  const keywords = KEYWORDS.filter((k) => text.includes(k)).length;
  return { keywords, horizontal: chars === 0 ? 0 : flat / chars, chars };
}

function uprightEnough(s: ReturnType<typeof orientationScore>): boolean {
  return s.keywords >= 2 && s.horizontal >= 0.7;
}

/** Draws the image turned clockwise by `rotation`, scaled to fit MAX_SIDE, on a white canvas
 *  padded to a multiple of 32 (the detector's input grid, so it never rescales and boxes stay
 *  in our frame). */
async function prepare(img: Image, rotation: Rotation): Promise<{ png: Buffer; width: number; height: number }> {
  const turned = rotation === 90 || rotation === 270;
  const srcW = turned ? img.height : img.width;
  const srcH = turned ? img.width : img.height;
  const k = Math.min(1, MAX_SIDE / Math.max(srcW, srcH));
  const width = Math.max(1, Math.round(srcW * k));
  const height = Math.max(1, Math.round(srcH * k));
  const canvas = createCanvas(Math.ceil(width / 32) * 32, Math.ceil(height / 32) * 32);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.save();
  ctx.translate(width / 2, height / 2);
  ctx.rotate((rotation * Math.PI) / 180);
  ctx.scale(k, k);
  ctx.drawImage(img, -img.width / 2, -img.height / 2);
  ctx.restore();
  return { png: await canvas.encode('png'), width, height };
}

async function recognise(ocr: Recogniser, png: Buffer): Promise<OcrLine[]> {
  // sharp (inside ocr-node) accepts encoded bytes as well as a path; no temporary file needed.
  const raw = await ocr.detect(png as unknown as string);
  const lines: OcrLine[] = [];
  for (const r of raw) {
    const text = r.text.trim();
    if (!text || !r.box) continue;
    const xs = r.box.map((p) => p[0] ?? 0);
    const ys = r.box.map((p) => p[1] ?? 0);
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    const box = { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
    lines.push({ text, conf: Math.round(r.mean * 1000) / 1000, segments: [{ text, box }] });
  }
  return lines;
}

/** Reads an image in the orientation that looks most like a certificate. */
export async function readImage(ocr: Recogniser, img: Image, page: number): Promise<OcrPage & { reads: number }> {
  const order: Rotation[] = [0, 270, 90, 180];
  let best: { page: OcrPage; score: ReturnType<typeof orientationScore> } | null = null;
  let reads = 0;
  for (const rotation of order) {
    const { png, width, height } = await prepare(img, rotation);
    const lines = await recognise(ocr, png);
    reads++;
    const score = orientationScore(lines);
    const candidate = { page: { page, width, height, rotation, source: 'ocr' as const, lines }, score };
    if (!best || score.keywords * 100 + score.horizontal * score.chars > best.score.keywords * 100 + best.score.horizontal * best.score.chars) {
      best = candidate;
    }
    if (uprightEnough(score)) break;
    // Nothing legible at all (a blank page): other turns will not find more.
    if (rotation === 0 && score.chars < 4) break;
  }
  if (!best) throw new Error('no reading');
  return { ...best.page, reads };
}

interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
}

/** Groups a page's text items into lines by baseline, left to right. */
export function textLines(items: readonly { str: string; x: number; baseline: number; size: number; width: number }[]): OcrLine[] {
  const sorted = items.filter((i) => i.str.trim() !== '').sort((a, b) => a.baseline - b.baseline || a.x - b.x);
  const rows: (typeof sorted)[] = [];
  for (const it of sorted) {
    const row = rows[rows.length - 1];
    const first = row?.[0];
    if (row && first && Math.abs(first.baseline - it.baseline) < Math.min(first.size, it.size) * 0.5) row.push(it);
    else rows.push([it]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.x - b.x);
    const segments = row.map((it) => ({
      text: it.str.trim(),
      box: { x: round(it.x), y: round(it.baseline - it.size * 0.9), w: round(it.width), h: round(it.size * 1.15) },
    }));
    return { text: segments.map((s) => s.text).join(' '), conf: 1, segments };
  });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsModule: Promise<PdfJs> | null = null;
function pdfjs(): Promise<PdfJs> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

interface CanvasFactory {
  create(w: number, h: number): { canvas: { toBuffer(mime: 'image/png'): Buffer }; context: unknown };
}

/**
 * A PDF: each page's text layer, or OCR of the rendered page when it has none — of its first
 * LIMITS.pdf.maxOcrPages pages only (a certificate has a few; 100,000 pages would read for days).
 */
async function readPdf(ocr: () => Promise<Recogniser>, bytes: Uint8Array): Promise<{ pages: OcrPage[]; numPages: number }> {
  const lib = await pdfjs();
  // pdf.js wants a plain Uint8Array it may transfer, not a Buffer.
  const doc = await lib.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const pages: OcrPage[] = [];
    for (let n = 1; n <= Math.min(doc.numPages, LIMITS.pdf.maxOcrPages); n++) {
      const page = await doc.getPage(n);
      const vp = page.getViewport({ scale: PDF_SCALE });
      const content = await page.getTextContent();
      const items = (content.items as Partial<PdfTextItem>[])
        .filter((i): i is PdfTextItem => typeof i.str === 'string' && Array.isArray(i.transform))
        .map((i) => {
          const t = lib.Util.transform(vp.transform, i.transform) as number[];
          return { str: i.str, x: t[4] ?? 0, baseline: t[5] ?? 0, size: Math.hypot(t[2] ?? 0, t[3] ?? 0), width: i.width * PDF_SCALE };
        });
      const chars = items.reduce((s, i) => s + i.str.replace(/\s/g, '').length, 0);
      if (chars >= 10) {
        pages.push({ page: n, width: Math.round(vp.width), height: Math.round(vp.height), rotation: 0, source: 'text', lines: textLines(items) });
        continue;
      }
      // A scanner's PDF: render the page (pdf.js's own canvas factory, so its Path2D matches).
      const factory = (doc as unknown as { canvasFactory: CanvasFactory }).canvasFactory;
      const { canvas, context } = factory.create(Math.ceil(vp.width), Math.ceil(vp.height));
      await page.render({ canvas: canvas as never, canvasContext: context as never, viewport: vp }).promise;
      const img = await loadImage(canvas.toBuffer('image/png'));
      const { reads: _reads, ...read } = await readImage(await ocr(), img, n);
      pages.push(read);
      page.cleanup();
    }
    return { pages, numPages: doc.numPages };
  } finally {
    await doc.destroy();
  }
}

/** Reads a scan's bytes. A file that cannot be opened gives a reading with a problem, not an error. */
export async function readScan(ocr: () => Promise<Recogniser>, bytes: Uint8Array, mime: string): Promise<OcrRead & { ocrPages: number }> {
  const started = performance.now();
  const isPdf = mime === 'application/pdf' || (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46);
  try {
    const pdf = isPdf ? await readPdf(ocr, bytes) : null;
    const pages = pdf ? pdf.pages : [await readImage(await ocr(), await loadImage(Buffer.from(bytes)), 1)].map(({ reads: _r, ...p }) => p);
    const capped = pdf && pdf.numPages > pdf.pages.length ? `PDF 共 ${pdf.numPages} 页，只识别了前 ${LIMITS.pdf.maxOcrPages} 页（页数上限）。` : '';
    return { pages, problem: capped, ms: Math.round(performance.now() - started), ocrPages: pages.filter((p) => p.source === 'ocr').length };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { pages: [], problem: `${isPdf ? 'PDF' : '图片'}无法读取：${message.slice(0, 200)}`, ms: Math.round(performance.now() - started), ocrPages: 0 };
  }
}

/**
 * Reads one scan into lines with boxes (runs inside the OCR worker): a PDF's own text layer where
 * it has one, PaddleOCR (./paddle.ts) for images and image-only PDF pages. Images are turned
 * upright first (phone photos arrive sideways): the page is read as stored and, when that does
 * not look like a certificate, at the other quarter turns.
 */
import { createCanvas, loadImage, type Image } from '@napi-rs/canvas';
import { charWeight } from '../../shared/ocr/extract.js';
import type { OcrLine, OcrPage, OcrRead, OcrSegment, Rotation } from '../../shared/ocr/types.js';
import type { Detected, PageImage, Recogniser } from './paddle.js';
import { LIMITS } from '../../shared/limits.js';

export type { Recogniser } from './paddle.js';

/**
 * Bump when reading changes (models, scale, orientation rules): cached readings are redone.
 * 2: one segment per detected region with per-character edges and confidences.
 */
export const ENGINE_VERSION = 2;

/**
 * Longest side an image is read at. The detector's activations grow with the page's area and are
 * the worker's largest allocation: at 1280 a phone photo of A4 still has its 24 px certificate
 * text at 16–17 px, which the recogniser reads as it does at 1800 (the demo's phone photos agree
 * field for field), for a little over half the memory (peak 685 MB against 865 MB at 1600).
 */
const MAX_SIDE = 1280;
/** pdf.js render scale for image-only pages: A4 → 893×1263, about the scanner's resolution. */
const PDF_SCALE = 1.5;

/** Words printed on every kind of certificate; reading several means the page is upright. */
const KEYWORDS = ['姓名', '身份证', '性别', '证明', '证书', '时间', '出生', '专业', '部别', '户籍', '特此', '学校', '奖'];

export function orientationScore(lines: readonly OcrLine[]): { keywords: number; horizontal: number; chars: number } {
  let chars = 0;
  let flat = 0;
  const text = lines.map((l) => l.text).join('\n');
  for (const seg of lines.flatMap((l) => l.segments)) {
    const n = seg.text.replace(/\s/g, '').length;
    chars += n;
    const b = seg.box;
    // Upright, a region is about one character high; on a sideways page the detector's columns
    // come out as boxes many characters high.
    if (n > 0 && b.h <= (3 * b.w) / n) flat += n;
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
async function prepare(img: Image, rotation: Rotation): Promise<{ rgba: PageImage; width: number; height: number }> {
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
  return { rgba: { data: ctx.getImageData(0, 0, canvas.width, canvas.height).data, width: canvas.width, height: canvas.height, canvas }, width, height };
}

/**
 * Regions into visual lines: a region joins the line whose middle is within half a line height of
 * its own, left to right. Each region stays a segment with its own box, edges and confidences.
 */
export function groupLines(found: readonly Detected[]): OcrLine[] {
  const sorted = [...found].sort((a, b) => a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2));
  const rows: Detected[][] = [];
  for (const d of sorted) {
    const mid = d.box.y + d.box.h / 2;
    const row = rows.find((r) => {
      const first = r[0];
      return first !== undefined && Math.abs(first.box.y + first.box.h / 2 - mid) < Math.min(first.box.h, d.box.h) / 2;
    });
    if (row) row.push(d);
    else rows.push([d]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.box.x - b.box.x);
    const segments: OcrSegment[] = row.map((d) => ({ text: d.text, box: roundBox(d.box), chars: d.chars, confs: d.confs }));
    const conf = row.reduce((s, d) => s + d.conf, 0) / row.length;
    return { text: segments.map((s) => s.text).join(' '), conf: Math.round(conf * 1000) / 1000, segments };
  });
}

function roundBox(b: { x: number; y: number; w: number; h: number }): { x: number; y: number; w: number; h: number } {
  return { x: round(b.x), y: round(b.y), w: round(b.w), h: round(b.h) };
}

/** Reads an image in the orientation that looks most like a certificate. */
export async function readImage(ocr: Recogniser, img: Image, page: number, settle: () => void = () => undefined): Promise<OcrPage & { reads: number }> {
  const order: Rotation[] = [0, 270, 90, 180];
  let best: { page: OcrPage; score: ReturnType<typeof orientationScore> } | null = null;
  let reads = 0;
  for (const rotation of order) {
    const { rgba, width, height } = await prepare(img, rotation);
    const { regions, found } = await ocr.read(rgba);
    const lines = groupLines(found);
    reads++;
    settle();
    const score = orientationScore(lines);
    const candidate = { page: { page, width, height, rotation, source: 'ocr' as const, lines }, score };
    if (!best || score.keywords * 100 + score.horizontal * score.chars > best.score.keywords * 100 + best.score.horizontal * best.score.chars) {
      best = candidate;
    }
    if (uprightEnough(score)) break;
    // No text at all (a blank page): other turns will not find more. A sideways page has text
    // the recogniser cannot read this way up, so the test is on what the detector found.
    if (rotation === 0 && regions < 2) break;
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
    const segments = row.map((it) => {
      const text = it.str.trim();
      const lead = it.str.length - it.str.trimStart().length;
      const all = glyphBoxes(it.str, it.x, it.baseline, it.size, it.width);
      return {
        text,
        box: { x: round(it.x), y: round(it.baseline - it.size * 0.9), w: round(it.width), h: round(it.size * 1.15) },
        chars: all.slice(4 * lead, 4 * (lead + text.length)).map(round),
      };
    });
    return { text: segments.map((s) => s.text).join(' '), conf: 1, segments };
  });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * Each character's box in a text item, flattened [left, top, right, bottom]: widths by character
 * class along the item, heights by where the class's ink sits around the baseline (ideographs
 * 0.88 em above to 0.06 below, digits and Latin 0.76 em above; Noto Sans SC and the Song and
 * Hei faces of office PDFs agree within a few hundredths), so an ID number's box is as tall as
 * its digits rather than the line.
 */
export function glyphBoxes(str: string, x: number, baseline: number, size: number, width: number): number[] {
  const weights: number[] = [];
  for (const ch of str) for (let u = 0; u < ch.length; u++) weights.push(charWeight(ch) / ch.length);
  const total = weights.reduce((s, w) => s + w, 0) || 1;
  const out: number[] = [];
  let left = x;
  let i = 0;
  for (const ch of str) {
    const wide = charWeight(ch) === 1;
    for (let u = 0; u < ch.length; u++) {
      const right = left + ((weights[i] ?? 0) / total) * width;
      out.push(left, baseline - (wide ? 0.88 : 0.76) * size, right, baseline + (wide ? 0.06 : 0) * size);
      left = right;
      i++;
    }
  }
  return out;
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
async function readPdf(ocr: () => Promise<Recogniser>, bytes: Uint8Array, settle: () => void): Promise<{ pages: OcrPage[]; numPages: number }> {
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
      // Through a PNG: pdf.js's canvas comes from its own copy of the canvas addon, and handing
      // that object to ours crashes the process.
      const img = await loadImage(canvas.toBuffer('image/png'));
      const { reads: _reads, ...read } = await readImage(await ocr(), img, n, settle);
      pages.push(read);
      page.cleanup();
    }
    return { pages, numPages: doc.numPages };
  } finally {
    await doc.destroy();
  }
}

/** Reads a scan's bytes. A file that cannot be opened gives a reading with a problem, not an error. */
/**
 * `settle` runs after each page read (the worker passes a full garbage collection: a page's
 * decoded image and canvases are native memory the collector does not see on its own).
 */
export async function readScan(ocr: () => Promise<Recogniser>, bytes: Uint8Array, mime: string, settle: () => void = () => undefined): Promise<OcrRead & { ocrPages: number }> {
  const started = performance.now();
  const isPdf = mime === 'application/pdf' || (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46);
  try {
    const pdf = isPdf ? await readPdf(ocr, bytes, settle) : null;
    const pages = pdf ? pdf.pages : [await readImage(await ocr(), await loadImage(Buffer.from(bytes)), 1, settle)].map(({ reads: _r, ...p }) => p);
    const capped = pdf && pdf.numPages > pdf.pages.length ? `PDF 共 ${pdf.numPages} 页，只识别了前 ${LIMITS.pdf.maxOcrPages} 页（页数上限）。` : '';
    return { pages, problem: capped, ms: Math.round(performance.now() - started), ocrPages: pages.filter((p) => p.source === 'ocr').length };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { pages: [], problem: `${isPdf ? 'PDF' : '图片'}无法读取：${message.slice(0, 200)}`, ms: Math.round(performance.now() - started), ocrPages: 0 };
  }
}

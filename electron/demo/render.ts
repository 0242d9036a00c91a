/**
 * Turns a planned document into file bytes: a PDF with a text layer, an image-only PDF, a scan
 * image (possibly sideways or a large phone photo), a blank page or a corrupt PDF.
 * Every random choice comes from the document's own stream, so files are byte-identical per seed.
 */
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import PDFDocument from 'pdfkit';
import type { DemoApplicant, PlannedDocument } from './model.js';
import { CanvasPainter, loadFonts, PdfPainter } from './painter.js';
import { Rng } from './random.js';
import { drawSheet, LANDSCAPE, PORTRAIT, sheetFor, type Sheet } from './sheets.js';

/** Fixed so that the same seed gives the same PDF bytes (pdfkit derives the file ID from it). */
const PDF_DATE = new Date(Date.UTC(2024, 0, 20, 9, 0, 0));
const A4 = { long: 841.89, short: 595.28 } as const;
const PHONE = { width: 3000, height: 4000 } as const;

function sizeOf(sheet: Sheet): { width: number; height: number } {
  return sheet.orientation === 'landscape' ? LANDSCAPE : PORTRAIT;
}

function newPdf(title: string): PDFKit.PDFDocument {
  const fonts = loadFonts();
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    info: {
      Title: title,
      Author: '资格审核台演示数据',
      Creator: '资格审核台',
      Producer: '资格审核台演示数据',
      CreationDate: PDF_DATE,
      ModDate: PDF_DATE,
    },
  });
  // pdfkit's open() takes any object with layout() as an already parsed font; its typings only
  // list file sources.
  doc.registerFont('DemoRegular', fonts.regular as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont('DemoBold', fonts.bold as unknown as PDFKit.Mixins.PDFFontSource);
  return doc;
}

function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

function addA4Page(doc: PDFKit.PDFDocument, sheet: Sheet): { width: number; height: number } {
  const landscape = sheet.orientation === 'landscape';
  const page = landscape ? { width: A4.long, height: A4.short } : { width: A4.short, height: A4.long };
  doc.addPage({ size: [page.width, page.height], margin: 0 });
  return page;
}

async function textPdf(sheets: Sheet[], title: string, rng: Rng): Promise<Buffer> {
  const doc = newPdf(title);
  for (const sheet of sheets) {
    const page = addA4Page(doc, sheet);
    const size = sizeOf(sheet);
    drawSheet(new PdfPainter(doc, size.width, size.height, page.width / size.width), sheet, rng);
  }
  return finish(doc);
}

/** Light grain like paper under a scanner or a phone camera: a small noise tile, repeated. */
function grain(ctx: SKRSContext2D, rng: Rng, base: readonly [number, number, number], spread: number, w: number, h: number): void {
  const tile = createCanvas(128, 128);
  const tctx = tile.getContext('2d');
  const img = tctx.createImageData(128, 128);
  for (let i = 0; i < img.data.length; i += 4) {
    const n = (rng.next() - 0.5) * spread;
    img.data[i] = Math.max(0, Math.min(255, base[0] + n));
    img.data[i + 1] = Math.max(0, Math.min(255, base[1] + n));
    img.data[i + 2] = Math.max(0, Math.min(255, base[2] + n));
    img.data[i + 3] = 255;
  }
  tctx.putImageData(img, 0, 0);
  const pattern = ctx.createPattern(tile, 'repeat');
  if (!pattern) throw new Error('canvas pattern unavailable');
  ctx.fillStyle = pattern;
  ctx.fillRect(0, 0, w, h);
}

/**
 * The sheet as a flat scan at its logical size. PNGs stay clean, as an exported or screenshot
 * file does (and grain would make PNG encoding four times slower).
 */
function scanCanvas(sheet: Sheet, rng: Rng, grainy: boolean): Canvas {
  const { width, height } = sizeOf(sheet);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  drawSheet(new CanvasPainter(ctx, width, height), sheet, rng);
  if (grainy) {
    // A scanner's faint grey cast over the paper.
    ctx.globalAlpha = 0.06;
    grain(ctx, rng, [200, 200, 196], 60, width, height);
    ctx.globalAlpha = 1;
  }
  return canvas;
}

/** A 3000×4000 phone photo: the paper lies slightly askew on a textured desk. */
function phoneCanvas(sheet: Sheet, rng: Rng): Canvas {
  const canvas = createCanvas(PHONE.width, PHONE.height);
  const ctx = canvas.getContext('2d');
  grain(ctx, rng, [142, 116, 92], 40, PHONE.width, PHONE.height);
  const { width, height } = sizeOf(sheet);
  const scale = Math.min((PHONE.width * 0.86) / width, (PHONE.height * 0.8) / height);
  ctx.save();
  ctx.translate(PHONE.width / 2, PHONE.height / 2);
  ctx.rotate((rng.next() - 0.5) * 0.06);
  ctx.scale(scale, scale);
  ctx.translate(-width / 2, -height / 2);
  ctx.shadowColor = 'rgba(0,0,0,0.35)';
  ctx.shadowBlur = 30;
  ctx.fillStyle = '#fffdf6';
  ctx.fillRect(0, 0, width, height);
  ctx.shadowColor = 'rgba(0,0,0,0)';
  drawSheet(new CanvasPainter(ctx, width, height), sheet, rng);
  ctx.restore();
  return canvas;
}

/** Turned a quarter clockwise, as a phone held sideways saves it. */
function rotate90(src: Canvas): Canvas {
  const out = createCanvas(src.height, src.width);
  const ctx = out.getContext('2d');
  ctx.translate(src.height, 0);
  ctx.rotate(Math.PI / 2);
  ctx.drawImage(src, 0, 0);
  return out;
}

function blankCanvas(rng: Rng): Canvas {
  const canvas = createCanvas(LANDSCAPE.width, LANDSCAPE.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fdfdfc';
  ctx.fillRect(0, 0, LANDSCAPE.width, LANDSCAPE.height);
  // A few specks of dust: almost, not perfectly, white (as a lid-closed scan comes out).
  ctx.fillStyle = '#e4e4e0';
  for (let i = 0; i < 12; i++) ctx.fillRect(rng.int(0, LANDSCAPE.width - 3), rng.int(0, LANDSCAPE.height - 3), 2, 2);
  return canvas;
}

async function encode(canvas: Canvas, format: 'jpeg' | 'png'): Promise<Buffer> {
  return format === 'png' ? canvas.encode('png') : canvas.encode('jpeg', 82);
}

/** Bytes of one planned document (not for byte copies: the caller copies those). */
export async function renderDocument(doc: PlannedDocument, applicant: DemoApplicant, rng: Rng): Promise<Buffer> {
  const sheets = doc.sides.map((side) => sheetFor(applicant, doc, side));
  const title = `${applicant.declared.name} ${doc.file}`;
  if (doc.corrupt) {
    // A real PDF cut short and overwritten with noise: the header still says %PDF.
    const good = await textPdf(sheets, title, rng);
    const cut = good.subarray(0, Math.min(good.length, 900));
    const noise = Buffer.alloc(2048);
    for (let i = 0; i < noise.length; i++) noise[i] = rng.int(0, 255);
    return Buffer.concat([cut, noise]);
  }
  if (doc.blank) return encode(blankCanvas(rng), doc.format === 'png' ? 'png' : 'jpeg');
  if (doc.format === 'pdf' && !doc.imageOnly) return textPdf(sheets, title, rng);
  if (doc.format === 'pdf') {
    const pdf = newPdf(title);
    for (const sheet of sheets) {
      const page = addA4Page(pdf, sheet);
      const jpeg = await encode(scanCanvas(sheet, rng, true), 'jpeg');
      pdf.image(jpeg, 0, 0, { width: page.width, height: page.height });
    }
    return finish(pdf);
  }
  const sheet = sheets[0];
  if (!sheet) throw new Error(`no side to draw for ${doc.file}`);
  let canvas = doc.large ? phoneCanvas(sheet, rng) : scanCanvas(sheet, rng, doc.format === 'jpeg');
  if (doc.rotated === 90) canvas = rotate90(canvas);
  return encode(canvas, doc.format);
}

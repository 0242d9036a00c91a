/**
 * Where the painter put each value on a demo scan: the sheet is drawn once more on a painter that
 * only records its text runs, and every place a field's value was printed becomes a box. The OCR
 * tests measure their boxes against these (IoU), in the frame of the page the OCR states.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Box, OcrField } from '../../shared/ocr/types.js';
import type { DemoApplicant, PlannedDocument, ScanSide } from './model.js';
import { CanvasPainter, type Painter, type TextStyle } from './painter.js';
import { Rng } from './random.js';
import { drawSheet, LANDSCAPE, PORTRAIT, sheetFor, zhDate } from './sheets.js';

/** One text() call: its left edge after alignment, top, size and content. */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  size: number;
  bold: boolean;
}

/** Where the ink of a text drawn at (0, 0) lies (canvas, top baseline): left, top, right, bottom. */
const inkCache = new Map<string, [number, number, number, number]>();
function inkOf(text: string, size: number, bold: boolean): [number, number, number, number] {
  const key = `${size}|${bold ? 1 : 0}|${text}`;
  const hit = inkCache.get(key);
  if (hit) return hit;
  const probe = new CanvasPainter(createCanvas(8, 8).getContext('2d'), 8, 8);
  const w = Math.ceil(probe.measure(text, size, bold)) + 8;
  const h = size * 2;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  new CanvasPainter(ctx, w, h).text(text, 4, size / 2, { size, bold, color: '#000' });
  const d = ctx.getImageData(0, 0, w, h).data;
  let l = w;
  let t = h;
  let r = -1;
  let b = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if ((d[(y * w + x) * 4] ?? 255) < 128) {
        l = Math.min(l, x);
        r = Math.max(r, x + 1);
        t = Math.min(t, y);
        b = Math.max(b, y + 1);
      }
    }
  }
  const box: [number, number, number, number] = r < 0 ? [0, 0, w - 8, size] : [l - 4, t - size / 2, r - 4, b - size / 2];
  inkCache.set(key, box);
  return box;
}

/** A painter that draws nothing and remembers where text went (measuring with the real font). */
class RecordingPainter implements Painter {
  readonly runs: TextRun[] = [];
  private readonly ruler: CanvasPainter;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.ruler = new CanvasPainter(createCanvas(8, 8).getContext('2d'), 8, 8);
  }

  measure(s: string, size: number, bold?: boolean): number {
    return this.ruler.measure(s, size, bold);
  }

  text(s: string, x: number, y: number, style: TextStyle): void {
    const w = this.measure(s, style.size, style.bold);
    const align = style.align ?? 'left';
    this.runs.push({ text: s, x: x - (align === 'center' ? w / 2 : align === 'right' ? w : 0), y, size: style.size, bold: style.bold === true });
  }

  rect(): void {}
  line(): void {}
  glyph(): void {}
  circle(): void {}
  polygon(): void {}
  alpha(): void {}
}

/** The values a document shows for each OCR field, as printed (dates written out). */
export function printedValues(a: DemoApplicant, doc: PlannedDocument): Partial<Record<OcrField, string>> {
  const d = a.declared;
  return {
    name: doc.nameOnScan,
    idNumber: doc.idOnScan,
    dischargeCertNo: d.dischargeCertNo,
    enlistDate: d.enlistDate ? zhDate(d.enlistDate) : '',
    dischargeDate: d.dischargeDate ? zhDate(d.dischargeDate) : '',
    competition: d.competition,
    award: d.award,
    awardLevel: d.awardLevel,
    awardDate: d.awardDate ? zhDate(d.awardDate) : '',
    povertyIssuer: d.povertyIssuer,
  };
}

export interface FieldPositions {
  /** Logical size of the sheet (1200×850 or 850×1200). */
  width: number;
  height: number;
  /** Every place each field's value was printed, in logical units. */
  boxes: Partial<Record<OcrField, Box[]>>;
}

/**
 * Where each field's value sits on one side of a document: the ink of the value's characters as
 * the canvas draws them. `backend` matters for the height: pdfkit sets text a quarter of an em
 * lower than the canvas does for the same top (measured on Noto Sans SC: ink at +0.04–0.96 em on
 * the canvas, +0.27–1.2 em in the PDF).
 */
export function fieldPositions(a: DemoApplicant, doc: PlannedDocument, side: ScanSide, backend: 'canvas' | 'pdf'): FieldPositions {
  const sheet = sheetFor(a, doc, side);
  const size = sheet.orientation === 'landscape' ? LANDSCAPE : PORTRAIT;
  const p = new RecordingPainter(size.width, size.height);
  drawSheet(p, sheet, new Rng(0));
  const dy = backend === 'pdf' ? 0.25 : 0;
  const boxes: Partial<Record<OcrField, Box[]>> = {};
  for (const [field, value] of Object.entries(printedValues(a, doc)) as [OcrField, string][]) {
    if (!value) continue;
    const found: Box[] = [];
    for (const r of p.runs) {
      for (let i = r.text.indexOf(value); i >= 0; i = r.text.indexOf(value, i + value.length)) {
        const x = r.x + p.measure(r.text.slice(0, i), r.size, r.bold);
        const [l, t, right, bottom] = inkOf(value, r.size, r.bold);
        found.push({ x: x + l, y: r.y + t + dy * r.size, w: right - l, h: bottom - t });
      }
    }
    if (found.length) boxes[field] = found;
  }
  return { width: size.width, height: size.height, boxes };
}

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number {
  const x = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const y = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = x * y;
  const union = a.w * a.h + b.w * b.h - inter;
  return union <= 0 ? 0 : inter / union;
}

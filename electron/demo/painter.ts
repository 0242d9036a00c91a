/**
 * One small drawing surface over two back ends (a @napi-rs/canvas context and a pdfkit page), so a
 * certificate layout is written once and comes out the same as a photo and as a PDF.
 * Coordinates are logical units (1200×850 landscape, 850×1200 portrait); y of text is its top.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { create as parseFont, type Font } from 'fontkit';
import { findResource } from '../platform/index.js';

export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
  align?: 'left' | 'center' | 'right';
}

export interface Painter {
  readonly width: number;
  readonly height: number;
  rect(x: number, y: number, w: number, h: number, style: { fill?: string; stroke?: string; lineWidth?: number }): void;
  line(x1: number, y1: number, x2: number, y2: number, color: string, lineWidth: number): void;
  text(s: string, x: number, y: number, style: TextStyle): void;
  measure(s: string, size: number, bold?: boolean): number;
  /** One character centred on (cx, cy), turned by `angle` radians (seal lettering). */
  glyph(ch: string, cx: number, cy: number, angle: number, size: number, color: string): void;
  circle(cx: number, cy: number, r: number, color: string, lineWidth: number): void;
  polygon(points: readonly (readonly [number, number])[], color: string): void;
  /** Draws with this opacity until the next call (seal ink is translucent). */
  alpha(a: number): void;
}

const FONT_FILES = { regular: 'NotoSansSC-Regular.ttf', bold: 'NotoSansSC-Bold.ttf' } as const;

function fontsDirCandidates(): string[] {
  const found = findResource('fonts');
  return found ? [found] : [];
}

export interface DemoFonts {
  regularPath: string;
  boldPath: string;
  /**
   * Parsed once: pdfkit accepts a parsed fontkit font, and re-parsing the 10 MB TTF for every
   * PDF doubled the time of the whole demo.
   */
  regular: Font;
  bold: Font;
}

let cached: DemoFonts | null = null;

/** Canvas family names; distinct names so no system font can be picked instead. */
export const CANVAS_FAMILY = { regular: 'DeskDemoSans', bold: 'DeskDemoSansBold' } as const;

/** Finds the bundled Noto Sans SC and registers it with the canvas (no system font assumed). */
export function loadFonts(): DemoFonts {
  if (cached) return cached;
  const dir = fontsDirCandidates().find((d) => existsSync(join(d, FONT_FILES.regular)));
  if (!dir) throw new Error(`找不到字体 ${FONT_FILES.regular}（resources/fonts）`);
  const regularPath = join(dir, FONT_FILES.regular);
  const boldPath = existsSync(join(dir, FONT_FILES.bold)) ? join(dir, FONT_FILES.bold) : regularPath;
  GlobalFonts.registerFromPath(regularPath, CANVAS_FAMILY.regular);
  GlobalFonts.registerFromPath(boldPath, CANVAS_FAMILY.bold);
  cached = { regularPath, boldPath, regular: parseFont(readFileSync(regularPath)), bold: parseFont(readFileSync(boldPath)) };
  return cached;
}

export class CanvasPainter implements Painter {
  constructor(
    private readonly ctx: SKRSContext2D,
    readonly width: number,
    readonly height: number,
  ) {
    // An unregistered family silently falls back to whatever the system has (or tofu), so the
    // painter registers the bundled font itself rather than trusting callers to.
    loadFonts();
  }

  private font(size: number, bold: boolean | undefined): string {
    return `${size}px ${bold ? CANVAS_FAMILY.bold : CANVAS_FAMILY.regular}`;
  }

  rect(x: number, y: number, w: number, h: number, style: { fill?: string; stroke?: string; lineWidth?: number }): void {
    if (style.fill) {
      this.ctx.fillStyle = style.fill;
      this.ctx.fillRect(x, y, w, h);
    }
    if (style.stroke) {
      this.ctx.strokeStyle = style.stroke;
      this.ctx.lineWidth = style.lineWidth ?? 1;
      this.ctx.strokeRect(x, y, w, h);
    }
  }

  line(x1: number, y1: number, x2: number, y2: number, color: string, lineWidth: number): void {
    this.ctx.strokeStyle = color;
    this.ctx.lineWidth = lineWidth;
    this.ctx.beginPath();
    this.ctx.moveTo(x1, y1);
    this.ctx.lineTo(x2, y2);
    this.ctx.stroke();
  }

  text(s: string, x: number, y: number, style: TextStyle): void {
    this.ctx.font = this.font(style.size, style.bold);
    this.ctx.fillStyle = style.color ?? '#1a1a1a';
    this.ctx.textAlign = style.align ?? 'left';
    this.ctx.textBaseline = 'top';
    this.ctx.fillText(s, x, y);
  }

  measure(s: string, size: number, bold?: boolean): number {
    this.ctx.font = this.font(size, bold);
    return this.ctx.measureText(s).width;
  }

  glyph(ch: string, cx: number, cy: number, angle: number, size: number, color: string): void {
    this.ctx.save();
    this.ctx.translate(cx, cy);
    this.ctx.rotate(angle);
    this.ctx.font = this.font(size, true);
    this.ctx.fillStyle = color;
    this.ctx.textAlign = 'center';
    this.ctx.textBaseline = 'middle';
    this.ctx.fillText(ch, 0, 0);
    this.ctx.restore();
  }

  circle(cx: number, cy: number, r: number, color: string, lineWidth: number): void {
    this.ctx.strokeStyle = color;
    this.ctx.lineWidth = lineWidth;
    this.ctx.beginPath();
    this.ctx.arc(cx, cy, r, 0, Math.PI * 2);
    this.ctx.stroke();
  }

  polygon(points: readonly (readonly [number, number])[], color: string): void {
    this.ctx.fillStyle = color;
    this.ctx.beginPath();
    points.forEach(([x, y], i) => (i === 0 ? this.ctx.moveTo(x, y) : this.ctx.lineTo(x, y)));
    this.ctx.closePath();
    this.ctx.fill();
  }

  alpha(a: number): void {
    this.ctx.globalAlpha = a;
  }
}

/** pdfkit page; logical units are scaled by `k` here rather than with doc.scale(), because
 * pdfkit would otherwise compare scaled text positions with the page margin and add pages. */
const NOTO_ASCENT = 1.16;

export class PdfPainter implements Painter {
  private opacity = 1;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    readonly width: number,
    readonly height: number,
    private readonly k: number,
  ) {}

  private useFont(size: number, bold: boolean | undefined): void {
    this.doc.font(bold ? 'DemoBold' : 'DemoRegular').fontSize(size * this.k);
  }

  rect(x: number, y: number, w: number, h: number, style: { fill?: string; stroke?: string; lineWidth?: number }): void {
    const { k } = this;
    if (style.fill) this.doc.rect(x * k, y * k, w * k, h * k).fillOpacity(this.opacity).fill(style.fill);
    if (style.stroke) {
      this.doc.rect(x * k, y * k, w * k, h * k).lineWidth((style.lineWidth ?? 1) * k)
        .strokeOpacity(this.opacity).stroke(style.stroke);
    }
  }

  line(x1: number, y1: number, x2: number, y2: number, color: string, lineWidth: number): void {
    const { k } = this;
    this.doc.moveTo(x1 * k, y1 * k).lineTo(x2 * k, y2 * k).lineWidth(lineWidth * k).strokeOpacity(this.opacity).stroke(color);
  }

  text(s: string, x: number, y: number, style: TextStyle): void {
    this.useFont(style.size, style.bold);
    const w = this.doc.widthOfString(s);
    const align = style.align ?? 'left';
    const left = x * this.k - (align === 'center' ? w / 2 : align === 'right' ? w : 0);
    this.doc.fillColor(style.color ?? '#1a1a1a', this.opacity).text(s, left, y * this.k, { lineBreak: false });
  }

  measure(s: string, size: number, bold?: boolean): number {
    this.useFont(size, bold);
    return this.doc.widthOfString(s) / this.k;
  }

  glyph(ch: string, cx: number, cy: number, angle: number, size: number, color: string): void {
    const { k, doc } = this;
    this.useFont(size, true);
    const w = doc.widthOfString(ch);
    // pdfkit puts the line top at y and the baseline one ascender (1.16 em in Noto Sans SC) lower;
    // an ideograph's centre sits 0.38 em above the baseline.
    const top = -(NOTO_ASCENT - 0.38) * size * k;
    doc.save();
    doc.translate(cx * k, cy * k).rotate((angle * 180) / Math.PI);
    doc.fillColor(color, this.opacity).text(ch, -w / 2, top, { lineBreak: false });
    doc.restore();
  }

  circle(cx: number, cy: number, r: number, color: string, lineWidth: number): void {
    const { k } = this;
    this.doc.circle(cx * k, cy * k, r * k).lineWidth(lineWidth * k).strokeOpacity(this.opacity).stroke(color);
  }

  polygon(points: readonly (readonly [number, number])[], color: string): void {
    const { k } = this;
    const flat = points.map(([x, y]) => [x * k, y * k] as [number, number]);
    this.doc.polygon(...flat).fillOpacity(this.opacity).fill(color);
  }

  alpha(a: number): void {
    this.opacity = a;
  }
}

const NO_LINE_START = new Set([...'。，、；：？！）」』”’》']);

/** Greedy line breaking by measured width; Chinese breaks between any two characters. */
export function wrapText(p: Painter, text: string, size: number, width: number, indent = 0): string[] {
  const lines: string[] = [];
  let line = '';
  let limit = width - indent * size;
  for (const ch of text) {
    if (line !== '' && p.measure(line + ch, size) > limit) {
      // 避头: closing punctuation never starts a line; it hangs at the end of the previous one.
      if (NO_LINE_START.has(ch)) {
        line += ch;
        continue;
      }
      lines.push(line);
      line = '';
      limit = width;
    }
    line += ch;
  }
  if (line !== '') lines.push(line);
  return lines;
}

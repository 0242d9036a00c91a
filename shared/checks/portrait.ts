/**
 * Is this picture an ID portrait (标准证件照)? A heuristic over a small downscaled copy, no face
 * detector: an upright picture, a plain background around the top and the upper sides, and a
 * head-and-shoulders figure against it — a figure that covers a fair share of the picture, starts a
 * little below the top edge, is narrower at the head than at the shoulders, and fills the bottom
 * edge. A blank page, a photographed document (a few dark strokes on paper), a landscape scan or a
 * snapshot on a cluttered background fail one of these. Pure: pixels in, verdict out.
 */

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, row by row (what a canvas's getImageData gives). */
  data: Uint8Array | Uint8ClampedArray;
}

export type PortraitProblem = 'not_upright' | 'busy_background' | 'no_figure' | 'not_head_and_shoulders';

export interface PortraitVerdict {
  ok: boolean;
  problem: PortraitProblem | null;
  /** Why, in Chinese, for the report. */
  why: string;
  /** The measures the verdict rests on (for the report and for tuning). */
  measures: { aspect: number; background: number; figure: number; top: number; headWidth: number; bottom: number; centre: number };
}

/** Height over width of an ID photo: 1.25 (5:4 一寸) to 1.5 (3:2); 3:4 is 1.33. */
const ASPECT = { min: 1.15, max: 1.6 } as const;
/** A pixel this far (RGB distance) from the background colour belongs to the figure. */
const FIGURE_DISTANCE = 60;
/** Within this distance a border pixel counts as background. */
const BACKGROUND_DISTANCE = 40;

function dist(d: Uint8Array | Uint8ClampedArray, i: number, c: readonly [number, number, number]): number {
  const r = (d[i] ?? 0) - c[0];
  const g = (d[i + 1] ?? 0) - c[1];
  const b = (d[i + 2] ?? 0) - c[2];
  return Math.sqrt(r * r + g * g + b * b);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/**
 * `px` is the picture scaled down (about 60 px wide is plenty); `original` is its real pixel size,
 * whose shape decides uprightness (the copy may have been squeezed).
 */
export function portraitVerdict(px: Pixels, original: { width: number; height: number } = px): PortraitVerdict {
  const { width: w, height: h, data } = px;
  const aspect = original.width > 0 ? original.height / original.width : 0;
  const measures = { aspect: round(aspect), background: 0, figure: 0, top: 0, headWidth: 0, bottom: 0, centre: 0 };
  const fail = (problem: PortraitProblem, why: string): PortraitVerdict => ({ ok: false, problem, why, measures });
  if (aspect < ASPECT.min || aspect > ASPECT.max || w < 8 || h < 8) {
    return fail('not_upright', aspect < 1 ? '横向图片，不是竖版证件照' : `宽高比 1:${round(aspect)} 不是证件照比例（约 3:4）`);
  }
  // The background: the top rows and the upper part of both sides (the shoulders reach the lower sides).
  const border: number[] = [];
  const bandY = Math.max(1, Math.round(h * 0.06));
  const bandX = Math.max(1, Math.round(w * 0.08));
  for (let y = 0; y < Math.round(h * 0.55); y++) {
    for (let x = 0; x < w; x++) {
      if (y < bandY || x < bandX || x >= w - bandX) border.push((y * w + x) * 4);
    }
  }
  const bg: [number, number, number] = [0, 1, 2].map((c) => median(border.map((i) => data[i + c] ?? 0))) as [number, number, number];
  const plain = border.filter((i) => dist(data, i, bg) <= BACKGROUND_DISTANCE).length / border.length;
  measures.background = round(plain);
  if (plain < 0.85) return fail('busy_background', '背景不是单一颜色（证件照应为白色或蓝色等纯色背景）');

  // The figure: rows' share of pixels far from the background.
  const rowShare: number[] = [];
  let figure = 0;
  let sumX = 0;
  let upper = 0;
  for (let y = 0; y < h; y++) {
    let n = 0;
    for (let x = 0; x < w; x++) {
      if (dist(data, (y * w + x) * 4, bg) > FIGURE_DISTANCE) {
        n++;
        if (y < h / 2) {
          sumX += x;
          upper++;
        }
      }
    }
    rowShare.push(n / w);
    figure += n;
  }
  measures.figure = round(figure / (w * h));
  if (measures.figure < 0.15) return fail('no_figure', '画面几乎只有背景色，看不到人像（空白图片或文件照片）');
  const top = rowShare.findIndex((s) => s > 0.08);
  measures.top = round(top / h);
  const headRow = Math.min(h - 1, top + Math.round(h * 0.15));
  measures.headWidth = round(rowShare[headRow] ?? 0);
  const lastRows = rowShare.slice(Math.round(h * 0.9));
  measures.bottom = round(lastRows.reduce((s, x) => s + x, 0) / Math.max(1, lastRows.length));
  measures.centre = round(upper === 0 ? 0 : sumX / upper / w);
  const shaped = top >= Math.round(h * 0.02) && measures.top <= 0.4
    && measures.headWidth >= 0.18 && measures.headWidth <= 0.75
    && measures.bottom >= 0.45 && measures.headWidth < measures.bottom
    && measures.centre >= 0.3 && measures.centre <= 0.7;
  if (!shaped) return fail('not_head_and_shoulders', '没有居中的头肩人像（头部应在上方居中，肩部到达下边缘）');
  return { ok: true, problem: null, why: '', measures };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

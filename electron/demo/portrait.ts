/**
 * Demo ID photos (学籍照片): a head-and-shoulders figure on a plain white or blue background, as
 * a photo studio delivers them, and the wrong things a college folder also holds (a photographed
 * document, a noisy oversized export). Drawn, not photographed: no real face appears anywhere.
 */
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { DemoApplicant } from './model.js';
import { CanvasPainter } from './painter.js';
import type { Rng } from './random.js';
import { drawSheet, PORTRAIT, type Sheet } from './sheets.js';

const BACKGROUNDS = ['#ffffff', '#438edb', '#f4f4f2'] as const;
const SKIN = ['#f1c9a5', '#e8b98f', '#d9a47c', '#f3d2b5'] as const;
const HAIR = ['#1b1512', '#2b211b', '#3a2a20'] as const;
const CLOTHES = ['#1f2a44', '#2d2d2d', '#f5f5f5', '#3c4f6b', '#5a1e1e'] as const;

function ellipse(ctx: SKRSContext2D, cx: number, cy: number, rx: number, ry: number, fill: string): void {
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.ellipse(cx, cy, rx, ry, 0, 0, Math.PI * 2);
  ctx.fill();
}

/** Head, neck and shoulders centred on a plain background, sized as an ID photo frames them. */
export function drawPortrait(ctx: SKRSContext2D, w: number, h: number, rng: Rng, sex: '男' | '女' | ''): void {
  ctx.fillStyle = rng.pick(BACKGROUNDS);
  ctx.fillRect(0, 0, w, h);
  const cx = w / 2 + (rng.next() - 0.5) * w * 0.04;
  const skin = rng.pick(SKIN);
  const hair = rng.pick(HAIR);
  let clothes: string = rng.pick(CLOTHES);
  // White clothes on a white background would leave the shoulders invisible; studios avoid it too.
  if (clothes === '#f5f5f5') clothes = '#2d2d2d';
  const headY = h * (0.36 + (rng.next() - 0.5) * 0.03);
  const headRx = w * 0.2;
  const headRy = h * 0.17;
  // Shoulders: a rounded trapezoid from below the chin to the bottom edge.
  ctx.fillStyle = clothes;
  ctx.beginPath();
  ctx.moveTo(cx - w * 0.16, headY + headRy * 1.05);
  ctx.quadraticCurveTo(cx - w * 0.46, headY + headRy * 1.35, cx - w * 0.5, h);
  ctx.lineTo(cx + w * 0.5, h);
  ctx.quadraticCurveTo(cx + w * 0.46, headY + headRy * 1.35, cx + w * 0.16, headY + headRy * 1.05);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = skin;
  ctx.fillRect(cx - w * 0.07, headY + headRy * 0.6, w * 0.14, headRy * 0.6);
  // Hair behind the head, longer for some.
  const long = sex === '女' && rng.chance(0.6);
  ellipse(ctx, cx, headY - headRy * 0.12, headRx * 1.1, headRy * (long ? 1.25 : 1.02), hair);
  ellipse(ctx, cx, headY + headRy * 0.05, headRx, headRy, skin);
  // A fringe, eyes, brows and a mouth: enough for a face at a glance.
  ellipse(ctx, cx, headY - headRy * 0.78, headRx * 0.95, headRy * 0.32, hair);
  for (const side of [-1, 1]) {
    ellipse(ctx, cx + side * headRx * 0.38, headY - headRy * 0.02, headRx * 0.11, headRy * 0.06, '#2a1d17');
    ctx.fillStyle = hair;
    ctx.fillRect(cx + side * headRx * 0.38 - headRx * 0.17, headY - headRy * 0.22, headRx * 0.34, headRy * 0.05);
  }
  ellipse(ctx, cx, headY + headRy * 0.5, headRx * 0.22, headRy * 0.05, '#b5655a');
}

export function portraitCanvas(w: number, h: number, rng: Rng, sex: '男' | '女' | ''): Canvas {
  const canvas = createCanvas(w, h);
  drawPortrait(canvas.getContext('2d'), w, h, rng, sex);
  return canvas;
}

/** A phone photo of a letter (证明) at ID-photo size: what a folder holds when the wrong file was taken. */
export function documentPhotoCanvas(w: number, h: number, a: DemoApplicant, rng: Rng): Canvas {
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.scale(w / PORTRAIT.width, h / PORTRAIT.height);
  const sheet: Sheet = {
    orientation: 'portrait', frame: null, title: '证明', number: '',
    fields: [['姓名', a.declared.name], ['身份证号', a.declared.idNumber]],
    body: [`兹证明${a.declared.name}（身份证号：${a.declared.idNumber}）系我校${a.declared.major}专业学生。`, '特此证明。'],
    issuer: a.declared.school, date: '2024年1月10日', signature: '',
  };
  drawSheet(new CanvasPainter(ctx, PORTRAIT.width, PORTRAIT.height), sheet, rng);
  return canvas;
}

/** Sensor noise over a portrait, so its JPEG comes out several times the size a clean one does. */
export function addNoise(canvas: Canvas, rng: Rng, spread: number): void {
  const ctx = canvas.getContext('2d');
  const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < img.data.length; i += 4) {
    for (let c = 0; c < 3; c++) img.data[i + c] = Math.max(0, Math.min(255, (img.data[i + c] ?? 0) + (rng.next() - 0.5) * spread));
  }
  ctx.putImageData(img, 0, 0);
}

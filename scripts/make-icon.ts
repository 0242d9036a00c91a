/**
 * Draws the app icon (resources/icons/): a red seal-like square with 审 in white and a check mark,
 * the colours of an official stamp, readable at 16 px in the taskbar. Writes icon.png (512 px,
 * what the window uses in development and electron-builder takes for Linux/macOS), icon-256.png,
 * and icon.ico for Windows with every size Explorer asks for (PNG-compressed entries, which
 * Windows reads since Vista). `npm run gen:icon`; the results are committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';

const OUT = 'resources/icons';
GlobalFonts.registerFromPath('resources/fonts/NotoSansSC-Bold.ttf', 'NotoSansSCBold');

function draw(size: number): Buffer {
  const c = createCanvas(size, size);
  const g = c.getContext('2d');
  const s = size / 512;
  // A rounded square with a little margin, like the system's app icons.
  const m = 24 * s;
  const r = 96 * s;
  const w = size - 2 * m;
  g.beginPath();
  g.moveTo(m + r, m);
  g.arcTo(m + w, m, m + w, m + w, r);
  g.arcTo(m + w, m + w, m, m + w, r);
  g.arcTo(m, m + w, m, m, r);
  g.arcTo(m, m, m + w, m, r);
  g.closePath();
  const grad = g.createLinearGradient(0, m, 0, m + w);
  grad.addColorStop(0, '#d23a2f');
  grad.addColorStop(1, '#a51d16');
  g.fillStyle = grad;
  g.fill();
  // The inner frame of a seal (left out at small sizes, where it would be a blur).
  if (size >= 48) {
    g.strokeStyle = 'rgba(255,255,255,0.85)';
    g.lineWidth = 14 * s;
    const f = m + 44 * s;
    g.strokeRect(f, f, size - 2 * f, size - 2 * f);
  }
  g.fillStyle = '#ffffff';
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.font = `${Math.round((size >= 48 ? 270 : 330) * s)}px NotoSansSCBold`;
  g.fillText('审', size / 2, size / 2 - (size >= 48 ? 18 : 6) * s);
  // The check mark: a green badge at the lower right (approved).
  if (size >= 32) {
    const cx = size - m - 70 * s;
    const cy = size - m - 70 * s;
    g.beginPath();
    g.arc(cx, cy, 74 * s, 0, Math.PI * 2);
    g.fillStyle = '#ffffff';
    g.fill();
    g.beginPath();
    g.arc(cx, cy, 62 * s, 0, Math.PI * 2);
    g.fillStyle = '#1f8a4c';
    g.fill();
    g.beginPath();
    g.moveTo(cx - 32 * s, cy + 2 * s);
    g.lineTo(cx - 8 * s, cy + 26 * s);
    g.lineTo(cx + 34 * s, cy - 24 * s);
    g.strokeStyle = '#ffffff';
    g.lineWidth = 16 * s;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.stroke();
  }
  return c.toBuffer('image/png');
}

/** An .ico holding PNG images (one directory entry each; 256 is written as 0). */
function ico(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const dir = Buffer.alloc(16 * images.length);
  let offset = header.length + dir.length;
  images.forEach((img, i) => {
    const o = i * 16;
    dir.writeUInt8(img.size >= 256 ? 0 : img.size, o);
    dir.writeUInt8(img.size >= 256 ? 0 : img.size, o + 1);
    dir.writeUInt8(0, o + 2);
    dir.writeUInt8(0, o + 3);
    dir.writeUInt16LE(1, o + 4);
    dir.writeUInt16LE(32, o + 6);
    dir.writeUInt32LE(img.png.length, o + 8);
    dir.writeUInt32LE(offset, o + 12);
    offset += img.png.length;
  });
  return Buffer.concat([header, dir, ...images.map((i) => i.png)]);
}

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'icon.png'), draw(512));
writeFileSync(join(OUT, 'icon-256.png'), draw(256));
writeFileSync(join(OUT, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: draw(size) }))));
console.log(`icons written to ${OUT}/`);

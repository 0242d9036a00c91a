/**
 * The OCR engine's pure parts: regions grouped into lines without losing their own boxes, and a
 * PDF text item's characters given boxes as tall as their ink.
 */
import { describe, expect, it } from 'vitest';
import { glyphBoxes, groupLines, textLines } from '../../../electron/ocr/engine.js';
import type { Detected } from '../../../electron/ocr/paddle.js';
import { subBox } from '../../../shared/ocr/extract.js';

const region = (text: string, x: number, y: number, w: number, h = 22): Detected => ({
  text, conf: 0.98, confs: [...text].map(() => 0.98), chars: [...text].flatMap((_, i) => [x + (i * w) / text.length, y, x + ((i + 1) * w) / text.length, y + h]), box: { x, y, w, h },
});

describe('groupLines', () => {
  it('puts regions of one visual line together, left to right, each keeping its box', () => {
    const lines = groupLines([
      region('身份证号：430202200111127435', 598, 250, 380),
      region('姓名：', 107, 206, 64),
      region('杨宏毅', 251, 206, 69),
      region('性别：男', 598, 204, 100, 26),
      region('出生年月：2001年11月', 107, 252, 240),
    ]);
    expect(lines.map((l) => l.text)).toEqual(['姓名： 杨宏毅 性别：男', '出生年月：2001年11月 身份证号：430202200111127435']);
    expect(lines[0]?.segments.map((s) => s.box.x)).toEqual([107, 251, 598]);
    // The name's box is its own region's, not the line's.
    expect(subBox(lines[0]!, 4, 7)).toEqual({ x: 251, y: 206, w: 69, h: 22 });
  });
});

describe('PDF text items', () => {
  it('give each character a box: digits 0.55 em wide and as tall as their ink', () => {
    const boxes = glyphBoxes('号：4301', 100, 200, 24, 24 + 24 + 4 * 13.2);
    expect(boxes.slice(0, 4)).toEqual([100, 200 - 0.88 * 24, 124, 200 + 0.06 * 24]);
    expect(boxes[8]).toBeCloseTo(148, 5);
    expect(boxes[9]).toBeCloseTo(200 - 0.76 * 24, 5);
    expect(boxes[10]! - boxes[8]!).toBeCloseTo(13.2, 5);
    expect(boxes[11]).toBe(200);
  });

  it('an ID number in a sentence of the text layer gets the box of its digits', () => {
    const [line] = textLines([{ str: '兹证明杨宏毅（身份证号：430202200111127435），', x: 100, baseline: 300, size: 26, width: 26 * 14 + 18 * 26 * 0.55 }]);
    const at = line!.text.indexOf('4302');
    const box = subBox(line!, at, at + 18);
    expect(box.x).toBeCloseTo(100 + 12 * 26, 0);
    expect(box.w).toBeCloseTo(18 * 26 * 0.55, 0);
    expect(box.h).toBeCloseTo(0.76 * 26, 0);
  });
});

/** Boxes from the OCR's upright frame onto the viewer's turned, scaled scan (shared/ocr/geometry). */
import { describe, expect, it } from 'vitest';
import { boxOnScreen, turnBox } from '../../../shared/ocr/geometry.js';
import type { Box, Rotation } from '../../../shared/ocr/types.js';

// A 100×50 frame with a 10×5 box near the top-left corner.
const BOX: Box = { x: 10, y: 5, w: 10, h: 5 };

describe('turnBox', () => {
  it.each([
    [0, { x: 10, y: 5, w: 10, h: 5 }, 100, 50],
    [90, { x: 40, y: 10, w: 5, h: 10 }, 50, 100],
    [180, { x: 80, y: 40, w: 10, h: 5 }, 100, 50],
    [270, { x: 5, y: 80, w: 5, h: 10 }, 50, 100],
  ] as const)('turned %i°', (turn, box, width, height) => {
    expect(turnBox(BOX, 100, 50, turn)).toEqual({ box, width, height });
  });

  it.each([0, 90, 180, 270] as Rotation[])('four quarter turns of %i° lead back', (turn) => {
    let t = { box: BOX, width: 100, height: 50 };
    for (let i = 0; i < 4; i++) t = turnBox(t.box, t.width, t.height, turn);
    expect(t).toEqual({ box: BOX, width: 100, height: 50 });
  });
});

describe('boxOnScreen', () => {
  it('scales to the displayed size when the viewer shows the OCR orientation', () => {
    expect(boxOnScreen(BOX, { width: 100, height: 50, rotation: 270 }, 270, 200, 100)).toEqual({ x: 20, y: 10, w: 20, h: 10 });
  });

  it('turns the box when the viewer shows the image as stored', () => {
    // OCR turned the stored image 270° to read it; the viewer shows it unturned (0°), i.e. the
    // upright frame turned a further 90°.
    expect(boxOnScreen(BOX, { width: 100, height: 50, rotation: 270 }, 0, 50, 100)).toEqual({ x: 40, y: 10, w: 5, h: 10 });
  });
});

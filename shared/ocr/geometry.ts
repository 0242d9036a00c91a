/**
 * Boxes from the OCR frame into what the viewer shows. The OCR states boxes on the upright page
 * (the stored image turned by its found rotation); the viewer may show the image turned by
 * another rotation (the reviewer's choice) and at any size.
 */
import type { Box, Rotation } from './types.js';

/** A box of a W×H frame after the frame is turned clockwise by `turn`; returns the new frame too. */
export function turnBox(box: Box, width: number, height: number, turn: Rotation): { box: Box; width: number; height: number } {
  switch (turn) {
    case 90:
      return { box: { x: height - box.y - box.h, y: box.x, w: box.h, h: box.w }, width: height, height: width };
    case 180:
      return { box: { x: width - box.x - box.w, y: height - box.y - box.h, w: box.w, h: box.h }, width, height };
    case 270:
      return { box: { x: box.y, y: width - box.x - box.w, w: box.h, h: box.w }, width: height, height: width };
    default:
      return { box: { ...box }, width, height };
  }
}

/**
 * Where to draw an OCR box over a scan displayed at `shownWidth` × `shownHeight` pixels and turned
 * by `viewRotation` (the stored image's turn in the viewer).
 */
export function boxOnScreen(
  box: Box,
  page: { width: number; height: number; rotation: Rotation },
  viewRotation: Rotation,
  shownWidth: number,
  shownHeight: number,
): Box {
  const turn = (((viewRotation - page.rotation) % 360) + 360) % 360 as Rotation;
  const t = turnBox(box, page.width, page.height, turn);
  const kx = t.width === 0 ? 0 : shownWidth / t.width;
  const ky = t.height === 0 ? 0 : shownHeight / t.height;
  return { x: t.box.x * kx, y: t.box.y * ky, w: t.box.w * kx, h: t.box.h * ky };
}

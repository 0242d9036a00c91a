// Its own file, so it runs in a fresh process where nothing has registered the bundled font yet.
import { GlobalFonts } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { planDemo } from '../../../electron/demo/model.js';
import { CANVAS_FAMILY } from '../../../electron/demo/painter.js';
import { Rng } from '../../../electron/demo/random.js';
import { renderDocument } from '../../../electron/demo/render.js';

describe('scan fonts', () => {
  it('an image scan rendered first, before any PDF, still uses the bundled Noto Sans SC', async () => {
    expect(GlobalFonts.has(CANVAS_FAMILY.regular)).toBe(false);
    const plan = planDemo({ applicants: 3, seed: 4 });
    const doc = plan.documents[0];
    const applicant = plan.applicants[doc?.applicant ?? -1];
    if (!doc || !applicant) throw new Error('the plan has no document');
    const png = await renderDocument({ ...doc, format: 'png', large: false, rotated: 0, blank: false, corrupt: false }, applicant, new Rng(1));
    expect(png.subarray(0, 4).toString('hex')).toBe('89504e47');
    expect(GlobalFonts.has(CANVAS_FAMILY.regular)).toBe(true);
    expect(GlobalFonts.has(CANVAS_FAMILY.bold)).toBe(true);
  });
});

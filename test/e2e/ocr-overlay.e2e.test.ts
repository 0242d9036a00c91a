/**
 * OCR findings on the scan, end to end in Chromium: a demo applicant whose text-layer PDF
 * shows another name than declared is read by the OCR area (only that applicant), then the
 * review desk draws a red frame over the name on the scan and a green one over the ID number;
 * the declared name links to it with a ✗ mark; the frames toggle off and on (remembered over a
 * reload). Pixels are counted in screenshots of the frame's region with the frames shown and
 * hidden, so a red seal printed on the certificate cannot pass for the overlay. A scan stored
 * turned by 90° opens upright (the rotation OCR found) with its frames on the right words,
 * without that default being stored as the reviewer's choice. Each case opens the desk afresh
 * (openDesk), so any one passes alone.
 * Screenshots go to test-artifacts/ocr-overlay-*.png.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport, OcrDocumentView, OcrRunReport, QueueIndex, QueueRow } from '../../shared/api/index.js';
import { apiCall, ARTIFACTS, openBrowser, openDesk, screenshot, startDesk, type BrowserFixture, type DeskFixture } from './harness.js';

// A demo whose name_on_scan_differs defect sits on a text-layer PDF (脱贫证明) and that has an
// image stored turned by 90° (毕业证), so one desk serves both the frames and the found rotation.
const DEMO = { applicants: 30, seed: 11 };
const RED_BOX = '.ocr-overlay [data-field="name"][data-status="differ"]';
const GREEN_BOX = '.ocr-overlay [data-field="idNumber"][data-status="agree"]';

interface Colours {
  red: number;
  green: number;
  total: number;
}

/** Red and green pixels in a region of the page's screenshot (decoded in the page: no PNG library needed). */
async function coloursIn(page: Page, clip: { x: number; y: number; width: number; height: number }, name: string): Promise<Colours> {
  const png = await page.screenshot({ clip, path: join(ARTIFACTS, `${name}.png`) });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let red = 0;
    let green = 0;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i]!, g = data[i + 1]!, bl = data[i + 2]!;
      if (r > 170 && g < 90 && bl < 90) red++;
      if (g > 120 && r < 80 && bl < 130) green++;
    }
    return { red, green, total: c.width * c.height };
  }, png.toString('base64'));
}

/** The region of an element with a margin for its border and label, kept inside the viewport. */
async function regionOf(page: Page, selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  const x = Math.max(0, Math.floor(box.x - 4));
  const y = Math.max(0, Math.floor(box.y - 22));
  return { x, y, width: Math.ceil(box.width + 8), height: Math.ceil(box.height + 26) };
}

describe('OCR overlay in the document viewer', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  let idNumber = '';
  let view: OcrDocumentView | undefined;
  let turned: { idNumber: string; file: string; rotated: number } | undefined;
  let differs: QueueRow | undefined;
  const api = <T,>(name: string, args: unknown): Promise<T> => apiCall<T>(fx.host, name, args);

  beforeAll(async () => {
    fx = await startDesk(DEMO);
    const defect = fx.truth.defects.find((d) => {
      const doc = fx.truth.documents.find((x) => x.file === d.document);
      return d.type === 'name_on_scan_differs' && doc?.format === 'pdf' && !doc.imageOnly;
    });
    if (!defect?.document) throw new Error('the demo has no name_on_scan_differs on a text PDF; pick another seed');
    idNumber = defect.idNumber;
    await api<ImportReport>('import.run', { listPath: join(fx.demoDir, 'applicants.xlsx'), attachmentsPath: join(fx.demoDir, 'attachments') });
    // Reads this one applicant now and waits (their images take seconds each; the PDF's text layer is instant).
    const run = await api<OcrRunReport>('ocr.run', { idNumber });
    expect(run.documents).toBeGreaterThan(0);
    const views = await api<OcrDocumentView[]>('ocr.forApplicant', { idNumber });
    view = views.find((v) => v.originalName === defect.document);
    turned = fx.truth.documents.find((d) => d.rotated !== 0 && (d.format === 'jpeg' || d.format === 'png'));
    if (turned) await api<OcrRunReport>('ocr.run', { idNumber: turned.idNumber });
    differs = (await api<QueueIndex>('review.queue', {})).rows.find((r) => r.idNumber === idNumber);
    br = await openBrowser();
    await br.page.goto(fx.host.link());
    await br.page.waitForSelector('.queue-list li[role=option]');
  }, 240_000);
  afterAll(async () => {
    await br?.close();
    await fx?.close();
  });

  it('has read a differing name and the agreeing ID on the text PDF', () => {
    expect(view?.state).toBe('done');
    expect(view?.pages[0]?.source).toBe('text');
    const name = view?.fields.find((f) => f.field === 'name');
    expect(name?.status).toBe('differ');
    expect(name?.box).not.toBeNull();
    expect(view?.fields.find((f) => f.field === 'idNumber')?.status).toBe('agree');
  });

  it('draws a red frame over the name and a green one over the ID on the scan', async () => {
    const { page } = br;
    await openDesk(page);
    await page.keyboard.press('/');
    await page.keyboard.type(idNumber.slice(-6));
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="current-status"]');

    // The declared name is marked ✗ and links to the scan: its document and page open.
    const nameLink = page.locator('dd[data-field="name"] button.ocr-jump');
    await expect(nameLink.getAttribute('data-ocr-status')).resolves.toBe('differ');
    await expect(page.locator('dd[data-field="name"] .ocr-mark.differ').textContent()).resolves.toBe('✗');
    await expect(page.locator('dd[data-field="idNumber"] .ocr-mark').count()).resolves.toBe(1);
    await nameLink.click();
    await page.waitForSelector(`canvas.scan-pdf[data-doc-id="${view?.documentId}"][data-rendered="true"]`, { timeout: 30_000 });
    await page.waitForSelector(RED_BOX);
    await page.waitForSelector(`${RED_BOX}.ocr-flash`);
    await page.waitForSelector(GREEN_BOX);
    const found = view?.fields.find((f) => f.field === 'name')?.found ?? '';
    await expect(page.locator(RED_BOX).getAttribute('title')).resolves.toContain(found);
    await expect(page.locator(`${RED_BOX} .ocr-label`).textContent()).resolves.toContain(found);

    // The frame lies over the scan, not beside it.
    const canvas = await page.locator('canvas.scan-pdf').boundingBox();
    const red = await page.locator(RED_BOX).boundingBox();
    expect(canvas && red).toBeTruthy();
    if (canvas && red) {
      expect(red.x).toBeGreaterThanOrEqual(canvas.x - 4);
      expect(red.y).toBeGreaterThanOrEqual(canvas.y - 4);
      expect(red.x + red.width).toBeLessThanOrEqual(canvas.x + canvas.width + 4);
      expect(red.y + red.height).toBeLessThanOrEqual(canvas.y + canvas.height + 4);
    }
    // Let the flash finish so the screenshots show the frames as they rest.
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAnimations().length === 0, RED_BOX);
    await screenshot(page, 'ocr-overlay-01-frames');
    const redRegion = await regionOf(page, RED_BOX);
    const greenRegion = await regionOf(page, GREEN_BOX);
    const redOn = await coloursIn(page, redRegion, 'ocr-overlay-02-red-region');
    const greenOn = await coloursIn(page, greenRegion, 'ocr-overlay-03-green-region');

    // Hidden with the toolbar toggle: the same regions lose their red and green.
    await page.click('[data-testid="ocr-toggle"]');
    await page.waitForSelector('.ocr-overlay', { state: 'detached' });
    const redOff = await coloursIn(page, redRegion, 'ocr-overlay-04-red-region-hidden');
    const greenOff = await coloursIn(page, greenRegion, 'ocr-overlay-05-green-region-hidden');
    // A 2-pixel frame around the region is at least its perimeter's worth of pixels.
    expect(redOn.red - redOff.red).toBeGreaterThan(redRegion.width + redRegion.height);
    expect(greenOn.green - greenOff.green).toBeGreaterThan(greenRegion.width + greenRegion.height);
  });

  it('remembers the hidden frames over a reload and shows them again with Shift+B', async () => {
    const { page } = br;
    if (!differs) throw new Error('the applicant with the differing name is not in the queue');
    await openDesk(page, { select: differs });
    await page.locator('dd[data-field="name"] button.ocr-jump').click();
    await page.waitForSelector(RED_BOX);
    await page.click('[data-testid="ocr-toggle"]');
    await page.waitForSelector('.ocr-overlay', { state: 'detached' });
    await expect(page.evaluate(() => localStorage.getItem('desk.ocrBoxes'))).resolves.toBe('off');
    await page.reload();
    await page.waitForSelector('[data-testid="current-status"]');
    await page.waitForSelector('canvas.scan-pdf[data-rendered="true"], img.scan-image');
    await expect(page.locator('[data-testid="ocr-toggle"]').getAttribute('aria-pressed')).resolves.toBe('false');
    await expect(page.locator('.ocr-overlay').count()).resolves.toBe(0);
    // After the reload no control has the focus: Shift+B reaches the desk.
    await page.waitForFunction(() => document.activeElement === document.body);
    await page.keyboard.press('Shift+B');
    await expect(page.locator('[data-testid="ocr-toggle"]').getAttribute('aria-pressed')).resolves.toBe('true');
    await page.locator('dd[data-field="name"] button.ocr-jump').click();
    await page.waitForSelector(RED_BOX);
    await screenshot(page, 'ocr-overlay-06-after-reload');
  });

  it('opens an image stored turned at the rotation OCR found, frames on it, without storing that turn', async () => {
    if (!turned) throw new Error('the demo has no turned image; pick another seed');
    const { page } = br;
    const views = await api<OcrDocumentView[]>('ocr.forApplicant', { idNumber: turned.idNumber });
    const v = views.find((x) => x.originalName === turned?.file);
    expect(v?.state).toBe('done');
    // The generator turned the scan by `rotated` clockwise; turning it back upright is the rest of the circle.
    expect(v?.pages[0]?.rotation).toBe((360 - turned.rotated) % 360);
    const agreeing = v?.fields.filter((f) => f.status === 'agree' && f.box) ?? [];
    expect(agreeing.length).toBeGreaterThan(0);

    await openDesk(page);
    await page.keyboard.press('/');
    await page.keyboard.type(turned.idNumber.slice(-6));
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="current-status"]');
    await page.waitForFunction((n) => document.querySelector('h2')?.textContent?.length && document.querySelectorAll('.doc-tabs [role=tab]').length === n, views.length);
    const tab = views.findIndex((x) => x.documentId === v?.documentId);
    await page.locator('.doc-tabs [role=tab]').nth(tab).click();
    const img = page.locator(`img.scan-image[data-doc-id="${v?.documentId}"]`);
    await img.waitFor();
    await expect(img.getAttribute('data-rotation')).resolves.toBe(String(v?.pages[0]?.rotation));
    await page.waitForSelector('.ocr-overlay [data-status="agree"]');
    const frames = await page.locator('.ocr-overlay [data-status="agree"]').count();
    expect(frames).toBe(agreeing.length);
    // Every frame lies within the turned image as displayed.
    const shown = await page.locator('.scan-box').boundingBox();
    for (let i = 0; i < frames; i++) {
      const b = await page.locator('.ocr-overlay [data-status="agree"]').nth(i).boundingBox();
      expect(shown && b).toBeTruthy();
      if (shown && b) {
        expect(b.x).toBeGreaterThanOrEqual(shown.x - 4);
        expect(b.x + b.width).toBeLessThanOrEqual(shown.x + shown.width + 4);
        expect(b.y).toBeGreaterThanOrEqual(shown.y - 4);
        expect(b.y + b.height).toBeLessThanOrEqual(shown.y + shown.height + 4);
      }
    }
    await screenshot(page, 'ocr-overlay-07-turned-image');
    // The default is OCR's; the reviewer's stored turns stay as they were (none).
    const app = await api<{ rotations: Record<number, number> }>('review.applicant', { idNumber: turned.idNumber });
    expect(app.rotations[v?.documentId ?? 0]).toBeUndefined();
  });
});

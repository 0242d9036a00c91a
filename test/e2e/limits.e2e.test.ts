/**
 * Issue 19, PDF page cap in the viewer: a scan of more pages than LIMITS.pdf.maxViewPages opens
 * on its first page, the page count names all of them, and the viewer says that only the first
 * ones are shown (it never offers to draw page 100,000). Screenshot at 1366×768:
 * test-artifacts/limits-viewer-page-cap.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/api/index.js';
import { LIMITS } from '../../shared/limits.js';
import { csv, HEADER, row, validId } from '../unit/import/helpers.js';
import { apiCall, openBrowser, screenshot, startDesk, type BrowserFixture, type DeskFixture } from './harness.js';

const PAGES = LIMITS.pdf.maxViewPages + 20;

async function longPdf(pages: number): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A6', margin: 20 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((r) => doc.on('end', () => r()));
  for (let i = 1; i <= pages; i++) {
    if (i > 1) doc.addPage();
    doc.fontSize(18).text(`Page ${i} of ${pages}`);
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

let fx: DeskFixture;
let br: BrowserFixture;

beforeAll(async () => {
  fx = await startDesk({ applicants: 4 });
  const list = join(fx.root, '名单 长PDF.csv');
  writeFileSync(list, csv([HEADER, row(1)]));
  const folder = join(fx.root, '附件 长PDF');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${validId(1)}_毕业证.pdf`), await longPdf(PAGES));
  const report = await apiCall<ImportReport>(fx.host, 'import.run', { listPath: list, attachmentsPath: folder });
  expect(report.documents).toBe(1);
  br = await openBrowser();
  await br.page.setViewportSize({ width: 1366, height: 768 });
  await br.page.goto(fx.host.link());
  await br.page.waitForSelector('.queue-list li[role=option]');
}, 120_000);

afterAll(async () => {
  await br?.close();
  await fx?.close();
});

describe('PDF page cap in the viewer (issue 19)', () => {
  it(`attack: a PDF of ${PAGES} pages shows its first ${LIMITS.pdf.maxViewPages} and says so`, async () => {
    const page = br.page;
    await page.locator('.queue-list li[role=option]').first().click();
    const cap = page.locator('[data-testid="viewer-page-cap"]');
    await cap.waitFor();
    expect(await cap.textContent()).toContain(String(LIMITS.pdf.maxViewPages));
    await expect.poll(() => page.locator('.viewer-pages span').first().textContent()).toContain(`/ ${PAGES}`);
    // The thumbnails are of the pages that may be shown, never one per page of the file.
    expect(await page.locator('.viewer-thumbs > *').count()).toBeLessThanOrEqual(LIMITS.pdf.maxViewPages);
    await screenshot(page, 'limits-viewer-page-cap');
  });
});

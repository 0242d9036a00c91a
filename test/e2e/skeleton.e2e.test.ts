/**
 * The walking skeleton end to end, in real Chromium through the loopback host: import the demo
 * college, open an applicant, see a PDF page and an image render (pixels, not DOM), approve one,
 * reject one, reload, and find both decisions. The import runs once, for whichever case needs it
 * first, so each case also passes alone.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicantSummary, ImportReport } from '../../shared/api/index.js';
import { apiCall, hostCall, openBrowser, pixelStats, screenshot, startDesk, type BrowserFixture, type DeskFixture } from './harness.js';


describe('walking skeleton in Chromium', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  let imported: Promise<ImportReport> | undefined;
  /** The demo college imported through the loopback host, once. */
  const importDemo = (): Promise<ImportReport> =>
    (imported ??= apiCall<ImportReport>(fx.host, 'import.run', { listPath: join(fx.demoDir, 'applicants.xlsx'), attachmentsPath: join(fx.demoDir, 'attachments') }));

  beforeAll(async () => {
    fx = await startDesk({ applicants: 16, seed: 7 });
    br = await openBrowser();
  });
  afterAll(async () => {
    await br?.close();
    await fx?.close();
  });

  it('refuses requests without the token and from foreign origins', async () => {
    const noToken = await fetch(`${fx.host.origin}/api/status.summary`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    const foreign = await fetch(`${fx.host.origin}/api/status.summary`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${fx.host.token}`, Origin: 'http://evil.example' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
  });

  it('imports the demo college through the loopback host', async () => {
    const report = await importDemo();
    expect(report.added).toBe(16);
    expect(report.documents).toBeGreaterThan(10);
  });

  it('shows a PDF page and an image, records approve and reject, and keeps them after reload', async () => {
    const { page } = br;
    await importDemo();
    await page.goto(fx.host.link());
    await page.waitForSelector('.queue-list li[role=option]');
    await screenshot(page, 'skeleton-01-queue');
    // Lists never show full ID numbers.
    const queueText = await page.textContent('.queue-list');
    for (const d of fx.truth.documents) expect(queueText).not.toContain(d.idNumber);

    // An applicant with a text PDF and one with an image scan, neither with a planted defect (an
    // error finding would make the approval ask for a note).
    const clean = (d: { idNumber: string }): boolean => !fx.truth.defects.some((x) => x.idNumber === d.idNumber);
    const pdfDoc = fx.truth.documents.find((d) => d.format === 'pdf' && clean(d))!;
    const imgDoc = fx.truth.documents.find((d) => d.format !== 'pdf' && d.idNumber !== pdfDoc.idNumber && clean(d))!;
    expect(pdfDoc).toBeTruthy();
    expect(imgDoc).toBeTruthy();
    const list = await hostCall<ApplicantSummary[]>(fx.host, 'applicants.list', {});
    if (!list.ok) throw new Error(list.error.message);
    const pdfApplicant = list.value.find((a) => a.idNumber === pdfDoc.idNumber)!;
    const imgApplicant = list.value.find((a) => a.idNumber === imgDoc.idNumber)!;

    // PDF: rendered by pdf.js onto a canvas with real ink on it.
    await page.click(`.queue-list li[data-id-masked="${pdfApplicant.idMasked}"]`);
    await page.waitForSelector('.declared h2');
    const kindLabel = { diploma: '毕业证', discharge_cert: '退役证', unit_cert: '部队证明', award_cert: '获奖证书', poverty_proof: '脱贫证明', merit_cert: '立功证书', photo: '照片', other: '其他' } as Record<string, string>;
    await page.click(`.doc-tabs button:has-text("${kindLabel[pdfDoc.kind]}")`);
    await page.waitForSelector('canvas.scan-pdf[data-rendered="true"]', { timeout: 30_000 });
    const pdfPixels = await pixelStats(page, 'canvas.scan-pdf');
    expect(pdfPixels.width).toBeGreaterThan(300);
    expect(pdfPixels.nonWhite / pdfPixels.total).toBeGreaterThan(0.01);
    expect(pdfPixels.red).toBeGreaterThan(50); // the red seal
    await screenshot(page, 'skeleton-02-pdf');

    // Approve it (one click; the full ID number is shown only in the applicant view).
    await page.fill('input.reviewer', '李老师');
    await page.click('button.btn.approve');
    await page.waitForSelector(`.queue-list li[data-id-masked="${pdfApplicant.idMasked}"] .status-approve`);
    // The clicked button lets go of the focus: the next key belongs to the desk again.
    await page.waitForFunction(() => document.activeElement === document.body);

    // Image: decoded by the browser with real ink on it.
    await page.click(`.queue-list li[data-id-masked="${imgApplicant.idMasked}"]`);
    await page.waitForSelector('.declared h2');
    await page.click(`.doc-tabs button:has-text("${kindLabel[imgDoc.kind]}")`);
    await page.waitForFunction(() => {
      const img = document.querySelector('img.scan-image') as HTMLImageElement | null;
      return !!img && img.complete && img.naturalWidth > 0;
    });
    const imgPixels = await pixelStats(page, 'img.scan-image');
    expect(imgPixels.nonWhite / imgPixels.total).toBeGreaterThan(0.01);
    await screenshot(page, 'skeleton-03-image');

    // Reject with a reason.
    await page.check('.reasons input[value="blurry"]');
    await page.fill('input.note', '扫描件看不清');
    await page.click('button.btn.reject');
    // With auto-advance on (the default) the desk moves on; the queue row shows the decision.
    await page.waitForSelector(`.queue-list li[data-id-masked="${imgApplicant.idMasked}"] .status:has-text("不通过")`);

    // Reload: both decisions persisted (state derived from the log in SQLite).
    await page.reload();
    await page.waitForSelector('.queue-list li[role=option]');
    await page.selectOption('[data-testid="status-filter"]', 'approve');
    await page.waitForSelector(`.queue-list li[data-id-masked="${pdfApplicant.idMasked}"]`);
    await page.selectOption('[data-testid="status-filter"]', 'reject');
    await page.waitForSelector(`.queue-list li[data-id-masked="${imgApplicant.idMasked}"]`);
    await screenshot(page, 'skeleton-04-after-reload');
    const status = await hostCall<{ byDecision: Record<string, number> }>(fx.host, 'status.summary', {});
    expect(status.ok && status.value.byDecision).toMatchObject({ approve: 1, reject: 1 });
  });
});

/**
 * 名单与照片 in Chromium at 1366×768 (opened from 导入名单, as the toolbar has no room for it there): a cross-check list and the college's photo folder chosen with
 * file inputs (uploaded, never a typed path), the list imported and its applicants flagged, the
 * photo report shown as a table and downloaded as the xlsx the registrar fixes the folder from.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrossListStatus, ImportReport, PhotoCheckReport } from '../../shared/api/index.js';
import { CROSS_LIST_FILES, LISTS_DIR, PHOTOS_DIR } from '../../electron/demo/generate.js';
import { apiCall, openBrowser, openDesk, screenshot, standInBridge, startDesk, type BrowserFixture, type DeskFixture } from './harness.js';

describe('cross-check lists and the photo check in the desk', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  beforeAll(async () => {
    // 100 applicants: the demo gives every new defect kind at least one applicant from there on.
    // The scans are not needed here: the list alone.
    fx = await startDesk({ applicants: 100, seed: 7 });
    await apiCall<ImportReport>(fx.host, 'import.run', { listPath: join(fx.demoDir, 'applicants.xlsx') });
    br = await openBrowser();
    await br.page.setViewportSize({ width: 1366, height: 768 });
  }, 300_000);
  afterAll(async () => {
    await br?.close();
    await fx?.close();
  });

  it('imports a list chosen with a file input and flags the applicants on it', async () => {
    const { page } = br;
    await page.goto(fx.host.url);
    await openDesk(page);
    // At 1366 px the toolbar has no room for the tool: it opens from 导入名单's first step.
    expect(await page.locator('button[data-tool="lists"]').isVisible()).toBe(false);
    await page.click('button[data-tool="import"]');
    await page.click('[data-testid="iw-open-lists"]');
    await page.waitForSelector('[data-testid="lists-status"] tr[data-list="admitted"]:has-text("尚未导入")');
    // No typed path anywhere in the panel's main flow: the file goes up through the input.
    await page.selectOption('[data-testid="lists-kind"]', 'admitted');
    await page.setInputFiles('[data-testid="lists-file-file"]', join(fx.demoDir, LISTS_DIR, CROSS_LIST_FILES.admitted));
    await page.waitForSelector(`[data-testid="lists-file-chosen"]:has-text("${CROSS_LIST_FILES.admitted}")`);
    await page.click('[data-testid="lists-import"]');
    await page.waitForSelector('[data-testid="lists-imported"]');
    const expected = fx.truth.defects.filter((d) => d.type === 'admitted_other_plan').map((d) => d.idNumber);
    expect(expected.length).toBeGreaterThan(0);
    const status = await apiCall<CrossListStatus[]>(fx.host, 'lists.status', {});
    const admitted = status.find((s) => s.kind === 'admitted');
    expect(admitted).toMatchObject({ imported: true, file: CROSS_LIST_FILES.admitted, matched: expected.length, synced: true, by: '李老师' });
    // The panel's table says the same once refreshed.
    await page.waitForSelector(`[data-testid="lists-status"] tr[data-list="admitted"] .lists-hit:text-is("${expected.length}")`);
    expect(await page.textContent('[data-testid="lists-imported"]')).toContain(`其中 ${expected.length} 名本校考生在名单上`);
    // The applicants on it carry the list's finding.
    for (const id of expected) {
      const results = await apiCall<{ checkId: string }[]>(fx.host, 'checks.get', { idNumber: id });
      expect(results.map((r) => r.checkId)).toContain('admitted_other_plan');
    }
    await screenshot(page, 'lists-01-imported');
  }, 120_000);

  it('checks the photo folder chosen with a folder input, shows the report and downloads it', async () => {
    const { page } = br;
    await page.setInputFiles('[data-testid="photos-folder-folder"]', join(fx.demoDir, PHOTOS_DIR));
    await page.waitForSelector(`[data-testid="photos-folder-chosen"]:has-text("${PHOTOS_DIR}")`, { timeout: 60_000 });
    await page.click('[data-testid="photos-run"]');
    await page.waitForSelector('[data-testid="photos-table"]', { timeout: 60_000 });
    const photoDefects = fx.truth.defects.filter((d) => d.type.startsWith('photo_'));
    expect(photoDefects.length).toBeGreaterThan(0);
    const shownRows = await page.$$eval('[data-testid="photos-table"] tbody tr', (rows) => rows.map((r) => ({ code: r.getAttribute('data-code'), cells: [...r.querySelectorAll('td')].map((c) => c.textContent ?? '') })));
    // Every applicant the demo gave a photo defect is in the table.
    for (const d of photoDefects) expect(shownRows.some((r) => r.cells[1] === d.idNumber), d.idNumber).toBe(true);
    expect(await page.textContent('[data-testid="photos-result"]')).toMatch(/100 名考生，\d+ 个文件，照片合格 \d+ 人/);
    await screenshot(page, 'lists-02-photos');

    // In a browser the report is a download of the xlsx the desk wrote into the college's outbox.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="photos-download"]')]);
    expect(download.suggestedFilename()).toBe('学籍照片核对报告.xlsx');
    const saved = join(fx.root, 'photos-report.xlsx');
    await download.saveAs(saved);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(saved);
    const sheet = book.getWorksheet('照片问题')!;
    const lines: string[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 2) lines.push([String(row.getCell(2).value ?? ''), String(row.getCell(5).value ?? '')]);
    });
    // One line per problem, the same problems the page shows.
    expect(lines).toHaveLength(shownRows.length);
    expect(new Set(lines.map((l) => l[0]))).toEqual(new Set(shownRows.map((r) => r.cells[1])));
    // The same call from the host gives the same rows (the page showed the desk's report).
    const outbox = readdirSync(join(fx.wsDir, 'outbox'));
    expect(outbox.length).toBeGreaterThan(0);
    const again = await apiCall<PhotoCheckReport>(fx.host, 'checks.photos', { folder: join(fx.demoDir, PHOTOS_DIR) });
    expect(again.rows.reduce((n, r) => n + r.problems.length, 0)).toBe(shownRows.length);
  }, 180_000);

  it('in the window: the list and the folder from native dialogs, the report saved where a save dialog says and shown in Explorer', async () => {
    // The same page, from its next load on with the window's bridge (the host's one-time token
    // has been spent on this page's session).
    const { page } = br;
    // A wider screen: the toolbar has the tool.
    await page.setViewportSize({ width: 1600, height: 900 });
    await page.addInitScript(standInBridge);
    const savedReport = join(fx.root, '报送', '照片核对.xlsx');
    mkdirSync(join(fx.root, '报送'), { recursive: true });
    await page.reload();
    await page.waitForSelector('.queue-list li[role=option]');
    await page.evaluate((a) => sessionStorage.setItem('bridge.answers', JSON.stringify(a)), {
      picks: { crossList: join(fx.demoDir, LISTS_DIR, CROSS_LIST_FILES.previous), photoFolder: join(fx.demoDir, PHOTOS_DIR), report: savedReport },
      drops: {},
    });
    await openDesk(page);
    await page.click('button[data-tool="lists"]');
    // No file inputs in the window: the dialogs' buttons.
    expect(await page.locator('[data-testid="lists-file-file"], [data-testid="photos-folder-folder"]').count()).toBe(0);
    await page.selectOption('[data-testid="lists-kind"]', 'previous');
    await page.click('[data-testid="lists-file-pick"]');
    await page.waitForSelector(`[data-testid="lists-file-chosen"]:has-text("${CROSS_LIST_FILES.previous}")`);
    await page.click('[data-testid="lists-import"]');
    await page.waitForSelector('[data-testid="lists-imported"]');
    const previous = fx.truth.defects.filter((d) => d.type === 'previous_examinee').length;
    expect(previous).toBeGreaterThan(0);
    expect((await apiCall<CrossListStatus[]>(fx.host, 'lists.status', {})).find((x) => x.kind === 'previous')).toMatchObject({ imported: true, matched: previous });

    await page.click('[data-testid="photos-folder-pick-folder"]');
    await page.waitForSelector(`[data-testid="photos-folder-chosen"]:has-text("${PHOTOS_DIR}")`);
    await page.click('[data-testid="photos-run"]');
    await page.waitForSelector('[data-testid="photos-table"]', { timeout: 60_000 });
    // The window offers the save dialog and Explorer, not a download.
    expect(await page.locator('[data-testid="photos-download"]').count()).toBe(0);
    await page.click('[data-testid="photos-save"]');
    // The check runs again into the file the dialog named.
    await expect.poll(() => existsSync(savedReport), { timeout: 60_000 }).toBe(true);
    await page.click('[data-testid="photos-open-folder"]');
    await screenshot(page, 'lists-03-window');
    const log = await page.evaluate(() => JSON.parse(sessionStorage.getItem('bridge.log') ?? '[]') as unknown[][]);
    expect(log.map((l) => l.slice(0, 2))).toEqual([['pick', 'crossList'], ['pick', 'photoFolder'], ['save', 'report'], ['reveal', expect.stringMatching(/^h_/)]]);
    expect(log[2]![2]).toBe('学籍照片核对报告.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(savedReport);
    expect(book.getWorksheet('照片问题')!.rowCount).toBe(2 + (await page.locator('[data-testid="photos-table"] tbody tr').count()));
  }, 180_000);
});

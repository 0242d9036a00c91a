/**
 * The toolbar tools in Chromium: import the demo college through the import wizard (the advanced
 * option: typed paths → preview → check → import), then export a 草稿 of the 免试 table through the
 * export panel into the college's 导出 folder.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostCall, openBrowser, screenshot, startDesk, type BrowserFixture, type DeskFixture } from './harness.js';

describe('import wizard and export panel in the desk', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  beforeAll(async () => {
    fx = await startDesk({ applicants: 12, seed: 5 });
    br = await openBrowser();
  });
  afterAll(async () => {
    await br?.close();
    await fx?.close();
  });

  it('imports through the wizard and exports a draft table', async () => {
    const { page } = br;
    await page.goto(fx.host.link());
    await page.click('button[data-tool="import"]');
    for (const [field, path] of [['iw-list', join(fx.demoDir, 'applicants.xlsx')], ['iw-attachments', join(fx.demoDir, 'attachments')]] as const) {
      await page.click(`[data-testid="${field}"] summary`);
      await page.fill(`[data-testid="${field}-path"]`, path);
      await page.press(`[data-testid="${field}-path"]`, 'Enter');
      await page.waitForSelector(`[data-testid="${field}-chosen"]`);
    }
    await page.click('.iw button[type="submit"]');
    await page.click('.iw-foot button:has-text("检查")', { timeout: 60_000 });
    await page.click('[data-testid="iw-confirm"]', { timeout: 60_000 });
    await page.waitForSelector('.iw :text("导入完成")', { timeout: 60_000 });
    await screenshot(page, 'tools-01-import-done');
    const status = await hostCall<{ total: number }>(fx.host, 'status.summary', {});
    expect(status.ok && status.value.total).toBe(12);
    await page.click('.iw-foot button:has-text("完成")');
    await page.waitForSelector('.queue-row, [role=option]', { timeout: 30_000 });

    await page.click('button[data-tool="export"]');
    await page.click('.tool-dialog button:has-text("导出草稿")');
    await page.waitForSelector('.tool-dialog [role=status]:has-text("草稿")', { timeout: 60_000 });
    await screenshot(page, 'tools-02-export-draft');
    // No folder was chosen: the tables are in the college's 导出 folder, one folder per export.
    const exportsDir = join(fx.wsDir, '导出');
    const made = readdirSync(exportsDir);
    expect(made).toHaveLength(1);
    const files = readdirSync(join(exportsDir, made[0]!));
    expect(files.some((f) => f.endsWith('.pdf'))).toBe(true);
    expect(files.some((f) => f.endsWith('.xlsx'))).toBe(true);
  });
});

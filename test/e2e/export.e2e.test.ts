/**
 * The export panel in Chromium (issue 16): a final export is refused until the college has its
 * 学校代码, which the panel asks for and saves; an empty table goes out only as a confirmed 零报告;
 * the 公示 shows its 公示期 and contact before it is made.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hostCall, openBrowser, screenshot, startDesk, type BrowserFixture, type DeskFixture } from './harness.js';

describe('export panel: college data, 零报告, 公示期', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  beforeAll(async () => {
    // No silent skip: without Chromium this fails and says what to install.
    expect(existsSync(CHROMIUM), `no browser at ${CHROMIUM}: apt-get install -y chromium`).toBe(true);
    fx = await startDesk({ applicants: 4, seed: 3 });
    br = await openBrowser();
  });
  afterAll(async () => {
    await br?.close();
    await fx?.close();
  });

  it('asks for the 学校代码, exports a confirmed 零报告 and shows the 公示期', async () => {
    const { page } = br;
    await page.goto(fx.host.link());
    // Opened from the keyboard: the toolbar's buttons move when one takes the focus (the key hint
    // changes its text), so a mouse click can land beside the button.
    await page.focus('button[data-tool="export"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.tool-dialog [data-testid="export-rules"]:has-text("学校代码")');

    await page.selectOption('.tool-dialog select', 'poverty');
    await page.waitForSelector('.tool-dialog [data-testid="confirm-none"]');
    await page.check('.tool-dialog [data-testid="confirm-none"] input');
    await page.fill('.tool-dialog [data-testid="college-form"] input[inputmode="numeric"]', '14001');
    await page.fill('.tool-dialog [data-testid="college-form"] input[type="email"]', 'zsb@example.edu.cn');
    // Who changed the settings is recorded; nobody is signed in and no reviewer name is set yet.
    await page.getByLabel('操作人').fill('招生办 王老师');
    await page.click('.tool-dialog [data-testid="college-form"] button');
    await page.waitForSelector('.tool-dialog [data-testid="export-college"]:has-text("14001")');
    const settings = await hostCall<{ code: string; noticeEmail: string }>(fx.host, 'college.settings.get', {});
    expect(settings.ok && settings.value).toMatchObject({ code: '14001', noticeEmail: 'zsb@example.edu.cn' });
    expect(await page.locator('.tool-dialog [data-testid="export-rules"]').count()).toBe(0);

    await page.click('.tool-dialog button:has-text("正式导出")');
    await page.waitForSelector('.tool-dialog [role=status]:has-text("已导出 0 人")', { timeout: 60_000 });
    await screenshot(page, 'export-01-nil-return');
    // No folder chosen: the export is in the college's 导出 folder.
    const [made] = readdirSync(join(fx.wsDir, '导出'));
    expect(readdirSync(join(fx.wsDir, '导出', made!)).some((f) => f.startsWith('报送函'))).toBe(true);

    await page.selectOption('.tool-dialog select', 'notice');
    const terms = page.locator('.tool-dialog [data-testid="notice-terms"]');
    await terms.waitFor();
    expect(await terms.textContent()).toMatch(/公示期：\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}（共 7 天）；异议联系：zsb@example\.edu\.cn/);
    // The start is typed as YYYY-MM-DD (no locale date picker in the Chinese desk); a date that
    // does not exist is marked and not taken.
    expect(await page.locator('.tool-dialog input[type="date"]').count()).toBe(0);
    await page.fill('[data-testid="notice-start"]', '2024-02-30');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="notice-start"][aria-invalid="true"]');
    expect(await page.textContent('.tool-dialog .date-bad')).toContain('年-月-日');
    await page.fill('[data-testid="notice-start"]', '2024-03-04');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="notice-terms"]')?.textContent?.includes('公示期：2024-03-04 至 2024-03-10（共 7 天）'));
    expect(await page.locator('.tool-dialog .date-bad').count()).toBe(0);
    await screenshot(page, 'export-02-notice-terms');
  });
});

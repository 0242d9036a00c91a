/**
 * The review workspace end to end, in real Chromium through the loopback host: keyboard-only
 * review of five applicants, reject with a reason by number key, undo, side-by-side documents,
 * rotation remembered after a reload, bulk approve behind a confirmation naming the count, a
 * corrupt PDF shown as an error in place, filters with counts and search (pinyin initials, ID
 * digits, phone digits). Screenshots go to test-artifacts/review-*.png.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport, QueueIndex, QueueRow, ReviewApplicant } from '../../shared/api/index.js';
import { pinyinInitials } from '../../shared/pinyin.js';
import { initialsStartWith, primaryInitials } from '../../shared/pinyinSearch.js';
import { CHROMIUM, hostCall, openBrowser, pixelStats, screenshot, startDesk, type BrowserFixture, type DeskFixture } from './harness.js';

const hasChromium = existsSync(CHROMIUM);
const SELECTED = '.queue-list li[aria-selected="true"]';

async function selectedMasked(page: Page): Promise<string | null> {
  return page.getAttribute(SELECTED, 'data-id-masked');
}

/** Waits until the applicant view shows data (not the loading placeholder). */
async function ready(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="current-status"]');
}

/** Waits until pane n shows a rendered PDF page or a decoded image. */
async function painted(page: Page, n: number): Promise<void> {
  await page.waitForFunction(
    (i) => {
      const c = document.querySelector(`.pane[data-pane="${i}"] canvas.scan-pdf`) as HTMLCanvasElement | null;
      const img = document.querySelector(`.pane[data-pane="${i}"] img.scan-image`) as HTMLImageElement | null;
      return c?.dataset.rendered === 'true' || (!!img && img.complete && img.naturalWidth > 0);
    },
    n,
    { timeout: 30_000 },
  );
}

/** Presses a key that decides and advances; waits for the selection to move on. */
async function pressAndAdvance(page: Page, key: string): Promise<void> {
  await ready(page);
  const before = await selectedMasked(page);
  await page.keyboard.press(key);
  await page.waitForFunction(
    ([sel, b]) => document.querySelector(sel!)?.getAttribute('data-id-masked') !== b,
    [SELECTED, before] as const,
  );
}

/** Calls the contract through the loopback host; a refusal fails the test with its message. */
async function apiCall<T>(fx: DeskFixture, name: string, args: unknown): Promise<T> {
  const res = await hostCall<T>(fx.host, name, args);
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`);
  return res.value;
}

/** A demo college imported into a fresh desk, open in Chromium at the queue. */
async function importedDesk(opts: { applicants: number; seed: number }): Promise<{ fx: DeskFixture; br: BrowserFixture }> {
  const fx = await startDesk(opts);
  await apiCall<ImportReport>(fx, 'import.run', { listPath: join(fx.demoDir, 'applicants.xlsx'), attachmentsPath: join(fx.demoDir, 'attachments') });
  const br = await openBrowser();
  await br.page.goto(fx.host.url);
  await br.page.waitForSelector('.queue-list li[role=option]');
  return { fx, br };
}

describe.skipIf(!hasChromium)('review workspace in Chromium', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  let queue: QueueRow[];
  const api = <T,>(name: string, args: unknown): Promise<T> => apiCall<T>(fx, name, args);
  /** Goes to an applicant from the keyboard: '/', type 6 digits of the ID number, Enter. */
  const goTo = async (page: Page, row: QueueRow): Promise<void> => {
    await page.keyboard.press('/');
    await page.keyboard.type(row.idNumber.slice(-6));
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${SELECTED}[data-id-masked="${row.idMasked}"]`);
    await ready(page);
  };
  const clearSearch = async (page: Page): Promise<void> => {
    await page.fill('input.search', '');
    await page.waitForFunction(() => document.querySelectorAll('.queue-list li[role=option]').length > 1);
  };

  beforeAll(async () => {
    // 50 is the smallest demo with one of each scan defect (corrupt_scan among them).
    ({ fx, br } = await importedDesk({ applicants: 50, seed: 11 }));
    queue = (await api<QueueIndex>('review.queue', {})).rows;
  }, 180_000);
  afterAll(async () => {
    await br?.close();
    await fx?.close();
  });

  it('shows no full ID numbers in the queue', async () => {
    const { page } = br;
    const text = (await page.textContent('.queue')) ?? '';
    for (const r of queue) expect(text).not.toContain(r.idNumber);
    await screenshot(page, 'review-01-queue');
  });

  it('reviews five applicants from the keyboard alone, one key each', async () => {
    const { page } = br;
    await ready(page);
    expect(await selectedMasked(page)).toBe(queue[0]!.idMasked);
    // No reviewer yet: the approval key asks for one and puts the caret in the reviewer box.
    await page.keyboard.press('a');
    await page.waitForFunction(() => document.activeElement?.classList.contains('reviewer'));
    await page.keyboard.type('李老师');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 5; i++) await pressAndAdvance(page, 'a');
    expect(await selectedMasked(page)).toBe(queue[5]!.idMasked);
    const after = (await api<QueueIndex>('review.queue', {})).rows;
    for (const r of after.slice(0, 5)) expect(r).toMatchObject({ status: 'approve', reviewer: '李老师' });
    expect(after[5]!.status).toBe('pending');
    await screenshot(page, 'review-02-after-five');
  });

  it('rejects with a reason picked by its number key, and refuses without one', async () => {
    const { page } = br;
    await ready(page);
    await page.keyboard.press('r');
    await page.waitForSelector('.decision-bar .message.error');
    expect(await selectedMasked(page)).toBe(queue[5]!.idMasked);
    await page.keyboard.press('1');
    await page.waitForSelector('.reasons label.on input[value="blurry"]');
    await pressAndAdvance(page, 'r');
    const a = await api<ReviewApplicant>('review.applicant', { idNumber: queue[5]!.idNumber });
    expect(a.detail.status).toBe('reject');
    expect(a.detail.current?.reasons).toEqual(['blurry']);
  });

  it('undoes the last decision with U and returns to that applicant', async () => {
    const { page } = br;
    await ready(page);
    await page.keyboard.press('u');
    await page.waitForSelector(`${SELECTED}[data-id-masked="${queue[5]!.idMasked}"]`);
    await page.waitForSelector('[data-testid="current-status"]:has-text("待审")');
    const a = await api<ReviewApplicant>('review.applicant', { idNumber: queue[5]!.idNumber });
    expect(a.detail.status).toBe('pending');
    await page.waitForSelector('[data-testid="toast"]');
    await screenshot(page, 'review-03-undo');
  });

  it('rotates a scan by key and remembers it after a reload, at the same place in the queue', async () => {
    const { page } = br;
    const kindsOf = (id: string): string[] => fx.truth.documents.filter((d) => d.idNumber === id).map((d) => d.kind);
    const target = queue.find(
      (r) => r.category === 'veteran' && kindsOf(r.idNumber).includes('discharge_cert') && kindsOf(r.idNumber).includes('diploma') && !fx.truth.defects.some((d) => d.idNumber === r.idNumber),
    )!;
    await goTo(page, target);
    await page.waitForSelector('.pane[data-pane="0"] [data-rotation="0"]');
    await page.keyboard.press('o');
    await page.waitForSelector('.pane[data-pane="0"] [data-rotation="90"]');
    await expect.poll(async () => Object.values((await api<ReviewApplicant>('review.applicant', { idNumber: target.idNumber })).rotations)).toEqual([90]);
    await page.reload();
    await page.waitForSelector(`${SELECTED}[data-id-masked="${target.idMasked}"]`);
    await page.waitForSelector('.pane[data-pane="0"] [data-rotation="90"]');
    await painted(page, 0);
    await screenshot(page, 'review-04-rotated-after-reload');
  });

  it('remembers fit and zoom per kind of document, restored after a reload', async () => {
    const { page } = br;
    const kindsOf = (id: string): string[] => fx.truth.documents.filter((d) => d.idNumber === id).map((d) => d.kind);
    const target = queue.find((r) => new Set(kindsOf(r.idNumber)).size >= 2 && !fx.truth.defects.some((d) => d.idNumber === r.idNumber))!;
    await goTo(page, target);
    await painted(page, 0);
    const pane = '.pane[data-pane="0"]';
    const badge = `${pane} [data-testid="zoom"]`;
    const width = (): Promise<number> => page.$eval(`${pane} .scan-box, ${pane} .scan-pdf-box`, (el) => Math.round(el.getBoundingClientRect().width));
    const kind = await page.getAttribute(pane, 'data-doc-kind');
    expect(await page.getAttribute(badge, 'data-fit')).toBe('width');
    const fitted = await width();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-fit') === 'free', badge);
    await expect.poll(width).toBeGreaterThan(fitted * 1.5);
    await painted(page, 0);
    const label = await page.textContent(badge);
    expect(label).toMatch(/^\d+%$/);
    const zoomed = await width();

    await page.reload();
    await page.waitForSelector(`${SELECTED}[data-id-masked="${target.idMasked}"]`);
    await painted(page, 0);
    expect(await page.getAttribute(pane, 'data-doc-kind')).toBe(kind);
    expect(await page.getAttribute(badge, 'data-fit')).toBe('free');
    expect(await page.textContent(badge)).toBe(label);
    expect(Math.abs((await width()) - zoomed)).toBeLessThanOrEqual(1);
    await screenshot(page, 'review-13-zoom-remembered');

    // Per kind: another kind of document opens at its own fit; back to the first, its zoom again.
    const docCount = kindsOf(target.idNumber).length;
    let steps = 0;
    while (steps < docCount && (await page.getAttribute(pane, 'data-doc-kind')) === kind) {
      await page.keyboard.press(']');
      steps++;
      await page.waitForFunction((n) => document.querySelectorAll('.doc-tabs [role=tab]')[n]?.getAttribute('aria-selected') === 'true', steps % docCount);
    }
    expect(await page.getAttribute(pane, 'data-doc-kind')).not.toBe(kind);
    expect(await page.getAttribute(badge, 'data-fit')).toBe('width');
    for (let i = steps; i < docCount; i++) await page.keyboard.press(']');
    await page.waitForFunction(([sel, k]) => document.querySelector(sel!)?.getAttribute('data-doc-kind') === k, [pane, kind] as const);
    expect(await page.textContent(badge)).toBe(label);

    // Fit width again (the default), so the tests after this one see what they expect.
    await page.keyboard.press('w');
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-fit') === 'width', badge);
    expect(await page.evaluate(() => localStorage.getItem('desk.viewByKind'))).toContain('"fit":"width"');
  });

  it('shows two documents side by side (退役证 next to 毕业证)', async () => {
    const { page } = br;
    await ready(page);
    await page.keyboard.press('s');
    await page.waitForSelector('.pane[data-pane="1"]');
    const kinds = await page.$$eval('.pane', (els) => els.map((e) => e.getAttribute('data-doc-kind')));
    expect(kinds).toHaveLength(2);
    expect(new Set(kinds).size).toBe(2);
    expect(kinds).toEqual(expect.arrayContaining(['discharge_cert', 'diploma']));
    for (const i of [0, 1]) await painted(page, i);
    const sel = (await page.$('.pane[data-pane="1"] canvas.scan-pdf')) ? '.pane[data-pane="1"] canvas.scan-pdf' : '.pane[data-pane="1"] img.scan-image';
    const px = await pixelStats(page, sel);
    expect(px.nonWhite / px.total).toBeGreaterThan(0.01);
    await screenshot(page, 'review-05-side-by-side');
    await page.keyboard.press('s');
    await page.waitForFunction(() => document.querySelectorAll('.pane').length === 1);
  });

  it('shows a corrupt PDF as a clear error in place', async () => {
    const { page } = br;
    const defect = fx.truth.defects.find((d) => d.type === 'corrupt_scan');
    expect(defect).toBeTruthy();
    const row = queue.find((r) => r.idNumber === defect!.idNumber)!;
    await goTo(page, row);
    const a = await api<ReviewApplicant>('review.applicant', { idNumber: row.idNumber });
    const docIndex = a.detail.documents.findIndex((d) => defect!.document?.endsWith(d.originalName) || d.originalName === defect!.document);
    expect(docIndex).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < docIndex; i++) await page.keyboard.press(']');
    await page.waitForSelector('.pane .viewer-msg.error[role="alert"]:has-text("损坏")');
    await screenshot(page, 'review-06-corrupt');
  });

  it('shows a 燎原计划 applicant\'s fields under their labels, and 报考院校/报考专业 where declared', async () => {
    const { page } = br;
    await clearSearch(page);
    const row = queue.find((r) => r.category === 'craftsman')!;
    await goTo(page, row);
    const a = await api<ReviewApplicant>('review.applicant', { idNumber: row.idNumber });
    const d = a.detail.declared;
    const shown = async (field: string): Promise<[string, string]> => {
      const dd = page.locator(`dd[data-field="${field}"]`);
      return [(await dd.locator('xpath=preceding-sibling::dt').textContent()) ?? '', (await dd.textContent()) ?? ''];
    };
    expect(await shown('craftEnrollDate')).toEqual(['燎原计划入学时间', d.craftEnrollDate]);
    expect(await shown('craftGradDate')).toEqual(['燎原计划毕业时间', d.craftGradDate]);
    expect(await shown('craftContest')).toEqual(['燎原计划赛项', d.craftContest]);
    expect(await shown('craftContestLevel')).toEqual(['赛项级别', d.craftContestLevel]);
    expect(d.craftContest).not.toBe('');
    if (d.targetMajor) expect(await shown('targetMajor')).toEqual(['报考专业', d.targetMajor]);
    else expect(await page.locator('dd[data-field="targetMajor"]').count()).toBe(0);
    await screenshot(page, 'review-06b-craftsman');
  });

  it('filters with counts and searches by pinyin initials, ID digits and phone digits', async () => {
    const { page } = br;
    await clearSearch(page);
    const now = (await api<QueueIndex>('review.queue', {})).rows.filter((r) => r.category === 'poverty');
    const poverty = now.length;
    await page.selectOption('select[aria-label="category"]', 'poverty');
    await page.waitForFunction((n) => document.querySelectorAll('.queue-list li[role=option]').length === n, poverty);
    expect(await page.textContent('select[aria-label="category"] option[value="poverty"]')).toContain(`（${poverty}）`);
    // Status counts are those within the category filter (faceted counts).
    expect(await page.textContent('select[aria-label="status"] option[value="pending"]')).toContain(`（${now.filter((r) => r.status === 'pending').length}）`);
    await page.selectOption('select[aria-label="category"]', '');
    expect(await page.textContent('select[aria-label="status"] option[value="approve"]')).toContain('（5）');

    const someone = queue[12]!;
    // Typed by the likeliest reading; rows match by any reading of their polyphonic characters.
    const initials = primaryInitials(pinyinInitials(someone.name));
    await page.fill('input.search', initials);
    await page.waitForSelector(`.queue-list li[data-id-masked="${someone.idMasked}"]`);
    const expected = queue.filter((r) => initialsStartWith(r.initials, initials)).length;
    expect(await page.$$eval('.queue-list li[role=option]', (els) => els.length)).toBe(expected);
    // The applicant view follows the first match once the typing pauses.
    await page.waitForSelector(SELECTED);
    await ready(page);
    await screenshot(page, 'review-07-search-pinyin');

    await page.fill('input.search', someone.phone.slice(-5));
    await page.waitForSelector(`.queue-list li[data-id-masked="${someone.idMasked}"]`);
    await page.fill('input.search', someone.idNumber.slice(8, 14));
    await page.waitForSelector(`.queue-list li[data-id-masked="${someone.idMasked}"]`);
    await page.fill('input.search', someone.name);
    await page.waitForSelector(`.queue-list li[data-id-masked="${someone.idMasked}"]`);
    await clearSearch(page);
  });

  it('bulk-approves a filtered set only after a confirmation that names the count', async () => {
    const { page } = br;
    await page.selectOption('select[aria-label="category"]', 'competition');
    await page.selectOption('select[aria-label="status"]', 'pending');
    const pending = (await api<QueueIndex>('review.queue', {})).rows.filter((r) => r.category === 'competition' && r.status === 'pending');
    // Applicants the checks flagged are left out and named as such.
    const ids = pending.filter((r) => r.flags.error === 0).map((r) => r.idNumber);
    const flagged = pending.filter((r) => r.flags.error > 0).map((r) => r.idNumber);
    expect(ids.length).toBeGreaterThan(1);
    await page.click('.queue .bulk');
    const text = await page.textContent('[data-testid="confirm-text"]');
    expect(text).toContain(`${ids.length} 名考生`);
    if (flagged.length > 0) expect(text).toContain(`${flagged.length} 人不在其内`);
    await screenshot(page, 'review-08-bulk-confirm');
    // Cancel first: nothing is decided.
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
    expect((await api<QueueIndex>('review.queue', {})).rows.filter((r) => ids.includes(r.idNumber) && r.status === 'approve')).toHaveLength(0);
    await page.click('.queue .bulk');
    await page.click('[data-testid="confirm"]');
    await page.waitForSelector('[data-testid="toast"]:has-text("已批量通过")');
    const after = (await api<QueueIndex>('review.queue', {})).rows;
    expect(after.filter((r) => ids.includes(r.idNumber)).every((r) => r.status === 'approve')).toBe(true);
    expect(after.filter((r) => flagged.includes(r.idNumber)).every((r) => r.status === 'pending')).toBe(true);
    await page.selectOption('select[aria-label="status"]', '');
    await page.selectOption('select[aria-label="category"]', '');
  });

  it('shows the dashboard and the key legend from the keyboard', async () => {
    const { page } = br;
    await page.keyboard.press('d');
    await page.waitForSelector('.dashboard [data-testid="projected"]');
    await screenshot(page, 'review-09-dashboard');
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    await page.waitForSelector('.help table.keys');
    await screenshot(page, 'review-10-help');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
  });
});

describe.skipIf(!hasChromium)('per-document verdicts and the signed-in reviewer in Chromium', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  const api = <T,>(name: string, args: unknown): Promise<T> => apiCall<T>(fx, name, args);

  // A desk of its own: the second case turns accounts on, and that cannot be undone.
  beforeAll(async () => {
    ({ fx, br } = await importedDesk({ applicants: 16, seed: 7 }));
  }, 180_000);
  afterAll(async () => {
    await br?.close();
    await fx?.close();
  });

  it('logs 模糊 / 不一致 per scan, preselects their reasons, keeps them after a reload, lists them in the history and clears them', async () => {
    const { page } = br;
    await ready(page);
    const id = await page.getAttribute(SELECTED, 'data-id-masked');
    const row = (await api<QueueIndex>('review.queue', {})).rows.find((r) => r.idMasked === id)!;
    await page.fill('input.reviewer', '李老师');
    await page.keyboard.press('Enter');
    await page.keyboard.press('b');
    await page.waitForSelector('.pane[data-pane="0"] [data-verdict="blurry"][aria-pressed="true"]');
    await page.waitForSelector('.reasons label.on input[value="blurry"]');
    await page.click('.pane[data-pane="0"] [data-verdict="mismatch"]');
    await page.waitForSelector('.reasons label.on input[value="name_mismatch"]');
    await expect
      .poll(async () => (await api<ReviewApplicant>('review.applicant', { idNumber: row.idNumber })).verdicts.map((v) => `${v.clarity}/${v.match}`))
      .toEqual(['blurry/mismatch']);

    await page.reload();
    await ready(page);
    await page.waitForSelector('.pane[data-pane="0"] [data-verdict="blurry"][aria-pressed="true"]');
    await page.waitForSelector('.pane[data-pane="0"] [data-verdict="mismatch"][aria-pressed="true"]');
    await page.waitForSelector('.reasons label.on input[value="blurry"]');
    await page.waitForSelector('.reasons label.on input[value="name_mismatch"]');
    expect(await page.locator('[data-testid="verdict-entry"]').count()).toBe(2);
    expect(await page.textContent('.history')).toContain('李老师');
    await painted(page, 0);
    await screenshot(page, 'review-11-verdicts-after-reload');

    // Clicking the verdict in force clears it (an event too); its reason goes with it.
    await page.click('.pane[data-pane="0"] [data-verdict="blurry"]');
    await page.waitForSelector('.pane[data-pane="0"] [data-verdict="blurry"][aria-pressed="false"]');
    await page.waitForSelector('.reasons input[value="blurry"]:not(:checked)');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="verdict-entry"]').length === 3);
    const after = await api<ReviewApplicant>('review.applicant', { idNumber: row.idNumber });
    expect(after.verdicts.map((v) => `${v.clarity}/${v.match}`)).toEqual(['null/mismatch']);
    expect(after.verdictLog.map((v) => v.value)).toEqual(['blurry', 'mismatch', null]);
  });

  it('with accounts, records as the signed-in account, shows it read-only, and keeps the catalogue to supervisors', async () => {
    const { page } = br;
    await api('accounts.create', { name: '王主任', role: 'admin', secret: 'admin-246810' });
    const adm = { name: '王主任', secret: 'admin-246810' };
    await api('accounts.create', { name: '张老师', role: 'reviewer', secret: '1357', as: adm });
    await page.reload();
    await page.waitForSelector('.signin', { timeout: 30_000 });
    await page.fill('[data-testid="signin-name"]', '张老师');
    await page.fill('[data-testid="signin-secret"]', '1357');
    await page.click('.signin button[type="submit"]');
    await page.waitForFunction(() => (document.querySelector('input.reviewer') as HTMLInputElement | null)?.value === '张老师', undefined, { timeout: 20_000 });
    expect(await page.getAttribute('input.reviewer', 'readonly')).not.toBeNull();
    await ready(page);

    // A decision goes in the account's name.
    const id = await page.getAttribute(SELECTED, 'data-id-masked');
    await pressAndAdvance(page, 'a');
    const decided = (await api<QueueIndex>('review.queue', {})).rows.find((r) => r.idMasked === id)!;
    expect(decided).toMatchObject({ status: 'approve', reviewer: '张老师' });

    // A reviewer sees the catalogue read-only, and the service refuses the save anyway.
    await page.click('button.top:has-text("理由目录")');
    await page.waitForSelector('[data-testid="reasons-readonly"]');
    expect(await page.locator('.reasons-editor .btn.approve').count()).toBe(0);
    expect(await page.locator('.reasons-editor input[aria-label="代码"]').first().getAttribute('readonly')).not.toBeNull();
    await screenshot(page, 'review-12-reasons-read-only');
    await page.keyboard.press('Escape');
    const reasons = await api<unknown[]>('review.reasons.catalogue', {});
    const refused = await hostCall(fx.host, 'review.reasons.save', { reasons, editor: '张老师' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'supervisor_only' } });

    // The admin may edit: the controls are there.
    await api('accounts.signIn', adm);
    await page.reload();
    await page.waitForFunction(() => (document.querySelector('input.reviewer') as HTMLInputElement | null)?.value === '王主任', undefined, { timeout: 25_000 });
    await page.click('button.top:has-text("理由目录")');
    await page.waitForSelector('.reasons-editor .btn.approve');
    expect(await page.locator('[data-testid="reasons-readonly"]').count()).toBe(0);
    await page.keyboard.press('Escape');
  });
});

/**
 * The team desk in Chromium at 1366×768, the screen of the college laptops (issue 15):
 * - OCR as a visible background job: an import starts the reading queue on the main side; the
 *   toolbar shows 识别中 x/y with pause and resume; applicants with unread scans say so in the
 *   queue and in their view until the scans are read (the real OCR worker reads them).
 * - A reviewer cannot see the supervisor's screens (no 团队, no accounts, no ruling of conflicts)
 *   and the service refuses their calls by code; a supervisor hands out shares, signs off 初审
 *   decisions and draws a QC sample whose second review is blind; a reviewer does the QC.
 * - The 1366 desk: one-key filters (P, E), Home/End and Shift+J, the same number key for a reason
 *   in every category, findings and export blockers that jump to the applicant they name, and no
 *   English (codes, aria-labels) inside the Chinese desk.
 * Screenshots go to test-artifacts/team-*.png.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicantDetail, ImportReport, OcrQueueStatus, QueueIndex, QueueRow, ReviewApplicant } from '../../shared/api/index.js';
import type { ApplicantDeclared } from '../../shared/domain.js';
import { listCsv } from '../fixtures/workspace.js';
import { apiCall, hostCall, openBrowser, openDesk, screenshot, startDesk, strayEnglish, type BrowserFixture, type DeskFixture, type StrayText } from './harness.js';

const VIEWPORT = { width: 1366, height: 768 };
const SELECTED = '.queue-list li[aria-selected="true"]';

async function at1366(): Promise<BrowserFixture> {
  const br = await openBrowser();
  await br.page.setViewportSize(VIEWPORT);
  return br;
}

/** Signs in through the desk's own dialog (after a reload, so the session state is fresh). */
async function signInAs(page: Page, name: string, secret: string): Promise<void> {
  await page.reload();
  await page.waitForSelector('.signin', { timeout: 30_000 });
  await page.fill('[data-testid="signin-name"]', name);
  await page.fill('[data-testid="signin-secret"]', secret);
  await page.click('.signin button[type="submit"]');
  await page.waitForSelector(`[data-testid="account-chip"]:has-text("${name}")`, { timeout: 30_000 });
  await page.waitForSelector('.queue-list li[role=option]');
  await page.keyboard.press('Escape');
}

/** The toolbar fits the window: nothing is pushed past the right edge at 1366 px. */
async function toolbarFits(page: Page): Promise<void> {
  const overflow = await page.$eval('header.topbar', (h) => {
    const right = h.getBoundingClientRect().right;
    return [...h.querySelectorAll('button, input, label, .ocr-job')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > right + 1;
    }).map((el) => el.textContent);
  });
  expect(overflow).toEqual([]);
}

describe('OCR as a visible background job', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  beforeAll(async () => {
    // The desk as the shell and `npm run web` build it: scans are read after every import.
    fx = await startDesk({ applicants: 8, seed: 5, backgroundOcr: true });
    br = await at1366();
  }, 180_000);
  afterAll(async () => {
    await br?.close();
    await fx?.close();
  });

  it('starts after an import, shows 识别中 x/y with pause and resume, and marks unread applicants until they are read', async () => {
    const { page } = br;
    const api = <T,>(name: string, args: unknown): Promise<T> => apiCall<T>(fx.host, name, args);
    const imp = await api<ImportReport>('import.run', { listPath: join(fx.demoDir, 'applicants.xlsx'), attachmentsPath: join(fx.demoDir, 'attachments') });
    expect(imp.documents).toBeGreaterThan(8);
    // Nobody asked for OCR: the import started the queue. Held here so the page meets it unfinished.
    const started = await api<OcrQueueStatus>('ocr.pause', {});
    expect(started.state).toBe('paused');
    expect(started.total).toBe(imp.documents);

    await page.goto(fx.host.url);
    await openDesk(page);
    await page.waitForSelector('[data-testid="ocr-progress"][data-state="paused"]:has-text("识别已暂停")');
    expect(await page.textContent('[data-testid="ocr-progress"]')).toMatch(/识别已暂停 \d+\/\d+/);
    // Applicants whose scans are not read say so, in the queue and in their own view.
    const unread = (await api<QueueIndex>('review.queue', {})).rows.filter((r) => r.ocrPending);
    expect(unread.length).toBeGreaterThan(0);
    expect(await page.locator('.queue-list [data-testid="ocr-pending"]').count()).toBeGreaterThan(0);
    await openDesk(page, { select: unread[0]! });
    await page.waitForSelector('[data-testid="ocr-unread"]:has-text("尚未识别")');
    await screenshot(page, 'team-01-ocr-paused');
    await toolbarFits(page);

    // 继续 → 识别中 x/y; 暂停 → paused again (after the scan being read).
    await page.click('[data-testid="ocr-resume"]');
    await page.waitForSelector('[data-testid="ocr-progress"][data-state="running"]');
    expect(await page.textContent('[data-testid="ocr-progress"]')).toMatch(/识别中 \d+\/\d+/);
    await screenshot(page, 'team-02-ocr-running');
    await page.click('[data-testid="ocr-pause"]');
    await page.waitForSelector('[data-testid="ocr-progress"][data-state="paused"]', { timeout: 60_000 });
    expect((await api<OcrQueueStatus>('ocr.status', {})).state).toBe('paused');

    // 继续 until done: the indicator goes away and so do the marks (the queue is re-read when a run stops).
    await page.click('[data-testid="ocr-resume"]');
    await page.waitForSelector('[data-testid="ocr-progress"]', { state: 'detached', timeout: 300_000 });
    expect(await api<OcrQueueStatus>('ocr.status', {})).toMatchObject({ state: 'idle', unread: 0 });
    await page.waitForFunction(() => document.querySelectorAll('.queue-list [data-testid="ocr-pending"]').length === 0, undefined, { timeout: 30_000 });
    await openDesk(page, { select: unread[0]! });
    expect(await page.locator('[data-testid="ocr-unread"]').count()).toBe(0);
    await screenshot(page, 'team-03-ocr-done');
  }, 420_000);
});

describe('the team desk at 1366×768', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  let rows: QueueRow[] = [];
  let dupA: QueueRow;
  let dupB: QueueRow;
  const api = <T,>(name: string, args: unknown): Promise<T> => apiCall<T>(fx.host, name, args);
  const ADMIN = { name: '王主任', secret: 'admin-2468' };
  const SUP = { name: '刘复核', secret: 'sup-1357' };
  const REV = { name: '张老师', secret: '240719' };
  const REV2 = { name: '李老师', secret: '530862' };

  beforeAll(async () => {
    fx = await startDesk({ applicants: 12, seed: 7 });
    await api<ImportReport>('import.run', { listPath: join(fx.demoDir, 'applicants.xlsx'), attachmentsPath: join(fx.demoDir, 'attachments') });
    // A newer list in which two applicants share a phone (a duplicate the checks name): the
    // finding of each names the other, which the desk turns into a jump.
    const queue = (await api<QueueIndex>('review.queue', {})).rows;
    const declared = await Promise.all(queue.map(async (r) => (await api<ApplicantDetail>('applicants.get', { idNumber: r.idNumber })).declared));
    const [a, b] = declared;
    const shared: ApplicantDeclared[] = declared.map((d) => (d.idNumber === b!.idNumber ? { ...d, phone: a!.phone } : d));
    const list = join(fx.root, '名单 更新.csv');
    writeFileSync(list, listCsv(shared));
    await api<ImportReport>('import.run', { listPath: list });
    rows = (await api<QueueIndex>('review.queue', {})).rows;
    dupA = rows.find((r) => r.idNumber === a!.idNumber)!;
    dupB = rows.find((r) => r.idNumber === b!.idNumber)!;
    await api('accounts.create', { name: ADMIN.name, role: 'admin', secret: ADMIN.secret });
    for (const [acc, role] of [[SUP, 'supervisor'], [REV, 'reviewer'], [REV2, 'reviewer']] as const) {
      await api('accounts.create', { name: acc.name, role, secret: acc.secret, as: ADMIN });
    }
    br = await at1366();
    await br.page.goto(fx.host.url);
  }, 180_000);
  afterAll(async () => {
    await br?.close();
    await fx?.close();
  });

  it('a reviewer cannot see the supervisor\'s screens, and the service refuses their calls', async () => {
    const { page } = br;
    await signInAs(page, REV.name, REV.secret);
    // A few decisions of the reviewer's own for the supervisor to sign off later.
    const clean = rows.filter((r) => r.flags.error === 0 && r.idNumber !== dupA.idNumber && r.idNumber !== dupB.idNumber).slice(0, 3);
    expect(clean).toHaveLength(3);
    for (const r of clean) await api('decisions.record', { idNumber: r.idNumber, decision: 'approve', reviewer: REV.name });
    await page.reload();
    await page.waitForSelector('[data-testid="account-chip"]:has-text("张老师")', { timeout: 30_000 });

    expect(await page.locator('button[data-tool="team"]').count()).toBe(0);
    expect(await page.locator('button[data-tool="qc"]').count()).toBe(0);
    // Nor the tools whose calls a reviewer would be refused: import, export, sync, backups and accounts.
    for (const tool of ['import', 'export', 'sync', 'backup']) expect(await page.locator(`button[data-tool="${tool}"]`).count(), tool).toBe(0);
    expect(await page.locator('button[data-tool="conflicts"]').count()).toBe(1);
    await screenshot(page, 'team-04-reviewer-desk');
    await toolbarFits(page);
    // The session is the reviewer's: every supervisor call is refused by its code.
    for (const [name, args] of [
      ['signoff.pending', {}], ['signoff.record', { idNumber: clean[0]!.idNumber, verdict: 'confirm' }], ['assignments.set', { reviewer: REV.name, category: 'veteran' }],
      ['qc.draw', { percent: 50 }], ['qc.agreement', {}], ['conflicts.resolve', { idNumber: clean[0]!.idNumber, decision: 'approve' }], ['accounts.list', {}],
      ['export.check', { table: 'exempt' }], ['backup.create', {}], ['sync.setName', { name: 'x' }],
    ] as const) {
      expect(await hostCall(fx.host, name, args), name).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('a supervisor hands out shares, shown in the queue and on the dashboard', async () => {
    const { page } = br;
    await page.click('[data-testid="account-chip"] button');
    await signInAs(page, SUP.name, SUP.secret);
    await toolbarFits(page);
    await page.click('button[data-tool="team"]');
    await page.waitForSelector('.team-dialog [data-tab="assign"]');
    await page.selectOption('[data-testid="assign-reviewer"]', REV2.name);
    await page.click('[data-testid="scope-category"]');
    await page.selectOption('.team-scope select', 'veteran');
    await page.click('[data-testid="assign-submit"]');
    await page.waitForSelector('.team-dialog [role=status]:has-text("分配给 李老师")');
    const veterans = rows.filter((r) => r.category === 'veteran');
    await page.waitForSelector(`[data-testid="shares"] td:has-text("${REV2.name}")`);
    await screenshot(page, 'team-05-assign');
    await page.keyboard.press('Escape');
    // The queue names the share, and its filter shows just it.
    await page.selectOption('[data-testid="assignee-filter"]', REV2.name);
    await page.waitForFunction((n) => document.querySelector('[data-testid="queue-count"]')?.textContent === `共 ${n} 人`, veterans.length);
    expect(await page.locator('.queue-list li .assignee').first().textContent()).toBe(`→${REV2.name}`);
    await page.selectOption('[data-testid="assignee-filter"]', '*');

    // By selection: what the queue shows (here the competition winners) goes to 张老师 as it is.
    const winners = rows.filter((r) => r.category === 'competition');
    expect(winners.length).toBeGreaterThan(0);
    await page.selectOption('[data-testid="category-filter"]', 'competition');
    await page.waitForFunction((n) => document.querySelector('[data-testid="queue-count"]')?.textContent === `共 ${n} 人`, winners.length);
    await page.click('button[data-tool="team"]');
    await page.waitForSelector('.team-dialog [data-tab="assign"]');
    await page.selectOption('[data-testid="assign-reviewer"]', REV.name);
    await page.click('[data-testid="scope-selection"]');
    expect(await page.textContent('.team-scope')).toContain(`${winners.length} 人`);
    await page.click('[data-testid="assign-submit"]');
    await page.waitForSelector(`.team-dialog [role=status]:has-text("已把 ${winners.length} 名考生分配给 ${REV.name}")`);
    await page.keyboard.press('Escape');
    const shares = (await api<QueueIndex>('review.queue', {})).rows;
    expect(shares.filter((r) => r.assignee === REV.name).map((r) => r.idNumber).sort()).toEqual(winners.map((r) => r.idNumber).sort());
    expect(shares.filter((r) => r.assignee === REV2.name)).toHaveLength(veterans.length);
    await page.selectOption('[data-testid="category-filter"]', '');
    // The select keeps the keys until Esc hands them back to the desk.
    await page.keyboard.press('Escape');
    await page.keyboard.press('d');
    await page.waitForSelector(`.dashboard [data-testid="dash-shares"] td:has-text("${REV2.name}")`);
    expect(await page.textContent('.dashboard [data-testid="deadline"]')).toContain('2024年2月23日');
    expect(await page.textContent('.dashboard [data-testid="deadline"]')).toContain('2024 年审核规则');
    await screenshot(page, 'team-06-dashboard');
    await page.keyboard.press('Escape');
  });

  it('a supervisor confirms and overturns 初审 decisions in the 复核 queue', async () => {
    const { page } = br;
    await page.click('button[data-tool="team"]');
    await page.click('.team-tabs button[data-tab="signoff"]');
    await page.waitForSelector('[data-testid="signoff-list"]');
    const items = page.locator('[data-testid="signoff-list"] tbody tr');
    expect(await items.count()).toBe(3);
    const first = await items.nth(0).getAttribute('data-id-masked');
    await items.nth(0).locator('[data-testid="signoff-confirm"]').click();
    await page.waitForSelector('.team-dialog [role=status]:has-text("已复核确认")');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="signoff-list"] tbody tr').length === 2);
    expect(await page.locator(`[data-testid="signoff-list"] tr[data-id-masked="${first}"]`).count()).toBe(0);
    const second = page.locator('[data-testid="signoff-list"] tbody tr').nth(0);
    const secondMasked = await second.getAttribute('data-id-masked');
    await second.locator('[data-testid="signoff-overturn"]').click();
    await page.selectOption('[data-testid="overturn-decision"]', 'reject');
    await page.selectOption('[data-testid="overturn-reason"]', 'blurry');
    await page.fill('[data-testid="overturn-note"]', '毕业证照片看不清');
    await screenshot(page, 'team-07-signoff');
    await page.click('[data-testid="overturn-form"] button[type="submit"]');
    await page.waitForSelector('.team-dialog [role=status]:has-text("已改判")');
    await page.keyboard.press('Escape');
    // The queue row reads the one state: the overturn made it 不通过.
    await page.waitForSelector(`.queue-list li[data-id-masked="${secondMasked}"] .status-reject`);
  });

  it('draws a QC sample; the second review is blind and by someone else; the agreement is the supervisor\'s', async () => {
    const { page } = br;
    await page.click('button[data-tool="team"]');
    await page.click('.team-tabs button[data-tab="qc"]');
    await page.fill('[data-testid="qc-percent"]', '100');
    await page.click('[data-testid="qc-draw"]');
    await page.waitForSelector('.team-dialog [role=status]:has-text("已抽取 2 人")');
    await page.waitForSelector(`[data-testid="qc-agreement"] tr[data-reviewer="${REV.name}"]`);
    await page.waitForSelector('[data-testid="qc-review"] .qc-pane .qc-doc canvas, [data-testid="qc-review"] .qc-pane .qc-doc img', { timeout: 30_000 });
    // Blind: nothing of the first decision — not its reviewer, not a history, not a status.
    const pane = (await page.textContent('[data-testid="qc-review"]')) ?? '';
    expect(pane).not.toContain(REV.name);
    expect(await page.locator('[data-testid="qc-review"] .history, [data-testid="qc-review"] .status').count()).toBe(0);
    await screenshot(page, 'team-08-qc');
    await page.keyboard.press('Escape');

    // A reviewer reaches the blind queue through 抽检 (no 团队), and does one.
    await page.click('[data-testid="account-chip"] button');
    await signInAs(page, REV2.name, REV2.secret);
    expect(await page.locator('button[data-tool="team"]').count()).toBe(0);
    await page.click('button[data-tool="qc"]');
    await page.waitForSelector('[data-testid="qc-form"]');
    await page.click('[data-testid="qc-submit"]');
    await page.waitForSelector('[data-testid="qc-review"] [role=status]:has-text("与初审一致")');
    await page.keyboard.press('Escape');
    expect(await hostCall(fx.host, 'qc.agreement', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await hostCall(fx.host, 'accounts.signIn', SUP)).toMatchObject({ ok: true });
    const agreement = await api<{ reviewer: string; reviewed: number; agreed: number }[]>('qc.agreement', {});
    expect(agreement.find((r) => r.reviewer === REV.name)).toMatchObject({ reviewed: 1, agreed: 1 });
  });

  it('filters with one key, moves with Home/End and Shift+J, and keeps a reason on its number key in every category', async () => {
    const { page } = br;
    await page.reload();
    await page.waitForSelector(`[data-testid="account-chip"]:has-text("${SUP.name}")`, { timeout: 30_000 });
    await openDesk(page, { reviewer: null });
    const all = (await page.textContent('[data-testid="queue-count"]')) ?? '';
    const pending = rows.length - 3; // three were decided (one confirmed, one overturned, one waiting)
    await page.keyboard.press('p');
    await page.waitForFunction((n) => document.querySelector('[data-testid="queue-count"]')?.textContent === `共 ${n} 人`, pending);
    await page.keyboard.press('p');
    await page.waitForFunction((t) => document.querySelector('[data-testid="queue-count"]')?.textContent === t, all);
    const flagged = rows.filter((r) => r.flags.error > 0).length;
    await page.keyboard.press('e');
    await page.waitForFunction((n) => document.querySelector('[data-testid="queue-count"]')?.textContent === `共 ${n} 人`, flagged);
    await page.keyboard.press('e');
    await page.keyboard.press('End');
    await page.waitForSelector(`${SELECTED}[data-id-masked="${rows.at(-1)!.idMasked}"]`);
    await page.keyboard.press('Home');
    await page.waitForSelector(`${SELECTED}[data-id-masked="${rows[0]!.idMasked}"]`);
    // Shift+J skips decided applicants.
    const q = (await api<QueueIndex>('review.queue', {})).rows;
    const nextPending = q.slice(1).find((r) => r.status === 'pending')!;
    await page.keyboard.press('Shift+J');
    await page.waitForSelector(`${SELECTED}[data-id-masked="${nextPending.idMasked}"]`);

    // 2 is 姓名与报名信息不一致 for a veteran and for a competition winner alike.
    for (const cat of ['veteran', 'competition'] as const) {
      const r = q.find((x) => x.category === cat)!;
      await openDesk(page, { select: r, reviewer: null });
      expect(await page.textContent('.reasons label[data-key="2"]')).toContain('姓名与报名信息不一致');
      expect(await page.textContent('.reasons label[data-key="1"]')).toContain('证件模糊不清');
    }
    await screenshot(page, 'team-09-reason-keys');
  });

  it('shows two scans side by side at 1366 with room to read them: the queue steps aside until S again', async () => {
    const { page } = br;
    const vet = rows.find((r) => r.category === 'veteran')!;
    await openDesk(page, { select: vet, reviewer: null });
    await page.keyboard.press('s');
    await page.waitForSelector('.panes.n2 .pane[data-pane="1"]');
    await page.waitForSelector('.queue', { state: 'hidden' });
    const widths = await page.$$eval('.panes.n2 .pane', (els) => els.map((e) => e.getBoundingClientRect().width));
    for (const w of widths) expect(w).toBeGreaterThan(480);
    await page.waitForSelector('.panes.n2 .pane[data-pane="1"] canvas, .panes.n2 .pane[data-pane="1"] img');
    await screenshot(page, 'team-11-side-by-side');
    await page.keyboard.press('s');
    await page.waitForSelector('.queue', { state: 'visible' });
    await page.keyboard.press('?');
    await page.waitForSelector('.help table.keys');
    // The whole legend fits the 768 px screen: its last line is in view without scrolling.
    const last = await page.locator('.help table.keys tr').last().boundingBox();
    expect(last && last.y + last.height).toBeLessThan(VIEWPORT.height);
    await screenshot(page, 'team-12-help');
    await page.keyboard.press('Escape');
  });

  it('jumps from a finding that names a duplicate, and from an export blocker, to that applicant', async () => {
    const { page } = br;
    await openDesk(page, { select: dupA, reviewer: null, filter: { category: dupA.category } });
    const view = await api<ReviewApplicant>('review.applicant', { idNumber: dupA.idNumber });
    expect(view.findings.find((f) => f.checkId === 'duplicate_phone')?.peers.map((p) => p.idNumber)).toEqual([dupB.idNumber]);
    // The link shows the other applicant by name and masked ID, never the full number.
    const link = page.locator(`.findings [data-testid="peer-link"][data-id-masked="${dupB.idMasked}"]`);
    expect(await link.textContent()).toContain(dupB.name);
    expect(await page.textContent('.findings')).not.toContain(dupB.idNumber);
    await screenshot(page, 'team-10-peer-finding');
    await link.click();
    await page.waitForSelector(`${SELECTED}[data-id-masked="${dupB.idMasked}"]`);
    await page.waitForSelector(`.declared h2:has-text("${dupB.name}")`);

    await page.click('button[data-tool="export"]');
    const blocker = page.locator('[data-testid="blocker-link"]').first();
    await blocker.waitFor();
    const name = (await blocker.textContent()) ?? '';
    await blocker.click();
    await page.waitForSelector('.tool-dialog', { state: 'detached' });
    await page.waitForSelector(`.declared h2:has-text("${name}")`);
  });

  it('speaks Chinese only: no English words, raw codes, English aria-labels or date pickers on any screen of the Chinese desk', async () => {
    const { page } = br;
    // The admin sees every screen there is (accounts too).
    await page.click('[data-testid="account-chip"] button');
    await signInAs(page, ADMIN.name, ADMIN.secret);
    await openDesk(page, { select: dupA, reviewer: null });
    const stray: StrayText[] = [];
    const scan = async (where: string): Promise<void> => {
      stray.push(...(await strayEnglish(page, where)));
      expect(await page.locator('input[type="date"], input[type="month"], input[type="datetime-local"]').count(), where).toBe(0);
    };
    const tool = async (where: string, open: string, ready: string, close = '.tool-dialog .close'): Promise<void> => {
      await page.click(open);
      await page.waitForSelector(ready, { timeout: 30_000 });
      await scan(where);
      await page.click(close);
      await page.waitForSelector(ready, { state: 'detached' });
    };

    await scan('queue + applicant');
    expect(await page.locator('input[type="date"]').count()).toBe(0);
    // Every applicant's view, with the findings of the demo's defects (ID numbers, dates, scans).
    const q = (await api<QueueIndex>('review.queue', {})).rows;
    await openDesk(page, { select: q[0]!, reviewer: null });
    for (const [i, r] of q.entries()) {
      await page.waitForSelector(`${SELECTED}[data-id-masked="${r.idMasked}"]`);
      await page.waitForSelector(`.declared h2:has-text("${r.name}")`);
      await scan(`applicant ${r.name}`);
      if (i < q.length - 1) await page.keyboard.press('j');
    }
    expect(q.some((r) => r.flags.error > 0)).toBe(true);
    await page.keyboard.press('s');
    await page.waitForSelector('.panes.n2 .pane[data-pane="1"]');
    await scan('side by side');
    await page.keyboard.press('s');
    await page.keyboard.press('?');
    await page.waitForSelector('.help table.keys');
    await scan('key legend');
    await page.keyboard.press('Escape');
    await page.keyboard.press('d');
    await page.waitForSelector('.dashboard [data-testid="deadline"]');
    await scan('dashboard');
    expect(await page.locator('input[type="date"]').count()).toBe(0);
    expect(await page.getAttribute('.dashboard input.date', 'placeholder')).toContain('2024-02-20');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.dashboard', { state: 'detached' });

    await page.click('button[data-tool="team"]');
    for (const tab of ['assign', 'signoff', 'qc']) {
      await page.click(`.team-tabs button[data-tab="${tab}"]`);
      await page.waitForSelector(`.team-tab[data-tab="${tab}"]`);
      await page.waitForLoadState('networkidle');
      await scan(`团队 · ${tab}`);
    }
    await page.keyboard.press('Escape');
    await page.waitForSelector('.team-dialog', { state: 'detached' });
    await tool('import wizard', 'button[data-tool="import"]', '.iw', '.iw-close');
    await tool('export', 'button[data-tool="export"]', '[data-testid="blocker-link"]');
    await tool('sync', 'button[data-tool="sync"]', '[data-testid="sync-passphrase"]');
    await tool('backup + accounts', 'button[data-tool="backup"]', '.accounts-panel');
    await tool('conflicts', 'button[data-tool="conflicts"]', '[data-testid="conflicts-empty"]');
    await page.click('[data-testid="college-name"]');
    await page.waitForSelector('.start-dialog li.current');
    await scan('colleges');
    await page.keyboard.press('Escape');
    expect(stray).toEqual([]);
    // The scan is not blind: the same desk in English is full of words it reports.
    await page.click('header.topbar button.lang');
    await page.waitForSelector('html[lang="en"]');
    const english = await strayEnglish(page, 'English desk');
    expect(english.length).toBeGreaterThan(20);
    await page.click('header.topbar button.lang');
    await page.waitForSelector('html[lang="zh-CN"]');
  });
});

/**
 * The review workspace end to end, in real Chromium through the loopback host: keyboard-only
 * review of five applicants, the override note an error finding asks for, reject with a reason
 * by number key, undo on the applicant in view, keys that belong to a focused control (Enter
 * presses the button, ticks the checkbox, follows the link; Esc hands them back), side-by-side
 * documents, rotation and zoom remembered after a reload, a corrupt PDF shown as an error in
 * place, filters with counts and search, bulk approval previewed by the server and undone as a
 * unit, an applicant in 冲突, per-document verdicts kept with the decision, and (on a desk of
 * its own) decisions as the signed-in account. Screenshots go to test-artifacts/review-*.png.
 *
 * One imported demo college serves the file, but no case relies on another: each takes
 * applicants of its own (cast once in beforeAll, the same whichever cases run), sets up through
 * the API what it reads, and opens the desk afresh (openDesk: filter, selection, reviewer and
 * auto-advance written to localStorage, then a reload). So any case passes alone with -t.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../electron/sync/index.js';
import type { ApplicantHistory, ImportReport, QueueIndex, QueueRow, ReviewApplicant, ReviewFinding, StatusSummary } from '../../shared/api/index.js';
import type { CategoryCode } from '../../shared/domain.js';
import { pinyinInitials } from '../../shared/pinyin.js';
import { initialsStartWith, primaryInitials } from '../../shared/pinyinSearch.js';
import { apiCall, hostCall, openBrowser, openDesk, pixelStats, REVIEWER, screenshot, startDesk, type BrowserFixture, type DeskFixture, type Truth } from './harness.js';

const SELECTED = '.queue-list li[aria-selected="true"]';
const STATUS = '[data-testid="current-status"]';
const HINT = '[data-testid="key-hint"]';
const MESSAGE = '.decision-bar .message.error';
// The desk's own words (renderer/src/i18n.ts reads localStorage when imported, so they are
// written out here): the toolbar hint, and the messages of a refused decision.
const KEYS_HINT = 'A 通过并下一位';
const FOCUS_HINT = '焦点在按钮或输入框上';
const NEEDS_REASON = '须选择至少一个理由';
const NEEDS_NOTE = '请在备注中写明理由';

async function selectedMasked(page: Page): Promise<string | null> {
  return page.getAttribute(SELECTED, 'data-id-masked');
}

/** Waits until the applicant view shows data (not the loading placeholder). */
async function ready(page: Page): Promise<void> {
  await page.waitForSelector(STATUS);
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

/** The focus is on the desk again (no control has it) and the toolbar hint shows the shortcuts. */
async function keysOnDesk(page: Page): Promise<void> {
  await page.waitForFunction(() => document.activeElement === document.body);
  await page.waitForSelector(`${HINT}:has-text("${KEYS_HINT}")`);
}

/** A demo college imported into a fresh desk, open in Chromium at the queue. */
async function importedDesk(opts: { applicants: number; seed: number }): Promise<{ fx: DeskFixture; br: BrowserFixture }> {
  const fx = await startDesk(opts);
  await apiCall<ImportReport>(fx.host, 'import.run', { listPath: join(fx.demoDir, 'applicants.xlsx'), attachmentsPath: join(fx.demoDir, 'attachments') });
  const br = await openBrowser();
  await br.page.goto(fx.host.link());
  await br.page.waitForSelector('.queue-list li[role=option]');
  return { fx, br };
}

/**
 * Hands out applicants, each to one case: the first row in queue order that fits and nobody
 * took. Cast in a fixed order once, so a case gets the same applicants whichever cases run.
 */
function caster(queue: readonly QueueRow[]): { take: (what: string, fits: (r: QueueRow) => boolean) => QueueRow; takeAll: (what: string, fits: (r: QueueRow) => boolean) => QueueRow[] } {
  const taken = new Set<string>();
  const takeAll = (what: string, fits: (r: QueueRow) => boolean): QueueRow[] => {
    const rows = queue.filter((r) => !taken.has(r.idNumber) && fits(r));
    if (rows.length === 0) throw new Error(`the demo college has no applicant for ${what}; pick another seed`);
    for (const r of rows) taken.add(r.idNumber);
    return rows;
  };
  const take = (what: string, fits: (r: QueueRow) => boolean): QueueRow => {
    const r = queue.find((x) => !taken.has(x.idNumber) && fits(x));
    if (!r) throw new Error(`the demo college has no applicant for ${what}; pick another seed`);
    taken.add(r.idNumber);
    return r;
  };
  return { take, takeAll };
}

const kindsOf = (truth: Truth, r: QueueRow): string[] => truth.documents.filter((d) => d.idNumber === r.idNumber).map((d) => d.kind);
const hasDefect = (truth: Truth, r: QueueRow): boolean => truth.defects.some((d) => d.idNumber === r.idNumber);

describe('review workspace in Chromium', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  let queue: QueueRow[];
  let cast: {
    five: QueueRow[];
    sixth: QueueRow;
    override: QueueRow;
    reject: QueueRow;
    undo: QueueRow;
    rotate: QueueRow;
    zoom: QueueRow;
    sideBySide: QueueRow;
    corrupt: QueueRow;
    counted: QueueRow;
    searched: QueueRow;
    focusButton: QueueRow;
    focusCheckbox: QueueRow;
    focusLink: QueueRow;
    linkReason: string;
    conflict: QueueRow;
    judged: QueueRow;
    bulk: QueueRow[];
    bulkThenUndo: QueueRow[];
  };
  const api = <T,>(name: string, args: unknown): Promise<T> => apiCall<T>(fx.host, name, args);
  const statusOf = async (r: QueueRow): Promise<string> => (await api<ReviewApplicant>('review.applicant', { idNumber: r.idNumber })).detail.status;
  const findingsOf = async (r: QueueRow): Promise<ReviewFinding[]> => (await api<ReviewApplicant>('review.applicant', { idNumber: r.idNumber })).findings;
  const decisionsOf = async (r: QueueRow): Promise<ApplicantHistory['entries']> => (await api<ApplicantHistory>('decisions.history', { idNumber: r.idNumber })).entries;
  const byId = async (): Promise<Map<string, QueueRow>> => new Map((await api<QueueIndex>('review.queue', {})).rows.map((r) => [r.idNumber, r]));
  const ofCategory = (c: CategoryCode) => (r: QueueRow): boolean => r.category === c;
  /** No finding of the checks and no defect the generator planted: an applicant to simply approve. */
  const plain = (r: QueueRow): boolean => r.flags.error === 0 && r.flags.warning === 0 && !hasDefect(fx.truth, r);
  /** Goes to an applicant from the keyboard: '/', type 6 digits of the ID number, Enter. */
  const goTo = async (page: Page, row: QueueRow): Promise<void> => {
    await page.keyboard.press('/');
    await page.keyboard.type(row.idNumber.slice(-6));
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${SELECTED}[data-id-masked="${row.idMasked}"]`);
    await ready(page);
  };

  beforeAll(async () => {
    // 50 is the smallest demo with one of each scan defect (corrupt_scan among them); seed 22
    // casts every case since the demo gained issue 17's fields and defects.
    ({ fx, br } = await importedDesk({ applicants: 50, seed: 22 }));
    queue = (await api<QueueIndex>('review.queue', {})).rows;
    const { take, takeAll } = caster(queue);
    // Whole categories first: a bulk approval takes what its filter shows.
    const bulk = takeAll('bulk approval (craftsman)', ofCategory('craftsman'));
    const bulkThenUndo = takeAll('undo after a bulk approval (general)', ofCategory('general'));
    const poverty = takeAll('five by keyboard (poverty)', ofCategory('poverty'));
    const five = poverty.slice(0, 5);
    const sixth = poverty[5];
    if (!sixth || five.some((r) => r.flags.error > 0) || sixth.flags.error === 0) {
      throw new Error('the demo college must start its 脱贫 rows with five applicants without an error finding and then a flagged one; pick another seed');
    }
    const corruptId = fx.truth.defects.find((d) => d.type === 'corrupt_scan')?.idNumber;
    const corrupt = take('a corrupt scan', (r) => r.idNumber === corruptId);
    const override = take('an error finding to approve over', (r) => r.flags.error > 0);
    const bothCerts = (r: QueueRow): boolean => r.category === 'veteran' && kindsOf(fx.truth, r).includes('discharge_cert') && kindsOf(fx.truth, r).includes('diploma') && !hasDefect(fx.truth, r);
    const rotate = take('rotation', bothCerts);
    const sideBySide = take('side by side', bothCerts);
    const zoom = take('zoom per kind', (r) => new Set(kindsOf(fx.truth, r)).size >= 2 && !hasDefect(fx.truth, r));
    const reject = take('reject by number key', plain);
    const undo = take('undo', plain);
    const focusButton = take('Enter on a button', plain);
    const focusCheckbox = take('Enter on a checkbox', plain);
    const conflict = take('a conflict', plain);
    const judged = take('verdicts', (r) => plain(r) && kindsOf(fx.truth, r).length > 0);
    const counted = take('filter counts', (r) => r.category === 'veteran' && plain(r));
    const searched = take('search', plain);
    // A finding that offers its reason as a link, and no error (so A approves without a note).
    const focusLink = take('Enter on a link', (r) => r.flags.error === 0 && r.flags.warning > 0);
    const a = await api<ReviewApplicant>('review.applicant', { idNumber: focusLink.idNumber });
    const linkReason = a.findings.find((f) => f.suggestedReason && a.reasons.some((x) => x.code === f.suggestedReason))?.suggestedReason ?? '';
    if (!linkReason) throw new Error('the applicant with a warning has no finding that suggests a reason; pick another seed');
    cast = { five, sixth, override, reject, undo, rotate, zoom, sideBySide, corrupt, counted, searched, focusButton, focusCheckbox, focusLink, linkReason, conflict, judged, bulk, bulkThenUndo };
  }, 180_000);
  afterAll(async () => {
    await br?.close();
    await fx?.close();
  });

  it('shows no full ID numbers in the queue', async () => {
    const { page } = br;
    await openDesk(page);
    const text = (await page.textContent('.queue')) ?? '';
    for (const r of queue) expect(text).not.toContain(r.idNumber);
    await screenshot(page, 'review-01-queue');
  });

  it('reviews five applicants without findings from the keyboard alone, one key each, and stops at a flagged one', async () => {
    const { page } = br;
    await openDesk(page, { filter: { category: 'poverty' }, select: cast.five[0], reviewer: null });
    // No reviewer yet: the approval key asks for one and puts the caret in the reviewer box.
    await page.keyboard.press('a');
    await page.waitForFunction(() => document.activeElement?.classList.contains('reviewer'));
    await page.keyboard.type(REVIEWER);
    await page.keyboard.press('Enter');
    for (let i = 0; i < 5; i++) await pressAndAdvance(page, 'a');
    expect(await selectedMasked(page)).toBe(cast.sixth.idMasked);
    const after = await byId();
    for (const r of cast.five) expect(after.get(r.idNumber)).toMatchObject({ status: 'approve', reviewer: REVIEWER });
    await screenshot(page, 'review-02-after-five');

    // The sixth has an error finding: A asks for a note and decides nothing.
    await page.keyboard.press('a');
    await page.waitForSelector(`${MESSAGE}:has-text("${NEEDS_NOTE}")`);
    await page.waitForFunction(() => document.activeElement?.classList.contains('note'));
    expect(await selectedMasked(page)).toBe(cast.sixth.idMasked);
    expect(await statusOf(cast.sixth)).toBe('pending');
  });

  it('approves over an error finding only with a note: A asks for it, the caret waits in the note, the history marks the override', async () => {
    const { page } = br;
    await openDesk(page, { select: cast.override, autoAdvance: false });
    expect((await findingsOf(cast.override)).some((f) => f.severity === 'error')).toBe(true);
    await page.keyboard.press('a');
    await page.waitForSelector(`${MESSAGE}:has-text("${NEEDS_NOTE}")`);
    await page.waitForFunction(() => document.activeElement?.classList.contains('note'));
    expect(await statusOf(cast.override)).toBe('pending');
    // The service refuses the same approval without a note, whoever calls it.
    expect(await hostCall(fx.host, 'decisions.record', { idNumber: cast.override.idNumber, decision: 'approve', reviewer: REVIEWER })).toMatchObject({ ok: false, error: { code: 'override_needs_note' } });

    const note = '已电话核实，补交材料原件无误';
    await page.keyboard.type(note);
    expect(await page.inputValue('input.note')).toBe(note);
    await page.keyboard.press('Escape');
    await keysOnDesk(page);
    await page.keyboard.press('a');
    await page.waitForSelector(`${STATUS}.status-approve`);
    await page.waitForSelector('.history [data-testid="override-mark"]');
    expect(await page.textContent('.history li.head')).toContain(note);
    await screenshot(page, 'review-14-override');
    const [entry, ...more] = await decisionsOf(cast.override);
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({ decision: 'approve', note, reviewer: REVIEWER });
    expect(entry?.payload.override).toEqual(expect.arrayContaining([expect.any(String)]));
  });

  it('rejects with a reason picked by its number key, and refuses without one', async () => {
    const { page } = br;
    await openDesk(page, { select: cast.reject });
    await page.keyboard.press('r');
    await page.waitForSelector(`${MESSAGE}:has-text("${NEEDS_REASON}")`);
    expect(await selectedMasked(page)).toBe(cast.reject.idMasked);
    await page.keyboard.press('1');
    await page.waitForSelector('.reasons label.on input[value="blurry"]');
    await pressAndAdvance(page, 'r');
    const a = await api<ReviewApplicant>('review.applicant', { idNumber: cast.reject.idNumber });
    expect(a.detail.status).toBe('reject');
    expect(a.detail.current?.reasons).toEqual(['blurry']);
  });

  it('undoes on the applicant in view one step at a time: 不通过 back to 通过, then back to 待审', async () => {
    const { page } = br;
    const x = cast.undo;
    await api('decisions.record', { idNumber: x.idNumber, decision: 'approve', reviewer: REVIEWER });
    await api('decisions.record', { idNumber: x.idNumber, decision: 'reject', reasons: ['blurry'], reviewer: REVIEWER });
    await openDesk(page, { select: x });
    await page.waitForSelector(`${STATUS}.status-reject`);

    await page.keyboard.press('u');
    await page.waitForSelector(`[data-testid="toast"]:has-text("已撤销 ${x.name} 的“不通过”，恢复为“通过”")`);
    await page.waitForSelector(`${STATUS}.status-approve`);
    expect(await statusOf(x)).toBe('approve');
    expect(await selectedMasked(page)).toBe(x.idMasked);
    await screenshot(page, 'review-03-undo');

    await page.keyboard.press('Control+z');
    await page.waitForSelector(`[data-testid="toast"]:has-text("已撤销 ${x.name} 的“通过”，恢复为“待审”")`);
    await page.waitForSelector(`${STATUS}.status-pending`);
    expect(await statusOf(x)).toBe('pending');
    expect(await selectedMasked(page)).toBe(x.idMasked);
  });

  it('Enter on a focused button presses that button (a reject without a reason is refused); Esc hands the keys back and A approves', async () => {
    const { page } = br;
    const x = cast.focusButton;
    await openDesk(page, { select: x, autoAdvance: false });
    await page.waitForSelector(`${HINT}:has-text("${KEYS_HINT}")`);
    const tool = page.locator('button[data-tool="import"]');
    const toolBefore = await tool.boundingBox();
    await page.focus('.decision-row .btn.reject');
    await page.waitForSelector(`${HINT}:has-text("${FOCUS_HINT}")`);
    // The hint's new text moves nothing: a tool button must stay under the pointer.
    expect(await tool.boundingBox()).toEqual(toolBefore);

    await page.keyboard.press('Enter');
    await page.waitForSelector(`${MESSAGE}:has-text("${NEEDS_REASON}")`);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('reject'))).toBe(true);
    expect(await statusOf(x)).toBe('pending');

    await page.keyboard.press('Escape');
    await keysOnDesk(page);
    await page.keyboard.press('a');
    await page.waitForSelector(`${STATUS}.status-approve`);
    // One decision in all: the Enter on the button approved nothing.
    expect((await decisionsOf(x)).map((e) => e.decision)).toEqual(['approve']);
  });

  it('Enter or Space on a focused reason checkbox ticks it and never approves', async () => {
    const { page } = br;
    const x = cast.focusCheckbox;
    await openDesk(page, { select: x, autoAdvance: false });
    await page.focus('.reasons input[value="blurry"]');
    await page.waitForSelector(`${HINT}:has-text("${FOCUS_HINT}")`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.reasons label.on input[value="blurry"]');
    await page.keyboard.press('Space');
    await page.waitForSelector('.reasons label:not(.on) input[value="blurry"]');
    await page.keyboard.press('Space');
    await page.waitForSelector('.reasons label.on input[value="blurry"]');
    expect(await statusOf(x)).toBe('pending');

    await page.keyboard.press('Escape');
    await keysOnDesk(page);
    await page.keyboard.press('r');
    await page.waitForSelector(`${STATUS}.status-reject`);
    // One decision in all, the reject with the ticked reason: no Enter approved.
    const entries = await decisionsOf(x);
    expect(entries.map((e) => `${e.decision}:${e.reasons.join(',')}`)).toEqual(['reject:blurry']);
  });

  it('Enter on a focused link follows it (the finding picks its reason) and never approves', async () => {
    const { page } = br;
    const x = cast.focusLink;
    await openDesk(page, { select: x, autoAdvance: false });
    // The finding's own link (its suggested reason), not a link to another applicant it names.
    const link = `.findings button.link:not(.peer)`;
    await page.waitForSelector(link);
    await page.waitForSelector(`.reasons label:not(.on) input[value="${cast.linkReason}"]`);
    await page.focus(link);
    await page.waitForSelector(`${HINT}:has-text("${FOCUS_HINT}")`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.reasons label.on input[value="${cast.linkReason}"]`);
    expect(await statusOf(x)).toBe('pending');

    await page.keyboard.press('Escape');
    await keysOnDesk(page);
    await page.keyboard.press('a');
    await page.waitForSelector(`${STATUS}.status-approve`);
    expect((await decisionsOf(x)).map((e) => e.decision)).toEqual(['approve']);
  });

  it('rotates a scan by key and remembers it after a reload, at the same place in the queue', async () => {
    const { page } = br;
    const target = cast.rotate;
    await openDesk(page, { select: target });
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
    const target = cast.zoom;
    await openDesk(page, { select: target });
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
    const docCount = kindsOf(fx.truth, target).length;
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

    // W fits the width again, and that is what is remembered for the kind.
    await page.keyboard.press('w');
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-fit') === 'width', badge);
    expect(await page.evaluate(() => localStorage.getItem('desk.viewByKind'))).toContain('"fit":"width"');
  });

  it('shows two documents side by side (退役证 next to 毕业证)', async () => {
    const { page } = br;
    await openDesk(page, { select: cast.sideBySide });
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
    const row = cast.corrupt;
    const defect = fx.truth.defects.find((d) => d.type === 'corrupt_scan' && d.idNumber === row.idNumber);
    await openDesk(page, { select: row });
    const a = await api<ReviewApplicant>('review.applicant', { idNumber: row.idNumber });
    const docIndex = a.detail.documents.findIndex((d) => defect?.document?.endsWith(d.originalName) || d.originalName === defect?.document);
    expect(docIndex).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < docIndex; i++) await page.keyboard.press(']');
    await page.waitForSelector('.pane .viewer-msg.error[role="alert"]:has-text("损坏")');
    // pdf.js fails in English ("Invalid PDF structure."); the Chinese desk says it in words only
    // (PDF, the file type's name, may stay: an English sentence has lower-case words).
    const corruptText = (await page.textContent('.pane .viewer-msg.error')) ?? '';
    expect(corruptText, corruptText).not.toMatch(/[a-z]{2,}/);
    await screenshot(page, 'review-06-corrupt');
  });

  it('shows a 燎原计划 applicant\'s fields under their labels, and 报考院校/报考专业 where declared', async () => {
    const { page } = br;
    // Read only: any 燎原 row serves (the bulk case approves them; the fields stay what they are).
    const row = queue.find(ofCategory('craftsman'));
    if (!row) throw new Error('the demo college has no 燎原计划 applicant; pick another seed');
    await openDesk(page, { select: row });
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

  it('filters with counts and searches by keyboard, pinyin initials, ID digits and phone digits', async () => {
    const { page } = br;
    // An approval of its own, so the 通过 count below is not a count of nothing.
    await api('decisions.record', { idNumber: cast.counted.idNumber, decision: 'approve', reviewer: REVIEWER });
    await openDesk(page);
    const now = (await api<QueueIndex>('review.queue', {})).rows;
    const veterans = now.filter((r) => r.category === 'veteran');
    await page.selectOption('[data-testid="category-filter"]', 'veteran');
    await page.waitForFunction((n) => document.querySelectorAll('.queue-list li[role=option]').length === n, veterans.length);
    expect(await page.textContent('[data-testid="category-filter"] option[value="veteran"]')).toContain(`（${veterans.length}）`);
    // Status counts are those within the category filter (faceted counts).
    for (const s of ['pending', 'approve'] as const) {
      expect(await page.textContent(`[data-testid="status-filter"] option[value="${s}"]`)).toContain(`（${veterans.filter((r) => r.status === s).length}）`);
    }
    await page.selectOption('[data-testid="category-filter"]', '');
    const approved = now.filter((r) => r.status === 'approve').length;
    expect(approved).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="status-filter"] option[value="approve"]')).toContain(`（${approved}）`);

    // From the keyboard: '/' puts the caret in the search box, Enter goes to the match.
    await page.keyboard.press('Escape');
    await keysOnDesk(page);
    const someone = cast.searched;
    await goTo(page, someone);

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
  });

  it('bulk-approves after a dialog that names the count and who is left out, never touching a decision, and undoes it as a unit', async () => {
    const { page } = br;
    const rows = cast.bulk;
    // Every 燎原 applicant uploads the 获奖证书 the rules file requires. The rule takes undecided
    // applicants with no finding of any level and every scan read; OCR does not run by itself
    // here, so the case reads those whose scans are all text-layer PDFs (no recogniser needed).
    const docs = (r: QueueRow): Truth['documents'] => fx.truth.documents.filter((d) => d.idNumber === r.idNumber);
    const textOnly = (r: QueueRow): boolean => docs(r).length > 0 && docs(r).every((d) => d.format === 'pdf' && !d.imageOnly && d.pages > 0);
    const readable = rows.filter(textOnly);
    const [rejected, ...unread] = rows.filter((r) => !textOnly(r));
    if (!rejected || unread.length === 0 || readable.length === 0) throw new Error('the craftsman rows need one applicant with text PDFs only and two with other scans; pick another seed');
    for (const r of readable) await api('ocr.run', { idNumber: r.idNumber });
    const takes: QueueRow[] = [];
    for (const r of readable) if ((await findingsOf(r)).length === 0) takes.push(r);
    expect(takes.length).toBeGreaterThan(0);
    await api('decisions.record', { idNumber: rejected.idNumber, decision: 'reject', reasons: ['blurry'], reviewer: REVIEWER });

    await openDesk(page, { filter: { category: 'craftsman' } });
    await page.click('.queue .bulk');
    await page.waitForSelector('[data-testid="confirm"]');
    expect(await page.textContent('[data-testid="confirm-text"]')).toContain(`将把 ${takes.length} 名考生标记为“通过”`);
    expect(await page.textContent('[data-testid="confirm"]')).toContain(`通过这 ${takes.length} 人`);
    const excluded = await page.$$eval('[data-testid="bulk-excluded"] li', (els) => els.map((e) => e.textContent));
    // A read applicant with a finding (a past graduate's 往届 warning, say) is left out as flagged.
    const flagged = readable.length - takes.length;
    expect(excluded).toEqual(['已有结论 1 人（批量操作不会改动已有结论）', ...(flagged > 0 ? [`检查发现问题 ${flagged} 人（含提示级）`] : []), `材料尚未识别完 ${unread.length} 人`]);
    await screenshot(page, 'review-08-bulk-confirm');

    // Cancel first: nothing is decided.
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
    for (const r of takes) expect(await statusOf(r)).toBe('pending');

    await page.click('.queue .bulk');
    await page.click('[data-testid="confirm"]');
    await page.waitForSelector(`[data-testid="toast"]:has-text("已批量通过 ${takes.length} 人")`);
    const after = await byId();
    for (const r of takes) expect(after.get(r.idNumber)?.status).toBe('approve');
    expect(after.get(rejected.idNumber)?.status).toBe('reject');
    for (const r of unread) expect(after.get(r.idNumber)?.status).toBe('pending');
    for (const r of takes) await page.waitForSelector(`.queue-list li[data-id-masked="${r.idMasked}"] .status-approve`);
    await page.waitForSelector(`.queue-list li[data-id-masked="${rejected.idMasked}"] .status-reject`);
    await screenshot(page, 'review-15-bulk-done');

    // Undo the bulk: exactly those back to 待审; the rejected one keeps its decision.
    await page.click('[data-testid="undo-bulk"]');
    await page.waitForSelector(`[data-testid="toast"]:has-text("已撤销批量通过：${takes.length} 人恢复为“待审”")`);
    await page.waitForSelector('[data-testid="undo-bulk"]', { state: 'detached' });
    const undone = await byId();
    for (const r of [...takes, ...unread]) expect(undone.get(r.idNumber)?.status).toBe('pending');
    expect(undone.get(rejected.idNumber)?.status).toBe('reject');
    expect((await decisionsOf(rejected)).map((e) => `${e.kind}:${e.decision}`)).toEqual(['decision:reject']);
  });

  it('undoes on the applicant in view after a bulk approval, not the bulk', async () => {
    const { page } = br;
    const rows = cast.bulkThenUndo;
    const takes: QueueRow[] = [];
    let inView: QueueRow | undefined;
    for (const r of rows) {
      const clean = (await findingsOf(r)).length === 0;
      if (clean && kindsOf(fx.truth, r).length === 0) takes.push(r);
      else if (clean && !inView) inView = r;
    }
    const [first, ...others] = takes;
    if (!inView || !first || others.length === 0) throw new Error('the general rows need two applicants without scans and one with; pick another seed');
    // Decided before the bulk, by hand; the bulk leaves it alone.
    await api('decisions.record', { idNumber: inView.idNumber, decision: 'approve', reviewer: REVIEWER });

    await openDesk(page, { filter: { category: 'general' }, select: inView });
    await page.waitForSelector(`${STATUS}.status-approve`);
    await page.click('.queue .bulk');
    await page.click('[data-testid="confirm"]');
    await page.waitForSelector(`[data-testid="toast"]:has-text("已批量通过 ${takes.length} 人")`);
    expect(await selectedMasked(page)).toBe(inView.idMasked);
    // The dialog gave the focus back to the queue's bulk button; Esc hands the keys to the desk.
    await page.keyboard.press('Escape');
    await keysOnDesk(page);

    await page.keyboard.press('u');
    await page.waitForSelector(`[data-testid="toast"]:has-text("已撤销 ${inView.name} 的“通过”，恢复为“待审”")`);
    await page.waitForSelector(`${STATUS}.status-pending`);
    let now = await byId();
    expect(now.get(inView.idNumber)?.status).toBe('pending');
    for (const r of takes) expect(now.get(r.idNumber)?.status).toBe('approve');

    // One of the bulk in view: U undoes that one approval only.
    await page.click(`.queue-list li[data-id-masked="${first.idMasked}"]`);
    await page.waitForSelector(`${SELECTED}[data-id-masked="${first.idMasked}"]`);
    await page.waitForSelector(`${STATUS}.status-approve`);
    await page.waitForSelector('.history li.head:has-text("批量通过")');
    await page.keyboard.press('u');
    await page.waitForSelector(`[data-testid="toast"]:has-text("已撤销 ${first.name} 的“通过”，恢复为“待审”")`);
    now = await byId();
    expect(now.get(first.idNumber)?.status).toBe('pending');
    for (const r of others) expect(now.get(r.idNumber)?.status).toBe('approve');

    // The rest of the bulk is still one unit; the one undone by hand is counted as left alone.
    await page.click('[data-testid="undo-bulk"]');
    await page.waitForSelector(`[data-testid="toast"]:has-text("已撤销批量通过：${others.length} 人恢复为“待审”；1 人此后已重新审核，保持不变")`);
    now = await byId();
    for (const r of [inView, ...takes]) expect(now.get(r.idNumber)?.status).toBe('pending');
  });

  it('shows an applicant decided differently on two PCs as 冲突: queue row and filter, banner with decisions disabled, dashboard blocker', async () => {
    const { page } = br;
    const k = cast.conflict;
    await api('decisions.record', { idNumber: k.idNumber, decision: 'approve', reviewer: '张老师' });
    // What a merge of PC B's log leaves: B's reject, taken without seeing A's approval.
    appendEvents(fx.desk.ctx.ws(), 'pc-b', [{ kind: 'decision', idNumber: k.idNumber, decision: 'reject', reasons: ['blurry'], reviewer: REVIEWER, supersedes: [] }]);
    const conflicts = (await api<StatusSummary>('status.summary', {})).byDecision.conflict;
    expect(conflicts).toBe((await api<QueueIndex>('review.queue', {})).rows.filter((r) => r.status === 'conflict').length);
    expect(conflicts).toBeGreaterThan(0);

    // The queue: the row says 冲突, and 冲突 is a status to filter by.
    await openDesk(page, { select: k });
    await page.waitForSelector(`.queue-list li[data-id-masked="${k.idMasked}"] .status-conflict:has-text("冲突")`);
    expect(await page.textContent('[data-testid="status-filter"] option[value="conflict"]')).toContain(`冲突（${conflicts}）`);
    await page.selectOption('[data-testid="status-filter"]', 'conflict');
    await page.waitForFunction((n) => document.querySelectorAll('.queue-list li[role=option]').length === n, conflicts);
    await page.waitForSelector(`${SELECTED}[data-id-masked="${k.idMasked}"]`);
    await page.keyboard.press('Escape');
    await keysOnDesk(page);
    await screenshot(page, 'review-conflict-queue');

    // The applicant: the banner, 冲突 as the status, and no way to decide here.
    await page.waitForSelector('[data-testid="conflict-banner"]');
    await page.waitForSelector(`${STATUS}.status-conflict:has-text("冲突")`);
    for (const b of ['approve', 'reject', 'return']) expect(await page.isDisabled(`.decision-row .btn.${b}`)).toBe(true);
    await page.keyboard.press('a');
    await page.waitForSelector(`${MESSAGE}:has-text("冲突")`);
    const hist = await api<ApplicantHistory>('decisions.history', { idNumber: k.idNumber });
    expect(hist).toMatchObject({ status: 'conflict', conflict: true });
    expect(hist.entries).toHaveLength(2);
    await screenshot(page, 'review-conflict-view');

    // The dashboard: 冲突 blocks the export, and has a column of its own.
    await page.keyboard.press('d');
    await page.waitForSelector(`[data-testid="dash-conflicts"]:has-text("冲突未裁定 ${conflicts} 人")`);
    expect(await page.$$eval('.dashboard table.grid thead th', (els) => els.map((e) => e.textContent))).toContain('冲突');
    await screenshot(page, 'review-conflict-dashboard');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
  });

  it('logs 模糊 / 不一致 per scan, preselects their reasons, keeps them after a reload, lists them in the history and clears them', async () => {
    const { page } = br;
    await openDesk(page, { select: cast.judged, reviewer: null });
    await page.fill('input.reviewer', REVIEWER);
    await page.keyboard.press('Enter');
    await page.keyboard.press('b');
    await page.waitForSelector('.pane[data-pane="0"] [data-verdict="blurry"][aria-pressed="true"]');
    await page.waitForSelector('.reasons label.on input[value="blurry"]');
    await page.click('.pane[data-pane="0"] [data-verdict="mismatch"]');
    await page.waitForSelector('.reasons label.on input[value="name_mismatch"]');
    await expect
      .poll(async () => (await api<ReviewApplicant>('review.applicant', { idNumber: cast.judged.idNumber })).verdicts.map((v) => `${v.clarity}/${v.match}`))
      .toEqual(['blurry/mismatch']);

    await page.reload();
    await ready(page);
    await page.waitForSelector('.pane[data-pane="0"] [data-verdict="blurry"][aria-pressed="true"]');
    await page.waitForSelector('.pane[data-pane="0"] [data-verdict="mismatch"][aria-pressed="true"]');
    await page.waitForSelector('.reasons label.on input[value="blurry"]');
    await page.waitForSelector('.reasons label.on input[value="name_mismatch"]');
    expect(await page.locator('[data-testid="verdict-entry"]').count()).toBe(2);
    expect(await page.textContent('.history')).toContain(REVIEWER);
    await painted(page, 0);
    await screenshot(page, 'review-11-verdicts-after-reload');

    // Clicking the verdict in force clears it (an event too); its reason goes with it.
    await page.click('.pane[data-pane="0"] [data-verdict="blurry"]');
    await page.waitForSelector('.pane[data-pane="0"] [data-verdict="blurry"][aria-pressed="false"]');
    await page.waitForSelector('.reasons input[value="blurry"]:not(:checked)');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="verdict-entry"]').length === 3);
    const after = await api<ReviewApplicant>('review.applicant', { idNumber: cast.judged.idNumber });
    expect(after.verdicts.map((v) => `${v.clarity}/${v.match}`)).toEqual(['null/mismatch']);
    expect(after.verdictLog.map((v) => v.value)).toEqual(['blurry', 'mismatch', null]);

    // A decision keeps the verdicts in force as codes; the history shows them in the reader's language.
    await page.keyboard.press('Escape');
    await keysOnDesk(page);
    await pressAndAdvance(page, 'r');
    const decided = await api<ReviewApplicant>('review.applicant', { idNumber: cast.judged.idNumber });
    expect(decided.detail.current).toMatchObject({ decision: 'reject', reasons: ['name_mismatch'], note: '' });
    const kind = decided.detail.documents[0]?.kind;
    expect(decided.detail.current?.verdicts.map((v) => `${v.documentKind}:${v.clarity}/${v.match}`)).toEqual([`${kind}:null/mismatch`]);
    await page.keyboard.press('k');
    await page.waitForSelector(`${SELECTED}[data-id-masked="${cast.judged.idMasked}"]`);
    await page.waitForSelector('.history li.head[data-kind="decision"]:has-text("材料判定：")');
    expect(await page.textContent('.history li.head[data-kind="decision"]')).toMatch(/材料判定：\S+不一致/);
  });

  it('shows the dashboard and the key legend from the keyboard', async () => {
    const { page } = br;
    await openDesk(page);
    await page.keyboard.press('d');
    await page.waitForSelector('.dashboard [data-testid="projected"]');
    await screenshot(page, 'review-09-dashboard');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
    await page.keyboard.press('?');
    await page.waitForSelector('.help table.keys');
    await screenshot(page, 'review-10-help');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
  });
});

describe('the signed-in reviewer in Chromium', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  let signedIn: QueueRow;
  const api = <T,>(name: string, args: unknown): Promise<T> => apiCall<T>(fx.host, name, args);

  // A desk of its own: the case turns accounts on, and that cannot be undone.
  beforeAll(async () => {
    ({ fx, br } = await importedDesk({ applicants: 16, seed: 7 }));
    signedIn = caster((await api<QueueIndex>('review.queue', {})).rows).take('a decision as the signed-in account', (r) => r.flags.error === 0);
  }, 180_000);
  afterAll(async () => {
    await br?.close();
    await fx?.close();
  });

  it('with accounts, records as the signed-in account, shows it read-only, and keeps the catalogue to supervisors', async () => {
    const { page } = br;
    await openDesk(page, { select: signedIn });
    await api('accounts.create', { name: '王主任', role: 'admin', secret: 'admin-246810' });
    const adm = { name: '王主任', secret: 'admin-246810' };
    await api('accounts.create', { name: '张老师', role: 'reviewer', secret: '715264', as: adm });
    await page.reload();
    await page.waitForSelector('.signin', { timeout: 30_000 });
    await page.fill('[data-testid="signin-name"]', '张老师');
    await page.fill('[data-testid="signin-secret"]', '715264');
    await page.click('.signin button[type="submit"]');
    await page.waitForFunction(() => (document.querySelector('input.reviewer') as HTMLInputElement | null)?.value === '张老师', undefined, { timeout: 20_000 });
    expect(await page.getAttribute('input.reviewer', 'readonly')).not.toBeNull();
    await page.waitForSelector(`${SELECTED}[data-id-masked="${signedIn.idMasked}"]`);
    await ready(page);
    // The sign-in dialog's button had the focus; the desk gets the keys back.
    await page.keyboard.press('Escape');
    await keysOnDesk(page);

    // A decision goes in the account's name.
    await pressAndAdvance(page, 'a');
    const decided = (await api<QueueIndex>('review.queue', {})).rows.find((r) => r.idNumber === signedIn.idNumber);
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
    // Refused by the dispatcher (the call needs a supervisor) before the service's own check.
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });

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

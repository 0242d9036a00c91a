/**
 * The college hub in the desk (issue 18), in Chromium against a real PostgreSQL cluster: the admin
 * types the hub address, password and passphrase in the sync dialog; the toolbar light turns
 * 已同步 hh:mm; a second PC synced through the hub gets A's decision; with the server stopped the
 * automatic rounds turn the light 离线 by themselves and the desk still records decisions, which a
 * later round brings to the hub once it is back (the light 已同步 again), and so to the second PC.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../electron/app/desk.js';
import { allStates } from '../../electron/review/state.js';
import type { HubStatus, ImportReport } from '../../shared/api/index.js';
import { PG_PASSWORD, startCluster, type PgCluster } from '../fixtures/pgCluster.js';
import { apiCall, hostCall, openBrowser, screenshot, startDesk, type BrowserFixture, type DeskFixture } from './harness.js';

const PW = '湖南示范 hub 2026';

describe('the sync server in the desk', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  let pg: PgCluster;
  let pcB: Desk | undefined;
  beforeAll(async () => {
    pg = await startCluster();
    // The desk's automatic rounds, every 3 s instead of 3 min (and retried as often while offline).
    fx = await startDesk({ applicants: 6, seed: 18, desk: { autoHub: true, services: { hub: { intervalMs: 3000, maxBackoffMs: 3000, connectTimeoutMs: 2000 } } } });
    br = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    pcB?.close();
    await br?.close();
    await fx?.close();
    pg?.destroy();
  });

  it('sets the hub, shows 已同步, goes 离线 when the server stops, and catches up', async () => {
    const { page } = br;
    const url = await pg.createDatabase('hub_e2e');
    const bare = url.replace(`:${encodeURIComponent(PG_PASSWORD)}@`, '@');
    expect(await hostCall(fx.host, 'hub.init', { url })).toMatchObject({ ok: true, value: { created: true } });
    const imp = await hostCall<ImportReport>(fx.host, 'import.run', { listPath: join(fx.demoDir, 'applicants.xlsx'), attachmentsPath: join(fx.demoDir, 'attachments') });
    expect(imp.ok).toBe(true);
    const bDir = join(fx.root, '工作区 二');
    expect(await hostCall(fx.host, 'workspace.clone', { out: bDir })).toMatchObject({ ok: true });
    const ids = fx.desk.ctx.ws().db.prepare('SELECT id_number FROM applicants ORDER BY row_no').pluck().all() as string[];

    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(fx.host.url);
    // The settings are the college's: whoever changes them is named (the reviewer typed in).
    await page.evaluate(() => localStorage.setItem('desk.reviewer', '王主任'));
    await page.reload();
    await page.waitForSelector('.queue-row, [role=option]', { timeout: 30_000 });
    // No hub yet: no light.
    expect(await page.locator('[data-testid="hub-light"]').count()).toBe(0);
    await page.click('button[data-tool="sync"]');
    await page.fill('[data-testid="hub-url"]', bare);
    await page.fill('[data-testid="hub-password"]', PG_PASSWORD);
    await page.fill('[data-testid="hub-passphrase"]', PW);
    await page.click('[data-testid="hub-panel"] button[type="submit"]');
    await page.waitForSelector('[data-testid="hub-panel"] [data-testid="hub-light"][data-state="synced"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="hub-panel"] [data-testid="hub-light"]')).toMatch(/已同步 \d\d:\d\d/);
    expect(await page.inputValue('[data-testid="hub-password"]')).toBe('');
    await screenshot(page, 'hub-01-settings-synced');
    await page.click('.tool-dialog .close');
    await page.waitForSelector('[data-testid="hub-light"][data-state="synced"]');
    // At 1366×768 the light is the toolbar's sync button, and the toolbar still fits the window.
    expect(await page.getAttribute('[data-testid="hub-light"]', 'data-tool')).toBe('sync');
    expect(await page.locator('header.topbar button[data-tool="sync"]').count()).toBe(1);
    const overflow = await page.$eval('header.topbar', (h) => {
      const right = h.getBoundingClientRect().right;
      return [...h.querySelectorAll('button, input, label, .ocr-job')].filter((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > right + 1).map((el) => el.textContent);
    });
    expect(overflow).toEqual([]);
    await screenshot(page, 'hub-02-toolbar-light');

    // PC B (a clone) syncs through the hub with the address it received in the college settings.
    await apiCall(fx.host, 'decisions.record', { idNumber: ids[0], decision: 'approve', reviewer: '张老师' });
    // 立即同步 joins an automatic visit under way (which may have begun before the decision): the
    // second call is a visit of its own.
    await apiCall(fx.host, 'hub.syncNow', {});
    await apiCall(fx.host, 'hub.syncNow', {});
    pcB = createDesk(bDir);
    expect(await pcB.dispatch('sync.hub', { url: bare, passphrase: PW, passwordEnv: 'DESK_E2E_NO_SUCH_VAR' })).toMatchObject({ ok: false, error: { code: 'hub_auth' } });
    const rb = await pcB.dispatch('sync.hub', { url, passphrase: PW });
    expect(rb).toMatchObject({ ok: true });
    expect(await pcB.dispatch('college.settings.get', {})).toMatchObject({ ok: true, value: { hubUrl: expect.stringMatching(/^postgres:\/\/desk@127\.0\.0\.1:\d+\/hub_e2e$/) } });
    const decisionOf = (d: Desk, id: string): string | undefined => allStates(d.ctx.ws()).get(id)?.decision ?? undefined;
    expect(decisionOf(pcB, ids[0]!)).toBe('approve');

    // The server goes down: the next automatic round finds it gone, the light says 离线 by itself,
    // and the desk goes on deciding.
    pg.stop('fast');
    await page.waitForSelector('[data-testid="hub-light"][data-state="offline"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="hub-light"]')).toContain('离线');
    expect(await apiCall<HubStatus>(fx.host, 'hub.status', {})).toMatchObject({ state: 'offline', lastError: { code: 'hub_unreachable' } });
    await screenshot(page, 'hub-03-offline');
    await apiCall(fx.host, 'decisions.record', { idNumber: ids[1], decision: 'reject', reasons: ['blurry'], reviewer: '张老师' });
    expect(decisionOf(fx.desk, ids[1]!)).toBe('reject');

    // Back up: a later round catches up on its own (nobody presses anything), and B receives the
    // decision made while the server was down.
    const downAt = new Date().toISOString();
    pg.start();
    await page.waitForSelector('[data-testid="hub-light"][data-state="synced"]', { timeout: 60_000 });
    const back = await apiCall<HubStatus>(fx.host, 'hub.status', {});
    expect(back.lastSyncAt! > downAt).toBe(true);
    expect(await pcB.dispatch('sync.hub', { url, passphrase: PW })).toMatchObject({ ok: true });
    expect(decisionOf(pcB, ids[1]!)).toBe('reject');
  }, 240_000);
});

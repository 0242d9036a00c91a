/**
 * Issue 19 in the desk: PC A (the college's root) enrols PC B for 张老师 in the sync dialog and
 * gets B's one-time setup code; after a sync, 张老师 on B (which received the account but no
 * secret) sets a password there with the code and is signed in. At 1366×768.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/api/index.js';
import { createDesk, type Desk } from '../../electron/app/desk.js';
import { startHost, type Host } from '../../electron/adapters/host/server.js';
import { documentBlob } from '../../electron/documents/index.js';
import { apiCall, hostCall, openBrowser, RENDERER_DIR, screenshot, startDesk, type BrowserFixture, type DeskFixture } from './harness.js';

const PW = '湖南示范 sync 2026';
const ADMIN = 'Office#Desk-2026';

describe('enrolling a PC and setting a secret on it', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  let pcB: Desk | undefined;
  let hostB: Host | undefined;
  beforeAll(async () => {
    fx = await startDesk({ applicants: 4, seed: 19 });
    br = await openBrowser();
  });
  afterAll(async () => {
    await hostB?.close();
    pcB?.close();
    await br?.close();
    await fx?.close();
  });

  it('the admin enrols B for 张老师 by its key; 张老师 sets a password on B with the code', async () => {
    const { page } = br;
    await page.setViewportSize({ width: 1366, height: 768 });
    await apiCall(fx.host, 'import.run', { listPath: join(fx.demoDir, 'applicants.xlsx') });
    const bDir = join(fx.root, '工作区 二');
    await apiCall(fx.host, 'workspace.clone', { out: bDir });
    await apiCall(fx.host, 'accounts.create', { name: '王主任', role: 'admin', secret: ADMIN });
    await apiCall(fx.host, 'accounts.create', { name: '张老师', role: 'reviewer', secret: '583920', as: { name: '王主任', secret: ADMIN } });
    pcB = createDesk(bDir);
    const bStatus = await pcB.dispatch('sync.status', {});
    if (!bStatus.ok) throw new Error(bStatus.error.message);
    const bKey = (bStatus.value as SyncStatus).trust.publicKey;

    // A in the browser: the admin signs in, opens 同步, sees A is the root, enrols B.
    await page.goto(fx.host.url);
    await page.waitForSelector('.signin', { timeout: 30_000 });
    await page.fill('[data-testid="signin-name"]', '王主任');
    await page.fill('[data-testid="signin-secret"]', ADMIN);
    await page.click('[data-testid="signin-submit"]');
    await page.waitForSelector('[data-testid="account-chip"]:has-text("王主任")', { timeout: 30_000 });
    await page.click('button[data-tool="sync"]');
    await page.waitForSelector('[data-testid="trust-info"]');
    expect(await page.textContent('[data-testid="trust-info"]')).toContain('根电脑');
    await page.fill('[data-testid="enrol-key"]', bKey);
    await page.fill('[data-testid="enrol-name"]', '教务处 2 号机');
    await page.fill('[data-testid="enrol-accounts"]', '张老师');
    await page.click('[data-testid="enrol-submit"]');
    await page.waitForSelector('[data-testid="enrol-setup-code"][data-account="张老师"]');
    const code = (await page.textContent('[data-testid="enrol-setup-code"][data-account="张老师"]'))?.trim() ?? '';
    expect(code).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
    await page.locator('[data-testid="enrol-setup-code"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'trust-01-enrol-pc');

    // The enrolment and the account reach B through the folder (no secret travels).
    const folder = join(fx.root, 'U盘 同步');
    await apiCall(fx.host, 'sync.withFolder', { folder, passphrase: PW });
    const toB = await pcB.dispatch('sync.withFolder', { folder, passphrase: PW });
    expect(toB.ok, toB.ok ? '' : toB.error.message).toBe(true);
    hostB = await startHost({ dispatch: pcB.dispatch, document: (id) => documentBlob(pcB!.ctx.ws(), id), rendererDir: RENDERER_DIR, files: pcB.files });

    // B in the browser: 张老师's password from A does not work here; the setup code does.
    await page.goto(hostB.url);
    await page.waitForSelector('.signin', { timeout: 30_000 });
    await page.fill('[data-testid="signin-name"]', '张老师');
    await page.fill('[data-testid="signin-secret"]', '583920');
    await page.click('[data-testid="signin-submit"]');
    await page.waitForSelector('[data-testid="enrol-hint"]');
    expect(await page.textContent('.signin [role=alert]')).toContain('尚未在本机登记');
    await page.fill('[data-testid="enrol-code"]', code);
    await page.fill('[data-testid="signin-secret"]', '1234');
    await page.fill('[data-testid="enrol-again"]', '1234');
    await page.click('[data-testid="signin-submit"]');
    await page.waitForSelector('.signin [role=alert]:has-text("PIN 至少需要 6 位数字")');
    await page.fill('[data-testid="signin-secret"]', '715264');
    await page.fill('[data-testid="enrol-again"]', '715264');
    await screenshot(page, 'trust-02-enrol-here');
    await page.click('[data-testid="signin-submit"]');
    await page.waitForSelector('[data-testid="account-chip"]:has-text("张老师")', { timeout: 30_000 });
    // B's sync status: enrolled for 张老师, the same root as A.
    const a = await apiCall<SyncStatus>(fx.host, 'sync.status', {});
    const b = await hostCall<SyncStatus>(hostB, 'sync.status', {});
    expect(b.ok && b.value.trust).toMatchObject({ enrolled: true, accounts: ['张老师'], rootFingerprint: a.trust.rootFingerprint });
  });
});

/**
 * Two PCs of one college in Chromium: PC A (served to the browser) and PC B (a clone, driven
 * through its own dispatcher) decide the same applicant differently; B leaves its bundle in a
 * folder, A runs 与文件夹同步 in the sync dialog, the conflict arrives with both heads side by
 * side, a supervisor settles it and the badge clears. Then the backup dialog lists and creates
 * backups, and a workspace with accounts asks for sign-in (again after the idle limit).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupInfo, ConflictItem, ImportReport, QueueIndex, SyncFolderReport } from '../../shared/api/index.js';
import { formatHlc } from '../../shared/sync/hlc.js';
import { createDesk, type Desk } from '../../electron/app/desk.js';
import { apiCall, hostCall, openBrowser, screenshot, startDesk, type BrowserFixture, type DeskFixture } from './harness.js';

const PW = '湖南示范 sync 2026';

describe('sync, conflicts, backups and sign-in in the desk', () => {
  let fx: DeskFixture;
  let br: BrowserFixture;
  let pcB: Desk | undefined;
  beforeAll(async () => {
    fx = await startDesk({ applicants: 8, seed: 11 });
    br = await openBrowser();
  });
  afterAll(async () => {
    pcB?.close();
    await br?.close();
    await fx?.close();
  });

  it('exchanges through a folder, shows the conflict, settles it, backs up and signs in', async () => {
    const { page } = br;
    const imp = await hostCall<ImportReport>(fx.host, 'import.run', { listPath: join(fx.demoDir, 'applicants.xlsx'), attachmentsPath: join(fx.demoDir, 'attachments') });
    expect(imp.ok).toBe(true);
    const id = (fx.desk.ctx.ws().db.prepare('SELECT id_number FROM applicants ORDER BY row_no LIMIT 1').get() as { id_number: string }).id_number;

    // PC B: a clone of A (same college), with its own decision on the same applicant.
    const bDir = join(fx.root, '工作区 二');
    expect(await hostCall(fx.host, 'workspace.clone', { out: bDir })).toMatchObject({ ok: true });
    pcB = createDesk(bDir);
    // Each PC named as the college names them, so a conflict can say where each side was decided.
    expect(await pcB.dispatch('sync.setName', { name: '教务处二号机' })).toMatchObject({ ok: true });
    expect(await hostCall(fx.host, 'sync.setName', { name: '教务处一号机' })).toMatchObject({ ok: true });
    // B's clock runs an hour fast (a PC with a wrong date): its decision is stamped in the future.
    const ahead = formatHlc({ millis: Date.now() + 3_600_000, counter: 0, node: '0000000000000000' });
    pcB.ctx.ws().db.prepare("INSERT INTO meta (key, value) VALUES ('hlc_clock', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(ahead);
    expect(await pcB.dispatch('decisions.record', { idNumber: id, decision: 'reject', reasons: ['blurry'], note: '身份证反面看不清', reviewer: '李老师' })).toMatchObject({ ok: true });
    expect(await hostCall(fx.host, 'decisions.record', { idNumber: id, decision: 'approve', reviewer: '张老师' })).toMatchObject({ ok: true });
    const folder = join(fx.root, 'U盘 同步');
    const b1 = await pcB.dispatch('sync.withFolder', { folder, passphrase: PW });
    expect(b1).toMatchObject({ ok: true, value: { imported: [] } });
    const backupsBefore = await hostCall<BackupInfo[]>(fx.host, 'backup.list', {});
    const nBackups = backupsBefore.ok ? backupsBefore.value.length : -1;

    // PC A in the browser: 与文件夹同步.
    await page.goto(fx.host.link());
    await page.waitForSelector('.queue-row, [role=option]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="conflict-badge"]').count()).toBe(0);
    await page.click('button[data-tool="sync"]');
    await page.fill('[data-testid="sync-folder"]', folder);
    await page.fill('[data-testid="sync-passphrase"]', PW);
    await page.click('.tool-dialog button[type="submit"]');
    await page.waitForSelector('.tool-dialog [role=status]:has-text("同步完成")', { timeout: 60_000 });
    await page.waitForSelector('.tool-dialog tr[data-peer]');
    await page.click('[data-testid="audit-verify"]');
    await page.waitForSelector('.audit[data-ok="true"]');
    await screenshot(page, 'sync-01-folder-exchange');
    // The drift is shown, not hidden: about 60 minutes ahead, beyond the 5-minute limit.
    expect(await page.textContent('.sync-drift[data-direction="ahead"]')).toMatch(/快 (59|60) 分钟（超过 5 分钟）/);
    // … and this PC, whose clock now lags the newest record it holds, is told so too (it cannot
    // tell B's fast clock from its own slow one).
    expect(await page.textContent('.sync-drift[data-direction="self"]')).toMatch(/慢 (59|60) 分钟/);
    expect(await page.textContent('.tool-dialog [role=status]')).toContain('1 个冲突');
    // One folder per PC (event segments and its watermark), each written only by its PC.
    expect(readdirSync(folder).filter((f) => f.startsWith('desk-'))).toHaveLength(2);
    // The other PC by name, not by workspace id.
    expect(await page.textContent('.tool-dialog tr[data-peer]')).not.toContain(pcB.ctx.ws().workspaceId.slice(0, 8));
    // Badge on the toolbar once the dialog closes (the desk reloads to show the merged log).
    await page.click('.tool-dialog .close');
    await page.waitForSelector('[data-testid="conflict-badge"]:has-text("1")', { timeout: 30_000 });
    // The queue reads the same one state: the row says 冲突 until the ruling.
    const masked = (await apiCall<QueueIndex>(fx.host, 'review.queue', {})).rows.find((r) => r.idNumber === id)?.idMasked;
    expect(masked).toBeTruthy();
    const row = `.queue-list li[data-id-masked="${masked}"]`;
    await page.waitForSelector(`${row} .status-conflict`);

    // The conflict: both heads side by side, then a ruling.
    await page.click('button[data-tool="conflicts"]');
    await page.waitForSelector('.conflict .conflict-head');
    const heads = await page.$$eval('.conflict-head', (els) => els.map((e) => e.getAttribute('data-reviewer')));
    expect(heads.sort()).toEqual(['张老师', '李老师']);
    // Both sides named by reviewer and PC: 张老师 decided on this PC, 李老师 on the other one.
    const sides = await page.$$eval('.conflict-head', (els) => els.map((e) => `${e.getAttribute('data-reviewer')}@${e.querySelector('[data-pc]')?.textContent}`));
    expect(sides.sort()).toEqual(['张老师@教务处一号机', '李老师@教务处二号机']);
    const text = await page.textContent('.conflict');
    expect(text).toContain('身份证反面看不清');
    expect(text).toContain('证件模糊不清');
    await page.selectOption('[data-testid="resolve-decision"]', 'return');
    await page.selectOption('[data-testid="resolve-reason"]', 'blurry');
    await page.fill('[data-testid="resolve-note"]', '请补交清晰的身份证反面');
    await page.fill('[data-testid="resolve-by"]', '王主任');
    await screenshot(page, 'sync-02-conflict');
    await page.click('.conflict-resolve button[type="submit"]');
    await page.waitForSelector('[data-testid="conflicts-empty"]');
    expect(await page.locator('[data-testid="conflict-badge"]').count()).toBe(0);
    const left = await hostCall<ConflictItem[]>(fx.host, 'conflicts.list', {});
    expect(left).toEqual({ ok: true, value: [] });
    const hist = await hostCall<{ status: string; entries: { kind: string; reviewer: string }[] }>(fx.host, 'decisions.history', { idNumber: id });
    expect(hist.ok && hist.value.status).toBe('return');
    expect(hist.ok && hist.value.entries.at(-1)).toMatchObject({ kind: 'resolve', reviewer: '王主任' });
    await page.click('.tool-dialog .close');
    await page.waitForSelector(`${row} .status-return`, { timeout: 30_000 });

    // The ruling travels back to B through the same folder.
    await page.click('button[data-tool="sync"]');
    await page.fill('[data-testid="sync-passphrase"]', PW);
    expect(await page.inputValue('[data-testid="sync-folder"]')).toBe(folder); // remembered
    await page.click('.tool-dialog button[type="submit"]');
    await page.waitForSelector('.tool-dialog [role=status]:has-text("同步完成")', { timeout: 60_000 });
    await page.click('.tool-dialog .close');
    const b2 = (await pcB.dispatch('sync.withFolder', { folder, passphrase: PW })) as { ok: true; value: SyncFolderReport };
    expect(b2.value.conflicts).toBe(0);
    expect(await pcB.dispatch('decisions.history', { idNumber: id })).toMatchObject({ ok: true, value: { status: 'return', conflict: false } });

    // Backups: the sync's safety copy is listed; one more is created.
    await page.waitForSelector('.queue-row, [role=option]', { timeout: 30_000 });
    await page.click('button[data-tool="backup"]');
    await page.waitForSelector('[data-testid="backup-list"] tr[data-backup]');
    const rows = await page.locator('[data-testid="backup-list"] tr[data-backup]').count();
    expect(rows).toBeGreaterThan(nBackups);
    expect(await page.textContent('[data-testid="backup-list"]')).toContain('同步前');
    await page.click('[data-testid="backup-create"]');
    await page.waitForSelector('.tool-dialog [role=status]:has-text("已创建备份")');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="backup-list"] tr[data-backup]').length === n + 1, rows);
    await page.click('[data-testid="diag-copy"]');
    await page.waitForSelector('.tool-dialog [role=status]:has-text("诊断报告")');
    await page.locator('[data-testid="backup-list"] tr[data-backup] button').first().click();
    expect(await page.textContent('.backup-confirm')).toMatch(/恢复到 .*\d{1,2}:\d{2} 的备份/);
    await screenshot(page, 'sync-03-backups');
    await page.click('.backup-confirm button:has-text("取消")');

    // Accounts: the first (admin) account is added in the same dialog; from then on nobody
    // reviews before signing in, and idle signs out again.
    await page.fill('[data-testid="account-name"]', '王主任');
    await page.fill('[data-testid="account-secret"]', '602713');
    await page.click('.accounts-panel button:has-text("添加账户")');
    await page.waitForSelector('.signin', { timeout: 30_000 });
    await page.fill('[data-testid="signin-name"]', '王主任');
    await page.fill('[data-testid="signin-secret"]', '0000');
    await page.click('.signin button[type="submit"]');
    await page.waitForSelector('.signin [role=alert]');
    await page.fill('[data-testid="signin-secret"]', '602713');
    await page.click('.signin button[type="submit"]');
    await page.waitForSelector('[data-testid="account-chip"]:has-text("王主任")', { timeout: 30_000 });
    expect(await page.locator('.signin').count()).toBe(0);
    expect(await page.inputValue('input.reviewer')).toBe('王主任');
    await page.click('button[data-tool="backup"]');
    await page.fill('[data-testid="account-name"]', '赵老师');
    await page.selectOption('[data-testid="account-role"]', 'reviewer');
    await page.fill('[data-testid="account-secret"]', '715264');
    await page.click('.accounts-panel button:has-text("添加账户")');
    await page.waitForSelector('[data-testid="account-list"] td:has-text("赵老师")');
    await screenshot(page, 'sync-04-signed-in');
    const accounts = await hostCall<{ name: string; role: string }[]>(fx.host, 'accounts.list', {});
    expect(accounts.ok && accounts.value.map((a) => `${a.name}:${a.role}`).sort()).toEqual(['王主任:admin', '赵老师:reviewer']);
    await page.click('.tool-dialog .close');
    await page.evaluate(() => localStorage.setItem('desk.idleMinutes', '0.02'));
    await page.reload();
    await page.waitForSelector('.signin [role=status]:has-text("无操作")', { timeout: 30_000 });
    const who = await hostCall<{ account: unknown }>(fx.host, 'accounts.whoami', {});
    expect(who).toMatchObject({ ok: true, value: { account: null, accountsEnabled: true } });
    // The review screen shares the session: nothing is left behind the dialog to read or decide under
    // (issue 19: while nobody is signed in the page shows only the sign-in).
    expect(await page.locator('input.reviewer').count()).toBe(0);
    expect(await page.locator('.declared').count()).toBe(0);
    await screenshot(page, 'sync-05-idle-signed-out');

    // A reviewer meets a conflict: both sides named, no ruling form, and the service refuses a
    // ruling from them. B (no accounts yet) returns the second applicant; 赵老师 approves it here
    // before the two PCs have met again.
    const id2 = (fx.desk.ctx.ws().db.prepare('SELECT id_number FROM applicants ORDER BY row_no LIMIT 1 OFFSET 1').get() as { id_number: string }).id_number;
    expect(await pcB.dispatch('decisions.record', { idNumber: id2, decision: 'return', reasons: ['blurry'], reviewer: '李老师' })).toMatchObject({ ok: true });
    expect(await pcB.dispatch('sync.withFolder', { folder, passphrase: PW })).toMatchObject({ ok: true });
    await page.evaluate(() => localStorage.removeItem('desk.idleMinutes'));
    await page.reload();
    await page.waitForSelector('.signin', { timeout: 30_000 });
    await page.fill('[data-testid="signin-name"]', '赵老师');
    await page.fill('[data-testid="signin-secret"]', '715264');
    await page.click('.signin button[type="submit"]');
    await page.waitForSelector('[data-testid="account-chip"]:has-text("赵老师")', { timeout: 30_000 });
    expect(await hostCall(fx.host, 'decisions.record', { idNumber: id2, decision: 'approve', reviewer: '赵老师' })).toMatchObject({ ok: true });
    // Syncing is a supervisor's (issue 19): the reviewer may not, 王主任 runs the visit, then 赵老师 is back.
    expect(await hostCall(fx.host, 'sync.withFolder', { folder, passphrase: PW })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await hostCall(fx.host, 'accounts.signIn', { name: '王主任', secret: '602713' })).toMatchObject({ ok: true });
    expect(await hostCall(fx.host, 'sync.withFolder', { folder, passphrase: PW })).toMatchObject({ ok: true, value: { conflicts: 1 } });
    expect(await hostCall(fx.host, 'accounts.signIn', { name: '赵老师', secret: '715264' })).toMatchObject({ ok: true });
    await page.reload();
    await page.waitForSelector('[data-testid="conflict-badge"]:has-text("1")', { timeout: 30_000 });
    await page.click('button[data-tool="conflicts"]');
    await page.waitForSelector('.conflict .conflict-head');
    const sides2 = await page.$$eval('.conflict-head', (els) => els.map((e) => `${e.getAttribute('data-reviewer')}@${e.querySelector('[data-pc]')?.textContent}`));
    expect(sides2.sort()).toEqual(['李老师@教务处二号机', '赵老师@教务处一号机']);
    await page.waitForSelector('[data-testid="resolve-supervisor-only"]');
    expect(await page.locator('.conflict-resolve').count()).toBe(0);
    await screenshot(page, 'sync-06-conflict-reviewer');
    expect(await hostCall(fx.host, 'conflicts.resolve', { idNumber: id2, decision: 'approve' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

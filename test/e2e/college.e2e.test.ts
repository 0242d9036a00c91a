/**
 * Colleges, not folders, in Chromium at 1366×768 (issue 15): a desk with no college opens on the
 * start screen; a new college is made there; the list and the scans are chosen with file inputs
 * (uploaded into the college's inbox, the attachments as a whole folder), imported — into the new
 * college, not the demo — reviewed and exported, the export arriving as a download. Then: a second
 * desk on the same college is refused with the first one's name (in the page, and `npm run web`
 * on the folder stops with the message), a missing folder is a message too, and a college on a
 * network path carries the WAL warning in the desk. Last, the page's window side: with a
 * stand-in for the Electron preload's bridge (native dialogs answered by the test, a File
 * dropped on the wizard), the same page picks, takes a drop and shows the export in Explorer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../electron/adapters/host/server.js';
import { createDesk, type Desk } from '../../electron/app/desk.js';
import { generateDemo } from '../../electron/demo/generate.js';
import { documentBlob } from '../../electron/documents/index.js';
import type { CollegeEntry, ImportReport, QueueIndex } from '../../shared/api/index.js';
import { apiCall, hostCall, openBrowser, RENDERER_DIR, screenshot, standInBridge, strayEnglish, type BrowserFixture } from './harness.js';

const VIEW = { width: 1366, height: 768 };

/**
 * A desk as `npm run web` makes it: no college open, the one-desk lock on, uploads and downloads;
 * with backgroundOcr it also reads scans after every import, as `npm run web` and the shell do.
 */
async function startEmptyDesk(home: string, opts: { backgroundOcr?: boolean } = {}): Promise<{ desk: Desk; host: Host; close(): Promise<void> }> {
  process.env.DESK_HOME = home;
  const desk = createDesk(undefined, { lock: true, backgroundOcr: opts.backgroundOcr === true });
  await desk.colleges.startup({ reopen: true });
  const host = await startHost({ dispatch: desk.dispatch, document: (id) => documentBlob(desk.ctx.ws(), id), rendererDir: RENDERER_DIR, files: desk.files });
  return {
    desk, host,
    close: async () => {
      await host.close();
      desk.close();
    },
  };
}

function zipNames(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('new college → files chosen in the page → import → OCR progress → review → export download', () => {
  const root = mkdtempSync(join(tmpdir(), 'desk-e2e-学院 新建-'));
  let demoDir = '';
  let d: Awaited<ReturnType<typeof startEmptyDesk>>;
  let br: BrowserFixture;
  beforeAll(async () => {
    demoDir = join(root, '平台导出 材料');
    await generateDemo({ out: demoDir, applicants: 10, seed: 11 });
    d = await startEmptyDesk(join(root, 'home'), { backgroundOcr: true });
    br = await openBrowser();
    await br.page.setViewportSize(VIEW);
  });
  afterAll(async () => {
    await br?.close();
    await d?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('makes a college on the start screen and works in it with uploads and a download', async () => {
    const { page } = br;
    await page.goto(d.host.link());
    await page.waitForSelector('[data-testid="start-screen"]');
    // The demo is there, marked 演示, and is not opened by default.
    await page.waitForSelector('li[data-college="demo"] .start-badge.demo:has-text("演示")');
    expect(await page.title()).toBe('资格审核台 — 开始');
    await screenshot(page, 'college-01-start-screen');
    expect(await strayEnglish(page, 'start screen')).toEqual([]);

    await page.fill('[data-testid="new-name"]', '湖南交通职业技术学院');
    await page.fill('[data-testid="new-code"]', '14306');
    await page.selectOption('[data-testid="new-year"]', '2024');
    await page.click('[data-testid="new-create"]');
    // The page starts afresh on the new college: the toolbar and the window title name it.
    await page.waitForSelector('[data-testid="college-name"]:has-text("湖南交通职业技术学院")');
    expect(await page.title()).toBe('湖南交通职业技术学院 — 资格审核台');
    expect(await apiCall(d.host, 'college.settings.get', {})).toMatchObject({ name: '湖南交通职业技术学院', code: '14306', year: 2024 });

    // The list and the scans folder chosen with file inputs: uploaded, shown by name, no path typed.
    await page.click('button[data-tool="import"]');
    await page.setInputFiles('[data-testid="iw-list-file"]', join(demoDir, 'applicants.xlsx'));
    await page.waitForSelector('[data-testid="iw-list-chosen"]:has-text("applicants.xlsx")');
    await page.setInputFiles('[data-testid="iw-attachments-folder"]', join(demoDir, 'attachments'));
    await page.waitForSelector('[data-testid="iw-attachments-chosen"]:has-text("attachments")', { timeout: 60_000 });
    await screenshot(page, 'college-02-files-chosen');
    await page.click('.iw button[type="submit"]');
    await page.click('.iw-foot button:has-text("检查")', { timeout: 60_000 });
    await page.click('[data-testid="iw-confirm"]', { timeout: 60_000 });
    await page.waitForSelector('.iw :text("导入完成")', { timeout: 60_000 });
    await screenshot(page, 'college-03-imported');
    const truth = JSON.parse(readFileSync(join(demoDir, 'truth.json'), 'utf8')) as { documents: unknown[] };
    const colleges = await apiCall<CollegeEntry[]>(d.host, 'colleges.list', {});
    // Into the new college, with every scan; the demo was never made.
    expect(colleges.find((c) => c.name === '湖南交通职业技术学院')).toMatchObject({ applicants: 10, open: true, code: '14306' });
    expect(colleges.find((c) => c.demo)).toMatchObject({ notYetMade: true, applicants: null });
    expect((await apiCall<ImportReport[]>(d.host, 'status.summary', {}))).toMatchObject({ total: 10 });
    const ws = d.desk.ctx.ws();
    expect((ws.db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n).toBe(truth.documents.length);
    // The uploads sit in the college's inbox until the desk closes (the import copied what it needs).
    expect(existsSync(join(ws.dir, 'inbox'))).toBe(true);
    await page.click('.iw-foot button:has-text("完成")');

    // OCR progress: the import started reading the new college's scans, nobody asked; the toolbar
    // counts them (识别中 x/y of every scan imported) and pauses on a click, after the scan in hand.
    await page.waitForSelector('.queue-list li[role=option]');
    await page.waitForSelector('[data-testid="ocr-progress"][data-state="running"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="ocr-progress"]')).toMatch(new RegExp(`识别中 \\d+/${truth.documents.length}`));
    await screenshot(page, 'college-03b-ocr-running');
    await page.click('[data-testid="ocr-pause"]');
    await page.waitForSelector('[data-testid="ocr-progress"][data-state="paused"]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid="ocr-progress"]')).toMatch(new RegExp(`识别已暂停 \\d+/${truth.documents.length}`));

    // Review: one applicant returned for correction with a reason, in the desk; its scans are not
    // read yet (the reading is paused), which the queue row and its view say.
    const first = (await apiCall<QueueIndex>(d.host, 'review.queue', {})).rows.find((r) => r.ocrPending)!;
    expect(first).toBeTruthy();
    await page.waitForSelector(`.queue-list li[data-id-masked="${first.idMasked}"] [data-testid="ocr-pending"]`);
    await page.click(`.queue-list li[data-id-masked="${first.idMasked}"]`);
    await page.waitForSelector('.declared h2');
    await page.waitForSelector('[data-testid="ocr-unread"]:has-text("尚未识别")');
    await page.fill('input.reviewer', '李老师');
    await page.check('.reasons input[value="blurry"]');
    await page.click('button.btn.reject');
    await page.waitForSelector(`.queue-list li[data-id-masked="${first.idMasked}"] .status-reject`);
    await screenshot(page, 'college-04-reviewed');

    // Export: a 草稿 into the college's 导出 folder, then the folder as a download.
    await page.click('button[data-tool="export"]');
    await page.click('.tool-dialog button:has-text("导出草稿")');
    await page.waitForSelector('[data-testid="export-download"]', { timeout: 60_000 });
    await screenshot(page, 'college-05-export-download');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-download"]')]);
    expect(download.suggestedFilename()).toMatch(/^湖南省2024年普通高校专升本免试资格审核表（草稿） \d{8}-\d{4}\.zip$/);
    const saved = join(root, 'download.zip');
    await download.saveAs(saved);
    const names = await zipNames(saved);
    expect(names.some((n) => n.endsWith('.pdf'))).toBe(true);
    expect(names.some((n) => n.endsWith('.xlsx'))).toBe(true);
    // What was downloaded is what the desk wrote.
    const exportDirs = readdirSync(join(ws.dir, '导出'));
    expect(exportDirs).toHaveLength(1);
    expect(names.filter((n) => !n.includes('/')).sort()).toEqual(readdirSync(join(ws.dir, '导出', exportDirs[0]!)).sort());
    await page.click('.tool-dialog .close');

    // The start screen is one click away: the toolbar's college name.
    await page.click('[data-testid="college-name"]');
    await page.waitForSelector('.start-dialog li.current:has-text("湖南交通职业技术学院")');
    expect(await page.textContent('.start-dialog li.current')).toContain('10 名考生 · 已审 1');
    await screenshot(page, 'college-06-switch-dialog');
  }, 300_000); // a ceiling, not a measure: pausing waits for the scan being read, on a shared machine
});

describe('one desk per college', () => {
  const root = mkdtempSync(join(tmpdir(), 'desk-e2e-两个 审核台-'));
  let a: Awaited<ReturnType<typeof startEmptyDesk>>;
  let b: Awaited<ReturnType<typeof startEmptyDesk>>;
  let br: BrowserFixture;
  let college: CollegeEntry;
  beforeAll(async () => {
    const home = join(root, 'home');
    a = await startEmptyDesk(home);
    college = await apiCall<CollegeEntry>(a.host, 'colleges.create', { name: '湖南示范职业技术学院', code: '12345' });
    // A second desk on the same PC (the web host next to the app): same list of colleges.
    b = await startEmptyDesk(home);
    br = await openBrowser();
    await br.page.setViewportSize(VIEW);
  });
  afterAll(async () => {
    await br?.close();
    await b?.close();
    await a?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses the second desk in the page, naming the first, and leaves the first working', async () => {
    const { page } = br;
    await page.goto(b.host.link());
    await page.waitForSelector('[data-testid="start-screen"]');
    await page.click(`[data-testid="open-${college.id}"]`);
    await page.waitForSelector('[data-testid="start-problem"][data-code="workspace_locked"]');
    const text = await page.textContent('[data-testid="start-problem"]');
    expect(text).toMatch(/此工作区正由.*上的审核台（进程 \d+/);
    expect(text).toContain('同一工作区同时只能由一个审核台使用');
    await screenshot(page, 'college-07-second-desk-refused');
    // The message names the PC as this PC calls itself (host name and user), which is data.
    expect(await strayEnglish(page, 'second desk refused', [hostname(), userInfo().username])).toEqual([]);
    expect(b.desk.ctx.hasWorkspace()).toBe(false);
    expect(await hostCall(a.host, 'workspace.info', {})).toMatchObject({ ok: true, value: { college: '湖南示范职业技术学院' } });
  });

  it('npm run web on the same folder stops with that message; on a missing folder, with a clear one (no stack trace)', () => {
    const run = (folder: string): { status: number | null; stderr: string } => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/adapters/host/web.ts', '--workspace', folder], {
        encoding: 'utf8', timeout: 60_000, env: { ...process.env, DESK_HOME: join(root, 'home-2'), DESK_OCR: 'off' },
      });
      return { status: r.status, stderr: r.stderr };
    };
    const locked = run(college.folder);
    expect(locked.status).toBe(1);
    expect(locked.stderr).toMatch(/此工作区正由.*打开/);
    const missing = run(join(root, '没有这个 工作区'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('工作区不存在');
    expect(missing.stderr).toContain('不带 --workspace 启动即进入开始页面');
    for (const r of [locked, missing]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('warns in the desk when the college is on a network path (SQLite WAL is unsafe there)', async () => {
    const { page } = br;
    // '//host/share/…' is how a UNC path arrives; on this machine it is also a real local folder.
    const share = `/${join(root, '共享')}`;
    const where = await apiCall<{ handle: string }>(b.host, 'files.fromPath', { kind: 'collegeFolder', path: `${share}-学院` });
    await apiCall(b.host, 'colleges.create', { name: '网络盘上的学院', folder: { handle: where.handle } });
    await page.goto(b.host.link());
    await page.waitForSelector('[data-testid="storage-warning"]');
    expect(await page.textContent('[data-testid="storage-warning"]')).toMatch(/网络路径.*WAL.*本机磁盘/);
    await screenshot(page, 'college-08-network-warning');
    // The start screen says it too, next to that college.
    await page.click('[data-testid="college-name"]');
    await page.waitForSelector('.start-dialog li.current .start-warn');
  });
});

describe('the window: native dialogs, a drop on the wizard, show in Explorer (stand-in bridge)', () => {
  const root = mkdtempSync(join(tmpdir(), 'desk-e2e-窗口 文件-'));
  let demoDir = '';
  let d: Awaited<ReturnType<typeof startEmptyDesk>>;
  let br: BrowserFixture;
  beforeAll(async () => {
    demoDir = join(root, '平台导出 材料');
    await generateDemo({ out: demoDir, applicants: 6, seed: 3 });
    d = await startEmptyDesk(join(root, 'home'));
    await apiCall(d.host, 'colleges.create', { name: '湖南铁道职业技术学院', code: '13809' });
    br = await openBrowser();
    await br.page.setViewportSize(VIEW);
    await br.page.addInitScript(standInBridge);
  });
  afterAll(async () => {
    await br?.close();
    await d?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('chooses the list in a dialog, takes the attachments folder dropped on the wizard, and reveals the export', async () => {
    const { page } = br;
    await page.goto(d.host.link());
    await page.waitForSelector('[data-testid="college-name"]:has-text("湖南铁道职业技术学院")');
    await page.evaluate((a) => sessionStorage.setItem('bridge.answers', JSON.stringify(a)), {
      picks: { list: join(demoDir, 'applicants.xlsx'), exportFolder: join(root, '报送 免试 草稿') },
      drops: { attachments: join(demoDir, 'attachments') },
    });
    await page.click('button[data-tool="import"]');
    // In the window there are no file inputs: buttons for the dialogs, and the field takes drops.
    expect(await page.locator('[data-testid="iw-list-file"]').count()).toBe(0);
    await page.click('[data-testid="iw-list-pick"]');
    await page.waitForSelector('[data-testid="iw-list-chosen"]:has-text("applicants.xlsx")');
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([], 'attachments'));
      const field = document.querySelector('[data-testid="iw-attachments"]')!;
      field.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      field.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForSelector('[data-testid="iw-attachments-chosen"]:has-text("attachments")');
    await screenshot(page, 'college-09-window-files-chosen');
    await page.click('.iw button[type="submit"]');
    await page.click('.iw-foot button:has-text("检查")', { timeout: 60_000 });
    await page.click('[data-testid="iw-confirm"]', { timeout: 60_000 });
    await page.waitForSelector('.iw :text("导入完成")', { timeout: 60_000 });
    await page.click('.iw-foot button:has-text("完成")');
    await page.waitForSelector('.queue-list li[role=option]');

    // Export to a place named in a save dialog, then 打开文件夹 (no download link in the window).
    await page.click('button[data-tool="export"]');
    await page.click('.tool-dialog button:has-text("另存到")');
    await page.waitForSelector('[data-testid="export-out"]:has-text("报送 免试 草稿")');
    await page.click('.tool-dialog button:has-text("导出草稿")');
    await page.waitForSelector('[data-testid="export-open-folder"]', { timeout: 60_000 });
    expect(await page.locator('[data-testid="export-download"]').count()).toBe(0);
    await page.click('[data-testid="export-open-folder"]');
    await screenshot(page, 'college-10-window-export');
    const log = await page.evaluate(() => JSON.parse(sessionStorage.getItem('bridge.log') ?? '[]') as unknown[][]);
    expect(log.map((l) => l.slice(0, 2))).toEqual([['pick', 'list'], ['drop', 'attachments'], ['save', 'exportFolder'], ['reveal', expect.stringMatching(/^h_/)]]);
    expect(log[2]![2]).toBe('湖南省2024年普通高校专升本免试资格审核表');
    expect(readdirSync(join(root, '报送 免试 草稿')).some((f) => f.endsWith('.pdf'))).toBe(true);
    expect(await apiCall<{ total: number }>(d.host, 'status.summary', {})).toMatchObject({ total: 6 });
  });
});

/**
 * The Electron shell's lock-down, checked without the Electron binary: the real bundled
 * dist-electron/main.cjs and preload.cjs are loaded in Node against a recording stand-in for the
 * `electron` module, then every security-relevant call they made is inspected — and the file
 * bridge (native dialogs, dropped files, show in Explorer) and `--cli` are driven through it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../electron/workspace/workspace.js';
import { applicantFor, listCsv } from '../../fixtures/workspace.js';
import { diplomaPng } from '../../fixtures/scan.js';
import { tempDir } from '../../fixtures/tmp.js';
import { utilityStandIn } from '../../fixtures/utilityStandIn.js';

type Handler = (...args: unknown[]) => unknown;
interface Frame {
  url: string;
  parent: Frame | null;
  processId: number;
  routingId: number;
}
interface Recorded {
  windows: { options: { webPreferences: Record<string, unknown>; icon?: string; title?: string }; events: Map<string, Handler>; openHandler?: Handler; loaded?: string; webContents: { mainFrame: Frame } }[];
  /** Menu.setApplicationMenu calls (what was set). */
  menus: unknown[];
  appEvents: Map<string, Handler>;
  ipc: Map<string, Handler>;
  schemes: unknown[];
  protocolHandlers: Map<string, Handler>;
  permissionRequest?: Handler;
  permissionCheck?: Handler;
  headersReceived?: Handler;
  sandboxEnabled: boolean;
  exposed: Map<string, Record<string, unknown>>;
  invoked: unknown[][];
  quits?: number;
  exits: number[];
  singleInstanceAsked?: number;
  singleInstanceGranted?: boolean;
  /** What the stand-in's dialogs answer next, and what they were asked. */
  nextOpen: string[] | null;
  nextSave: string | null;
  dialogs: { kind: 'open' | 'save'; options: Record<string, unknown> }[];
  shown: string[];
  /** Utility processes forked: the script, the options, what was posted and what came back. */
  utility: { modulePath: string; options: { env?: Record<string, string | undefined>; serviceName?: string }; posted: unknown[]; received: unknown[]; exitCode?: number }[];
  /** Lengths of the strings handed to safeStorage.encryptString. */
  sealed: number[];
}

const newRec = (): Recorded => ({
  windows: [], menus: [], appEvents: new Map(), ipc: new Map(), schemes: [], protocolHandlers: new Map(),
  sandboxEnabled: false, exposed: new Map(), invoked: [], exits: [], nextOpen: null, nextSave: null, dialogs: [], shown: [], utility: [], sealed: [],
});
const rec: Recorded = {
  windows: [], menus: [], appEvents: new Map(), ipc: new Map(), schemes: [], protocolHandlers: new Map(),
  sandboxEnabled: false, exposed: new Map(), invoked: [], exits: [], nextOpen: null, nextSave: null, dialogs: [], shown: [], utility: [], sealed: [],
};
/** Files the stand-in's webUtils knows a path for: those "dropped" by the test. */
const dropped = new WeakMap<object, string>();
/** The applicant whose diploma the OCR process reads. */
const OCR_PERSON = applicantFor(3, { category: 'general' });
const PAGE_URL = pathToFileURL(resolve('dist/renderer/index.html')).href;
/** An IPC event from the desk window's main frame showing the desk's page; `from` another URL for the refusals. */
const ev = (from = PAGE_URL): { sender: unknown; senderFrame: Frame } => {
  const wc = rec.windows[0]!.webContents;
  return { sender: wc, senderFrame: from === PAGE_URL ? wc.mainFrame : { ...wc.mainFrame, url: from } };
};
let ready!: () => void;
const whenReady = new Promise<void>((r) => (ready = r));

function fakeElectron(home: string, r: Recorded = rec, opts: { packaged?: boolean; whenReady?: Promise<void> } = {}): Record<string, unknown> {
  const rec = r;
  class BrowserWindow {
    webContents: { on: (e: string, h: Handler) => void; setWindowOpenHandler: (h: Handler) => void; mainFrame: Frame };
    constructor(options: { webPreferences: Record<string, unknown>; icon?: string; title?: string }) {
      this.webContents = {
        on: (e, h) => void w.events.set(e, h), setWindowOpenHandler: (h) => void (w.openHandler = h),
        mainFrame: { url: PAGE_URL, parent: null, processId: 4, routingId: 1 },
      };
      const w: Recorded['windows'][number] = { options, events: new Map(), webContents: this.webContents };
      rec.windows.push(w);
    }
    once(): void {}
    show(): void {}
    loadFile(f: string): Promise<void> {
      rec.windows.at(-1)!.loaded = f;
      return Promise.resolve();
    }
    static getAllWindows(): unknown[] {
      return rec.windows;
    }
  }
  return {
    app: {
      getPath: (which: string) => (which === 'documents' ? join(home, 'Documents') : home),
      exit: (code: number) => void rec.exits.push(code),
      getAppPath: () => resolve('.'),
      isPackaged: opts.packaged === true,
      enableSandbox: () => void (rec.sandboxEnabled = true),
      whenReady: () => opts.whenReady ?? whenReady,
      on: (e: string, h: Handler) => void rec.appEvents.set(e, h),
      quit: () => void (rec.quits = (rec.quits ?? 0) + 1),
      requestSingleInstanceLock: () => (rec.singleInstanceAsked = (rec.singleInstanceAsked ?? 0) + 1, rec.singleInstanceGranted ?? true),
    },
    BrowserWindow,
    Menu: { setApplicationMenu: (m: unknown) => void rec.menus.push(m) },
    ipcMain: { handle: (ch: string, h: Handler) => void rec.ipc.set(ch, h) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown) => void rec.schemes.push(s),
      handle: (scheme: string, h: Handler) => void rec.protocolHandlers.set(scheme, h),
    },
    net: { fetch: (url: string) => Promise.resolve(new Response(readFileSync(new URL(url)))) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Handler) => void (rec.permissionRequest = h),
        setPermissionCheckHandler: (h: Handler) => void (rec.permissionCheck = h),
        webRequest: { onHeadersReceived: (h: Handler) => void (rec.headersReceived = h) },
      },
    },
    dialog: {
      showOpenDialog: (_w: unknown, options: Record<string, unknown>) => {
        rec.dialogs.push({ kind: 'open', options });
        return Promise.resolve(rec.nextOpen ? { canceled: false, filePaths: rec.nextOpen } : { canceled: true, filePaths: [] });
      },
      showSaveDialog: (_w: unknown, options: Record<string, unknown>) => {
        rec.dialogs.push({ kind: 'save', options });
        return Promise.resolve(rec.nextSave ? { canceled: false, filePath: rec.nextSave } : { canceled: true });
      },
    },
    shell: { showItemInFolder: (p: string) => void rec.shown.push(p) },
    // A utility process: a real Node child that talks through process.parentPort (test/fixtures).
    utilityProcess: {
      fork: (modulePath: string, _args: string[], options: Recorded['utility'][number]['options']) => {
        const u: Recorded['utility'][number] = { modulePath, options, posted: [], received: [] };
        rec.utility.push(u);
        return utilityStandIn(modulePath, options.env, u);
      },
    },
    // The OS's protected storage, as a reversible scramble that never contains the plaintext.
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (plain: string) => (rec.sealed.push(plain.length), Buffer.from(`os-sealed:${Buffer.from(plain, 'utf8').reverse().toString('base64')}`)),
      decryptString: (b: Buffer) => Buffer.from(b.toString().replace(/^os-sealed:/, ''), 'base64').reverse().toString('utf8'),
    },
    webUtils: { getPathForFile: (f: object) => dropped.get(f) ?? '' },
    contextBridge: { exposeInMainWorld: (k: string, v: Record<string, unknown>) => void rec.exposed.set(k, v) },
    ipcRenderer: { invoke: (...a: unknown[]) => (rec.invoked.push(a), Promise.resolve({ ok: true })) },
  };
}

describe('Electron shell lock-down (bundled main and preload, stand-in electron module)', () => {
  const t = tempDir();
  let docId = 0;
  const savedArgv = [...process.argv];
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build-electron.mjs'], { stdio: 'pipe' });
    const wsDir = join(t.dir, '工作区');
    const ws = openWorkspace(wsDir, { create: true, college: '测试学院' });
    ws.db.prepare("INSERT INTO applicants (id_number, row_no, name, category, import_id, updated_at) VALUES ('11010519491231002X', 1, '张三', 'general', 'i', 'now')").run();
    const blob = ws.blobs.putBuffer(Buffer.from('%PDF-1.4 test'));
    ws.db.prepare("INSERT INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, 'application/pdf', 'now')").run(blob.sha256, blob.size);
    docId = Number(ws.db.prepare("INSERT INTO documents (id_number, kind, sha256, original_name, import_id) VALUES ('11010519491231002X', 'diploma', ?, 'x.pdf', 'i')").run(blob.sha256).lastInsertRowid);
    // A second applicant with a real scan for the OCR process to read: a diploma's name and ID number.
    const png = ws.blobs.putBuffer(diplomaPng(OCR_PERSON.name, OCR_PERSON.idNumber));
    ws.db.prepare("INSERT INTO applicants (id_number, row_no, name, category, import_id, updated_at) VALUES (?, 2, ?, 'general', 'i', 'now')").run(OCR_PERSON.idNumber, OCR_PERSON.name);
    ws.db.prepare("INSERT INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, 'image/png', 'now')").run(png.sha256, png.size);
    ws.db.prepare("INSERT INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, 'diploma', ?, 'diploma.png', 'i')").run(OCR_PERSON.idNumber, png.sha256);
    ws.close();
    process.env.DESK_HOME = join(t.dir, 'home');
    process.argv.push(`--workspace=${wsDir}`);
    const require = createRequire(import.meta.url);
    const Module = require('node:module') as { _load: (req: string, ...rest: unknown[]) => unknown };
    const original = Module._load;
    const fake = fakeElectron(join(t.dir, 'home'));
    Module._load = function (req: string, ...rest: unknown[]) {
      return req === 'electron' ? fake : original.call(this, req, ...rest);
    };
    try {
      require(resolve('dist-electron/main.cjs'));
      require(resolve('dist-electron/preload.cjs'));
    } finally {
      Module._load = original;
    }
    ready();
    for (let i = 0; i < 50 && rec.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(() => {
    process.argv.splice(0, process.argv.length, ...savedArgv);
    process.env = savedEnv;
    t.cleanup();
  });

  it('creates the window with isolation, sandbox and no Node', () => {
    expect(rec.windows).toHaveLength(1);
    const wp = rec.windows[0]!.options.webPreferences;
    expect(wp).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
    expect(String(wp.preload)).toMatch(/preload\.cjs$/);
    expect(rec.sandboxEnabled).toBe(true);
    expect(rec.windows[0]!.loaded).toMatch(/dist[\\/]renderer[\\/]index\.html$/);
  });

  it('denies navigation, new windows and webviews', () => {
    const w = rec.windows[0]!;
    let prevented = 0;
    const ev = { preventDefault: () => prevented++ };
    w.events.get('will-navigate')!(ev, 'https://example.com');
    w.events.get('will-attach-webview')!(ev);
    expect(prevented).toBe(2);
    expect(w.openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request', () => {
    let granted: boolean | undefined;
    rec.permissionRequest!({}, 'media', (g: boolean) => (granted = g));
    expect(granted).toBe(false);
    expect(rec.permissionCheck!({}, 'geolocation')).toBe(false);
  });

  it('sends a strict CSP without unsafe-eval on every response', () => {
    let headers: Record<string, string[]> = {};
    rec.headersReceived!({ responseHeaders: {} }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
    const csp = headers['Content-Security-Policy']![0]!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
    const html = readFileSync('renderer/index.html', 'utf8');
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toContain('unsafe-eval');
  });

  it('serves scans only by document id through desk-doc://', async () => {
    const handler = rec.protocolHandlers.get('desk-doc')!;
    const ok = (await handler({ url: `desk-doc://doc/${docId}` })) as Response;
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Content-Type')).toBe('application/pdf');
    expect(await ok.text()).toBe('%PDF-1.4 test');
    for (const url of ['desk-doc://doc/999', 'desk-doc://doc/../../etc/passwd', 'desk-doc://doc/1/../2', 'desk-doc:///etc/passwd', 'file:///etc/passwd']) {
      expect(((await handler({ url })) as Response).status, url).toBe(404);
    }
  });

  it('validates every IPC argument before a service sees it', async () => {
    const call = rec.ipc.get('desk:call')!;
    expect(await call(ev(), 'status.summary', {})).toMatchObject({ ok: true });
    expect(await call(ev(), 'decisions.record', { idNumber: '11010519491231002X', decision: 'maybe', reviewer: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await call(ev(), 'fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(await call(ev(), 'status.summary', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
  });

  it('keeps the hub password and the sync passphrase sealed by safeStorage, never in the clear or in the college', async () => {
    const call = rec.ipc.get('desk:call')!;
    // Nobody listens on port 1: the first automatic visit finds the hub offline, the desk goes on.
    const url = 'postgres://zsb:S3cret-hub-pw@127.0.0.1:1/zsb_hub';
    const st = (await call(ev(), 'hub.configure', { url, passphrase: 'college-pp-2026', by: '王主任' })) as { ok: boolean; value: Record<string, unknown> };
    expect(st).toMatchObject({ ok: true, value: { url: 'postgres://zsb@127.0.0.1:1/zsb_hub', passwordSaved: true, passphraseSaved: true, secrets: 'os' } });
    // Besides them only this PC's private keys (a PEM, base64: 150+ characters), sealed by the same store (issue 19).
    expect(rec.sealed.filter((n) => n < 100)).toEqual(['S3cret-hub-pw'.length, 'college-pp-2026'.length]);
    expect(rec.sealed.filter((n) => n >= 100).length).toBeGreaterThan(0);
    const file = readFileSync(join(t.dir, 'home', 'secrets.json'), 'utf8');
    expect(Object.keys(JSON.parse(file) as object).map((k) => k.split(':')[0]).sort()).toEqual(['hub.password', 'sync.passphrase']);
    for (const secret of ['S3cret-hub-pw', 'college-pp-2026']) {
      expect(file).not.toContain(secret);
      expect(file).not.toContain(Buffer.from(secret).toString('base64'));
      expect(readFileSync(join(t.dir, '工作区', 'desk.sqlite')).includes(secret)).toBe(false);
    }
    const after = (await call(ev(), 'hub.syncNow', {})) as { ok: boolean; value: Record<string, unknown> };
    expect(after).toMatchObject({ ok: true, value: { state: 'offline', lastError: { code: 'hub_unreachable' } } });
    expect(JSON.stringify(after)).not.toContain('S3cret-hub-pw');
    // The college settings carry the address, without the password, to every PC.
    expect(await call(ev(), 'college.settings.get', {})).toMatchObject({ ok: true, value: { hubUrl: 'postgres://zsb@127.0.0.1:1/zsb_hub' } });
    expect(await call(ev(), 'hub.configure', { url: '', by: '王主任' })).toMatchObject({ ok: true, value: { state: 'off', passwordSaved: false } });
  });

  it('answers only the desk page: another frame, a page navigated elsewhere or no frame is refused', async () => {
    for (const e of [ev('https://example.com/'), ev(pathToFileURL(resolve('somewhere/else.html')).href), {}, { senderFrame: null }]) {
      expect(await rec.ipc.get('desk:call')!(e, 'status.summary', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await rec.ipc.get('desk:files')!(e, 'pick', { kind: 'list' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('attack: an iframe showing the desk page, or another web contents, is refused (the sender must be the window\'s main frame)', async () => {
    const wc = rec.windows[0]!.webContents;
    const iframe = { sender: wc, senderFrame: { url: PAGE_URL, parent: wc.mainFrame, processId: 4, routingId: 9 } };
    const otherContents = { sender: { mainFrame: wc.mainFrame }, senderFrame: wc.mainFrame };
    const otherFrameSameUrl = { sender: wc, senderFrame: { url: PAGE_URL, parent: null, processId: 5, routingId: 1 } };
    for (const e of [iframe, otherContents, otherFrameSameUrl]) {
      expect(await rec.ipc.get('desk:call')!(e, 'status.summary', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await rec.ipc.get('desk:files')!(e, 'pick', { kind: 'list' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await rec.ipc.get('desk:call')!(ev(), 'status.summary', {})).toMatchObject({ ok: true });
  });

  it('attack: the page passes no raw or typed path (import.preview of /etc/passwd, a demo written anywhere)', async () => {
    const call = rec.ipc.get('desk:call')!;
    expect(await call(ev(), 'import.preview', { listPath: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'raw_path_refused' } });
    expect(await call(ev(), 'files.fromPath', { kind: 'list', path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'raw_path_refused' } });
    expect(await call(ev(), 'demo.generate', { out: join(t.dir, '任意位置'), applicants: 1, listOnly: true })).toMatchObject({ ok: false, error: { code: 'raw_path_refused' } });
    expect(await call(ev(), 'sync.export', { out: join(t.dir, '任意.zsbsync'), passphrase: 'p' })).toMatchObject({ ok: false, error: { code: 'raw_path_refused' } });
    // Even a folder chosen in the save dialog is not where a demo may be written: only a desk-made location.
    rec.nextSave = join(t.dir, '演示 任意');
    const picked = (await rec.ipc.get('desk:files')!(ev(), 'save', { kind: 'demoOut' })) as { ok: true; value: { handle: string } };
    expect(await call(ev(), 'demo.generate', { out: { handle: picked.value.handle }, applicants: 1, listOnly: true })).toMatchObject({ ok: false, error: { code: 'file_origin_refused' } });
    expect(await call(ev(), 'files.policy', {})).toEqual({ ok: true, value: { typedPaths: false } });
  });

  it('serves desk-doc:// responses with the sandboxing CSP and nosniff', async () => {
    const handler = rec.protocolHandlers.get('desk-doc')!;
    for (const url of [`desk-doc://doc/${docId}`, 'desk-doc://doc/999']) {
      const res = (await handler({ url })) as Response;
      expect(res.headers.get('Content-Security-Policy'), url).toBe("sandbox; default-src 'none'");
      expect(res.headers.get('X-Content-Type-Options'), url).toBe('nosniff');
    }
  });

  it('preload exposes exactly the contract call, the document URL maker and the file bridge', async () => {
    const bridge = rec.exposed.get('deskBridge')!;
    expect(Object.keys(bridge).sort()).toEqual(['call', 'docUrl', 'files']);
    expect(Object.keys(bridge.files as object).sort()).toEqual(['drop', 'pick', 'reveal', 'save']);
    expect((bridge.docUrl as (id: number) => string)(12)).toBe('desk-doc://doc/12');
    await (bridge.call as (n: string, a: unknown) => Promise<unknown>)('status.summary', {});
    expect(rec.invoked.at(-1)).toEqual(['desk:call', 'status.summary', {}]);
  });

  it('keeps one desk per PC user and holds the workspace lock while open', () => {
    // The first start asked for the single-instance lock and brings its window forward on a second start.
    expect(rec.singleInstanceAsked).toBe(1);
    expect(rec.appEvents.has('second-instance')).toBe(true);
    // The desk opened the workspace with the one-desk-per-workspace lock.
    const lock = JSON.parse(readFileSync(join(t.dir, '工作区', 'desk.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
  });

  it('reads scans in Electron\'s utility process (the packaged app cannot run its binary as Node)', async () => {
    const r = (await rec.ipc.get('desk:call')!(ev(), 'ocr.run', { idNumber: OCR_PERSON.idNumber })) as { ok: boolean; value: { read: number; documentsView: { fields: { field: string; status: string; found: string | null }[] }[] } };
    expect(r).toMatchObject({ ok: true, value: { read: 1 } });
    // One utility process, started from the bundled worker script, without RunAsNode.
    expect(rec.utility).toHaveLength(1);
    const u = rec.utility[0]!;
    expect(u.modulePath).toMatch(/dist-electron[\\/]ocrWorker\.cjs$/);
    expect(u.options.env?.ELECTRON_RUN_AS_NODE).toBeUndefined();
    expect(u.options.env?.MALLOC_ARENA_MAX).toBe('2');
    expect(u.options.serviceName).toBeTruthy();
    // Requests went through postMessage and each answer came back through process.parentPort (the
    // desk reads in the background too: the other applicant's made-up PDF is answered, as a failure).
    const posted = u.posted as { id: number; path: string; mime: string }[];
    const received = u.received as { id: number; ok: boolean }[];
    expect(posted.length).toBeGreaterThanOrEqual(1);
    expect(received.map((x) => x.id).sort()).toEqual(posted.map((x) => x.id).sort());
    const png = posted.find((p) => p.mime === 'image/png')!;
    expect(received.find((x) => x.id === png.id)).toMatchObject({ ok: true });
    // And the scan was read: the name and the ID number as printed, agreeing with the list.
    const fields = r.value.documentsView[0]!.fields;
    expect(fields.find((f) => f.field === 'idNumber')).toMatchObject({ status: 'agree', found: OCR_PERSON.idNumber });
    expect(fields.find((f) => f.field === 'name')).toMatchObject({ status: 'agree' });
    // The queue dry, the desk ends the process through the utility process's kill().
    for (let i = 0; i < 500 && u.exitCode === undefined; i++) await new Promise((res) => setTimeout(res, 20));
    expect(u.exitCode).toBeDefined();
  }, 120_000);

  it('opens the folder named on the command line as a college of the list, with the app icon on the window', async () => {
    const list = (await rec.ipc.get('desk:call')!(ev(), 'colleges.list', {})) as { ok: true; value: { name: string; open: boolean; demo: boolean }[] };
    expect(list.value.find((c) => c.open)).toMatchObject({ name: '测试学院', demo: false });
    expect(list.value.some((c) => c.demo)).toBe(true);
    expect(rec.windows[0]!.options.icon).toMatch(/resources[\\/]icons[\\/]icon\.png$/);
    expect(existsSync(rec.windows[0]!.options.icon!)).toBe(true);
  });

  it('file bridge: a native open dialog of the kind asked for gives a handle the contract takes', async () => {
    const files = rec.ipc.get('desk:files')!;
    const listFile = join(t.dir, '考生名单.csv');
    writeFileSync(listFile, listCsv([applicantFor(0), applicantFor(1)]));
    rec.nextOpen = [listFile];
    const picked = (await files(ev(), 'pick', { kind: 'list' })) as { ok: true; value: { handle: string; name: string; kind: string } };
    expect(picked).toMatchObject({ ok: true, value: { kind: 'list', name: '考生名单.csv', origin: 'picked' } });
    expect(JSON.stringify(picked)).not.toContain(t.dir);
    const asked = rec.dialogs.at(-1)!;
    expect(asked.kind).toBe('open');
    expect(asked.options).toMatchObject({ properties: ['openFile'], filters: [{ extensions: ['xlsx', 'xlsm', 'xls', 'csv', 'tsv', 'txt'] }] });
    const preview = await rec.ipc.get('desk:call')!(ev(), 'import.preview', { listPath: { handle: picked.value.handle } });
    expect(preview).toMatchObject({ ok: true, value: { dataRows: 2 } });
    // Attachments as a folder: a folder dialog; cancelled → no handle, no error.
    rec.nextOpen = null;
    expect(await files(ev(), 'pick', { kind: 'attachments', folder: true })).toEqual({ ok: true, value: null });
    expect(rec.dialogs.at(-1)!.options).toMatchObject({ properties: ['openDirectory', 'createDirectory'] });
    // The dialog's answer is still checked against the kind.
    rec.nextOpen = [t.dir];
    expect(await files(ev(), 'pick', { kind: 'list' })).toMatchObject({ ok: false, error: { code: 'file_kind_mismatch' } });
    // Outputs are chosen with a save dialog; an unknown op or kind is refused.
    expect(await files(ev(), 'pick', { kind: 'exportFolder' })).toMatchObject({ ok: false, error: { code: 'file_kind_mismatch' } });
    expect(await files(ev(), 'format', { kind: 'list' })).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(await files(ev(), 'pick', { kind: '../../etc' })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
  });

  it('file bridge: a save dialog names the export folder, and the export is shown in Explorer afterwards', async () => {
    const files = rec.ipc.get('desk:files')!;
    const target = join(t.dir, '报送', '免试资格审核表 草稿');
    mkdirSync(join(t.dir, '报送'), { recursive: true });
    rec.nextSave = target;
    const saved = (await files(ev(), 'save', { kind: 'exportFolder', suggestedName: '免试资格审核表 草稿' })) as { ok: true; value: { handle: string; folder: boolean } };
    expect(saved).toMatchObject({ ok: true, value: { folder: true, origin: 'picked' } });
    expect(String(rec.dialogs.at(-1)!.options.defaultPath)).toBe(join(t.dir, 'home', 'Documents', '免试资格审核表 草稿'));
    const exported = await rec.ipc.get('desk:call')!(ev(), 'export.run', { table: 'exempt', out: { handle: saved.value.handle }, draft: true });
    expect(exported).toMatchObject({ ok: true, value: { draft: true } });
    expect(existsSync(target)).toBe(true);
    expect(await files(ev(), 'reveal', { handle: saved.value.handle })).toEqual({ ok: true, value: { shown: true } });
    // Explorer opens the folder with its first file selected.
    expect(rec.shown.at(-1)!.startsWith(target)).toBe(true);
    expect(rec.shown.at(-1)).not.toBe(target);
    expect(await files(ev(), 'reveal', { handle: 'h_AAAAAAAAAAAAAAAAAAAAAAAA' })).toMatchObject({ ok: false, error: { code: 'file_handle_unknown' } });
  });

  it('drag-and-drop: the preload reads the path of a dropped File only, and main checks it against the kind', async () => {
    const bridge = rec.exposed.get('deskBridge')!;
    const drop = (bridge.files as { drop: (kind: string, f: unknown) => Promise<unknown> }).drop;
    const folder = join(t.dir, '附件 拖入');
    mkdirSync(folder, { recursive: true });
    const file = new File([], '附件 拖入');
    dropped.set(file, folder);
    await drop('attachments', file);
    const sent = rec.invoked.at(-1)!;
    expect(sent).toEqual(['desk:files', 'drop', { kind: 'attachments', path: folder }]);
    // What main answers to exactly that message.
    expect(await rec.ipc.get('desk:files')!(ev(), sent[1], sent[2])).toMatchObject({ ok: true, value: { kind: 'attachments', folder: true, origin: 'dropped' } });
    // A File made up by a script has no path: nothing is sent.
    const before = rec.invoked.length;
    expect(await drop('list', new File(['x'], 'C:\\Windows\\win.ini'))).toMatchObject({ ok: false, error: { code: 'file_not_dropped' } });
    expect(await drop('list', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'file_not_dropped' } });
    expect(rec.invoked.length).toBe(before);
    // Dropping onto an output is refused by main.
    expect(await rec.ipc.get('desk:files')!(ev(), 'drop', { kind: 'exportFolder', path: folder })).toMatchObject({ ok: false, error: { code: 'file_kind_mismatch' } });
  });
});

describe('the installed desk (app.isPackaged): no DevTools, no default menu, no native module from the environment', () => {
  const t = tempDir();
  const savedArgv = [...process.argv];
  const savedEnv = { ...process.env };
  const r = newRec();
  afterAll(() => {
    process.argv.splice(0, process.argv.length, ...savedArgv);
    process.env = savedEnv;
    r.appEvents.get('window-all-closed')?.();
    t.cleanup();
  });

  it('turns DevTools off in the window, removes the application menu and ignores DESK_SQLITE_BINDING', async () => {
    process.env.DESK_HOME = join(t.dir, 'home');
    const wsDir = join(t.dir, '工作区 安装版');
    openWorkspace(wsDir, { create: true, college: '安装版学院' }).close();
    process.env.DESK_SQLITE_BINDING = join(t.dir, 'no-such-binding.node');
    process.argv.splice(0, process.argv.length, process.execPath, resolve('dist-electron/main.cjs'), `--workspace=${wsDir}`);
    const require = createRequire(import.meta.url);
    const Module = require('node:module') as { _load: (req: string, ...rest: unknown[]) => unknown };
    const original = Module._load;
    const fake = fakeElectron(join(t.dir, 'home'), r, { packaged: true, whenReady: Promise.resolve() });
    Module._load = function (req: string, ...rest: unknown[]) {
      return req === 'electron' ? fake : original.call(this, req, ...rest);
    };
    const main = resolve('dist-electron/main.cjs');
    delete require.cache[main];
    try {
      require(main);
    } finally {
      Module._load = original;
      delete require.cache[main];
    }
    for (let i = 0; i < 100 && r.windows.length === 0; i++) await new Promise((res) => setTimeout(res, 20));
    expect(r.windows).toHaveLength(1);
    expect(r.windows[0]!.options.webPreferences).toMatchObject({ devTools: false, contextIsolation: true, sandbox: true });
    expect(r.menus).toEqual([null]);
    // The desk opened the college with the bundled better-sqlite3, not the one the environment named.
    const info = await r.ipc.get('desk:call')!({ sender: r.windows[0]!.webContents, senderFrame: r.windows[0]!.webContents.mainFrame }, 'workspace.info', {});
    expect(info).toMatchObject({ ok: true, value: { college: '安装版学院' } });
  });
});

describe('资格审核台.exe --cli (bundled main, stand-in electron module)', () => {
  const t = tempDir();
  const savedArgv = [...process.argv];
  const savedEnv = { ...process.env };
  afterAll(() => {
    process.argv.splice(0, process.argv.length, ...savedArgv);
    process.env = savedEnv;
    t.cleanup();
  });

  it('runs a command in the main process without a window or the single-instance lock, writes --cli-output and exits with its code', async () => {
    const wsDir = join(t.dir, '工作区');
    openWorkspace(wsDir, { create: true, college: '测试学院' }).close();
    process.env.DESK_HOME = join(t.dir, 'home');
    const outFile = join(t.dir, '输出.txt');
    const exits: number[] = [];
    const windows: unknown[] = [];
    let lockAsked = 0;
    const fake = {
      app: {
        getPath: () => join(t.dir, 'home'), getAppPath: () => resolve('.'), isPackaged: false, exit: (c: number) => void exits.push(c),
        requestSingleInstanceLock: () => ++lockAsked > 0, on: () => undefined, whenReady: () => Promise.resolve(), enableSandbox: () => undefined, quit: () => undefined,
      },
      // Ready, for the OS store of the keys (none here); still no window and no single-instance lock.
      safeStorage: { isEncryptionAvailable: () => false },
      BrowserWindow: class { constructor() { windows.push(this); } },
      ipcMain: { handle: () => undefined }, protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
      dialog: {}, shell: {}, net: {}, session: {},
    };
    process.argv.splice(0, process.argv.length, 'C:\\Program Files\\资格审核台\\资格审核台.exe', '--cli', 'status', '--workspace', wsDir, '--json', `--cli-output=${outFile}`);
    const require = createRequire(import.meta.url);
    const Module = require('node:module') as { _load: (req: string, ...rest: unknown[]) => unknown };
    const original = Module._load;
    Module._load = function (req: string, ...rest: unknown[]) {
      return req === 'electron' ? fake : original.call(this, req, ...rest);
    };
    const main = resolve('dist-electron/main.cjs');
    delete require.cache[main];
    try {
      require(main);
    } finally {
      Module._load = original;
      delete require.cache[main];
    }
    for (let i = 0; i < 200 && exits.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(exits).toEqual([0]);
    expect(windows).toHaveLength(0);
    expect(lockAsked).toBe(0);
    const written = readFileSync(outFile, 'utf8');
    expect(written.startsWith('\ufeff')).toBe(true);
    expect(JSON.parse(written.slice(1))).toMatchObject({ ok: true, value: { total: 0 } });
  });
});

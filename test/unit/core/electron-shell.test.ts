/**
 * The Electron shell's lock-down, checked without the Electron binary: the real bundled
 * dist-electron/main.cjs and preload.cjs are loaded in Node against a recording stand-in for the
 * `electron` module, then every security-relevant call they made is inspected.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../electron/workspace/workspace.js';
import { tempDir } from '../../fixtures/tmp.js';

type Handler = (...args: unknown[]) => unknown;
interface Recorded {
  windows: { options: { webPreferences: Record<string, unknown> }; events: Map<string, Handler>; openHandler?: Handler; loaded?: string }[];
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
  singleInstanceAsked?: number;
  singleInstanceGranted?: boolean;
}

const rec: Recorded = {
  windows: [], appEvents: new Map(), ipc: new Map(), schemes: [], protocolHandlers: new Map(),
  sandboxEnabled: false, exposed: new Map(), invoked: [],
};
let ready!: () => void;
const whenReady = new Promise<void>((r) => (ready = r));

function fakeElectron(home: string): Record<string, unknown> {
  class BrowserWindow {
    webContents: { on: (e: string, h: Handler) => void; setWindowOpenHandler: (h: Handler) => void };
    constructor(options: { webPreferences: Record<string, unknown> }) {
      const w: Recorded['windows'][number] = { options, events: new Map() };
      rec.windows.push(w);
      this.webContents = { on: (e, h) => void w.events.set(e, h), setWindowOpenHandler: (h) => void (w.openHandler = h) };
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
      getPath: () => home,
      getAppPath: () => resolve('.'),
      isPackaged: false,
      enableSandbox: () => void (rec.sandboxEnabled = true),
      whenReady: () => whenReady,
      on: (e: string, h: Handler) => void rec.appEvents.set(e, h),
      quit: () => void (rec.quits = (rec.quits ?? 0) + 1),
      requestSingleInstanceLock: () => (rec.singleInstanceAsked = (rec.singleInstanceAsked ?? 0) + 1, rec.singleInstanceGranted ?? true),
    },
    BrowserWindow,
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
    expect(await call({}, 'status.summary', {})).toMatchObject({ ok: true });
    expect(await call({}, 'decisions.record', { idNumber: '11010519491231002X', decision: 'maybe', reviewer: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await call({}, 'fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(await call({}, 'status.summary', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
  });

  it('preload exposes exactly the contract call and the document URL maker', async () => {
    const bridge = rec.exposed.get('deskBridge')!;
    expect(Object.keys(bridge).sort()).toEqual(['call', 'docUrl']);
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
});

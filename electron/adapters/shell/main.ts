/**
 * The thin Electron shell: a locked-down window, the IPC adapter over the one dispatcher, and
 * scans served by document id through the desk-doc:// protocol. Everything else runs (and is
 * tested) in plain Node.
 */
import { app, BrowserWindow, ipcMain, net, protocol, session } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDesk, type Desk } from '../../app/desk.js';
import { ensureDemoWorkspace } from '../../app/bootstrap.js';
import { documentBlob } from '../../documents/index.js';
import { configFromEnv, configure, deskConfig } from '../../platform/index.js';
import { DOC_SCHEME, ELECTRON_CSP, WEB_PREFERENCES, parseDocUrl } from './security.js';

// The configuration is read here, at the edge, and passed in; no service reads the environment.
const appDir = app.getAppPath().replace('app.asar', 'app.asar.unpacked');
// In development `npm start` builds better-sqlite3 for Electron into .native/ (the Node build in
// node_modules stays for tests); a packaged app has node_modules rebuilt by electron-builder and
// never loads a native module named by the environment.
const fromEnv = configFromEnv(process.env);
const devBinding = join(appDir, '.native', 'electron', 'better_sqlite3.node');
configure({
  ...fromEnv,
  home: process.env.DESK_HOME || app.getPath('userData'),
  resourceDirs: [...fromEnv.resourceDirs, join(appDir, 'resources')],
  sqliteBinding: app.isPackaged ? undefined : (fromEnv.sqliteBinding ?? (existsSync(devBinding) ? devBinding : undefined)),
  packaged: app.isPackaged,
});

// One desk per PC user: a second start brings the open window forward instead of a second desk.
const firstInstance = app.requestSingleInstanceLock();
if (!firstInstance) app.quit();
app.on('second-instance', () => {
  const [win] = BrowserWindow.getAllWindows();
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

protocol.registerSchemesAsPrivileged([{ scheme: DOC_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

let desk: Desk | null = null;

async function openDesk(): Promise<Desk> {
  const wsArg = process.argv.find((a) => a.startsWith('--workspace='))?.slice('--workspace='.length);
  const wsDir = wsArg ?? (await ensureDemoWorkspace(deskConfig().home));
  return createDesk(wsDir, { lock: true });
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: '资格审核台',
    show: false,
    webPreferences: { ...WEB_PREFERENCES, preload: join(__dirname, 'preload.cjs') },
  });
  win.once('ready-to-show', () => win.show());
  // No navigation away from the desk, no new windows; external links are not followed either.
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  void win.loadFile(join(__dirname, '../dist/renderer/index.html'));
}

app.enableSandbox();
if (firstInstance) app.whenReady().then(async () => {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [ELECTRON_CSP] } });
  });
  // The window opens at once; calls wait for the desk. On the very first start that means the
  // demo college is being generated (about half a minute) while the desk shows its loading state,
  // instead of no window at all.
  const deskReady = openDesk();
  deskReady.then((d) => {
    desk = d;
    // Read the scans in the background (a worker thread; cached by hash, so each scan is read once).
    if (deskConfig().ocr) void d.dispatch('ocr.start', {});
  }, (e: unknown) => {
    console.error(e);
    app.quit();
  });
  protocol.handle(DOC_SCHEME, async (req) => {
    const d = await deskReady;
    const id = parseDocUrl(req.url);
    const blob = id === null ? null : documentBlob(d.ctx.ws(), id);
    if (!blob) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(blob.path).toString());
    return new Response(res.body, { headers: { 'Content-Type': blob.mime, 'X-Content-Type-Options': 'nosniff' } });
  });
  // The IPC adapter: one channel, the call name and its argument; the dispatcher validates both.
  ipcMain.handle('desk:call', async (_e, name: unknown, args: unknown) => (await deskReady).dispatch(String(name), args));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}).catch((e: unknown) => {
  console.error(e);
  app.quit();
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (ev) => ev.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  desk?.close();
  app.quit();
});


/**
 * The thin Electron shell: a locked-down window, the IPC adapter over the one dispatcher, the
 * narrow file bridge (native dialogs, dropped files, show in Explorer), and scans served by
 * document id through the desk-doc:// protocol. Everything else runs (and is tested) in plain Node.
 *
 * `资格审核台.exe --cli <command …>` runs the command line instead (no window) and exits with its
 * code; see runCliMode below for how its output reaches a Windows console.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, session, shell, utilityProcess } from 'electron';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDesk, type Desk } from '../../app/desk.js';
import { documentBlob } from '../../documents/index.js';
import { configFromEnv, configure, deskConfig, findResource, ProtectedFileSecretStore } from '../../platform/index.js';
import { runCli } from '../cli/main.js';
import { fileBridge } from './files.js';
import { osProtector } from './protector.js';
import { utilityOcrSpawner } from './ocrProcess.js';
import { DOC_HEADERS, DOC_SCHEME, ELECTRON_CSP, WEB_PREFERENCES, isDeskFrame, parseDocUrl, type IpcEventLike } from './security.js';

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

/**
 * The OCR process as Electron's utility process: the packaged app's binary cannot run as Node
 * (RunAsNode fuse off). Development runs the same, so what is shipped is what is tried.
 */
const ocrSpawner = utilityOcrSpawner(utilityProcess, app.whenReady());

const cliAt = process.argv.indexOf('--cli');
if (cliAt >= 0) void runCliMode(process.argv.slice(cliAt + 1));
else startDesk();

/**
 * The CLI inside the app, for the installed desk (no Node on registrars' PCs). Electron's
 * Windows binary is a GUI-subsystem program: started from cmd.exe it attaches to the parent's
 * console for its output, but cmd does not wait for it, so the prompt may come back before the
 * output. The installed `资格审核台-cli.cmd` starts it with `start /wait` (cmd waits, the exit code
 * comes back as %ERRORLEVEL%); `--cli-output=FILE` also writes everything to FILE (UTF-8 with
 * BOM, so Notepad shows the Chinese), which works however the program was started.
 */
async function runCliMode(args: string[]): Promise<void> {
  const outFile = args.find((a) => a.startsWith('--cli-output='))?.slice('--cli-output='.length);
  const rest = args.filter((a) => !a.startsWith('--cli-output='));
  const lines: string[] = [];
  const out = (s: string): void => {
    process.stdout.write(s + '\n');
    lines.push(s);
  };
  const err = (s: string): void => {
    process.stderr.write(s + '\n');
    lines.push(s);
  };
  let code: number;
  try {
    // The same store for the private keys as the desk's window (safeStorage needs the app ready).
    await app.whenReady();
    useOsProtector();
    code = await runCli(rest, out, err, { ocrSpawner });
  } catch (e) {
    err(`内部错误：${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    code = 1;
  }
  if (outFile) {
    try {
      writeFileSync(outFile, '\ufeff' + lines.join('\r\n') + '\r\n');
    } catch (e) {
      process.stderr.write(`无法写入 ${outFile}：${(e as Error).message}\n`);
    }
  }
  app.exit(code);
}

/** Private keys sealed by safeStorage (DPAPI on Windows) from here on; see protector.ts. */
function useOsProtector(): void {
  const protector = osProtector(safeStorage);
  if (protector) configure({ ...deskConfig(), protector });
}

function startDesk(): void {
  // One desk per PC user: a second start brings the open window forward instead of a second desk.
  const firstInstance = app.requestSingleInstanceLock();
  if (!firstInstance) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  protocol.registerSchemesAsPrivileged([{ scheme: DOC_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

  // No college opens by default: the one open when the desk last stopped is reopened (a
  // registrar works on one college all season), otherwise the start screen shows. `--workspace=`
  // opens a folder directly (admins, support).
  // The hub password and the sync passphrase of this PC: sealed by the OS for the signed-in
  // Windows user (safeStorage = DPAPI), so a copied profile folder does not carry them. The desk
  // syncs with the college's hub in the background while a college is open.
  const secrets = new ProtectedFileSecretStore(join(deskConfig().home, 'secrets.json'), safeStorage);
  // The page names files only by the handles of what the user chose in a native dialog or dropped:
  // no raw path, no typed path (a page that was made to misbehave cannot read or write elsewhere).
  const desk: Desk = createDesk(undefined, { lock: true, backgroundOcr: deskConfig().ocr, autoHub: true, services: { secrets }, rawPaths: false, ocrSpawner });
  const wsArg = process.argv.find((a) => a.startsWith('--workspace='))?.slice('--workspace='.length);
  const pagePath = join(__dirname, '../dist/renderer/index.html');
  const pageUrl = pathToFileURL(pagePath).href;
  let mainWindow: BrowserWindow | null = null;

  function createWindow(): void {
    const icon = findResource('icons/icon.png');
    const win = new BrowserWindow({
      width: 1440,
      height: 900,
      minWidth: 1280,
      minHeight: 720,
      // The page names the open college in its title (document.title), which the window follows.
      title: '资格审核台',
      show: false,
      ...(icon ? { icon } : {}),
      // No DevTools in the installed desk: they would give anyone at the PC the page's powers.
      webPreferences: { ...WEB_PREFERENCES, devTools: !app.isPackaged, preload: join(__dirname, 'preload.cjs') },
    });
    mainWindow = win;
    win.once('ready-to-show', () => win.show());
    // No navigation away from the desk, no new windows; external links are not followed either.
    win.webContents.on('will-navigate', (e) => e.preventDefault());
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    win.webContents.on('will-attach-webview', (e) => e.preventDefault());
    void win.loadFile(pagePath);
  }

  app.enableSandbox();
  app.whenReady().then(() => {
    // Before any college opens: its private keys are sealed by the OS's protected storage.
    useOsProtector();
    // The default menu carries DevTools, reload and zoom shortcuts: none in the installed desk.
    if (app.isPackaged) Menu.setApplicationMenu(null);
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
    ses.setPermissionCheckHandler(() => false);
    ses.webRequest.onHeadersReceived((details, cb) => {
      cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [ELECTRON_CSP] } });
    });
    // The window opens at once; calls wait for the desk. Reopening the demo for the first time
    // means generating it (about half a minute) while the desk shows its loading state.
    const deskReady = desk.colleges.startup({ folder: wsArg, reopen: true }).then(() => desk);
    protocol.handle(DOC_SCHEME, async (req) => {
      const d = await deskReady;
      const id = parseDocUrl(req.url);
      // Scans follow the calls' rule: once the college has accounts, only with a session.
      const blob = id === null || !d.ctx.hasWorkspace() || !d.mayRead() ? null : documentBlob(d.ctx.ws(), id);
      if (!blob) return new Response('not found', { status: 404, headers: DOC_HEADERS });
      const res = await net.fetch(pathToFileURL(blob.path).toString());
      return new Response(res.body, { headers: { ...DOC_HEADERS, 'Content-Type': blob.mime } });
    });
    const refused = { ok: false, error: { code: 'forbidden', message: '拒绝：请求不是来自审核台页面。' } } as const;
    // The IPC adapter: one channel, the call name and its argument; the dispatcher validates both.
    const fromDesk = (e: IpcEventLike): boolean => isDeskFrame(e, mainWindow, pageUrl);
    ipcMain.handle('desk:call', async (e, name: unknown, args: unknown) => {
      if (!fromDesk(e)) return refused;
      return (await deskReady).dispatch(String(name), args);
    });
    // The file bridge: dialogs, dropped files, show in Explorer — handles only.
    const files = fileBridge({
      files: () => desk.files,
      dialog: dialog as unknown as Parameters<typeof fileBridge>[0]['dialog'],
      shell,
      window: () => mainWindow,
      documentsDir: () => app.getPath('documents'),
    });
    ipcMain.handle('desk:files', async (e, op: unknown, arg: unknown) => {
      if (!fromDesk(e)) return refused;
      await deskReady;
      return files(op, arg);
    });
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
    // The open college is closed cleanly (lock released); it is reopened at the next start.
    desk.close();
    app.quit();
  });
}

/**
 * The Electron window's security settings in one place, so a test can check them without the
 * Electron binary.
 */
export const DOC_SCHEME = 'desk-doc';

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  spellcheck: false,
} as const;

/** CSP of the renderer in Electron: no remote content, no eval, documents only via desk-doc://. */
export const ELECTRON_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' blob: data: ${DOC_SCHEME}:`,
  "font-src 'self' data:",
  `connect-src 'self' ${DOC_SCHEME}:`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * A scan served through desk-doc:// is data, never a page: were it ever opened as a document (a
 * PDF or SVG navigated to), it runs sandboxed with nothing allowed; nosniff keeps its declared type.
 */
export const DOC_HEADERS = {
  'Content-Security-Policy': "sandbox; default-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
} as const;

/** What the shell needs of an IPC event's sender (Electron's WebFrameMain, or a test's stand-in). */
export interface FrameLike {
  url: string;
  parent?: FrameLike | null;
  processId?: number;
  routingId?: number;
}
export interface IpcEventLike {
  sender?: unknown;
  senderFrame?: FrameLike | null;
}
export interface DeskWindowLike {
  webContents: { mainFrame?: FrameLike | null };
}

/**
 * An IPC message is the desk page's only when it comes from the desk window's web contents, from
 * its main frame (not an iframe, whatever the iframe's URL), and that frame shows the desk's own
 * page (file://…/dist/renderer/index.html, not a page navigated to).
 */
export function isDeskFrame(e: IpcEventLike, win: DeskWindowLike | null, pageUrl: string): boolean {
  const frame = e.senderFrame;
  if (!win || !frame || e.sender !== win.webContents) return false;
  const main = win.webContents.mainFrame;
  if (!main || frame.parent != null) return false;
  if (frame !== main && (frame.processId !== main.processId || frame.routingId !== main.routingId)) return false;
  return typeof frame.url === 'string' && frame.url.split('#')[0] === pageUrl;
}

/** Parses desk-doc://doc/<id>; anything else (paths, other hosts) is refused. */
export function parseDocUrl(url: string): number | null {
  const m = /^desk-doc:\/\/doc\/(\d{1,12})$/.exec(url);
  return m ? Number(m[1]) : null;
}

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

/** Parses desk-doc://doc/<id>; anything else (paths, other hosts) is refused. */
export function parseDocUrl(url: string): number | null {
  const m = /^desk-doc:\/\/doc\/(\d{1,12})$/.exec(url);
  return m ? Number(m[1]) : null;
}

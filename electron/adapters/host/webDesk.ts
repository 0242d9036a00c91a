/**
 * The desk behind `npm run web`, as a function (web.ts is its command line; tests start it too):
 * the same desk as the window's — it holds the college's lock, reads scans in the background, and
 * its callers name files only by handle (uploads, desk-made outputs), never by a typed path.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDesk, type Desk } from '../../app/desk.js';
import { documentBlob } from '../../documents/index.js';
import { deskConfig } from '../../platform/index.js';
import { startHost, type Host } from './server.js';

export interface WebDesk {
  desk: Desk;
  host: Host;
  close(): Promise<void>;
}

export const RENDERER_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '../../../dist/renderer');

export interface WebDeskOptions {
  /** A workspace folder to open (else the college open last time, or the start screen). */
  workspace?: string | undefined;
  port?: number | undefined;
  rendererDir?: string | undefined;
  /** Sync with the college's hub in the background (the command line: yes). */
  autoHub?: boolean | undefined;
  /** Where the hub password and sync passphrase come from for a host that syncs on its own. */
  env?: { DESK_HUB_PASSWORD?: string | undefined; DESK_SYNC_PASSPHRASE?: string | undefined } | undefined;
}

/** Opens the desk and serves it; `notice` says why a named workspace could not be opened. */
export async function openWebDesk(opts: WebDeskOptions = {}): Promise<WebDesk | { notice: string }> {
  // The web host has no OS-protected storage: a hub password typed in the page lasts until it stops;
  // DESK_HUB_PASSWORD and DESK_SYNC_PASSPHRASE serve a host that should sync on its own.
  const desk = createDesk(undefined, {
    lock: true,
    backgroundOcr: deskConfig().ocr,
    autoHub: opts.autoHub ?? true,
    services: { env: { password: opts.env?.DESK_HUB_PASSWORD, passphrase: opts.env?.DESK_SYNC_PASSPHRASE } },
    rawPaths: false,
  });
  await desk.colleges.startup({ folder: opts.workspace, reopen: true });
  const notice = desk.colleges.current().notice;
  // A folder named on the command line that cannot be opened (another desk has it) is an answer, not a start screen.
  if (opts.workspace && notice) {
    desk.close();
    return { notice: notice.message };
  }
  const host = await startHost({
    dispatch: desk.dispatch,
    // Scans, uploads and downloads follow the calls' rule: once the college has accounts, a session.
    document: (id) => (desk.mayRead() ? documentBlob(desk.ctx.ws(), id) : null),
    mayTransfer: () => desk.mayRead(),
    rendererDir: opts.rendererDir ?? RENDERER_DIR,
    files: desk.files,
    port: opts.port ?? 0,
  });
  return {
    desk,
    host,
    close: async () => {
      await host.close();
      desk.close();
    },
  };
}

/**
 * One in-process desk: a context, its handlers and the validating dispatcher. Every adapter
 * (Electron IPC, loopback host, CLI, tests) is built on this.
 */
import { createGuard, requireNeed } from './access.js';
import { createDispatcher, type Dispatch } from './dispatch.js';
import { openWorkspace, type OpenOptions, type Workspace } from '../workspace/index.js';
import { createContext, type DeskContext, type DeskServices } from './context.js';
import { deskHome, deviceId } from '../platform/index.js';
import { createHandlers } from './handlers.js';
import { CollegeService } from './colleges.js';
import type { FileRegistry } from './files.js';
import type { ImportProgress } from '../../shared/api/index.js';
import type { OcrSpawner } from '../ocr/index.js';
import { readingAfterImports } from './reading.js';

export interface Desk {
  ctx: DeskContext;
  dispatch: Dispatch;
  /** The file handles of this desk (adapters register what the user picked, dropped or uploaded). */
  files: FileRegistry;
  /** The colleges of this PC and the switch between them (the start screen). */
  colleges: CollegeService;
  /**
   * Whether the caller may read the open college's scans now (the same rule as a 'signedIn'
   * call): the window's desk-doc:// and the web host's /doc, /upload and /download ask it.
   */
  mayRead(): boolean;
  close(): void;
}

export interface DeskOptions extends OpenOptions {
  /**
   * Read the scans in the background (识别中): whenever a college opens and after every import
   * (./reading.ts). The app and the web host ask for it; the CLI never does.
   */
  backgroundOcr?: boolean;
  /**
   * Whether a file argument may be a raw path instead of a handle (default true: the CLI's paths
   * become handles before the call, and tests pass paths). The window and the web host say false:
   * their callers name files only by the handles of what the user chose.
   */
  rawPaths?: boolean;
  /** How the OCR process starts (the Electron shell passes Electron's utility process). */
  ocrSpawner?: OcrSpawner;
  /** Secrets, environment and hub timing (see DeskServices). */
  services?: DeskServices;
  /** Sync with the college's hub every few minutes (the Electron app and the web host). */
  autoHub?: boolean;
}

export function createDesk(workspaceDir?: string, options: DeskOptions = {}): Desk {
  // This installation's id: it claims the workspace it opens (a copy opened here starts a new origin).
  const device = deviceId();
  const ws: Workspace | null = workspaceDir ? openWorkspace(workspaceDir, { ...options, deviceId: device }) : null;
  const ctx = createContext(device, ws, {
    lock: options.lock === true,
    backgroundOcr: options.backgroundOcr === true,
    rawPaths: options.rawPaths ?? true,
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
    ...(options.ocrSpawner ? { ocrSpawner: options.ocrSpawner } : {}),
  }, options.services);
  if (options.autoHub) ctx.hub.start();
  let handlers: ReturnType<typeof createHandlers> | null = null;
  const colleges = new CollegeService(ctx, deskHome, {
    busy: () => handlers !== null && (handlers['import.progress']({}) as ImportProgress).running,
  });
  handlers = createHandlers(ctx, colleges);
  const all = handlers;
  const inner = createDispatcher(() => all, { files: ctx.files, rawPaths: options.rawPaths ?? true, guard: createGuard(ctx) });
  const dispatch = options.backgroundOcr ? readingAfterImports(inner) : inner;
  // A workspace handed in directly (tests, tools) reads too; every college opened later through
  // the college list starts its own queue there.
  if (options.backgroundOcr && ws) void dispatch('ocr.start', {});
  return {
    ctx,
    dispatch,
    files: ctx.files,
    colleges,
    mayRead: () => {
      try {
        requireNeed(ctx, 'signedIn', '查看材料');
        return true;
      } catch {
        return false;
      }
    },
    close: () => {
      ctx.hub.stop();
      ctx.setWorkspace(null);
      ctx.files.dispose();
    },
  };
}

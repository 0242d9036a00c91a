/**
 * One in-process desk: a context, its handlers and the validating dispatcher. Every adapter
 * (Electron IPC, loopback host, CLI, tests) is built on this.
 */
import { createDispatcher, type Dispatch } from './dispatch.js';
import { openWorkspace, type OpenOptions, type Workspace } from '../workspace/index.js';
import { createContext, type DeskContext } from './context.js';
import { deviceId } from '../platform/index.js';
import { createHandlers } from './handlers.js';
import { readingAfterImports } from './reading.js';

export interface Desk {
  ctx: DeskContext;
  dispatch: Dispatch;
  close(): void;
}

export interface DeskOptions extends OpenOptions {
  /**
   * Read the scans in the background (识别中): when the workspace opens and after every import
   * (./reading.ts). The Electron shell and the web host ask for it; the CLI never does (it exits
   * when its one call is done).
   */
  backgroundOcr?: boolean;
}

export function createDesk(workspaceDir?: string, options: DeskOptions = {}): Desk {
  const ws: Workspace | null = workspaceDir ? openWorkspace(workspaceDir, options) : null;
  const ctx = createContext(deviceId(), ws);
  const handlers = createHandlers(ctx);
  const inner = createDispatcher(() => handlers);
  const dispatch = options.backgroundOcr ? readingAfterImports(inner) : inner;
  if (options.backgroundOcr && ws) void dispatch('ocr.start', {});
  return {
    ctx,
    dispatch,
    close: () => ctx.setWorkspace(null),
  };
}

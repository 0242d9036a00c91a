/**
 * One in-process desk: a context, its handlers and the validating dispatcher. Every adapter
 * (Electron IPC, loopback host, CLI, tests) is built on this.
 */
import { createDispatcher, type Dispatch } from './dispatch.js';
import { openWorkspace, type OpenOptions, type Workspace } from '../workspace/index.js';
import { createContext, type DeskContext } from './context.js';
import { deviceId } from '../platform/index.js';
import { createHandlers } from './handlers.js';

export interface Desk {
  ctx: DeskContext;
  dispatch: Dispatch;
  close(): void;
}

export interface DeskOptions extends OpenOptions {
  /**
   * Read the scans in the background (识别中): whenever a workspace is opened and after every
   * import that wrote something, so scans imported while the desk is open are read without a
   * restart. The Electron shell and the web host ask for it; the CLI never does (it exits when its
   * one call is done).
   */
  backgroundOcr?: boolean;
}

export function createDesk(workspaceDir?: string, options: DeskOptions = {}): Desk {
  const { backgroundOcr = false, ...open } = options;
  const ws: Workspace | null = workspaceDir ? openWorkspace(workspaceDir, open) : null;
  // The queue is started through the contract like any other call, so a failure is an envelope, never a crash.
  const startReading = (): void => void inner('ocr.start', {});
  const ctx = createContext(deviceId(), null, backgroundOcr ? { onOpen: startReading } : {});
  const handlers = createHandlers(ctx);
  const inner = createDispatcher(() => handlers);
  const dispatch: Dispatch = backgroundOcr
    ? async (name, args) => {
        const res = await inner(name, args);
        if (res.ok && name === 'import.run' && !isDryRun(args)) startReading();
        return res;
      }
    : inner;
  ctx.setWorkspace(ws);
  return {
    ctx,
    dispatch,
    close: () => ctx.setWorkspace(null),
  };
}

function isDryRun(args: unknown): boolean {
  return typeof args === 'object' && args !== null && (args as { dryRun?: unknown }).dryRun === true;
}

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

export function createDesk(workspaceDir?: string, options: OpenOptions = {}): Desk {
  const ws: Workspace | null = workspaceDir ? openWorkspace(workspaceDir, options) : null;
  const ctx = createContext(deviceId(), ws);
  const handlers = createHandlers(ctx);
  return {
    ctx,
    dispatch: createDispatcher(() => handlers),
    close: () => ctx.setWorkspace(null),
  };
}

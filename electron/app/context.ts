/**
 * What every service handler works on: the open workspace and this installation's identity.
 * The workspace can be switched (the desk opens another college) without recreating adapters.
 */
import { DeskError } from '../../shared/api/index.js';
import type { Workspace } from '../workspace/index.js';

export interface DeskContext {
  deviceId: string;
  /** The open workspace; throws a clear error when none is open. */
  ws(): Workspace;
  setWorkspace(ws: Workspace | null): void;
  hasWorkspace(): boolean;
}

export function createContext(deviceId: string, initial: Workspace | null = null): DeskContext {
  let current = initial;
  return {
    deviceId,
    ws() {
      if (!current) throw new DeskError('no_workspace', '尚未打开工作区。');
      return current;
    },
    setWorkspace(ws) {
      if (current && current !== ws) current.close();
      current = ws;
    },
    hasWorkspace: () => current !== null,
  };
}

/**
 * What every service handler works on: the open workspace and this installation's identity.
 * The workspace can be switched (the desk opens another college) without recreating adapters;
 * the file handles the user chose live here too, so every adapter of one desk shares them.
 */
import { DeskError } from '../../shared/api/index.js';
import { collegeSettings, setCollegeSettings } from '../college/index.js';
import { deskHome, MemorySecretStore, type SecretStore } from '../platform/index.js';
import { HubAutoSync, type HubAutoDeps } from '../sync/index.js';
import type { OcrSpawner } from '../ocr/index.js';
import type { Workspace } from '../workspace/index.js';
import { FileRegistry } from './files.js';

/** How this desk opens colleges (the same for its first one and every switch). */
export interface DeskSettings {
  /** Hold the one-desk-per-workspace lock (the Electron app and the web host). */
  lock: boolean;
  /** Read the scans in the background after a college opens. */
  backgroundOcr: boolean;
  busyTimeoutMs?: number;
  /** How the OCR process starts (unset: child_process.fork; the Electron shell: a utility process). */
  ocrSpawner?: OcrSpawner;
  /**
   * File arguments may be paths (the CLI, which turns its arguments into handles, and tests);
   * false for the window and the web host, whose callers name files only by handle.
   */
  rawPaths?: boolean;
}

export interface DeskContext {
  deviceId: string;
  /** The open workspace; throws a clear error when none is open. */
  ws(): Workspace;
  setWorkspace(ws: Workspace | null): void;
  hasWorkspace(): boolean;
  /** Files and folders chosen by the user, by handle. */
  files: FileRegistry;
  settings: DeskSettings;
  /** This PC's secrets (hub password, sync passphrase): the OS's protected storage in Electron. */
  secrets: SecretStore;
  /** The college hub: automatic sync and its status light. */
  hub: HubAutoSync;
}

/** What the adapters give a desk beyond its settings (all optional: tests and the CLI use defaults). */
export interface DeskServices {
  secrets?: SecretStore;
  /** Hub password and sync passphrase from the environment (web host, CLI). */
  env?: HubAutoDeps['env'];
  hub?: Partial<Pick<HubAutoDeps, 'timer' | 'now' | 'intervalMs' | 'maxBackoffMs' | 'connectTimeoutMs' | 'kdfN'>>;
}

export function createContext(
  deviceId: string, initial: Workspace | null = null, settings: DeskSettings = { lock: false, backgroundOcr: false }, services: DeskServices = {},
): DeskContext {
  let current = initial;
  const secrets = services.secrets ?? new MemorySecretStore();
  const hub = new HubAutoSync({
    ...services.hub,
    deviceId,
    workspace: () => current,
    hubUrl: (ws) => collegeSettings(ws).hubUrl,
    setHubUrl: (ws, url, by) => void setCollegeSettings(ws, deviceId, { hubUrl: url }, by),
    secrets,
    env: services.env,
  });
  return {
    deviceId,
    ws() {
      if (!current) throw new DeskError('no_workspace', '尚未打开学院：请在开始页面新建或打开一个学院。');
      return current;
    },
    setWorkspace(ws) {
      if (current && current !== ws) current.close();
      current = ws;
    },
    hasWorkspace: () => current !== null,
    files: new FileRegistry({ workspaceDir: () => current?.dir ?? null, home: () => deskHome() }),
    settings,
    secrets,
    hub,
  };
}

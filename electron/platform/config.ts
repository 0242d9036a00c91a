/**
 * The desk's configuration, read once at the edge (the Electron shell, the web host, the CLI,
 * tests) and passed in: services never read process.env themselves. `configure` installs it
 * for the process; `deskConfig()` is what the platform modules (home folder, resources, log,
 * native SQLite binding, OCR worker) consult.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SecretProtector } from './keyStore.js';

export interface DeskConfig {
  /** Per-installation folder: device id, logs, the demo college, the recent-colleges list. */
  home: string;
  /** Extra folders searched first for resources (rules, templates, fonts, models). */
  resourceDirs: string[];
  /** better-sqlite3 built for another ABI (Electron's), or undefined for node_modules' build. */
  sqliteBinding: string | undefined;
  /** Background OCR after opening a workspace and after imports. */
  ocr: boolean;
  /** Path of the bundled OCR worker, when not next to the code. */
  ocrWorker: string | undefined;
  /** Write the JSON-lines log. */
  log: boolean;
  /** The packaged app (asar): developer-only switches such as a native binding from the environment are ignored. */
  packaged: boolean;
  /**
   * Where private keys are sealed on this PC: the Electron shell injects the OS's protected
   * storage (safeStorage, DPAPI on Windows); without one, a key file in `home` (platform/keyStore.ts).
   */
  protector?: SecretProtector | undefined;
  /**
   * A secret the caller names by an environment variable (the CLI's --passphrase-env, the hub
   * password's DESK_HUB_PASSWORD): read when needed, and only DESK_* names, so a call cannot make
   * the desk read (and send to a hub address it chose) any other variable of the environment.
   */
  secret: (name: string) => string | undefined;
}

/** The defaults of a plain Node process (tests, CLI), taken from an environment like process.env. */
/** The environment variables a call may name for a secret (shared/api/sync.ts allows no others). */
export const SECRET_NAME = /^DESK_[A-Z0-9_]{1,60}$/;

export function configFromEnv(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): DeskConfig {
  const home = env.DESK_HOME || (platform === 'win32' && env.APPDATA ? join(env.APPDATA, 'zsb-review-desk') : join(homedir(), '.config', 'zsb-review-desk'));
  return {
    home,
    resourceDirs: env.DESK_RESOURCES_DIR ? [env.DESK_RESOURCES_DIR] : [],
    sqliteBinding: env.DESK_SQLITE_BINDING || undefined,
    ocr: env.DESK_OCR !== 'off',
    ocrWorker: env.DESK_OCR_WORKER || undefined,
    log: env.DESK_LOG !== 'off',
    packaged: false,
    secret: (name) => (SECRET_NAME.test(name) ? env[name] : undefined),
  };
}

let current: DeskConfig | null = null;

export function configure(c: DeskConfig): void {
  current = c;
}

/** Back to the environment's defaults (tests that installed their own). */
export function resetConfig(): void {
  current = null;
}

/**
 * The installed configuration. A process that installed none (a test importing a service
 * directly) gets its environment's defaults, read afresh each time so such a test can set them.
 */
export function deskConfig(): DeskConfig {
  return current ?? configFromEnv(process.env);
}

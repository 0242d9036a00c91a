/**
 * Per-installation identity and settings, kept outside any workspace: DESK_HOME, or the user's
 * app-data folder (%APPDATA%\zsb-review-desk on Windows).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { deskConfig } from './config.js';

export function deskHome(): string {
  return deskConfig().home;
}

/** A random id per installation; every decision event records it. */
export function deviceId(): string {
  const dir = deskHome();
  const file = join(dir, 'device-id');
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
  }
  mkdirSync(dir, { recursive: true });
  const id = randomUUID();
  writeFileSync(file, id + '\n');
  return id;
}

/** This computer's network name (e.g. ZSB-OFFICE-02): the first half of a PC's default display name. */
export function computerName(): string {
  try {
    return hostname().trim() || '本机';
  } catch {
    return '本机';
  }
}

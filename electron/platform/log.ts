/**
 * The desk's log: JSON lines in DESK_HOME/logs/desk.log, rotated at about 1 MB keeping five old
 * files. It holds thousands of people's data nearby, so it never records declared values: callers
 * log ids masked with maskId, codes and counts, and every line passes the scrubber below anyway
 * (18-character ID numbers and 11-digit mobile numbers are masked wherever they appear).
 * Logging must never break the desk: a full disk or a locked file loses the line, nothing more.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { maskId, maskPhone } from '../../shared/idcard.js';
import { deskConfig } from './config.js';
import { deskHome } from './device.js';

export const LOG_FILE = 'desk.log';
export const LOG_MAX_BYTES = 1024 * 1024;
export const LOG_KEEP = 5;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Field names whose values are personal data: dropped whole, whatever they hold. */
const PERSONAL_KEYS = /^(name|names|phone|phones|idnumber|idnumbers|id_number|declared|note|value|values|hukou|address|reviewer|password)$/i;

// Digit boundaries only: an ID glued to letters (a file name like `ID430…X.pdf`) is still an ID.
const ID_RE = /(?<!\d)\d{17}[\dXx](?!\d)/g;
/** Old 15-digit ID numbers (first-generation cards), and any other long digit run. */
const LONG_DIGITS_RE = /(?<![\d*])\d{15,}(?!\d)/g;
const PHONE_RE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
/** Full-width digits (０-９, Ｘ) are how a pasted ID number can slip past the ASCII patterns. */
const FULLWIDTH_RE = /[０-９Ｘｘ]{11,}/g;

/** `scheme://user:password@host`: a hub address pasted with its password. */
const URL_PASSWORD_RE = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@]*@/gi;

/** Masks ID numbers, mobile numbers and passwords in addresses anywhere in a string. */
export function scrub(text: string): string {
  return text
    .replace(URL_PASSWORD_RE, '$1***@')
    .replace(FULLWIDTH_RE, (s) => '*'.repeat(s.length))
    .replace(ID_RE, (s) => maskId(s.toUpperCase()))
    .replace(LONG_DIGITS_RE, (s) => maskId(s))
    .replace(PHONE_RE, (s) => maskPhone(s));
}

/** Scrubs a value for logging: personal fields dropped, strings masked, depth and size bounded. */
export function scrubValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return scrub(v.length > 2000 ? v.slice(0, 2000) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return v;
  if (typeof v === 'bigint') return v.toString();
  if (depth >= 4) return '[…]';
  if (Array.isArray(v)) return v.slice(0, 50).map((x) => scrubValue(x, depth + 1));
  if (v instanceof Error) return { error: v.name, message: scrub(v.message), code: (v as { code?: unknown }).code };
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = PERSONAL_KEYS.test(k) ? '[removed]' : scrubValue(x, depth + 1);
    return out;
  }
  return String(v);
}

export function logDir(): string {
  return join(deskHome(), 'logs');
}

function rotateIfFull(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return;
  }
  if (size < LOG_MAX_BYTES) return;
  rmSync(`${file}.${LOG_KEEP}`, { force: true });
  for (let i = LOG_KEEP - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
  renameSync(file, `${file}.1`);
}

/** Appends one JSON line. Never throws. */
export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  try {
    if (!deskConfig().log) return;
    const dir = logDir();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, LOG_FILE);
    rotateIfFull(file);
    const line = JSON.stringify({ t: new Date().toISOString(), level, event: scrub(event), pid: process.pid, ...(scrubValue(fields) as object) });
    appendFileSync(file, line + '\n');
  } catch {
    // A log line is never worth a failed decision or import.
  }
}

/** The last lines of the current log (and the previous file when the current one is short), scrubbed again. */
export function tailLog(lines = 50): string[] {
  const file = join(logDir(), LOG_FILE);
  const read = (f: string): string[] => {
    try {
      return readFileSync(f, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  let all = read(file);
  if (all.length < lines) all = [...read(`${file}.1`), ...all];
  return all.slice(-lines).map(scrub);
}

/**
 * One line per API call, for the dispatcher: the call's name, how long it took and the error code
 * if it failed. Never the arguments or the message (both may carry declared values).
 */
export function logCall(name: string, ms: number, errorCode?: string): void {
  if (errorCode) log(errorCode === 'internal' ? 'error' : 'warn', 'api.call', { call: name, ms: Math.round(ms), error: errorCode });
  else if (ms >= 1000) log('info', 'api.call', { call: name, ms: Math.round(ms) });
}

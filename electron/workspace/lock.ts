/**
 * One desk per workspace: a desk (the Electron app or the web host) holds `desk.lock` in the
 * workspace folder while it has the workspace open, naming the PC, the process and since when. A
 * second desk is refused with that message instead of fighting the first one for the database
 * ("database is locked" on every other write). The CLI takes no lock: its writes wait for the
 * database (a long busy timeout) like any second connection.
 *
 * A lock left by a desk that crashed on this PC is taken over (its process is gone). A lock held
 * by another PC cannot be checked from here; the user may take it over explicitly after making
 * sure that PC is not using the folder.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { DeskError } from '../../shared/api/index.js';
import { chinaMinute } from '../../shared/chinaTime.js';

export const LOCK_FILE = 'desk.lock';

export interface LockHolder {
  host: string;
  pid: number;
  user: string;
  since: string;
  token: string;
}

export interface DeskLock {
  holder: LockHolder;
  release(): void;
}

/** Locks held by desks of this process, by folder (a second desk in the same process is refused too). */
const held = new Map<string, string>();

/** Whether a process of this PC is running (a lock's or a journal's writer). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof h.host !== 'string' || typeof h.pid !== 'number') return null;
    return { host: h.host, pid: h.pid, user: String(h.user ?? ''), since: String(h.since ?? ''), token: String(h.token ?? '') };
  } catch {
    return null;
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

export function describeHolder(h: LockHolder): string {
  return `${h.host}${h.user ? `（${h.user}）` : ''} 上的审核台（进程 ${h.pid}，自 ${Number.isNaN(Date.parse(h.since)) ? h.since : chinaMinute(h.since)} 起）`;
}

/** Takes the desk lock of a workspace folder, or refuses with `workspace_locked` naming the holder. */
export function acquireDeskLock(dir: string, opts: { takeOver?: boolean } = {}): DeskLock {
  const file = join(dir, LOCK_FILE);
  const me: LockHolder = { host: hostname(), pid: process.pid, user: safeUser(), since: new Date().toISOString(), token: randomUUID() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      held.set(file, me.token);
      return {
        holder: me,
        release: () => {
          if (held.get(file) !== me.token) return;
          held.delete(file);
          if (readHolder(file)?.token === me.token) rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readHolder(file);
    const sameProcess = holder !== null && holder.host === me.host && holder.pid === me.pid;
    const stale =
      holder === null || // an unreadable lock file is a crash's leftover, not a holder
      (holder.host === me.host && !sameProcess && !processAlive(holder.pid)) ||
      (sameProcess && !held.has(file)); // ours from a desk of this process that ended without closing
    if (stale || (opts.takeOver && !sameProcess)) {
      rmSync(file, { force: true });
      continue;
    }
    const other = holder as LockHolder;
    throw new DeskError(
      'workspace_locked',
      `此工作区正由 ${describeHolder(other)}打开。同一工作区同时只能由一个审核台使用：请先关闭那边的审核台${other.host === me.host ? '' : '；如果那台电脑已关机或审核台已崩溃，可以选择“接管”'}。`,
      { holder: { host: other.host, pid: other.pid, user: other.user, since: other.since }, sameHost: other.host === me.host },
    );
  }
  throw new DeskError('workspace_locked', '无法取得工作区锁。');
}

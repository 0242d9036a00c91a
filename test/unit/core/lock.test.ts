/**
 * One desk per workspace (issue 15): a second desk is refused with the PC and process that hold
 * the workspace; a crashed desk's lock is taken over; another PC's lock only on request; the CLI
 * takes no lock and its writes wait for the database instead of failing; a network folder is named.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import { DB_FILE, LOCK_FILE, networkLocation } from '../../../electron/workspace/index.js';
import { DeskError } from '../../../shared/api/index.js';
import { workspaceWith, type TestWorkspace } from '../../fixtures/workspace.js';

let t: TestWorkspace | null = null;
const desks: Desk[] = [];
afterEach(() => {
  for (const d of desks.splice(0)) d.close();
  t?.close();
  t = null;
});

function refusal(f: () => unknown): DeskError {
  try {
    f();
  } catch (e) {
    if (e instanceof DeskError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('one desk per workspace', () => {
  it('refuses a second desk, naming the PC and the process, and lets it open once the first closes', async () => {
    t = await workspaceWith(2);
    const dir = t.ws.dir;
    const first = createDesk(dir, { lock: true });
    desks.push(first);
    const e = refusal(() => createDesk(dir, { lock: true }));
    expect(e.code).toBe('workspace_locked');
    expect(e.message).toContain(hostname());
    expect(e.message).toContain(String(process.pid));
    first.close();
    desks.pop();
    desks.push(createDesk(dir, { lock: true }));
  });

  it('takes over the lock of a desk that crashed on this PC, and another PC’s lock only when asked', async () => {
    t = await workspaceWith(1);
    const dir = t.ws.dir;
    // A process id that is not running (the highest pid Linux hands out is below this).
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ host: hostname(), pid: 4_194_999, user: 'x', since: '2024-02-04T08:00:00.000Z', token: 't' }));
    const d = createDesk(dir, { lock: true });
    d.close();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ host: '教务处-电脑2', pid: 4242, user: '张老师', since: '2024-02-04T08:00:00.000Z', token: 't2' }));
    const e = refusal(() => createDesk(dir, { lock: true }));
    expect(e.code).toBe('workspace_locked');
    expect(e.message).toContain('教务处-电脑2');
    expect(e.message).toContain('接管');
    // Since when, on the registrar's wall clock (China time), not the UTC of the lock file.
    expect(e.message).toContain('此工作区正由 教务处-电脑2（张老师） 上的审核台（进程 4242，自 2024-02-04 16:00 起）打开');
    desks.push(createDesk(dir, { lock: true, takeOver: true }));
  });

  it('lets a CLI write wait for another process’s write instead of failing with "database is locked"', async () => {
    t = await workspaceWith(5);
    const id = t.applicants.find((a) => a.category === 'general')!.idNumber;
    const file = join(t.ws.dir, DB_FILE);
    // Another process holds the write lock for a while, then commits.
    const holder = spawn(process.execPath, ['-e', `
      const D = require('better-sqlite3');
      const db = new D(${JSON.stringify(file)});
      db.pragma('busy_timeout = 5000');
      db.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
      db.exec('COMMIT');
      db.close();
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const out: string[] = [];
    const code = await runCli(['decide', '--workspace', t.ws.dir, '--applicant', id, '--decision', 'approve', '--reviewer', '李老师'], (s) => out.push(s), (s) => out.push(s));
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(out.join('\n')).not.toContain('locked');
    expect(code).toBe(0);
  });
});

describe('a workspace on a network drive', () => {
  it('is named as such (UNC paths on Windows), a local folder is not', () => {
    expect(networkLocation('\\\\fileserver\\教务处\\专升本', 'win32')).toContain('fileserver');
    expect(networkLocation('//fileserver/share/ws', 'linux')).toContain('fileserver');
    expect(networkLocation(process.cwd(), 'linux')).toBeNull();
  });
});

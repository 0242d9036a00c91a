/**
 * Issue 19: "killed imports leave orphan scan files forever". A child process imports a list with
 * its scans and is killed after the scans are written and before the rows naming them commit;
 * the next desk to open the college (with its lock) removes exactly the scans that import created
 * — not a scan that was there before and that no row names (an older backup may name it), not the
 * scans of an import that committed, and nothing of a write whose process still runs.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesk } from '../../../electron/app/desk.js';
import { importList } from '../../../electron/applicants/importService.js';
import { openWorkspace } from '../../../electron/workspace/workspace.js';
import { tempDir } from '../../fixtures/tmp.js';
import { csv, HEADER, JPEG, makeZip, PDF, row, validId } from '../import/helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = join(ROOT, 'test-artifacts', `killedImport-${process.pid}.mjs`);
const t = tempDir('desk-orphans-');

beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL('./killedImport.child.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: CHILD, logLevel: 'error',
  });
});
afterAll(() => {
  t.cleanup();
  rmSync(CHILD, { force: true });
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Every scan file of the workspace, by hash (the store's tmp folder aside). */
function scanFiles(wsDir: string): string[] {
  const root = join(wsDir, 'blobs');
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((d) => /^[0-9a-f]{2}$/.test(d)).flatMap((d) => readdirSync(join(root, d)).map((f) => d + f)).sort();
}

function namedScans(wsDir: string): string[] {
  const ws = openWorkspace(wsDir);
  try {
    return (ws.db.prepare('SELECT sha256 FROM blobs ORDER BY sha256').pluck().all() as string[]);
  } finally {
    ws.close();
  }
}

function killedImport(wsDir: string, list: string, attachments: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, wsDir, list, attachments], { cwd: ROOT, env: { ...process.env, DESK_LOG: 'off' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended with ${code}: ${stderr.slice(-2000)}`))));
  });
}

/** Opens the folder as the window and the web host do (a desk with the lock), then closes it. */
async function openWithDesk(wsDir: string): Promise<void> {
  process.env.DESK_HOME = join(t.dir, 'home 张老师');
  process.env.DESK_LOG = 'off';
  const desk = createDesk(undefined, { lock: true });
  try {
    const opened = await desk.dispatch('colleges.open', { folder: wsDir, takeOver: false });
    expect(opened).toMatchObject({ ok: true });
  } finally {
    desk.close();
  }
}

const scan = (kind: 'pdf' | 'jpg', n: number): Buffer => Buffer.concat([kind === 'pdf' ? PDF : JPEG, Buffer.from(`扫描 ${n} `.repeat(50))]);

describe('orphan scans of a killed import (issue 19)', () => {
  for (const source of ['folder', 'zip'] as const) {
    it(`attack: an import of a ${source} killed before its commit leaves scans nothing names; the next open removes exactly those`, async () => {
      const base = join(t.dir, source);
      const wsDir = join(base, '学院');
      const ws = openWorkspace(wsDir, { create: true, college: '测试学院' });
      // An import that committed: its scans stay.
      const list1 = join(base, '名单1.csv');
      writeFileSync(list1, csv([HEADER, row(1)]));
      const committed = join(base, '附件1');
      mkdirSync(committed, { recursive: true });
      writeFileSync(join(committed, `${validId(1)}_毕业证.pdf`), scan('pdf', 1));
      await importList(ws, { listPath: list1, attachmentsPath: committed });
      // A scan on disk that no row names (as one only an older backup names would be).
      const kept = scan('jpg', 99);
      mkdirSync(join(wsDir, 'blobs', sha(kept).slice(0, 2)), { recursive: true });
      writeFileSync(join(wsDir, 'blobs', sha(kept).slice(0, 2), sha(kept).slice(2)), kept);
      ws.close();

      const list = join(base, '名单2.csv');
      writeFileSync(list, csv([HEADER, row(1), row(2), row(3)]));
      const files: { name: string; data: Buffer }[] = [
        { name: `${validId(2)}_毕业证.pdf`, data: scan('pdf', 2) },
        { name: `${validId(2)}_身份证.jpg`, data: scan('jpg', 3) },
        { name: `${validId(3)}_毕业证.pdf`, data: scan('pdf', 4) },
        // The same bytes as the unnamed scan already there: not this import's to remove.
        { name: `${validId(3)}_身份证.jpg`, data: kept },
      ];
      let attachments = join(base, '附件2');
      if (source === 'zip') {
        attachments = join(base, '附件2.zip');
        writeFileSync(attachments, makeZip(files.map((f) => ({ name: f.name, data: f.data, deflate: true }))));
      } else {
        mkdirSync(attachments, { recursive: true });
        for (const f of files) writeFileSync(join(attachments, f.name), f.data);
      }
      const before = scanFiles(wsDir);
      await killedImport(wsDir, list, attachments);

      const orphans = [scan('pdf', 2), scan('jpg', 3), scan('pdf', 4)].map(sha).sort();
      // The attack: the scans are on disk and nothing names them.
      expect(scanFiles(wsDir)).toEqual([...before, ...orphans].sort());
      expect(namedScans(wsDir)).toEqual([sha(scan('pdf', 1))]);

      await openWithDesk(wsDir);
      expect(scanFiles(wsDir)).toEqual(before);
      expect(scanFiles(wsDir)).toContain(sha(kept));
      expect(readdirSync(join(wsDir, 'blobs', 'tmp')).filter((f) => !f.endsWith('.part'))).toEqual([]);
    });
  }

  it('leaves the scans of a write whose process still runs (the CLI imports without the lock)', async () => {
    const wsDir = join(t.dir, 'live', '学院');
    openWorkspace(wsDir, { create: true, college: '测试学院' }).close();
    const data = scan('pdf', 7);
    const h = sha(data);
    mkdirSync(join(wsDir, 'blobs', h.slice(0, 2)), { recursive: true });
    writeFileSync(join(wsDir, 'blobs', h.slice(0, 2), h.slice(2)), data);
    mkdirSync(join(wsDir, 'blobs', 'tmp'), { recursive: true });
    // The journal of an import in another process that is running now (this test's parent).
    const journal = join(wsDir, 'blobs', 'tmp', 'cli-import.writing');
    writeFileSync(journal, `${JSON.stringify({ pid: process.ppid, host: hostname(), since: new Date().toISOString() })}\n${h}\n`);
    await openWithDesk(wsDir);
    expect(scanFiles(wsDir)).toEqual([h]);
    expect(existsSync(journal)).toBe(true);
  });
});

/**
 * Folder sync figures (issue 14): what one visit to the sync folder writes and how long it takes,
 * with nothing new, with 10 new decisions and with 300 new scans — against `cp` of the new bytes
 * (the least any exchange through a folder can cost) and against the single full bundle each
 * visit used to write. Two PCs of a college of N applicants whose 300 scans both already have.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importList } from '../electron/applicants/importService.js';
import { recordDecision } from '../electron/review/decisions.js';
import { syncWithFolder } from '../electron/sync/folderSync.js';
import { buildBundle } from '../electron/sync/syncService.js';
import { cloneWorkspace } from '../electron/sync/syncService.js';
import { openWorkspace, type Workspace } from '../electron/workspace/workspace.js';
import { applicantFor, listCsv } from '../test/fixtures/workspace.js';
import type { BenchContext, BenchRecord } from './types.js';

const PW = 'bench-passphrase';
const SCANS = 300;
const SCAN_BYTES = 100 * 1024;

/** Phone-photo-sized scans that do not compress (as JPEGs do not): JPEG magic + random bytes. */
function scanFolder(dir: string, ids: readonly string[], tag: string): number {
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  ids.forEach((id, i) => {
    const data = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(SCAN_BYTES - 4)]);
    writeFileSync(join(dir, `${id}_${tag}${i}.jpg`), data);
    bytes += data.length;
  });
  return bytes;
}

function files(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of readdirSync(dir, { recursive: true }) as string[]) {
    const st = statSync(join(dir, n));
    if (st.isFile()) out.set(n, st.mtimeMs);
  }
  return out;
}

/**
 * `cp` of exactly the files a visit wrote, into an empty folder: the floor for moving those bytes.
 * With `durable`, followed by `sync -f` (what a visit does too: every file reaches the disk
 * before its name appears, so a pulled stick never leaves a torn file under a real name).
 */
function cpMs(folder: string, written: string[], into: string, durable = false): number {
  mkdirSync(into, { recursive: true });
  const t = performance.now();
  if (written.length > 0) execFileSync('cp', [...written.map((n) => join(folder, n)), into]);
  if (durable && written.length > 0) execFileSync('sync', ['-f', into]);
  return performance.now() - t;
}

export default async function run(ctx: BenchContext): Promise<BenchRecord[]> {
  const n = ctx.applicants;
  const people = Array.from({ length: n }, (_, i) => applicantFor(i));
  const list = join(ctx.tmp, '名单.csv');
  writeFileSync(list, listCsv(people));
  const a = openWorkspace(join(ctx.tmp, 'pc-a'), { create: true, college: '湖南测试职业技术学院' });
  const scanIds = people.slice(0, SCANS).map((p) => p.idNumber);
  scanFolder(join(ctx.tmp, 'att0'), scanIds, '毕业证');
  await importList(a, { listPath: list, attachmentsPath: join(ctx.tmp, 'att0'), refreshChecks: false });
  cloneWorkspace(a, join(ctx.tmp, 'pc-b'), false);
  const b = openWorkspace(join(ctx.tmp, 'pc-b'));
  const folder = join(ctx.tmp, 'U盘');
  const opts = { passphrase: PW, deviceId: 'bench' };
  const out: BenchRecord[] = [];
  try {
    await syncWithFolder(a, folder, opts);
    await syncWithFolder(b, folder, opts);
    await syncWithFolder(a, folder, opts);

    // What every visit used to write: one full bundle (all events, all scans).
    const t = performance.now();
    const full = buildBundle(a, 'bench', { noScans: false, passphrase: PW });
    const fullMs = performance.now() - t;

    const visit = async (ws: Workspace): Promise<{ ms: number; written: string[]; bytes: number; read: number }> => {
      const before = files(folder);
      const t0 = performance.now();
      const r = await syncWithFolder(ws, folder, opts);
      const ms = performance.now() - t0;
      const after = files(folder);
      const written = [...after].filter(([k, m]) => before.get(k) !== m).map(([k]) => k);
      return { ms, written, bytes: r.written.bytes, read: r.read.bytes };
    };

    // 1. Nothing new: nothing written, nothing but listings read.
    const idle = await visit(a);
    out.push({
      name: 'sync.folder.visit.nothingNew.bytesWritten', value: idle.bytes, unit: 'bytes', baseline: { name: 'full bundle per visit (before)', value: full.bytes.length },
      ratio: idle.bytes / full.bytes.length, goal: '0 bytes', met: idle.bytes === 0,
    });
    out.push({ name: 'sync.folder.visit.nothingNew.ms', value: idle.ms, unit: 'ms', baseline: { name: 'cutting the full bundle (before)', value: fullMs }, ratio: idle.ms / fullMs });

    // 2. Ten new decisions on A: one small segment and the watermark.
    for (let i = 0; i < 10; i++) recordDecision(a, 'bench', { idNumber: people[i]!.idNumber, decision: 'approve', reasons: [], note: '材料已核对', reviewer: '张老师' });
    const ten = await visit(a);
    const tenCp = cpMs(folder, ten.written, join(ctx.tmp, 'cp-ten'));
    const tenRaw = ten.written.reduce((s, f) => s + statSync(join(folder, f)).size, 0);
    out.push({
      name: 'sync.folder.visit.10decisions.bytesWritten', value: ten.bytes, unit: 'bytes', baseline: { name: 'full bundle per visit (before)', value: full.bytes.length },
      ratio: ten.bytes / full.bytes.length, notes: `${ten.written.length} files`,
    });
    out.push({ name: 'sync.folder.visit.10decisions.ms', value: ten.ms, unit: 'ms', baseline: { name: 'cp of the new files', value: tenCp }, ratio: ten.ms / Math.max(tenCp, 0.001) });
    const tenRead = await visit(b);
    out.push({ name: 'sync.folder.read.10decisions.bytes', value: tenRead.read, unit: 'bytes', baseline: { name: 'bytes written by A', value: tenRaw }, ratio: tenRead.read / Math.max(tenRaw, 1) });

    // 3. 300 new scans imported on A: each written once, read once by B (its documents wait for them).
    const raw = scanFolder(join(ctx.tmp, 'att1'), scanIds, '退役证');
    await importList(a, { listPath: list, attachmentsPath: join(ctx.tmp, 'att1'), refreshChecks: false });
    const scans = await visit(a);
    const scansCp = cpMs(folder, scans.written, join(ctx.tmp, 'cp-scans'));
    const scansCpSync = cpMs(folder, scans.written, join(ctx.tmp, 'cp-scans-sync'), true);
    out.push({
      name: 'sync.folder.visit.300scans.bytesWritten', value: scans.bytes, unit: 'bytes', baseline: { name: 'the scans themselves', value: raw },
      ratio: scans.bytes / raw, goal: '≤ 1.05× the scans', met: scans.bytes <= raw * 1.05, notes: `${scans.written.length} files`,
    });
    out.push({
      name: 'sync.folder.visit.300scans.ms', value: scans.ms, unit: 'ms', baseline: { name: 'cp of the new files', value: scansCp }, ratio: scans.ms / Math.max(scansCp, 0.001),
      notes: 'encrypt + sign each file, write .part, fsync, rename',
    });
    out.push({
      name: 'sync.folder.visit.300scans.vsDurableCp', value: scans.ms, unit: 'ms', baseline: { name: 'cp + sync -f of the new files', value: scansCpSync },
      ratio: scans.ms / Math.max(scansCpSync, 0.001),
    });
    const scansRead = await visit(b);
    out.push({ name: 'sync.folder.read.300scans.ms', value: scansRead.ms, unit: 'ms', baseline: { name: 'cp of the same files', value: scansCp }, ratio: scansRead.ms / Math.max(scansCp, 0.001), notes: `${scansRead.read} bytes read` });
    const again = await visit(b);
    out.push({ name: 'sync.folder.visit.afterwards.bytesWritten', value: again.bytes, unit: 'bytes', goal: '0 bytes', met: again.bytes === 0 });
    return out;
  } finally {
    a.close();
    b.close();
  }
}

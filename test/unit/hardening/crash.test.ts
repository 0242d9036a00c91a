/**
 * Crash safety: a child process works on a real workspace through the API and is SIGKILLed at
 * seeded points (a number of acknowledged calls, then a short delay, so the kill lands anywhere:
 * mid-transaction, mid-backup, mid-parse). After every kill the workspace must open, pass
 * `PRAGMA integrity_check`, hold every decision the API acknowledged, and show exactly one list
 * (the last acknowledged import or the one in flight), never a mix. The same workspace takes all
 * the kills of a run, as a PC that loses power again and again would.
 * Default: 6 kill points each for decisions, imports and sync imports; DESK_LONG=1: 40 each.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesk } from '../../../electron/app/desk.js';
import { openSqlite } from '../../../electron/workspace/sqlite.js';
import { openWorkspace } from '../../../electron/workspace/workspace.js';
import { tempDir } from '../../fixtures/tmp.js';
import { writeList } from './lists.js';

const LONG = process.env.DESK_LONG === '1';
const KILLS = LONG ? 40 : 6;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * The child, bundled once (packages stay external, so it loads the same better-sqlite3): tsx
 * would transpile the whole tree again for every kill point, seconds each on a busy machine.
 */
const CHILD = join(ROOT, 'test-artifacts', `crashChild-${process.pid}.mjs`);

/** Deterministic per-seed numbers for where to kill (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface KillRun {
  lines: string[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs the child until `shouldKill(lines)` says so, then waits `delayMs` and SIGKILLs it. With
 * `until`, the kill waits instead for a condition the parent polls (e.g. a commit it can see in
 * the database), so a chosen side of the commit is hit for certain, not by timing.
 */
function runAndKill(
  args: string[], env: NodeJS.ProcessEnv, shouldKill: (lines: string[]) => boolean, delayMs: number, until?: () => boolean,
): Promise<KillRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    let armed = false;
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (!armed && shouldKill(lines)) {
        armed = true;
        if (!until) setTimeout(() => child.kill('SIGKILL'), delayMs);
        else {
          const poll = setInterval(() => {
            if (!until()) return;
            clearInterval(poll);
            child.kill('SIGKILL');
          }, 2);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (code ${code}): ${stderr.slice(-2000)}`));
      else resolve({ lines, signal, stderr });
    });
  });
}

function integrity(wsDir: string): string[] {
  const ws = openWorkspace(wsDir);
  try {
    const rows = ws.db.pragma('integrity_check') as { integrity_check: string }[];
    const fk = ws.db.pragma('foreign_key_check') as unknown[];
    return [...rows.map((r) => r.integrity_check), ...fk.map((f) => `fk ${JSON.stringify(f)}`)];
  } finally {
    ws.close();
  }
}

/** The list a workspace shows: its active applicants with the declared values that differ between A and B. */
function activeList(wsDir: string): string {
  const ws = openWorkspace(wsDir);
  try {
    const rows = ws.db.prepare('SELECT id_number, name, phone, school FROM applicants WHERE withdrawn = 0 ORDER BY id_number').all();
    return JSON.stringify(rows);
  } finally {
    ws.close();
  }
}

let root = '';
let cleanup = (): void => undefined;
const env = (): NodeJS.ProcessEnv => ({ ...process.env, DESK_HOME: join(root, 'home 张老师'), DESK_LOG: 'off' });

beforeAll(async () => {
  const t = tempDir('desk-crash-');
  root = t.dir;
  cleanup = t.cleanup;
  await build({
    entryPoints: [fileURLToPath(new URL('./crashChild.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: CHILD, logLevel: 'error',
  });
});
afterAll(() => {
  cleanup();
  rmSync(CHILD, { force: true });
});

describe('crash safety (SIGKILL at seeded points)', () => {
  it(`keeps every acknowledged decision over ${KILLS} kills, and the database intact`, async () => {
    const wsDir = join(root, '工作区 决定');
    process.env.DESK_HOME = env().DESK_HOME;
    const desk = createDesk(wsDir, { create: true, college: '测试学院' });
    const imported = await desk.dispatch('import.run', { listPath: writeList(join(root, '名单 A.csv'), 200, 0) });
    desk.close();
    expect(imported.ok).toBe(true);

    const acked = new Set<string>();
    for (let k = 0; k < KILLS; k++) {
      const seed = 7000 + k;
      const r = rng(seed);
      const acks = 1 + Math.floor(r() * 40);
      const delay = Math.floor(r() * 6);
      const run = await runAndKill(['decide', wsDir, String(seed)], env(), (lines) => lines.filter((l) => l.startsWith('ACK ')).length >= acks, delay);
      for (const l of run.lines) if (l.startsWith('ACK ')) acked.add(l.slice(4));
      expect(integrity(wsDir), `seed ${seed}`).toEqual(['ok']);
      const ws = openWorkspace(wsDir);
      const stored = new Set((ws.db.prepare('SELECT id FROM decision_events').all() as { id: string }[]).map((e) => e.id));
      ws.close();
      const lost = [...acked].filter((id) => !stored.has(id));
      expect(lost, `seed ${seed}: acknowledged decisions lost`).toEqual([]);
    }
    expect(acked.size).toBeGreaterThanOrEqual(KILLS);
  }, KILLS * 30_000);

  it(`leaves the old list or the new one, never a mix, over ${KILLS} kills during imports`, async () => {
    const wsDir = join(root, '工作区 导入');
    process.env.DESK_HOME = env().DESK_HOME;
    const listA = writeList(join(root, '名单 A（一）.csv'), 1500, 0);
    const listB = writeList(join(root, '名单 B（二）.csv'), 1500, 1);
    // The two states to tell apart, from an uninterrupted run.
    const desk = createDesk(wsDir, { create: true, college: '测试学院' });
    const states: string[] = [];
    for (const list of [listA, listB]) {
      const res = await desk.dispatch('import.run', { listPath: list });
      expect(res.ok).toBe(true);
      desk.close();
      states.push(activeList(wsDir));
      desk.ctx.setWorkspace(openWorkspace(wsDir));
    }
    desk.close();
    expect(states[0]).not.toBe(states[1]);
    let current = 1; // B is in place; the child imports A, B, A, …
    const hit = { old: 0, new: 0 };
    const importsSoFar = (): number => {
      const db = openSqlite(join(wsDir, 'desk.sqlite'), { readonly: true, fileMustExist: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM imports').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    for (let k = 0; k < KILLS; k++) {
      const seed = 9000 + k;
      const r = rng(seed);
      const order = current === 1 ? [listA, listB] : [listB, listA];
      let run: KillRun;
      if (k === 0) {
        // Certainly before the first import commits: at its start.
        run = await runAndKill(['import', wsDir, String(seed), ...order], env(), (ls) => ls.some((l) => l.startsWith('BEGIN')), 0);
      } else if (k === 1) {
        // Certainly after it commits and before it is acknowledged (the checks run in between).
        const before = importsSoFar();
        run = await runAndKill(['import', wsDir, String(seed), ...order], env(), (ls) => ls.some((l) => l.startsWith('BEGIN')), 0, () => importsSoFar() > before);
      } else {
        // Killed some time into the n-th import: anywhere from reading the file to after its commit.
        const begins = 1 + Math.floor(r() * 2);
        const delay = Math.floor(r() * 1500);
        run = await runAndKill(['import', wsDir, String(seed), ...order], env(), (ls) => ls.filter((l) => l.startsWith('BEGIN')).length >= begins, delay);
      }
      // Which list was acknowledged last, and which one was in flight.
      let acked = current;
      let inFlight: number | null = null;
      for (const l of run.lines) {
        const m = /^(BEGIN|ACK) (\d)$/.exec(l);
        if (!m) continue;
        const list = order[Number(m[2])] === listA ? 0 : 1;
        if (m[1] === 'BEGIN') inFlight = list;
        else {
          acked = list;
          inFlight = null;
        }
      }
      expect(integrity(wsDir), `seed ${seed}`).toEqual(['ok']);
      const now = states.indexOf(activeList(wsDir));
      expect(now, `seed ${seed}: the list is a mix of A and B`).toBeGreaterThanOrEqual(0);
      const allowed = inFlight === null ? [acked] : [acked, inFlight];
      expect(allowed, `seed ${seed}: list ${now} after acked ${acked}, in flight ${inFlight}`).toContain(now);
      if (now === acked) hit.old++;
      else hit.new++;
      current = now;
    }
    // Leftovers of killed backups are cleaned by the next backup's rotation, never listed.
    const names = readdirSync(join(wsDir, 'backups'));
    expect(names.filter((n) => n.endsWith('.sqlite')).length).toBeGreaterThan(0);
    // Both sides of the commit were hit (the first two kills are placed there for certain).
    expect(hit.old, 'no kill left the previous list').toBeGreaterThan(0);
    expect(hit.new, 'no kill left the list in flight').toBeGreaterThan(0);
    console.info(`import kills: ${hit.old} left the previous list, ${hit.new} the one in flight`);
  }, KILLS * 30_000);

  it(`merges a sync bundle wholly or not at all, over ${KILLS} kills during sync imports`, async () => {
    process.env.DESK_HOME = env().DESK_HOME;
    const w1 = join(root, '工作区 同步 甲');
    const w2 = join(root, '工作区 同步 乙');
    const passphrase = '同步 口令 2026';
    const first = createDesk(w1, { create: true, college: '测试学院' });
    expect((await first.dispatch('import.run', { listPath: writeList(join(root, '名单 同步.csv'), 300, 0) })).ok).toBe(true);
    const cloned = await first.dispatch('workspace.clone', { out: w2 });
    first.close();
    expect(cloned.ok, cloned.ok ? '' : cloned.error.message).toBe(true);
    const w2Id = (cloned as { value: { workspaceId: string } }).value.workspaceId;
    const idsOf = (dir: string): Set<string> => {
      const ws = openWorkspace(dir);
      try {
        return new Set((ws.db.prepare('SELECT id FROM decision_events WHERE origin = ?').all(w2Id) as { id: string }[]).map((r) => r.id));
      } finally {
        ws.close();
      }
    };
    const seen = { none: 0, all: 0 };
    for (let k = 0; k < KILLS; k++) {
      const seed = 11_000 + k;
      const r = rng(seed);
      // New decisions on the second PC, carried to the first in one bundle.
      const second = createDesk(w2);
      const people = (await second.dispatch('applicants.list', {})) as { ok: true; value: { idNumber: string }[] };
      for (let i = 0; i < 150; i++) {
        const a = people.value[Math.floor(r() * people.value.length)]!;
        // A note: the clone carries the first PC's findings, and an approval over an error-level one needs it.
        const res = await second.dispatch('decisions.record', { idNumber: a.idNumber, decision: 'approve', note: '已核实', reviewer: '王老师' });
        expect(res.ok, res.ok ? '' : res.error.message).toBe(true);
      }
      const bundle = join(root, `同步包 ${k}.zsb`);
      const exported = await second.dispatch('sync.export', { out: bundle, passphrase });
      second.close();
      expect(exported.ok, exported.ok ? '' : exported.error.message).toBe(true);
      const all = idsOf(w2);
      const before = idsOf(w1);
      // The first kill lands before the merge can commit, the second after it was acknowledged;
      // the others anywhere.
      const delay = k === 0 ? 0 : Math.floor(r() * 700);
      const run = k === 1
        ? await runAndKill(['sync', w1, String(seed), bundle], env(), (ls) => ls.some((l) => l.startsWith('ACK ')), 0)
        : await runAndKill(['sync', w1, String(seed), bundle], env(), (ls) => ls[0]?.startsWith('READY') === true, delay);
      expect(integrity(w1), `seed ${seed}`).toEqual(['ok']);
      const after = idsOf(w1);
      const acked = run.lines.some((l) => l.startsWith('ACK '));
      const complete = [...all].every((id) => after.has(id));
      const untouched = after.size === before.size && [...before].every((id) => after.has(id));
      expect(complete || untouched, `seed ${seed}: a partly merged bundle (${after.size - before.size} of ${all.size - before.size})`).toBe(true);
      if (acked) expect(complete, `seed ${seed}: acknowledged sync import lost`).toBe(true);
      if (complete) seen.all++;
      else seen.none++;
    }
    expect(seen.none, 'no kill landed before a merge committed').toBeGreaterThan(0);
    expect(seen.all, 'no kill landed after a merge committed').toBeGreaterThan(0);
    console.info(`sync kills: ${seen.none} before the merge committed, ${seen.all} after`);
  }, KILLS * 40_000);
});

/** Simulated PCs of one college: real workspaces in temp folders, applicants written directly. */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { cloneWorkspace } from '../../../electron/sync/syncService.js';
import { allStates } from '../../../electron/review/state.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'desk-'));
}

export const idOf = (i: number): string => `4301${String(100000 + i).padStart(13, '0')}X`.slice(0, 18);

export function seedWorkspace(dir: string, applicants: number, college = '湖南测试职业技术学院'): Workspace {
  const ws = openWorkspace(dir, { create: true, college });
  // As if from a list event (version_hlc set): these tests are about decisions, not about the
  // baseline an upgraded desk makes of a list imported before list events (listSync.test.ts is).
  const ins = ws.db.prepare(
    `INSERT INTO applicants (id_number, row_no, name, category, import_id, updated_at, version_hlc)
     VALUES (?, ?, ?, ?, 'seed', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z-0000-0000000000000000')`,
  );
  const cats = ['veteran', 'competition', 'craftsman', 'poverty', 'general'];
  ws.db.transaction(() => {
    for (let i = 0; i < applicants; i++) ins.run(idOf(i), i + 1, `考生${i}`, cats[i % cats.length]);
  })();
  return ws;
}

/** N PCs: the first seeded, the others cloned from it (same college, own workspace ids). */
export function college(n: number, applicants: number, noScans = false): Workspace[] {
  const root = tempDir();
  const first = seedWorkspace(join(root, 'pc0'), applicants);
  const out = [first];
  for (let i = 1; i < n; i++) {
    cloneWorkspace(first, join(root, `pc${i}`), noScans);
    out.push(openWorkspace(join(root, `pc${i}`)));
  }
  return out;
}

/** A hash of everything a refused import must not touch. */
export function dumpHash(ws: Workspace): string {
  const h = createHash('sha256');
  const tables = (ws.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  for (const t of tables) {
    h.update(`#${t}\n`);
    const rows = (ws.db.prepare(`SELECT * FROM ${t}`).raw().all() as unknown[][]).map((r) => JSON.stringify(r)).sort();
    for (const r of rows) h.update(r + '\n');
  }
  return h.digest('hex');
}

/** The converged state to compare across PCs: current decisions, conflicts, event ids. */
export function stateOf(ws: Workspace): { current: string[]; conflicts: string[]; events: string[] } {
  const states = [...allStates(ws)].sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    current: states.filter(([, s]) => s.current).map(([id, s]) => `${id}:${s.decision}:${s.current?.id}`),
    conflicts: states.filter(([, s]) => s.conflict).map(([id]) => id),
    events: (ws.db.prepare('SELECT id FROM decision_events ORDER BY id').all() as { id: string }[]).map((r) => r.id),
  };
}

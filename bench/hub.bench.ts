/**
 * Hub figures (issue 18): 10,000 decisions made on 4 PCs of one college (2,500 each, on different
 * applicants), then the time until every PC has all of them — through the college's PostgreSQL
 * hub, and the same through the file bundles of a shared sync folder (the baseline), in the same
 * run on the same machine. Each way starts from a fresh college of 4 PCs with N applicants and
 * converges by rounds of visits, PC after PC, until each PC holds every event (normally two
 * rounds: the first pushes, the last PC of it already has everything, the second pulls).
 * The PostgreSQL cluster is a throw-away one on 127.0.0.1 (test/fixtures/pgCluster.ts), so the
 * hub figure has no network latency in it: on a LAN add one round trip per query.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { statusSummary } from '../electron/review/decisions.js';
import { appendEvents } from '../electron/sync/log.js';
import { syncWithFolder, type FolderSyncOptions } from '../electron/sync/folderSync.js';
import { initHub, syncWithHub } from '../electron/sync/hub.js';
import type { Workspace } from '../electron/workspace/workspace.js';
import { startCluster } from '../test/fixtures/pgCluster.js';
import { college, idOf, tempDir } from '../test/unit/sync/helpers.js';
import type { BenchContext, BenchRecord } from './types.js';

const PW = 'bench-passphrase';
const PCS = 4;
const MAX_ROUNDS = 4;

/** Each PC decides its own quarter of the applicants. */
function decideQuarter(pcs: readonly Workspace[], n: number): void {
  const decisions = ['approve', 'reject', 'return'] as const;
  pcs.forEach((ws, p) => {
    const drafts = [];
    for (let i = p; i < n; i += PCS) {
      const decision = decisions[i % 3] ?? 'approve';
      drafts.push({ kind: 'decision' as const, idNumber: idOf(i), decision, reasons: decision === 'approve' ? [] : ['blurry'], note: '', reviewer: `老师${p}` });
    }
    appendEvents(ws, `bench-pc${p}`, drafts);
  });
}

/** How many applicants this PC sees decided (each was decided on exactly one PC, so no conflicts). */
const decided = (ws: Workspace): number => {
  const s = statusSummary(ws);
  return s.total - s.byDecision.pending;
};

/** Rounds of visits until every PC holds all n decisions; returns the time the visits took and how many. */
async function converge(pcs: readonly Workspace[], n: number, visit: (ws: Workspace, opts: FolderSyncOptions) => Promise<unknown>): Promise<{ ms: number; rounds: number; visits: number }> {
  let ms = 0;
  let rounds = 0;
  let visits = 0;
  // Only the visits are timed, not the check between rounds.
  while (!pcs.every((ws) => decided(ws) === n)) {
    if (++rounds > MAX_ROUNDS) throw new Error(`not converged after ${MAX_ROUNDS} rounds: ${pcs.map(decided).join(', ')} of ${n}`);
    const t = performance.now();
    for (const [p, ws] of pcs.entries()) {
      await visit(ws, { passphrase: PW, deviceId: `bench-pc${p}` });
      visits++;
    }
    ms += performance.now() - t;
  }
  return { ms, rounds, visits };
}

export default async function run(ctx: BenchContext): Promise<BenchRecord[]> {
  const n = ctx.applicants;
  const cluster = await startCluster();
  const opened: Workspace[] = [];
  try {
    const url = await cluster.createDatabase('bench_hub');
    await initHub(url);
    const viaHub = college(PCS, n, true);
    opened.push(...viaHub);
    decideQuarter(viaHub, n);
    const hub = await converge(viaHub, n, (ws, o) => syncWithHub(ws, url, o));

    const folder = join(tempDir(), 'sync-folder');
    mkdirSync(folder, { recursive: true });
    const viaFolder = college(PCS, n, true);
    opened.push(...viaFolder);
    decideQuarter(viaFolder, n);
    const files = await converge(viaFolder, n, (ws, o) => syncWithFolder(ws, folder, o));

    const [size] = await cluster.admin<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes', [], 'bench_hub');
    return [
      {
        name: `hub.converge.${n}decisions.${PCS}pcs`,
        value: hub.ms,
        unit: 'ms',
        baseline: { name: `folder bundles (${files.rounds} rounds, ${files.visits} visits)`, value: files.ms },
        ratio: hub.ms / files.ms,
        notes: `${hub.rounds} rounds, ${hub.visits} visits to the hub on 127.0.0.1; each PC decided ${n / PCS}`,
      },
      { name: `folder.converge.${n}decisions.${PCS}pcs`, value: files.ms, unit: 'ms', notes: `${files.rounds} rounds, ${files.visits} visits to a local sync folder` },
      { name: 'hub.database.bytes', value: Number(size?.bytes ?? 0), unit: 'bytes', notes: 'pg_database_size of the hub after converging (sealed segments and states)' },
    ];
  } finally {
    for (const ws of opened) ws.close();
    cluster.destroy();
  }
}

/**
 * The sync promise with restores (issue 14), as a seeded, bounded property: four PCs make random
 * decisions, undos, rulings and corrected-list imports, take backups and restore them at random
 * (and decide again at once, which is what used to reuse sequence numbers and fork the college),
 * and exchange bundles cut at random moments (full or incremental), delivered in random order,
 * stale, duplicated or never. After a final exchange every PC has the same events, the same list,
 * the same decisions and conflicts; no fork ever happened and every chain is whole.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildBundle, mergeBundle } from '../../../electron/sync/syncService.js';
import { collegeOf } from '../../fixtures/workspace.js';
import { attemptAllowing, expectConverged, firstBackups, playLocal, type LocalAction } from './convergence.js';

const PW = 'pw';
const KDF_N = 1024;
const PCS = 4;
const APPS = 3;

type Action = LocalAction | { t: 'cut'; from: number; to: number; incremental: boolean } | { t: 'deliver'; pick: number };

const pc = fc.nat(PCS - 1);
const app = fc.nat(APPS - 1);
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('decide' as const), pc, app, decision: fc.constantFrom('approve' as const, 'reject' as const, 'return' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('undo' as const), pc, app }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('resolve' as const), pc, app }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('list' as const), pc, app, version: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('backup' as const), pc }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('restore' as const), pc, pick: fc.nat(100), app }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('cut' as const), from: pc, to: pc, incremental: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('deliver' as const), pick: fc.nat(1000) }) },
);

/** Refusals the desk is allowed to give during the random run (they are the policy working). */
const attempt = attemptAllowing(new Set(['conflict_open', 'nothing_to_undo', 'no_conflict', 'undo_reopens_conflict']));

describe('convergence of four PCs with restores', () => {
  it('every PC ends with the same events, list, decisions and conflicts, and nothing ever forks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 20, maxLength: 50 }), async (actions) => {
        const c = await collegeOf(PCS, APPS);
        const pcs = c.pcs;
        // Every PC has a backup from the start, so every restore goes back before something.
        const backups = firstBackups(pcs);
        try {
          const pool: { to: number; bytes: Buffer }[] = [];
          for (const a of actions) {
            if (a.t === 'cut') {
              const from = pcs[a.from];
              const to = pcs[a.to];
              if (from && to && a.from !== a.to) {
                pool.push({ to: a.to, bytes: buildBundle(from, 'dev', { peer: a.incremental ? to.workspaceId : undefined, noScans: true, passphrase: PW, kdfN: KDF_N }).bytes });
              }
            } else if (a.t === 'deliver') {
              if (pool.length === 0) continue;
              // Any number of times, in any order, stale (cut before a restore) or never.
              const b = pool[a.pick % pool.length];
              const to = b ? pcs[b.to] : undefined;
              if (b && to) expect(mergeBundle(to, b.bytes, PW).forks).toEqual([]);
            } else {
              await playLocal(c, a, backups, attempt);
            }
          }
          // Final exchange: two full rounds so everything reaches everyone.
          for (let round = 0; round < 2; round++) {
            for (const from of pcs) {
              const bytes = buildBundle(from, 'dev', { noScans: true, passphrase: PW, kdfN: KDF_N }).bytes;
              for (const to of pcs) if (to !== from) expect(mergeBundle(to, bytes, PW).forks).toEqual([]);
            }
          }
          expectConverged(pcs);
        } finally {
          pcs.forEach((w) => w.close());
          c.close();
        }
      }),
      // Seeded and bounded: the same runs every time. DESK_LONG=1 (npm run test:long) runs many more.
      { seed: 1414, numRuns: process.env.DESK_LONG ? 120 : 10 },
    );
  }, 300_000);
});

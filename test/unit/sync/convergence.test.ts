/**
 * The sync promise as a property: random decisions, undos and resolutions on N simulated PCs,
 * bundles cut at random moments, delivered in random order, duplicated or dropped — after a final
 * exchange every PC has every event, the same current decisions and the same conflicts, and the
 * SQL views agree with the pure policy (shared/sync/policy.ts) over the union of the logs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DeskError } from '../../../shared/api/index.js';
import { statesOfLog } from '../../../shared/review/state.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { rowToEvent, verifyChains, type EventRow } from '../../../electron/sync/log.js';
import { resolveConflict } from '../../../electron/review/team.js';
import { undoDecision } from '../../../electron/review/decisions.js';
import { buildBundle, mergeBundle } from '../../../electron/sync/syncService.js';
import { college, idOf, stateOf } from './helpers.js';

const PW = 'pw';
const KDF_N = 1024; // many bundles per run; the format and checks are the same at any cost
const APPS = 3;

type Action =
  | { t: 'decide'; pc: number; app: number; decision: 'approve' | 'reject' | 'return' }
  | { t: 'undo'; pc: number; app: number }
  | { t: 'resolve'; pc: number; app: number }
  | { t: 'cut'; from: number; to: number; incremental: boolean }
  | { t: 'deliver'; pick: number };

const action = (n: number): fc.Arbitrary<Action> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ t: fc.constant('decide' as const), pc: fc.nat(n - 1), app: fc.nat(APPS - 1), decision: fc.constantFrom('approve' as const, 'reject' as const, 'return' as const) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('undo' as const), pc: fc.nat(n - 1), app: fc.nat(APPS - 1) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('resolve' as const), pc: fc.nat(n - 1), app: fc.nat(APPS - 1) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('cut' as const), from: fc.nat(n - 1), to: fc.nat(n - 1), incremental: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('deliver' as const), pick: fc.nat(1000) }) },
  );

/** Refusals the desk is allowed to give during the random run (they are the policy working). */
const EXPECTED = new Set(['conflict_open', 'nothing_to_undo', 'no_conflict', 'undo_reopens_conflict']);
function attempt(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DeskError) || !EXPECTED.has(e.code)) throw e;
  }
}

describe('convergence of N offline PCs', () => {
  it('every PC ends with all events, the same state and the same conflicts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }).chain((n) => fc.tuple(fc.constant(n), fc.array(action(n), { minLength: 5, maxLength: 30 }))), ([n, actions]) => {
        const pcs = college(n, APPS, true);
        try {
          const pool: { to: number; bytes: Buffer }[] = [];
          for (const a of actions) {
            if (a.t === 'decide') {
              const pc = pcs[a.pc];
              if (pc) attempt(() => recordDecision(pc, `dev-${a.pc}`, { idNumber: idOf(a.app), decision: a.decision, reasons: a.decision === 'approve' ? [] : ['blurry'], note: '', reviewer: `r${a.pc}` }));
            } else if (a.t === 'undo') {
              const pc = pcs[a.pc];
              if (pc) attempt(() => undoDecision(pc, `dev-${a.pc}`, { idNumber: idOf(a.app), reviewer: `r${a.pc}` }));
            } else if (a.t === 'resolve') {
              const pc = pcs[a.pc];
              if (pc) attempt(() => resolveConflict(pc, `dev-${a.pc}`, { idNumber: idOf(a.app), decision: 'return', reasons: ['missing_docs'], note: '', by: 'sup' }));
            } else if (a.t === 'cut') {
              const from = pcs[a.from];
              const to = pcs[a.to];
              if (from && to && a.from !== a.to) {
                pool.push({ to: a.to, bytes: buildBundle(from, 'dev', { peer: a.incremental ? to.workspaceId : undefined, noScans: true, passphrase: PW, kdfN: KDF_N }).bytes });
              }
            } else if (pool.length > 0) {
              // Delivered any number of times, in any order; never delivered = dropped.
              const b = pool[a.pick % pool.length];
              const to = b ? pcs[b.to] : undefined;
              if (b && to) mergeBundle(to, b.bytes, PW);
            }
          }
          const created = new Set(pcs.flatMap((w) => stateOf(w).events));
          // Final exchange: two full rounds so everything reaches everyone.
          for (let round = 0; round < 2; round++) {
            for (const from of pcs) {
              const bytes = buildBundle(from, 'dev', { noScans: true, passphrase: PW, kdfN: KDF_N }).bytes;
              for (const to of pcs) if (to !== from) mergeBundle(to, bytes, PW);
            }
          }
          const first = pcs[0];
          if (!first) throw new Error('no pc');
          const expected = stateOf(first);
          expect(new Set(expected.events)).toEqual(created);
          for (const w of pcs) {
            expect(stateOf(w)).toEqual(expected);
            expect(verifyChains(w).problems).toEqual([]);
          }
          // The SQL views say what the pure policy says about the union of the logs.
          const log = (first.db.prepare('SELECT * FROM decision_events').all() as EventRow[]).map(rowToEvent);
          const pure = statesOfLog(log);
          const pureCurrent = [...pure].filter(([, s]) => s.decision !== null).map(([id, s]) => `${id}:${s.decision}:${s.current?.id}`).sort();
          const pureConflicts = [...pure].filter(([, s]) => s.conflict).map(([id]) => id).sort();
          expect(expected.current).toEqual(pureCurrent);
          expect(expected.conflicts).toEqual(pureConflicts);
        } finally {
          pcs.forEach((w) => w.close());
        }
      }),
      // ~3 s per run (real workspaces on disk); DESK_LONG=1 (npm run test:long) runs many more.
      { numRuns: process.env.DESK_LONG ? 100 : 8 },
    );
  });
});

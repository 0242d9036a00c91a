/**
 * Sync figures (issue 7): merging a bundle of N decision events into a workspace of N applicants
 * (goal < 1 s for 10,000), bundle bytes per 1,000 decisions without scans, and the cost of the
 * derived `current_decisions` view. Baselines are measured in the same run.
 */
import { scryptSync } from 'node:crypto';
import { college, idOf } from '../test/unit/sync/helpers.js';
import { statusSummary } from '../electron/review/decisions.js';
import { appendEvents } from '../electron/sync/log.js';
import { buildBundle, mergeBundle } from '../electron/sync/syncService.js';
import type { BenchContext, BenchRecord } from './types.js';

const PW = 'bench-passphrase';

export default async function run(ctx: BenchContext): Promise<BenchRecord[]> {
  const n = ctx.applicants;
  const [a, b] = college(2, n, true);
  if (!a || !b) throw new Error('no workspaces');
  try {
    const decisions = ['approve', 'reject', 'return'] as const;
    const drafts = Array.from({ length: n }, (_, i) => {
      const decision = decisions[i % 3] ?? 'approve';
      return { kind: 'decision' as const, idNumber: idOf(i), decision, reasons: decision === 'approve' ? [] : ['blurry'], note: i % 10 === 0 ? '材料已核对' : '', reviewer: '张老师' };
    });
    let t = performance.now();
    appendEvents(a, 'bench-a', drafts);
    const appendMs = performance.now() - t;

    const built = buildBundle(a, 'bench-a', { peer: b.workspaceId, noScans: true, passphrase: PW });
    t = performance.now();
    const report = mergeBundle(b, built.bytes, PW);
    const mergeMs = performance.now() - t;
    if (report.eventsAdded !== n) throw new Error(`merged ${report.eventsAdded} of ${n}`);

    const per1000 = (built.bytes.length / n) * 1000;
    const rawJsonPer1000 = (Buffer.byteLength(JSON.stringify(built.manifest.events)) / n) * 1000;

    t = performance.now();
    const s = statusSummary(b);
    const viewMs = performance.now() - t;
    if (s.total !== n) throw new Error('summary mismatch');

    // The fixed per-bundle cost inside the merge figure (same parameters as electron/sync/codec.ts).
    t = performance.now();
    scryptSync(PW, 'salt-salt-salt16', 32, { N: 16384, r: 8, p: 1 });
    const kdfMs = performance.now() - t;

    return [
      { name: 'sync.kdf.scrypt16384', value: kdfMs, unit: 'ms', notes: 'once per bundle, included in sync.merge' },
      {
        name: `sync.merge.${n}`, value: mergeMs, unit: 'ms', baseline: { name: `sync.appendLocal.${n}`, value: appendMs },
        ratio: mergeMs / appendMs, goal: '< 1000 ms', met: mergeMs < 1000,
        notes: 'open (scrypt N=2^14 + AES-GCM + Ed25519 verify) + per-event hash/chain check + one transaction',
      },
      {
        name: 'sync.bundleBytesPer1000Decisions', value: per1000, unit: 'bytes', baseline: { name: 'events as plain JSON', value: rawJsonPer1000 },
        ratio: per1000 / rawJsonPer1000, notes: 'deflated then encrypted; no scans',
      },
      { name: `sync.statusSummary.${n}`, value: viewMs, unit: 'ms', notes: 'current_decisions view over the synced log' },
    ];
  } finally {
    a.close();
    b.close();
  }
}

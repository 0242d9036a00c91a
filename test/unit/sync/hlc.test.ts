import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatHlc, parseHlc, receive, tick, zeroHlc, nodeIdOf, DEFAULT_MAX_DRIFT_MS } from '../../../shared/sync/hlc.js';
import { decisionState as applicantState, concurrentHeadsConflictWhenOutcomesDiffer } from '../../../shared/review/state.js';

const node = nodeIdOf('45cc423a-08cc-4048-b7ca-8e0dd42c600e');

describe('hybrid logical clock', () => {
  it('never goes backwards when the wall clock does, and its text sorts like its order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4e12 }), { minLength: 1, maxLength: 50 }), (nows) => {
        let c = zeroHlc(node);
        const out: string[] = [];
        for (const n of nows) {
          c = tick(c, n);
          out.push(formatHlc(c));
        }
        expect([...out].sort()).toEqual(out);
        expect(new Set(out).size).toBe(out.length);
      }),
    );
  });

  it('round-trips through text', () => {
    const t = { millis: Date.UTC(2026, 5, 1, 8, 0, 0, 123), counter: 0x1f, node };
    expect(formatHlc(t)).toBe(`2026-06-01T08:00:00.123Z-001f-${node}`);
    expect(parseHlc(formatHlc(t))).toEqual(t);
    expect(parseHlc('2026-06-01 garbage')).toBeNull();
  });

  it('moves past a remote timestamp and reports drift beyond the limit instead of refusing', () => {
    const now = Date.UTC(2026, 5, 1);
    const remote = { millis: now + DEFAULT_MAX_DRIFT_MS + 60_000, counter: 3, node: nodeIdOf('ffff') };
    const r = receive(zeroHlc(node), remote, now);
    expect(r.driftMs).toBe(DEFAULT_MAX_DRIFT_MS + 60_000);
    expect(formatHlc(tick(r.clock, now)) > formatHlc(remote)).toBe(true);
    expect(receive(zeroHlc(node), { ...remote, millis: now + 1000 }, now).driftMs).toBe(0);
  });
});

describe('conflict policy', () => {
  const ev = (id: string, decision: 'approve' | 'reject' | null, supersedes: string[] = [], hlc = id) =>
    ({ id, kind: 'decision' as const, idNumber: 'A', decision, hlc, supersedes });

  it('concurrent different outcomes conflict; identical outcomes do not', () => {
    expect(concurrentHeadsConflictWhenOutcomesDiffer([{ decision: 'approve' }, { decision: 'reject' }])).toBe(true);
    expect(concurrentHeadsConflictWhenOutcomesDiffer([{ decision: 'approve' }, { decision: 'approve' }])).toBe(false);
    expect(concurrentHeadsConflictWhenOutcomesDiffer([{ decision: null }, { decision: 'approve' }])).toBe(true);
  });

  it('a later event that saw both heads settles the conflict, in any arrival order', () => {
    const events = [ev('1', 'approve'), ev('2', 'reject'), ev('3', 'reject', ['1', '2'])];
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: 3, maxLength: 3 }), (order) => {
        const s = applicantState(order);
        expect(s.conflict).toBe(false);
        expect(s.current?.id).toBe('3');
      }),
    );
    const open = applicantState([ev('1', 'approve'), ev('2', 'reject')]);
    expect(open.conflict).toBe(true);
    expect(open.heads.map((h) => h.id)).toEqual(['1', '2']);
  });
});

/**
 * Hybrid logical clock (HLC) timestamps, after Actual Budget's timestamp.ts. A timestamp is
 * `2026-11-26T08:00:00.000Z-0000-0123456789abcdef`: physical milliseconds, a counter for events in
 * the same millisecond, and the node (the workspace that wrote it). The string form sorts in
 * causal-then-node order, so SQL can compare timestamps as text.
 *
 * Pure: the caller passes `now`, and a remote clock far ahead is reported, not refused — an
 * offline PC with a wrong date must still be able to hand its decisions in (issue 7: drift is
 * shown, not hidden, and never loses an event).
 */

export interface Hlc {
  millis: number;
  counter: number;
  node: string;
}

const MAX_COUNTER = 0xffff;
const PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-([0-9a-f]{16})$/;

/** Drift beyond this (ms) between a remote timestamp and our wall clock is reported. */
export const DEFAULT_MAX_DRIFT_MS = 5 * 60 * 1000;

/** A 16-hex node id derived from a workspace or device id (a uuid or any hex string). */
export function nodeIdOf(id: string): string {
  const hex = id.toLowerCase().replace(/[^0-9a-f]/g, '');
  return (hex + '0000000000000000').slice(0, 16);
}

export function formatHlc(t: Hlc): string {
  return `${new Date(t.millis).toISOString()}-${t.counter.toString(16).padStart(4, '0')}-${t.node}`;
}

export function parseHlc(s: string): Hlc | null {
  const m = PATTERN.exec(s);
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) return null;
  const millis = Date.parse(m[1]);
  if (Number.isNaN(millis)) return null;
  return { millis, counter: parseInt(m[2], 16), node: m[3] };
}

export function zeroHlc(node: string): Hlc {
  return { millis: 0, counter: 0, node };
}

/** Timestamp for a local event: never goes backwards, even if the wall clock does. */
export function tick(clock: Hlc, now: number): Hlc {
  const millis = Math.max(clock.millis, now);
  const counter = millis === clock.millis ? clock.counter + 1 : 0;
  if (counter > MAX_COUNTER) {
    // More than 65,536 events in one millisecond: borrow the next millisecond rather than fail.
    return { millis: millis + 1, counter: 0, node: clock.node };
  }
  return { millis, counter, node: clock.node };
}

export interface ReceiveResult {
  clock: Hlc;
  /** How far the remote timestamp is ahead of our wall clock (ms), when beyond maxDrift; else 0. */
  driftMs: number;
}

/** Merges a remote timestamp into our clock, so our next local event sorts after it. */
export function receive(clock: Hlc, remote: Hlc, now: number, maxDriftMs = DEFAULT_MAX_DRIFT_MS): ReceiveResult {
  const ahead = remote.millis - now;
  const millis = Math.max(clock.millis, remote.millis, now);
  let counter: number;
  if (millis === clock.millis && millis === remote.millis) counter = Math.max(clock.counter, remote.counter) + 1;
  else if (millis === clock.millis) counter = clock.counter + 1;
  else if (millis === remote.millis) counter = remote.counter + 1;
  else counter = 0;
  const next = counter > MAX_COUNTER ? { millis: millis + 1, counter: 0, node: clock.node } : { millis, counter, node: clock.node };
  return { clock: next, driftMs: ahead > maxDriftMs ? ahead : 0 };
}

export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type DriftDirection = 'ahead' | 'behind';

/**
 * Whether a clock in the college was wrong when an event was written, in either direction:
 * - ahead: the event's wall-clock time (`at`) or its HLC is later than our clock now (a PC with
 *   a date in the future, or a timestamp it passed on);
 * - behind: its HLC — which had moved past the timestamps its PC received from the others — is
 *   later than that PC's own wall-clock time, i.e. the PC's clock was behind the college's. A PC
 *   a day behind is found this way as soon as it has seen one event of a PC with the right time,
 *   however late its bundle is carried over (the difference is inside one PC, not between two).
 */
export function clockDrift(e: { hlc: string; at: string }, now: number, maxDriftMs = DEFAULT_MAX_DRIFT_MS): { direction: DriftDirection; driftMs: number } | null {
  const h = parseHlc(e.hlc);
  const at = Date.parse(e.at);
  if (!h || Number.isNaN(at)) return null;
  const ahead = Math.max(at, h.millis) - now;
  if (ahead > maxDriftMs) return { direction: 'ahead', driftMs: ahead };
  if (h.millis - at > maxDriftMs) return { direction: 'behind', driftMs: h.millis - at };
  return null;
}

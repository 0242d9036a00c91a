/**
 * THE state of an applicant's review, derived from the event log — the one definition every
 * surface reads (queue, applicant view, status, dashboard, conflicts, export blockers and rows,
 * CLI). Pure, so it is the same on every PC and in every test.
 *
 * The log per applicant is a graph: each state event supersedes the heads its writer saw. The
 * heads (events nobody supersedes yet) are the candidates. One head → its decision is in force
 * (or 待审 when it is an undo back to nothing). Several heads with different outcomes → 冲突
 * (conflict), a state of its own: no decision is in force until a supervisor's `resolve`
 * supersedes them all. Several heads with the same outcome are not a conflict (two reviewers who
 * agree); the one with the greatest HLC is shown.
 */
import type { Decision, DecisionStatus } from '../domain.js';
import { STATE_KINDS, type SyncEvent } from '../sync/events.js';

export type StateEvent = Pick<SyncEvent, 'id' | 'kind' | 'idNumber' | 'decision' | 'hlc' | 'supersedes'>;

/**
 * THE conflict policy (CouchDB's `_conflicts`): concurrent heads conflict exactly when they lead to
 * different outcomes (通过 / 不通过 / 退回补正 / back to 待审).
 */
export function concurrentHeadsConflictWhenOutcomesDiffer(heads: readonly Pick<StateEvent, 'decision'>[]): boolean {
  return new Set(heads.map((h) => h.decision ?? 'pending')).size > 1;
}

export interface DecisionState<E extends StateEvent = StateEvent> {
  /** 待审 / 通过 / 不通过 / 退回补正 / 冲突. */
  status: DecisionStatus;
  /** The decision in force; null while 待审 or in conflict. */
  decision: Decision | null;
  /** The event whose decision is in force; null while 待审 or in conflict. */
  current: E | null;
  /** The head with the greatest HLC (an undo back to 待审 included); null without events. */
  latest: E | null;
  /** Events of this applicant superseded by nobody, oldest first (by HLC, then id). */
  heads: E[];
  conflict: boolean;
}

const byHlc = (a: StateEvent, b: StateEvent): number => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The state of one applicant from its events (any order, duplicates allowed, other kinds ignored). */
export function decisionState<E extends StateEvent>(events: readonly E[]): DecisionState<E> {
  const state = events.filter((e) => STATE_KINDS.includes(e.kind));
  const superseded = new Set<string>();
  for (const e of state) for (const s of e.supersedes) superseded.add(s);
  const byId = new Map<string, E>();
  for (const e of state) if (!superseded.has(e.id)) byId.set(e.id, e);
  const heads = [...byId.values()].sort(byHlc);
  const latest = heads.at(-1) ?? null;
  const conflict = concurrentHeadsConflictWhenOutcomesDiffer(heads);
  const current = !conflict && latest?.decision ? latest : null;
  return {
    status: conflict ? 'conflict' : (current?.decision ?? 'pending'),
    decision: current?.decision ?? null,
    current,
    latest,
    heads,
    conflict,
  };
}

/** States of all applicants named in a log. */
export function statesOfLog<E extends StateEvent>(events: readonly E[]): Map<string, DecisionState<E>> {
  const groups = new Map<string, E[]>();
  for (const e of events) {
    if (!e.idNumber || !STATE_KINDS.includes(e.kind)) continue;
    const g = groups.get(e.idNumber);
    if (g) g.push(e);
    else groups.set(e.idNumber, [e]);
  }
  return new Map([...groups].map(([id, g]) => [id, decisionState(g)]));
}

/** What a change of the declared data is known by: its place in the event order, and when. */
export interface DeclaredChange {
  hlc: string;
  at: string;
}

/**
 * 变更待复核 — the declared data changed after the decision in force was taken. Decided by the
 * order of events, never by wall clocks of different PCs: a decision records the newest change
 * of the applicant's data its reviewer had (`payload.basis`, an HLC); a change with a greater
 * HLC was not seen. Decisions written before `basis` existed compare with their own HLC.
 * Returns the time of the newest unseen change, or null.
 */
export function changedSinceDecided(current: Pick<SyncEvent, 'hlc' | 'payload'> | null, latestChange: DeclaredChange | undefined): string | null {
  const cur = current;
  if (!cur || !latestChange) return null;
  const basis = typeof cur.payload.basis === 'string' ? cur.payload.basis : cur.hlc;
  return latestChange.hlc > basis ? latestChange.at : null;
}

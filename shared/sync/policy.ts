/**
 * How the current decision of an applicant follows from the event log, on every PC alike.
 * The log per applicant is a graph: each event supersedes the heads its writer saw. The heads
 * (events nobody supersedes yet) are the candidates; the SQL views `current_decisions` and
 * `decision_conflicts` (migration 0003) compute exactly this, and a property test holds them equal.
 */
import type { Decision } from '../domain.js';
import { STATE_KINDS, type SyncEvent } from './events.js';

export type StateEvent = Pick<SyncEvent, 'id' | 'kind' | 'idNumber' | 'decision' | 'hlc' | 'supersedes'>;

/**
 * THE conflict policy (CouchDB's `_conflicts`): concurrent heads conflict exactly when they lead to
 * different outcomes (通过 / 不通过 / 退回补正 / back to 待审). Two reviewers who independently
 * reach the same outcome are not in conflict, even with different reasons — the latest head's
 * reasons are shown. A conflict stays until a supervisor's `resolve` event supersedes all heads.
 */
export function concurrentHeadsConflictWhenOutcomesDiffer(heads: readonly Pick<StateEvent, 'decision'>[]): boolean {
  return new Set(heads.map((h) => h.decision ?? 'pending')).size > 1;
}

export interface ApplicantState<E extends StateEvent = StateEvent> {
  /** Events of this applicant superseded by nobody, oldest first (by hlc). */
  heads: E[];
  /** The head with the greatest hlc (the one shown), or null without events. */
  current: E | null;
  decision: Decision | null;
  conflict: boolean;
}

/** The state of one applicant from all of its events (any order, duplicates allowed). */
export function applicantState<E extends StateEvent>(events: readonly E[]): ApplicantState<E> {
  const state = events.filter((e) => STATE_KINDS.includes(e.kind));
  const superseded = new Set(state.flatMap((e) => e.supersedes));
  const byId = new Map<string, E>();
  for (const e of state) if (!superseded.has(e.id)) byId.set(e.id, e);
  const heads = [...byId.values()].sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const current = heads.at(-1) ?? null;
  return { heads, current, decision: current?.decision ?? null, conflict: concurrentHeadsConflictWhenOutcomesDiffer(heads) };
}

/** States of all applicants named in a log. */
export function stateOfLog<E extends StateEvent>(events: readonly E[]): Map<string, ApplicantState<E>> {
  const groups = new Map<string, E[]>();
  for (const e of events) {
    if (!e.idNumber || !STATE_KINDS.includes(e.kind)) continue;
    const g = groups.get(e.idNumber);
    if (g) g.push(e);
    else groups.set(e.idNumber, [e]);
  }
  return new Map([...groups].map(([id, g]) => [id, applicantState(g)]));
}

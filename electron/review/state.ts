/**
 * The current review state of applicants, read from the log through the one definition in
 * shared/review/state.ts. Every surface — queue, applicant view, status, dashboard, conflicts,
 * sign-off, QC, export blockers and rows, the CLI — asks here; nothing else decides what an
 * applicant's decision is, whether it is in conflict, or whether it changed since decided.
 */
import { DeskError } from '../../shared/api/index.js';
import { maskId } from '../../shared/idcard.js';
import { changedSinceDecided, decisionState, type DecisionState } from '../../shared/review/state.js';
import type { SyncEvent } from '../../shared/sync/events.js';
import { latestDeclaredChange, latestDeclaredChanges } from '../applicants/index.js';
import { headsByApplicant, headsOf } from '../sync/index.js';
import type { Workspace } from '../workspace/index.js';

export type ApplicantState = DecisionState<SyncEvent>;

/** The state of an applicant without any state event: 待审. */
export const PENDING: ApplicantState = Object.freeze({ status: 'pending', decision: null, current: null, latest: null, heads: [], conflict: false });

export function stateOf(ws: Workspace, idNumber: string): ApplicantState {
  return decisionState(headsOf(ws.db, idNumber));
}

/** The states of every applicant with events; look up with stateIn (absent = 待审). */
export function allStates(ws: Workspace): Map<string, ApplicantState> {
  const out = new Map<string, ApplicantState>();
  for (const [id, heads] of headsByApplicant(ws.db)) out.set(id, decisionState(heads));
  return out;
}

export function stateIn(states: ReadonlyMap<string, ApplicantState>, idNumber: string): ApplicantState {
  return states.get(idNumber) ?? PENDING;
}

/** Applicants whose status is anything but 待审 (a decision in force, or a conflict). */
export function decidedIds(ws: Workspace): Set<string> {
  return new Set([...allStates(ws)].filter(([, s]) => s.status !== 'pending').map(([id]) => id));
}

export function conflictIds(ws: Workspace): string[] {
  return [...allStates(ws)].filter(([, s]) => s.conflict).map(([id]) => id);
}

export function countConflicts(ws: Workspace): number {
  let n = 0;
  for (const s of allStates(ws).values()) if (s.conflict) n++;
  return n;
}

export function requireNoConflict(ws: Workspace, idNumber: string): void {
  if (stateOf(ws, idNumber).conflict) {
    throw new DeskError('conflict_open', `考生 ${maskId(idNumber)} 存在未解决的审核冲突，需由复核人在冲突队列中裁定。`);
  }
}

/** 变更待复核 of one applicant: the time of the newest change its decision has not seen, or null. */
export function changedSinceDecidedOf(ws: Workspace, idNumber: string, state: ApplicantState = stateOf(ws, idNumber)): string | null {
  return changedSinceDecided(state.current, latestDeclaredChange(ws.db, idNumber));
}

/** 变更待复核 of every applicant that has it: ID number → time of the newest unseen change. */
export function changedSinceDecidedAll(ws: Workspace, states: ReadonlyMap<string, ApplicantState> = allStates(ws)): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, change] of latestDeclaredChanges(ws.db)) {
    const at = changedSinceDecided(stateIn(states, id).current, change);
    if (at) out.set(id, at);
  }
  return out;
}

/**
 * The newest change of the applicant's data a decision taken now has seen (an HLC), recorded in
 * the decision as `basis` so "changed since decided" never depends on clocks of different PCs.
 */
export function decisionBasis(ws: Workspace, idNumber: string): string {
  return latestDeclaredChange(ws.db, idNumber)?.hlc ?? '';
}

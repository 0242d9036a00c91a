/**
 * Who may act on whom in the review: the signed-in account (or the typed name before accounts
 * exist), its role, and the assignment of applicants to reviewers (分配). Assignments are derived
 * from the `assign` events of the log — the latest (by HLC) wins per applicant — so every PC
 * derives the same shares from the same events.
 */
import { DeskError, type Account, type Credentials } from '../../shared/api/index.js';
import type { CategoryCode } from '../../shared/domain.js';
import { actor, hasAccounts, listAccounts } from '../accounts/index.js';
import { selectApplicantIds } from '../applicants/index.js';
import { appendEvents, eventsOfKind } from '../sync/index.js';
import type { Workspace } from '../workspace/index.js';
import { requireNoConflict } from './state.js';

export const ALL_ROLES = ['reviewer', 'supervisor', 'admin'] as const;
export const SUPERVISORS = ['supervisor', 'admin'] as const;

/** Applicant → reviewer ('' = taken back), from the assign events in HLC order. */
export function assignmentMap(ws: Workspace): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of eventsOfKind(ws.db, ['assign'])) {
    const ids = Array.isArray(e.payload.idNumbers) ? e.payload.idNumbers : [];
    const to = typeof e.payload.reviewer === 'string' ? e.payload.reviewer : '';
    for (const id of ids) if (typeof id === 'string') out.set(id, to);
  }
  return out;
}

export function assignedTo(ws: Workspace, idNumber: string): string | null {
  return assignmentMap(ws).get(idNumber) || null;
}

/**
 * Who may work on an applicant (decisions, per-document verdicts): the signed-in account once
 * accounts exist (a typed name that differs is refused, never trusted), and for reviewers only the
 * applicants assigned to them (others' applicants are visible but not decidable).
 */
export function authorizeReviewer(ws: Workspace, idNumber: string, typedName: string, assignments?: Map<string, string>): Account {
  const who = actor(ws, ALL_ROLES, undefined, typedName);
  const assigned = (assignments ?? assignmentMap(ws)).get(idNumber);
  const restricted = who.role === 'reviewer' || !hasAccounts(ws);
  if (restricted && assigned && assigned !== who.name) {
    throw new DeskError('not_assigned', `该考生已分配给 ${assigned} 审核，${who.name} 只能查看。`);
  }
  return who;
}

/** Who records a 初审 decision, or a refusal: as authorizeReviewer, and no open conflict. */
export function authorizeDecision(ws: Workspace, idNumber: string, typedName: string, assignments?: Map<string, string>): Account {
  const who = authorizeReviewer(ws, idNumber, typedName, assignments);
  requireNoConflict(ws, idNumber);
  return who;
}

/**
 * Who may edit the reason catalogue: a 复核人 (supervisor) or an admin. Without accounts the
 * desk has no roles and the typed name edits, as before accounts existed.
 */
export function authorizeSupervisor(ws: Workspace, typedName: string): Account {
  const who = actor(ws, ALL_ROLES, undefined, typedName);
  if (!(SUPERVISORS as readonly string[]).includes(who.role)) {
    throw new DeskError('supervisor_only', `只有复核人或管理员可以修改审核理由目录；${who.name} 是审核员。`);
  }
  return who;
}

/**
 * Who may open a supervisor's screen (the 复核 queue, the QC figures): a 复核人 or an admin once
 * accounts exist — a reviewer is refused (forbidden), nobody signed in too (sign_in_required). A
 * desk without accounts has no roles, so there anyone may.
 */
export function authorizeSupervisorView(ws: Workspace, as?: Credentials): Account | null {
  if (!hasAccounts(ws)) return null;
  return actor(ws, SUPERVISORS, as);
}

/** 分配: the coordinator hands a share of the queue to a reviewer ('' takes it back). */
export function assign(
  ws: Workspace, deviceId: string,
  input: { reviewer: string; category?: CategoryCode | undefined; fromRow?: number | undefined; toRow?: number | undefined; idNumbers?: string[] | undefined; as?: Credentials | undefined; by?: string | undefined },
): { eventId: string; reviewer: string; assigned: number } {
  const who = actor(ws, SUPERVISORS, input.as, input.by);
  if (!input.category && input.fromRow === undefined && input.toRow === undefined && !input.idNumbers) {
    throw new DeskError('assign_needs_selection', '请按类别、行号范围或身份证号列表选择要分配的考生。');
  }
  if (input.reviewer && hasAccounts(ws) && !listAccounts(ws).some((a) => a.name === input.reviewer)) {
    throw new DeskError('not_found', `没有账户 ${input.reviewer}。`);
  }
  const ids = selectApplicantIds(ws.db, input);
  const [e] = appendEvents(ws, deviceId, [{
    kind: 'assign', reviewer: who.name,
    payload: { reviewer: input.reviewer, idNumbers: ids, rule: { category: input.category ?? null, fromRow: input.fromRow ?? null, toRow: input.toRow ?? null, byHand: Boolean(input.idNumbers) } },
  }]);
  return { eventId: e?.id ?? '', reviewer: input.reviewer, assigned: ids.length };
}

export function listAssignments(ws: Workspace): { reviewer: string; count: number; idNumbers: string[] }[] {
  const by = new Map<string, string[]>();
  for (const [id, reviewer] of assignmentMap(ws)) {
    if (!reviewer) continue;
    const list = by.get(reviewer);
    if (list) list.push(id);
    else by.set(reviewer, [id]);
  }
  return [...by].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([reviewer, idNumbers]) => ({ reviewer, count: idNumbers.length, idNumbers }));
}

/**
 * Decisions among several reviewers: who may decide whom (assignments), undo, the conflict queue
 * and its resolution, 复核 (two-level sign-off), the blind QC sample and an applicant's history.
 * Everything is an appended event; state always comes from the log (shared/sync/policy.ts).
 */
import { randomInt } from 'node:crypto';
import {
  DeskError,
  type Account,
  type ApplicantHistory,
  type ConflictItem,
  type Credentials,
  type DecisionResult,
  type HistoryEntry,
  type QcAgreement,
  type QcItem,
  type ReviewItem,
} from '../../shared/api/index.js';
import { SEED_REASONS, decisionNeedsReason, type CategoryCode, type Decision } from '../../shared/domain.js';
import { maskId } from '../../shared/idcard.js';
import type { SyncEvent } from '../../shared/sync/events.js';
import { applicantState } from '../../shared/sync/policy.js';
import type { Workspace } from '../workspace/workspace.js';
import { actor, hasAccounts } from '../accounts/accounts.js';
import { appendEvents, eventsOfApplicant, type Draft, headsOf, requireNoConflict, rowToEvent, type EventRow } from '../sync/log.js';

const ALL_ROLES = ['reviewer', 'supervisor', 'admin'] as const;
const SUPERVISORS = ['supervisor', 'admin'] as const;

function applicant(ws: Workspace, idNumber: string): { name: string; category: CategoryCode; withdrawn: number } {
  const row = ws.db.prepare('SELECT name, category, withdrawn FROM applicants WHERE id_number = ?').get(idNumber) as
    | { name: string; category: CategoryCode; withdrawn: number }
    | undefined;
  if (!row) throw new DeskError('not_found', `找不到身份证号为 ${maskId(idNumber)} 的考生。`);
  return row;
}

function checkReasons(decision: Decision, reasons: string[]): void {
  const known = new Set(SEED_REASONS.map((r) => r.code));
  const unknown = reasons.filter((r) => !known.has(r));
  if (unknown.length > 0) throw new DeskError('unknown_reason', `未知的审核理由代码：${unknown.join(', ')}。`);
  if (decisionNeedsReason(decision) && reasons.length === 0) throw new DeskError('reason_required', '“不通过”和“退回补正”必须选择至少一个理由。');
}

/**
 * Who may work on an applicant (decisions, per-document verdicts): the signed-in account once
 * accounts exist (a typed name that differs is refused, never trusted), and for reviewers only the
 * applicants assigned to them (others' applicants are visible but not decidable).
 */
export function authorizeReviewer(ws: Workspace, idNumber: string, typedName: string): Account {
  const who = actor(ws, ALL_ROLES, undefined, typedName);
  const assigned = ws.db.prepare('SELECT reviewer FROM assignments WHERE id_number = ?').get(idNumber) as { reviewer: string } | undefined;
  const restricted = who.role === 'reviewer' || !hasAccounts(ws);
  if (restricted && assigned && assigned.reviewer !== '' && assigned.reviewer !== who.name) {
    throw new DeskError('not_assigned', `该考生已分配给 ${assigned.reviewer} 审核，${who.name} 只能查看。`);
  }
  return who;
}

/** Who records a 初审 decision, or a refusal: as authorizeReviewer, and no open conflict. */
export function authorizeDecision(ws: Workspace, idNumber: string, typedName: string): Account {
  const who = authorizeReviewer(ws, idNumber, typedName);
  requireNoConflict(ws.db, idNumber);
  return who;
}

/**
 * Who may edit the reason catalogue: a 复核人 (supervisor) or an admin. Without accounts the
 * desk has no roles and the typed name edits, as before accounts existed.
 */
export function authorizeSupervisor(ws: Workspace, typedName: string): Account {
  const who = actor(ws, ALL_ROLES, undefined, typedName);
  if (!(SUPERVISORS as readonly string[]).includes(who.role)) {
    throw new DeskError('supervisor_only', `只有复核人（supervisor）或管理员可以修改审核理由目录；${who.name} 是审核员（reviewer）。`);
  }
  return who;
}

function result(e: SyncEvent): DecisionResult {
  return { eventId: e.id, idNumber: e.idNumber ?? '', status: e.decision ?? 'pending', kind: e.kind, reviewer: e.reviewer, at: e.at };
}

/** The appended event must supersede exactly the heads seen in the same transaction. */
function appendOver(ws: Workspace, deviceId: string, idNumber: string, make: (heads: SyncEvent[]) => Draft): SyncEvent {
  return ws.db.transaction(() => {
    const heads = headsOf(ws.db, idNumber);
    const [e] = appendEvents(ws, deviceId, [{ ...make(heads), idNumber, supersedes: heads.map((h) => h.id) }]);
    if (!e) throw new Error('no event appended');
    return e;
  })();
}

/** Appends a 初审 decision over the current heads (used by reviewService.recordDecision). */
export function appendDecision(ws: Workspace, deviceId: string, d: { idNumber: string; decision: Decision; reasons: string[]; note: string; reviewer: string }): SyncEvent {
  return appendOver(ws, deviceId, d.idNumber, () => ({ kind: 'decision', decision: d.decision, reasons: d.reasons, note: d.note, reviewer: d.reviewer }));
}

/**
 * 撤销: a new event superseding the latest decision and restoring the state before it (the state
 * of the log without that event). Nothing is deleted; undoing an undo redoes.
 */
export function undoDecision(ws: Workspace, deviceId: string, input: { idNumber: string; reviewer: string }): DecisionResult {
  applicant(ws, input.idNumber);
  const who = actor(ws, ALL_ROLES, undefined, input.reviewer);
  requireNoConflict(ws.db, input.idNumber);
  const e = appendOver(ws, deviceId, input.idNumber, (heads) => {
    const latest = heads.at(-1);
    if (!latest) throw new DeskError('nothing_to_undo', '该考生还没有审核结论，无可撤销。');
    if (who.role === 'reviewer' && latest.reviewer !== who.name) {
      throw new DeskError('forbidden', `最近的结论由 ${latest.reviewer} 作出，${who.name} 不能撤销。`);
    }
    const all = eventsOfApplicant(ws.db, input.idNumber).filter((x) => x.id !== latest.id && x.idNumber === input.idNumber);
    const before = applicantState(all);
    if (before.conflict) throw new DeskError('undo_reopens_conflict', '撤销会重新打开已裁定的冲突；请改为重新裁定。');
    const prev = before.current;
    return {
      kind: 'undo', decision: prev?.decision ?? null, reasons: prev?.reasons ?? [], note: prev?.note ?? '', reviewer: who.name,
      payload: { undid: latest.id, restored: prev?.id ?? null },
    };
  });
  return result(e);
}

function toEntry(e: SyncEvent, heads: Set<string>): HistoryEntry {
  return {
    eventId: e.id, kind: e.kind, decision: e.decision, reasons: e.reasons, note: e.note, reviewer: e.reviewer, deviceId: e.deviceId,
    origin: e.origin, at: e.at, hlc: e.hlc, supersedes: e.supersedes, head: heads.has(e.id), payload: e.payload,
  };
}

/** Full history of one applicant: who, when, on which PC, what — in causal (HLC) order. */
export function applicantHistory(ws: Workspace, idNumber: string): ApplicantHistory {
  applicant(ws, idNumber);
  const events = eventsOfApplicant(ws.db, idNumber);
  const state = applicantState(events);
  const heads = new Set(state.heads.map((h) => h.id));
  const assigned = ws.db.prepare('SELECT reviewer FROM assignments WHERE id_number = ?').get(idNumber) as { reviewer: string } | undefined;
  return {
    idNumber, status: state.decision ?? 'pending', conflict: state.conflict, assignedTo: assigned?.reviewer || null,
    entries: events.map((e) => toEntry(e, heads)),
  };
}

export function listConflicts(ws: Workspace): ConflictItem[] {
  const rows = ws.db
    .prepare('SELECT c.id_number, a.name, a.category FROM decision_conflicts c JOIN applicants a ON a.id_number = c.id_number ORDER BY a.row_no')
    .all() as { id_number: string; name: string; category: CategoryCode }[];
  return rows.map((r) => {
    const heads = headsOf(ws.db, r.id_number);
    const ids = new Set(heads.map((h) => h.id));
    return { idNumber: r.id_number, idMasked: maskId(r.id_number), name: r.name, category: r.category, heads: heads.map((h) => toEntry(h, ids)) };
  });
}

/** 裁定: a supervisor's event superseding every head of a conflicted applicant. */
export function resolveConflict(
  ws: Workspace, deviceId: string,
  input: { idNumber: string; decision: Decision; reasons: string[]; note: string; as?: Credentials | undefined; by?: string | undefined },
): DecisionResult {
  applicant(ws, input.idNumber);
  const who = actor(ws, SUPERVISORS, input.as, input.by);
  checkReasons(input.decision, input.reasons);
  const e = appendOver(ws, deviceId, input.idNumber, (heads) => {
    if (!applicantState(heads).conflict) throw new DeskError('no_conflict', '该考生没有未解决的冲突。');
    return { kind: 'resolve', decision: input.decision, reasons: [...new Set(input.reasons)], note: input.note.trim(), reviewer: who.name, payload: { resolved: heads.map((h) => h.id) } };
  });
  return result(e);
}

/** 待复核: current 初审 decisions a supervisor has not confirmed or overturned yet. */
export function pendingReview(ws: Workspace): ReviewItem[] {
  const rows = ws.db
    .prepare(
      `SELECT d.*, a.name AS a_name, a.category AS a_category FROM current_decisions d JOIN applicants a ON a.id_number = d.id_number
       WHERE d.kind IN ('decision','undo') AND a.withdrawn = 0
         AND NOT EXISTS (SELECT 1 FROM decision_conflicts c WHERE c.id_number = d.id_number)
       ORDER BY a.row_no`,
    )
    .all() as (EventRow & { a_name: string; a_category: CategoryCode })[];
  return rows.map((r) => {
    const e = rowToEvent(r);
    return {
      idNumber: r.id_number ?? '', idMasked: maskId(r.id_number ?? ''), name: r.a_name, category: r.a_category, decision: e.decision ?? 'approve',
      reasons: e.reasons, note: e.note, reviewer: e.reviewer, at: e.at, eventId: e.id,
    };
  });
}

/** 复核: confirm the 初审 decision, or overturn it (a new decision and a reason are required). */
export function recordReview(
  ws: Workspace, deviceId: string,
  input: { idNumber: string; verdict: 'confirm' | 'overturn'; decision?: Decision | undefined; reasons: string[]; note: string; as?: Credentials | undefined; by?: string | undefined },
): DecisionResult {
  applicant(ws, input.idNumber);
  const who = actor(ws, SUPERVISORS, input.as, input.by);
  requireNoConflict(ws.db, input.idNumber);
  const e = appendOver(ws, deviceId, input.idNumber, (heads): Draft => {
    const cur = heads.at(-1);
    if (!cur || cur.decision === null) throw new DeskError('nothing_to_review', '该考生还没有初审结论，无法复核。');
    if (input.verdict === 'confirm') {
      return { kind: 'review', decision: cur.decision, reasons: cur.reasons, note: input.note.trim() || cur.note, reviewer: who.name, payload: { verdict: 'confirm', of: cur.id, firstReviewer: cur.reviewer } };
    }
    if (!input.decision || input.decision === cur.decision) throw new DeskError('overturn_needs_decision', '改判必须给出与初审不同的结论。');
    if (input.reasons.length === 0 && input.note.trim() === '') throw new DeskError('reason_required', '改判必须说明理由。');
    checkReasons(input.decision, input.reasons);
    return {
      kind: 'review', decision: input.decision, reasons: [...new Set(input.reasons)], note: input.note.trim(), reviewer: who.name,
      payload: { verdict: 'overturn', of: cur.id, firstReviewer: cur.reviewer, firstDecision: cur.decision },
    };
  });
  return result(e);
}

/** Deterministic when seeded (tests, reproducible audits); otherwise crypto-random. */
function shuffle<T>(items: T[], seed: number | undefined): T[] {
  let s = seed ?? randomInt(2 ** 31);
  const next = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/** 抽检: draw k% of the approved applicants (not drawn before for the same decision). */
export function drawQc(ws: Workspace, deviceId: string, input: { percent: number; seed?: number | undefined; as?: Credentials | undefined; by?: string | undefined }): { drawn: number; idNumbers: string[] } {
  const who = actor(ws, SUPERVISORS, input.as, input.by);
  const pool = ws.db
    .prepare(
      `SELECT d.id, d.id_number,
         -- a confirmed 复核 keeps the 初审 reviewer accountable; an overturn is the supervisor's own decision
         CASE WHEN d.kind = 'review' AND json_extract(d.payload, '$.verdict') = 'confirm' THEN json_extract(d.payload, '$.firstReviewer') ELSE d.reviewer END AS reviewer
       FROM current_decisions d JOIN applicants a ON a.id_number = d.id_number
       WHERE d.decision = 'approve' AND a.withdrawn = 0
         AND NOT EXISTS (SELECT 1 FROM decision_events q WHERE q.kind = 'qc_draw' AND q.subject = d.id_number AND json_extract(q.payload, '$.of') = d.id)
       ORDER BY d.id_number`,
    )
    .all() as { id: string; id_number: string; reviewer: string }[];
  const k = Math.min(pool.length, Math.ceil((pool.length * input.percent) / 100));
  const picked = shuffle(pool, input.seed).slice(0, k);
  appendEvents(ws, deviceId, picked.map((p) => ({ kind: 'qc_draw', subject: p.id_number, reviewer: who.name, payload: { of: p.id, firstReviewer: p.reviewer, firstDecision: 'approve', percent: input.percent } })));
  return { drawn: picked.length, idNumbers: picked.map((p) => p.id_number) };
}

function openDraws(ws: Workspace): EventRow[] {
  return ws.db
    .prepare(
      `SELECT q.* FROM decision_events q WHERE q.kind = 'qc_draw'
       AND NOT EXISTS (SELECT 1 FROM decision_events r WHERE r.kind = 'qc_review' AND json_extract(r.payload, '$.draw') = q.id)
       ORDER BY q.hlc`,
    )
    .all() as EventRow[];
}

/** The blind queue: no first decision, no first reviewer. */
export function qcQueue(ws: Workspace): QcItem[] {
  return openDraws(ws).map((r) => {
    const a = applicant(ws, r.subject ?? '');
    return { idNumber: r.subject ?? '', idMasked: maskId(r.subject ?? ''), name: a.name, category: a.category, drawnAt: r.at };
  });
}

export function recordQc(
  ws: Workspace, deviceId: string,
  input: { idNumber: string; decision: Decision; reasons: string[]; note: string; as?: Credentials | undefined; by?: string | undefined },
): { eventId: string; agreed: boolean } {
  const who = actor(ws, ALL_ROLES, input.as, input.by);
  checkReasons(input.decision, input.reasons);
  const draw = openDraws(ws).find((r) => r.subject === input.idNumber);
  if (!draw) throw new DeskError('not_drawn', '该考生不在待抽检队列中。');
  const p = rowToEvent(draw).payload;
  if (p.firstReviewer === who.name) throw new DeskError('qc_same_reviewer', '抽检须由初审以外的人完成。');
  const agreed = input.decision === p.firstDecision;
  const [e] = appendEvents(ws, deviceId, [{
    kind: 'qc_review', subject: input.idNumber, decision: input.decision, reasons: [...new Set(input.reasons)], note: input.note.trim(), reviewer: who.name,
    payload: { draw: draw.id, of: p.of ?? null, firstReviewer: p.firstReviewer ?? null, agreed },
  }]);
  return { eventId: e?.id ?? '', agreed };
}

/** 一致率 per first reviewer. */
export function qcAgreement(ws: Workspace): QcAgreement[] {
  const rows = ws.db
    .prepare(
      `SELECT json_extract(payload, '$.firstReviewer') AS reviewer,
         SUM(kind = 'qc_draw') AS sampled, SUM(kind = 'qc_review') AS reviewed,
         SUM(kind = 'qc_review' AND json_extract(payload, '$.agreed') = 1) AS agreed
       FROM decision_events WHERE kind IN ('qc_draw','qc_review') GROUP BY 1 ORDER BY 1`,
    )
    .all() as { reviewer: string; sampled: number; reviewed: number; agreed: number }[];
  return rows.map((r) => ({ ...r, rate: r.reviewed > 0 ? r.agreed / r.reviewed : null }));
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
  if (input.reviewer && hasAccounts(ws) && !ws.db.prepare('SELECT 1 FROM accounts WHERE name = ?').get(input.reviewer)) {
    throw new DeskError('not_found', `没有账户 ${input.reviewer}。`);
  }
  const where = ['withdrawn = 0'];
  const params: Record<string, unknown> = {};
  if (input.category) { where.push('category = @category'); params.category = input.category; }
  if (input.fromRow !== undefined) { where.push('row_no >= @fromRow'); params.fromRow = input.fromRow; }
  if (input.toRow !== undefined) { where.push('row_no <= @toRow'); params.toRow = input.toRow; }
  if (input.idNumbers) { where.push('id_number IN (SELECT value FROM json_each(@ids))'); params.ids = JSON.stringify(input.idNumbers); }
  const ids = (ws.db.prepare(`SELECT id_number FROM applicants WHERE ${where.join(' AND ')} ORDER BY row_no`).all(params) as { id_number: string }[]).map((r) => r.id_number);
  const [e] = appendEvents(ws, deviceId, [{
    kind: 'assign', reviewer: who.name,
    payload: { reviewer: input.reviewer, idNumbers: ids, rule: { category: input.category ?? null, fromRow: input.fromRow ?? null, toRow: input.toRow ?? null, byHand: Boolean(input.idNumbers) } },
  }]);
  return { eventId: e?.id ?? '', reviewer: input.reviewer, assigned: ids.length };
}

export function listAssignments(ws: Workspace): { reviewer: string; count: number; idNumbers: string[] }[] {
  const rows = ws.db.prepare("SELECT reviewer, json_group_array(id_number) AS ids, COUNT(*) AS n FROM assignments WHERE reviewer <> '' GROUP BY reviewer ORDER BY reviewer").all() as { reviewer: string; ids: string; n: number }[];
  return rows.map((r) => ({ reviewer: r.reviewer, count: r.n, idNumbers: JSON.parse(r.ids) as string[] }));
}

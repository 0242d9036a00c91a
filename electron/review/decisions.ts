/**
 * Decisions (初审), undo and bulk approval: each is an appended event of the log that supersedes
 * the heads its writer saw; the state is always derived from the log (./state.ts), never stored.
 *
 * No decision changes unless a reviewer meant it:
 * - an approval over an error-level finding needs a note, and is recorded as an override;
 * - bulk approval takes only applicants with no decision, no finding of any level and every scan
 *   read by OCR, never changes a decision, and is undone as one unit;
 * - undo acts on one applicant and restores the state before its decision in force.
 */
import { randomUUID } from 'node:crypto';
import {
  DeskError,
  type ApplicantDetail,
  type ApplicantSummary,
  type BulkPreview,
  type BulkResult,
  type DecisionEvent,
  type DecisionResult,
  type DecisionVerdict,
  type StatusSummary,
} from '../../shared/api/index.js';
import { CATEGORY_CODES, DOCUMENT_KIND_CODES, type Decision, type DecisionStatus, type DocumentKind } from '../../shared/domain.js';
import { maskId } from '../../shared/idcard.js';
import { filterQueue, type QueueFilter } from '../../shared/pinyinSearch.js';
import { decisionState } from '../../shared/review/state.js';
import type { JsonValue, SyncEvent } from '../../shared/sync/events.js';
import { currentVerdicts } from '../../shared/sync/verdicts.js';
import { actor } from '../accounts/index.js';
import { listApplicantRecords, requireApplicant } from '../applicants/index.js';
import { findingCounts, findingsOf } from '../checks/index.js';
import { documentsOf } from '../documents/index.js';
import { unreadApplicants } from '../ocr/index.js';
import { appendEvents, eventsOfApplicant, eventsOfKind, headsOf, type Draft } from '../sync/index.js';
import type { Workspace } from '../workspace/index.js';
import { ALL_ROLES, assignmentMap, authorizeDecision } from './access.js';
import { queueIndex } from './queue.js';
import { validateReasons } from './reasons.js';
import { allStates, decisionBasis, stateIn, stateOf, type ApplicantState } from './state.js';

const asKind = (k: JsonValue | undefined): DocumentKind | null => (typeof k === 'string' && (DOCUMENT_KIND_CODES as readonly string[]).includes(k) ? (k as DocumentKind) : null);

function verdictsOfPayload(p: SyncEvent['payload']): DecisionVerdict[] {
  if (!Array.isArray(p.verdicts)) return [];
  const out: DecisionVerdict[] = [];
  for (const v of p.verdicts) {
    if (!v || typeof v !== 'object' || Array.isArray(v) || typeof v.sha256 !== 'string') continue;
    out.push({
      sha256: v.sha256, documentKind: asKind(v.documentKind),
      clarity: v.clarity === 'clear' || v.clarity === 'blurry' ? v.clarity : null,
      match: v.match === 'match' || v.match === 'mismatch' ? v.match : null,
    });
  }
  return out;
}

/** A state event as every surface shows it. */
export function toDecisionEvent(e: SyncEvent, head = false): DecisionEvent {
  const override = Array.isArray(e.payload.override) ? e.payload.override.filter((x): x is string => typeof x === 'string') : null;
  return {
    id: e.id, idNumber: e.idNumber ?? e.subject ?? '', kind: e.kind, decision: e.decision, reasons: e.reasons, note: e.note,
    reviewer: e.reviewer, deviceId: e.deviceId, at: e.at, hlc: e.hlc, head, verdicts: verdictsOfPayload(e.payload),
    override: override && override.length > 0 ? override : null, bulkId: typeof e.payload.bulk === 'string' ? e.payload.bulk : null,
  };
}

export function decisionResult(e: SyncEvent): DecisionResult {
  return { eventId: e.id, idNumber: e.idNumber ?? '', status: e.decision ?? 'pending', kind: e.kind, reviewer: e.reviewer, at: e.at };
}

/**
 * Appends one state event over the applicant's heads, read in the same transaction: the event
 * supersedes exactly what its writer saw, so a race with a merge can never leave two answers
 * from one PC. Every state event records the newest data change it had seen (`basis`).
 */
export function appendState(ws: Workspace, deviceId: string, idNumber: string, make: (state: ApplicantState, heads: SyncEvent[]) => Draft): SyncEvent {
  return ws.db.transaction(() => {
    const heads = headsOf(ws.db, idNumber);
    const draft = make(decisionState(heads), heads);
    const payload = { basis: decisionBasis(ws, idNumber), ...draft.payload };
    const [e] = appendEvents(ws, deviceId, [{ ...draft, idNumber, supersedes: heads.map((h) => h.id), payload }]);
    if (!e) throw new Error('no event appended');
    return e;
  }).immediate();
}

/** The verdicts in force on the applicant's scans, as codes for the decision's record. */
function verdictSnapshot(ws: Workspace, idNumber: string): JsonValue[] {
  const byScan = new Map<string, { sha256: string; documentKind: string; clarity: string | null; match: string | null }>();
  const kinds = new Map(documentsOf(ws.db, idNumber).map((d) => [d.sha256, d.kind]));
  for (const v of currentVerdicts(eventsOfKind(ws.db, ['verdict'], idNumber))) {
    const row = byScan.get(v.sha256) ?? { sha256: v.sha256, documentKind: kinds.get(v.sha256) ?? '', clarity: null, match: null };
    if (v.aspect === 'clarity') row.clarity = v.value;
    else row.match = v.value;
    byScan.set(v.sha256, row);
  }
  return [...byScan.values()];
}

export interface DecideInput {
  idNumber: string;
  decision: Decision;
  reasons: string[];
  note: string;
  reviewer: string;
}

export function recordDecision(ws: Workspace, deviceId: string, input: DecideInput): { event: DecisionEvent; status: DecisionStatus } {
  const a = requireApplicant(ws.db, input.idNumber);
  if (a.withdrawn) throw new DeskError('withdrawn', `考生 ${a.declared.name} 已从最新名单中移除，不能再作出审核结论。`);
  const reasons = validateReasons(ws, { decision: input.decision, reasons: input.reasons, category: a.declared.category });
  const note = input.note.trim();
  // An approval over an error finding is an override: it needs the reviewer's note and says so.
  const errors = input.decision === 'approve' ? findingsOf(ws, input.idNumber).filter((f) => f.severity === 'error') : [];
  if (errors.length > 0 && note === '') {
    throw new DeskError('override_needs_note', `该考生有 ${errors.length} 项“错误”级检查问题（${errors.map((f) => f.message).slice(0, 3).join('；')}），通过前须在备注中说明理由。`, { findings: errors.map((f) => f.checkId) });
  }
  const who = authorizeDecision(ws, input.idNumber, input.reviewer.trim());
  const e = appendState(ws, deviceId, input.idNumber, () => ({
    kind: 'decision', decision: input.decision, reasons, note, reviewer: who.name,
    payload: { verdicts: verdictSnapshot(ws, input.idNumber), ...(errors.length > 0 ? { override: [...new Set(errors.map((f) => f.checkId))] } : {}) },
  }));
  return { event: toDecisionEvent(e, true), status: input.decision };
}

/** The events an event superseded, transitively: the log its writer had seen. */
function ancestorsOf(all: readonly SyncEvent[], target: SyncEvent): SyncEvent[] {
  const byId = new Map(all.map((e) => [e.id, e]));
  const seen = new Set<string>();
  const stack = [...target.supersedes];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const e = byId.get(id);
    if (e) stack.push(...e.supersedes);
  }
  return all.filter((e) => seen.has(e.id));
}

/**
 * 撤销: restores the state before the decision in force — the decision before it, or 待审 — as a
 * new event (nothing is deleted). Pressed again, it goes one more step back. A reviewer may undo
 * only their own decision; a supervisor's 复核 or 裁定 is undone by a supervisor.
 */
export function undoDecision(ws: Workspace, deviceId: string, input: { idNumber: string; reviewer: string }): DecisionResult & { restored: DecisionStatus; undone: DecisionStatus } {
  requireApplicant(ws.db, input.idNumber);
  const who = actor(ws, ALL_ROLES, undefined, input.reviewer);
  let undone: DecisionStatus = 'pending';
  const e = appendState(ws, deviceId, input.idNumber, (state) => {
    if (state.conflict) throw new DeskError('conflict_open', '该考生存在未解决的审核冲突，需由复核人裁定，不能撤销。');
    const all = eventsOfApplicant(ws.db, input.idNumber).filter((x) => x.idNumber === input.idNumber);
    const latest = state.latest;
    // The event whose decision is in force: the latest head, or the one an undo brought back.
    const restoredId = latest?.kind === 'undo' ? latest.payload.restored : latest?.id;
    const target = typeof restoredId === 'string' ? all.find((x) => x.id === restoredId) : undefined;
    if (!target || target.decision === null) throw new DeskError('nothing_to_undo', '该考生没有可撤销的审核结论。');
    if (who.role === 'reviewer' && target.reviewer !== who.name) {
      throw new DeskError('forbidden', `当前结论由 ${target.reviewer} 作出，${who.name} 不能撤销。`);
    }
    const before = decisionState(ancestorsOf(all, target));
    if (before.conflict) throw new DeskError('undo_reopens_conflict', '撤销会重新打开已裁定的冲突；请改为重新裁定。');
    undone = target.decision;
    const prev = before.current;
    return {
      kind: 'undo', decision: prev?.decision ?? null, reasons: prev?.reasons ?? [], note: prev?.note ?? '', reviewer: who.name,
      payload: {
        undid: target.id, restored: prev?.id ?? null,
        // The restored decision was taken on the data its own writer had seen.
        ...(prev && typeof prev.payload.basis === 'string' ? { basis: prev.payload.basis } : {}),
        ...(prev && Array.isArray(prev.payload.verdicts) ? { verdicts: prev.payload.verdicts } : {}),
        ...(prev && Array.isArray(prev.payload.override) ? { override: prev.payload.override } : {}),
      },
    };
  });
  return { ...decisionResult(e), restored: e.decision ?? 'pending', undone };
}

export type BulkReason = keyof BulkPreview['excluded'];

/**
 * THE rule of bulk approval, used for the count shown before and for the approval itself: only
 * applicants on the list with no decision yet (not in conflict either), no finding of any level,
 * every scan read by OCR, and (for a reviewer) assigned to them or to nobody.
 */
function bulkPlan(ws: Workspace, idNumbers: readonly string[], reviewer: string): { take: string[]; excluded: BulkPreview['excluded'] } {
  const who = actor(ws, ALL_ROLES, undefined, reviewer.trim() || undefined);
  const unique = [...new Set(idNumbers)];
  const onList = new Set(listApplicantRecords(ws.db).map((a) => a.declared.idNumber));
  const states = allStates(ws);
  const findings = findingCounts(ws);
  const unread = unreadApplicants(ws, unique);
  const assignments = assignmentMap(ws);
  const excluded: BulkPreview['excluded'] = { notOnList: 0, decided: 0, conflict: 0, findings: 0, ocrPending: 0, notAssigned: 0 };
  const take: string[] = [];
  for (const id of unique) {
    const s = stateIn(states, id);
    const f = findings.get(id);
    const assigned = assignments.get(id);
    let why: BulkReason | null = null;
    if (!onList.has(id)) why = 'notOnList';
    else if (s.conflict) why = 'conflict';
    else if (s.status !== 'pending') why = 'decided';
    else if (f && f.error + f.warning + f.info > 0) why = 'findings';
    else if (unread.has(id)) why = 'ocrPending';
    else if (assigned && assigned !== who.name && who.role === 'reviewer') why = 'notAssigned';
    if (why) excluded[why]++;
    else take.push(id);
  }
  return { take, excluded };
}

export function bulkPreview(ws: Workspace, idNumbers: readonly string[], reviewer: string): BulkPreview {
  const { take, excluded } = bulkPlan(ws, idNumbers, reviewer);
  return { eligible: take.length, excluded };
}

/**
 * Approves the applicants the rule takes, in one transaction (all or nothing), one logged
 * decision each, tagged with one bulk id so the whole approval can be undone as one unit.
 */
export function bulkApprove(ws: Workspace, deviceId: string, idNumbers: readonly string[], reviewer: string): BulkResult {
  const bulkId = randomUUID();
  return ws.db.transaction((): BulkResult => {
    const { take, excluded } = bulkPlan(ws, idNumbers, reviewer);
    if (take.length === 0) return { approved: 0, bulkId: null, excluded };
    const assignments = assignmentMap(ws);
    for (const id of take) {
      const who = authorizeDecision(ws, id, reviewer.trim(), assignments);
      appendState(ws, deviceId, id, () => ({ kind: 'decision', decision: 'approve', reasons: [], note: '', reviewer: who.name, payload: { bulk: bulkId } }));
    }
    return { approved: take.length, bulkId, excluded };
  }).immediate();
}

/**
 * Undoes one bulk approval as a unit: every applicant whose decision in force is still that
 * bulk's approval goes back to what it was before (待审); those decided again since are left
 * alone and counted.
 */
export function undoBulk(ws: Workspace, deviceId: string, input: { bulkId: string; reviewer: string }): { undone: number; kept: number } {
  const mine = eventsOfKind(ws.db, ['decision']).filter((e) => e.payload.bulk === input.bulkId);
  if (mine.length === 0) throw new DeskError('not_found', '找不到这次批量通过。');
  return ws.db.transaction(() => {
    let undone = 0;
    let kept = 0;
    for (const e of mine) {
      const id = e.idNumber ?? '';
      if (stateOf(ws, id).current?.id !== e.id) {
        kept++;
        continue;
      }
      undoDecision(ws, deviceId, { idNumber: id, reviewer: input.reviewer });
      undone++;
    }
    return { undone, kept };
  }).immediate();
}

/** The queue through the contract (CLI, other clients): the same filters the renderer applies locally. */
export function listApplicants(ws: Workspace, q: QueueFilter): ApplicantSummary[] {
  return filterQueue(queueIndex(ws).rows, q).map((r) => ({
    idNumber: r.idNumber, idMasked: r.idMasked, name: r.name, category: r.category, status: r.status, reviewer: r.reviewer, rowNo: r.rowNo,
  }));
}

export function getApplicant(ws: Workspace, idNumber: string): ApplicantDetail {
  const a = requireApplicant(ws.db, idNumber);
  const events = eventsOfApplicant(ws.db, idNumber).filter((e) => e.idNumber === idNumber);
  const state = decisionState(events);
  const heads = new Set(state.heads.map((h) => h.id));
  return {
    declared: a.declared,
    rowNo: a.rowNo,
    withdrawn: a.withdrawn,
    documents: documentsOf(ws.db, idNumber),
    status: state.status,
    current: state.current ? toDecisionEvent(state.current, true) : null,
    history: events.map((e) => toDecisionEvent(e, heads.has(e.id))),
  };
}

/** Counts by status, overall and per category, of the applicants on the list. */
export function statusSummary(ws: Workspace): StatusSummary {
  const zero = (): Record<DecisionStatus, number> => ({ pending: 0, approve: 0, reject: 0, return: 0, conflict: 0 });
  const byCategory = Object.fromEntries(CATEGORY_CODES.map((c) => [c, zero()])) as StatusSummary['byCategory'];
  const byDecision = zero();
  const states = allStates(ws);
  let total = 0;
  for (const a of listApplicantRecords(ws.db)) {
    const status = stateIn(states, a.declared.idNumber).status;
    byCategory[a.declared.category][status]++;
    byDecision[status]++;
    total++;
  }
  return { total, byDecision, byCategory };
}

export function describeApplicant(ws: Workspace, idNumber: string): string {
  const a = requireApplicant(ws.db, idNumber);
  return `${a.declared.name}（${maskId(idNumber)}）`;
}

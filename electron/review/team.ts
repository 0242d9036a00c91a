/**
 * The team workflow over the log: an applicant's history, the conflict queue and its ruling
 * (裁定), the two-level sign-off (复核) and the blind QC sample (抽检). Everything is an appended
 * event; every state comes from ./state.ts and every reason is checked by ./reasons.ts.
 */
import { randomInt } from 'node:crypto';
import {
  DeskError,
  type ApplicantHistory,
  type ConflictItem,
  type Credentials,
  type DecisionResult,
  type HistoryEntry,
  type QcAgreement,
  type QcItem,
  type ReviewItem,
} from '../../shared/api/index.js';
import type { Decision } from '../../shared/domain.js';
import { maskId } from '../../shared/idcard.js';
import { decisionState } from '../../shared/review/state.js';
import type { SyncEvent } from '../../shared/sync/events.js';
import { actor } from '../accounts/index.js';
import { findApplicant, listApplicantRecords, requireApplicant } from '../applicants/index.js';
import { appendEvents, eventsOfApplicant, eventsOfKind, originNamer, type Draft } from '../sync/index.js';
import type { Workspace } from '../workspace/index.js';
import { ALL_ROLES, SUPERVISORS, assignedTo, authorizeSupervisorView } from './access.js';
import { appendState, decisionResult } from './decisions.js';
import { validateReasons } from './reasons.js';
import { allStates, requireNoConflict, stateIn } from './state.js';

function toEntry(e: SyncEvent, heads: Set<string>, pcOf: (origin: string) => string): HistoryEntry {
  return {
    eventId: e.id, kind: e.kind, decision: e.decision, reasons: e.reasons, note: e.note, reviewer: e.reviewer, deviceId: e.deviceId,
    origin: e.origin, pcName: pcOf(e.origin), at: e.at, hlc: e.hlc, supersedes: e.supersedes, head: heads.has(e.id), payload: e.payload,
  };
}

/** Full history of one applicant: who, when, on which PC, what — in causal (HLC) order. */
export function applicantHistory(ws: Workspace, idNumber: string): ApplicantHistory {
  requireApplicant(ws.db, idNumber);
  const events = eventsOfApplicant(ws.db, idNumber);
  const state = decisionState(events.filter((e) => e.idNumber === idNumber));
  const heads = new Set(state.heads.map((h) => h.id));
  const pcOf = originNamer(ws);
  return { idNumber, status: state.status, conflict: state.conflict, assignedTo: assignedTo(ws, idNumber), entries: events.map((e) => toEntry(e, heads, pcOf)) };
}

/** 冲突 — applicants on the list whose concurrent decisions disagree, both sides named. */
export function listConflicts(ws: Workspace): ConflictItem[] {
  const states = allStates(ws);
  const pcOf = originNamer(ws);
  const out: ConflictItem[] = [];
  for (const a of listApplicantRecords(ws.db, { withdrawn: true })) {
    const s = stateIn(states, a.declared.idNumber);
    if (!s.conflict) continue;
    const ids = new Set(s.heads.map((h) => h.id));
    out.push({ idNumber: a.declared.idNumber, idMasked: maskId(a.declared.idNumber), name: a.declared.name, category: a.declared.category, heads: s.heads.map((h) => toEntry(h, ids, pcOf)) });
  }
  return out;
}

/** 裁定: a supervisor's event superseding every head of a conflicted applicant. */
export function resolveConflict(
  ws: Workspace, deviceId: string,
  input: { idNumber: string; decision: Decision; reasons: string[]; note: string; as?: Credentials | undefined; by?: string | undefined },
): DecisionResult {
  const a = requireApplicant(ws.db, input.idNumber);
  const who = actor(ws, SUPERVISORS, input.as, input.by);
  const reasons = validateReasons(ws, { decision: input.decision, reasons: input.reasons, category: a.declared.category });
  const e = appendState(ws, deviceId, input.idNumber, (state, heads) => {
    if (!state.conflict) throw new DeskError('no_conflict', '该考生没有未解决的冲突。');
    return { kind: 'resolve', decision: input.decision, reasons, note: input.note.trim(), reviewer: who.name, payload: { resolved: heads.map((h) => h.id) } };
  });
  return decisionResult(e);
}

/** 待复核: 初审 decisions in force that a supervisor has not confirmed or overturned yet. */
export function pendingReview(ws: Workspace): ReviewItem[] {
  const states = allStates(ws);
  const out: ReviewItem[] = [];
  for (const a of listApplicantRecords(ws.db)) {
    const cur = stateIn(states, a.declared.idNumber).current;
    if (!cur || (cur.kind !== 'decision' && cur.kind !== 'undo') || cur.decision === null) continue;
    out.push({
      idNumber: a.declared.idNumber, idMasked: maskId(a.declared.idNumber), name: a.declared.name, category: a.declared.category, decision: cur.decision,
      reasons: cur.reasons, note: cur.note, reviewer: cur.reviewer, at: cur.at, eventId: cur.id,
    });
  }
  return out;
}

/** The 复核 queue as the supervisor's screen shows it (refused to reviewers). */
export function signoffQueue(ws: Workspace, as?: Credentials): ReviewItem[] {
  authorizeSupervisorView(ws, as);
  return pendingReview(ws);
}

/** 复核: confirm the 初审 decision, or overturn it (a new decision and a reason are required). */
export function recordReview(
  ws: Workspace, deviceId: string,
  input: { idNumber: string; verdict: 'confirm' | 'overturn'; decision?: Decision | undefined; reasons: string[]; note: string; as?: Credentials | undefined; by?: string | undefined },
): DecisionResult {
  const a = requireApplicant(ws.db, input.idNumber);
  const who = actor(ws, SUPERVISORS, input.as, input.by);
  requireNoConflict(ws, input.idNumber);
  const e = appendState(ws, deviceId, input.idNumber, (state): Draft => {
    const cur = state.current;
    if (!cur || cur.decision === null) throw new DeskError('nothing_to_review', '该考生还没有初审结论，无法复核。');
    if (input.verdict === 'confirm') {
      return {
        kind: 'review', decision: cur.decision, reasons: cur.reasons, note: input.note.trim() || cur.note, reviewer: who.name,
        payload: {
          verdict: 'confirm', of: cur.id, firstReviewer: cur.reviewer,
          ...(typeof cur.payload.basis === 'string' ? { basis: cur.payload.basis } : {}),
          ...(Array.isArray(cur.payload.verdicts) ? { verdicts: cur.payload.verdicts } : {}),
          ...(Array.isArray(cur.payload.override) ? { override: cur.payload.override } : {}),
        },
      };
    }
    if (!input.decision || input.decision === cur.decision) throw new DeskError('overturn_needs_decision', '改判必须给出与初审不同的结论。');
    if (input.reasons.length === 0 && input.note.trim() === '') throw new DeskError('reason_required', '改判必须说明理由。');
    const reasons = validateReasons(ws, { decision: input.decision, reasons: input.reasons, category: a.declared.category });
    return {
      kind: 'review', decision: input.decision, reasons, note: input.note.trim(), reviewer: who.name,
      payload: { verdict: 'overturn', of: cur.id, firstReviewer: cur.reviewer, firstDecision: cur.decision },
    };
  });
  return decisionResult(e);
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
  const drawnFor = new Set(eventsOfKind(ws.db, ['qc_draw']).map((q) => `${q.subject ?? ''}\u0000${String(q.payload.of)}`));
  const states = allStates(ws);
  const pool: { id: string; idNumber: string; reviewer: string }[] = [];
  for (const a of [...listApplicantRecords(ws.db)].sort((x, y) => (x.declared.idNumber < y.declared.idNumber ? -1 : 1))) {
    const cur = stateIn(states, a.declared.idNumber).current;
    if (!cur || cur.decision !== 'approve' || drawnFor.has(`${a.declared.idNumber}\u0000${cur.id}`)) continue;
    // A confirmed 复核 keeps the 初审 reviewer accountable; an overturn is the supervisor's own decision.
    const first = cur.kind === 'review' && cur.payload.verdict === 'confirm' && typeof cur.payload.firstReviewer === 'string' ? cur.payload.firstReviewer : cur.reviewer;
    pool.push({ id: cur.id, idNumber: a.declared.idNumber, reviewer: first });
  }
  const k = Math.min(pool.length, Math.ceil((pool.length * input.percent) / 100));
  const picked = shuffle(pool, input.seed).slice(0, k);
  appendEvents(ws, deviceId, picked.map((p) => ({ kind: 'qc_draw', subject: p.idNumber, reviewer: who.name, payload: { of: p.id, firstReviewer: p.reviewer, firstDecision: 'approve', percent: input.percent } })));
  return { drawn: picked.length, idNumbers: picked.map((p) => p.idNumber) };
}

function openDraws(ws: Workspace): SyncEvent[] {
  const reviewed = new Set(eventsOfKind(ws.db, ['qc_review']).map((r) => r.payload.draw));
  return eventsOfKind(ws.db, ['qc_draw']).filter((q) => !reviewed.has(q.id));
}

/** The blind queue: no first decision, no first reviewer. */
export function qcQueue(ws: Workspace): QcItem[] {
  const out: QcItem[] = [];
  for (const r of openDraws(ws)) {
    const a = findApplicant(ws.db, r.subject ?? '');
    if (a) out.push({ idNumber: a.declared.idNumber, idMasked: maskId(a.declared.idNumber), name: a.declared.name, category: a.declared.category, drawnAt: r.at });
  }
  return out;
}

export function recordQc(
  ws: Workspace, deviceId: string,
  input: { idNumber: string; decision: Decision; reasons: string[]; note: string; as?: Credentials | undefined; by?: string | undefined },
): { eventId: string; agreed: boolean } {
  const a = requireApplicant(ws.db, input.idNumber);
  const who = actor(ws, ALL_ROLES, input.as, input.by);
  const reasons = validateReasons(ws, { decision: input.decision, reasons: input.reasons, category: a.declared.category });
  const draw = openDraws(ws).find((r) => r.subject === input.idNumber);
  if (!draw) throw new DeskError('not_drawn', '该考生不在待抽检队列中。');
  const p = draw.payload;
  if (p.firstReviewer === who.name) throw new DeskError('qc_same_reviewer', '抽检须由初审以外的人完成。');
  const agreed = input.decision === p.firstDecision;
  const [e] = appendEvents(ws, deviceId, [{
    kind: 'qc_review', subject: input.idNumber, decision: input.decision, reasons, note: input.note.trim(), reviewer: who.name,
    payload: { draw: draw.id, of: p.of ?? null, firstReviewer: p.firstReviewer ?? null, agreed },
  }]);
  return { eventId: e?.id ?? '', agreed };
}

/** The agreement figures as the supervisor's screen shows them (refused to reviewers). */
export function qcFigures(ws: Workspace, as?: Credentials): QcAgreement[] {
  authorizeSupervisorView(ws, as);
  return qcAgreement(ws);
}

/** 一致率 per first reviewer. */
export function qcAgreement(ws: Workspace): QcAgreement[] {
  const by = new Map<string, QcAgreement>();
  for (const e of eventsOfKind(ws.db, ['qc_draw', 'qc_review'])) {
    const reviewer = typeof e.payload.firstReviewer === 'string' ? e.payload.firstReviewer : '';
    const r = by.get(reviewer) ?? { reviewer, sampled: 0, reviewed: 0, agreed: 0, rate: null };
    if (e.kind === 'qc_draw') r.sampled++;
    else {
      r.reviewed++;
      if (e.payload.agreed === true) r.agreed++;
    }
    by.set(reviewer, r);
  }
  return [...by.values()].sort((a, b) => (a.reviewer < b.reviewer ? -1 : a.reviewer > b.reviewer ? 1 : 0)).map((r) => ({ ...r, rate: r.reviewed > 0 ? r.agreed / r.reviewed : null }));
}

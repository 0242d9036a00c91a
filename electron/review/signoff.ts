/**
 * Who answers for a decision in force, as the review tables print it: the 初审 reviewer(s) and,
 * after 复核 or 裁定, the supervisor — read from the events of the log, never from the table. Also
 * how far the college's QC sample (抽检) has got, for the export's sign-off rules.
 */
import type { SyncEvent } from '../../shared/sync/events.js';
import { listApplicantRecords } from '../applicants/index.js';
import { eventById, eventsOfKind } from '../sync/index.js';
import type { Workspace } from '../workspace/index.js';
import { allStates, stateIn, type ApplicantState } from './state.js';

export interface Signoff {
  /** 初审人: who took the first-level decision (several when a 裁定 settled their conflict). */
  firstReviewers: string[];
  /** When the (earliest) 初审 decision was taken (ISO). */
  firstAt: string;
  /** 复核人: the supervisor who confirmed, overturned (改判) or settled (裁定) it; null before 复核. */
  supervisor: string | null;
  supervisorAt: string | null;
  how: 'first' | 'confirmed' | 'overturned' | 'resolved';
}

function signoffAt(ws: Workspace, e: SyncEvent, depth: number): Signoff {
  const p = e.payload;
  const lookup = (id: unknown): SyncEvent | null => (typeof id === 'string' && depth < 8 ? eventById(ws.db, id) : null);
  if (e.kind === 'review') {
    const first = lookup(p.of);
    const firstReviewer = typeof p.firstReviewer === 'string' ? p.firstReviewer : (first?.reviewer ?? '');
    return {
      firstReviewers: firstReviewer ? [firstReviewer] : [], firstAt: first?.at ?? e.at,
      supervisor: e.reviewer, supervisorAt: e.at, how: p.verdict === 'overturn' ? 'overturned' : 'confirmed',
    };
  }
  if (e.kind === 'resolve') {
    const heads = (Array.isArray(p.resolved) ? p.resolved : []).map(lookup).filter((x): x is SyncEvent => x !== null);
    const firsts = heads.map((h) => signoffAt(ws, h, depth + 1));
    return {
      firstReviewers: [...new Set(firsts.flatMap((f) => f.firstReviewers))],
      firstAt: firsts.map((f) => f.firstAt).sort()[0] ?? e.at,
      supervisor: e.reviewer, supervisorAt: e.at, how: 'resolved',
    };
  }
  // An undo brings an earlier decision back into force: that decision's people answer for it.
  const restored = e.kind === 'undo' ? lookup(p.restored) : null;
  if (restored) return signoffAt(ws, restored, depth + 1);
  return { firstReviewers: [e.reviewer], firstAt: e.at, supervisor: null, supervisorAt: null, how: 'first' };
}

/** The people and times behind the decision in force of one applicant. */
export function signoffOf(ws: Workspace, current: SyncEvent): Signoff {
  return signoffAt(ws, current, 0);
}

export interface QcProgress {
  /** Applicants on the list whose decision in force is 通过. */
  approved: number;
  /** Of those, how many were drawn for QC for the decision in force (or the 初审 it confirms). */
  sampled: number;
  /** Applicants drawn whose QC review has not been recorded yet. */
  open: Set<string>;
}

/** How far the blind QC sample has got, college-wide (drawQc draws from every approved applicant). */
export function qcProgress(ws: Workspace, states: ReadonlyMap<string, ApplicantState> = allStates(ws)): QcProgress {
  const events = eventsOfKind(ws.db, ['qc_draw', 'qc_review']);
  const reviewed = new Set(events.filter((e) => e.kind === 'qc_review').map((e) => e.payload.draw));
  const drawnFor = new Set<string>();
  const open = new Set<string>();
  for (const d of events) {
    if (d.kind !== 'qc_draw' || !d.subject) continue;
    drawnFor.add(`${d.subject}\u0000${String(d.payload.of)}`);
    if (!reviewed.has(d.id)) open.add(d.subject);
  }
  let approved = 0;
  let sampled = 0;
  for (const a of listApplicantRecords(ws.db)) {
    const id = a.declared.idNumber;
    const cur = stateIn(states, id).current;
    if (!cur || cur.decision !== 'approve') continue;
    approved++;
    // A 复核 confirmation becomes the decision in force; the draw was made for the 初审 it confirms.
    const of = cur.kind === 'review' && cur.payload.verdict === 'confirm' ? String(cur.payload.of) : '';
    if (drawnFor.has(`${id}\u0000${cur.id}`) || (of && drawnFor.has(`${id}\u0000${of}`))) sampled++;
  }
  return { approved, sampled, open };
}

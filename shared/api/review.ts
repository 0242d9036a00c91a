/**
 * The review area's calls (审核): the queue (index the renderer filters locally, and the same
 * filters through the contract), one round trip per applicant, decisions, undo and history,
 * rotation of scans, per-document verdicts, the reason catalogue (supervisors edit it), bulk
 * approve, status counts and the dashboard, preferences, and the team workflow: assignment,
 * conflicts and their resolution, 复核 (sign-off) and the QC sample.
 */
import { z } from 'zod';
import {
  CATEGORY_CODES,
  DECISIONS,
  DECISION_STATUSES,
  type ApplicantDeclared,
  type CategoryCode,
  type Decision,
  type DecisionStatus,
  type DocumentKind,
  type Reason,
} from '../domain.js';
import { QUEUE_SORTS, type FilterableRow } from '../pinyinSearch.js';
import type { EventKind } from '../sync/events.js';
import { CLARITY_VALUES, MATCH_VALUES, type ClarityValue, type MatchValue, type VerdictAspect, type VerdictValue } from '../sync/verdicts.js';
import { credentials } from './accounts.js';
import type { DocumentInfo } from './documents.js';

const idNumber = z.string().trim().min(1).max(40);
const reviewer = z.string().trim().min(1).max(60);
const name = reviewer;
/** Who acts, by typed name: the only identity before accounts exist; must match the session after. */
const by = name.optional();
const reasons = z.array(z.string().min(1).max(60)).max(20).default([]);
const note = z.string().max(2000).default('');

export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];

const reasonSchema = z
  .object({
    code: z.string().trim().regex(/^[a-z0-9_]{1,40}$/, '代码只能包含小写字母、数字和下划线'),
    label: z.string().trim().min(1).max(60),
    categories: z.array(z.enum(CATEGORY_CODES)).max(CATEGORY_CODES.length).default([]),
    retired: z.boolean().default(false),
  })
  .strict();

const documentId = z.number().int().positive();
/** One aspect of one scan; value null clears the verdict (an event too, so the clear syncs). */
const verdictSchema = z.discriminatedUnion('aspect', [
  z.object({ idNumber, documentId, aspect: z.literal('clarity'), value: z.enum(CLARITY_VALUES).nullable(), reviewer }).strict(),
  z.object({ idNumber, documentId, aspect: z.literal('match'), value: z.enum(MATCH_VALUES).nullable(), reviewer }).strict(),
]);

export const reviewArgs = {
  'applicants.list': z
    .object({
      category: z.enum(CATEGORY_CODES).optional(),
      status: z.enum(DECISION_STATUSES).optional(),
      /** Name, pinyin initials (zsf), or 4+ consecutive digits of an ID number or phone. */
      search: z.string().max(100).optional(),
      reviewer: z.string().trim().min(1).max(60).optional(),
      /** Only applicants with an error-level finding of the checks. */
      flagged: z.boolean().optional(),
      /** Only applicants whose declared data changed after their decision. */
      changed: z.boolean().optional(),
      sort: z.enum(QUEUE_SORTS).optional(),
    })
    .strict(),
  'applicants.get': z.object({ idNumber }).strict(),
  'decisions.record': z
    .object({
      idNumber,
      decision: z.enum(DECISIONS),
      reasons: z.array(z.string().min(1).max(60)).max(20).default([]),
      note: z.string().max(2000).default(''),
      reviewer: z.string().trim().min(1).max(60),
    })
    .strict(),
  'reasons.list': z.object({ category: z.enum(CATEGORY_CODES).optional() }).strict(),
  'status.summary': z.object({}).strict(),
  /** Split the queue: the applicants chosen by category, by row range or by hand go to `reviewer` ('' = unassign). */
  'assignments.set': z
    .object({
      reviewer: z.string().trim().max(60),
      category: z.enum(CATEGORY_CODES).optional(),
      fromRow: z.number().int().min(0).optional(),
      toRow: z.number().int().min(0).optional(),
      idNumbers: z.array(idNumber).max(20000).optional(),
      by,
      as: credentials.optional(),
    })
    .strict(),
  'assignments.list': z.object({}).strict(),
  'decisions.undo': z.object({ idNumber, reviewer: name }).strict(),
  'decisions.history': z.object({ idNumber }).strict(),
  'conflicts.list': z.object({}).strict(),
  'conflicts.resolve': z.object({ idNumber, decision: z.enum(DECISIONS), reasons, note, by, as: credentials.optional() }).strict(),
  /** The 复核 queue: a supervisor's (or an admin's) screen. */
  'signoff.pending': z.object({ as: credentials.optional() }).strict(),
  /** 复核: confirm the current 初审 decision, or overturn it with a new decision and a reason. */
  'signoff.record': z
    .object({ idNumber, verdict: z.enum(['confirm', 'overturn']), decision: z.enum(DECISIONS).optional(), reasons, note, by, as: credentials.optional() })
    .strict(),
  'qc.draw': z.object({ percent: z.number().min(0.1).max(100), seed: z.number().int().min(0).optional(), by, as: credentials.optional() }).strict(),
  'qc.queue': z.object({}).strict(),
  'qc.record': z.object({ idNumber, decision: z.enum(DECISIONS), reasons, note, by, as: credentials.optional() }).strict(),
  /** 一致率 per first reviewer: a supervisor's (or an admin's) figures. */
  'qc.agreement': z.object({ as: credentials.optional() }).strict(),
  'review.queue': z.object({}).strict(),
  'review.applicant': z.object({ idNumber }).strict(),
  'documents.verdict': verdictSchema,
  'review.rotation.set': z
    .object({ documentId, rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]) })
    .strict(),
  'review.reasons.catalogue': z.object({}).strict(),
  'review.reasons.save': z.object({ reasons: z.array(reasonSchema).min(1).max(200), editor: reviewer }).strict(),
  /** How many of these applicants a bulk approval would take, and why the others are left out. */
  'decisions.bulkPreview': z.object({ idNumbers: z.array(idNumber).min(1).max(20000), reviewer }).strict(),
  'decisions.bulkApprove': z.object({ idNumbers: z.array(idNumber).min(1).max(20000), reviewer }).strict(),
  /** Undoes one bulk approval as a unit (applicants decided again since are left alone). */
  'decisions.undoBulk': z.object({ bulkId: z.string().uuid(), reviewer }).strict(),
  'review.dashboard': z.object({ today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).strict(),
  'review.prefs.get': z.object({}).strict(),
  'review.prefs.set': z.object({ key: z.string().regex(/^[a-zA-Z0-9_.:-]{1,80}$/), value: z.string().max(4000) }).strict(),
} as const;

/** One row of the queue. Lists never carry full ID numbers (PII care). */
export interface ApplicantSummary {
  idNumber: string;
  idMasked: string;
  name: string;
  category: CategoryCode;
  status: DecisionStatus;
  reviewer: string | null;
  rowNo: number;
}

/** One entry of the append-only decision log. */
/** A scan's verdicts in force when a decision was taken, kept with it as codes (shown in the reader's language). */
export interface DecisionVerdict {
  sha256: string;
  documentKind: DocumentKind | null;
  clarity: ClarityValue | null;
  match: MatchValue | null;
}

/** One state event of an applicant's log (初审, 撤销, 裁定, 复核), as every surface shows it. */
export interface DecisionEvent {
  id: string;
  idNumber: string;
  kind: EventKind;
  /** The resulting decision; null = back to 待审. */
  decision: Decision | null;
  reasons: string[];
  /** What the reviewer typed, nothing added. */
  note: string;
  reviewer: string;
  deviceId: string;
  /** ISO time on the writing PC (for people; the order is the HLC's). */
  at: string;
  hlc: string;
  /** Still a candidate for the current state (nobody superseded it). */
  head: boolean;
  /** Verdicts on the scans in force when decided (bad ones first). */
  verdicts: DecisionVerdict[];
  /** Error-level findings the reviewer approved over, with a note (an override); null when none. */
  override: string[] | null;
  /** Part of a bulk approval (its id), undoable as one unit. */
  bulkId: string | null;
}

export interface ApplicantDetail {
  declared: ApplicantDeclared;
  rowNo: number;
  withdrawn: boolean;
  documents: DocumentInfo[];
  status: DecisionStatus;
  current: DecisionEvent | null;
  history: DecisionEvent[];
}

export interface StatusSummary {
  total: number;
  byDecision: Record<DecisionStatus, number>;
  byCategory: Record<CategoryCode, Record<DecisionStatus, number>>;
}

/** One step of an applicant's history: who, when, on which PC, what. */
export interface HistoryEntry {
  eventId: string;
  kind: EventKind;
  decision: Decision | null;
  reasons: string[];
  note: string;
  reviewer: string;
  deviceId: string;
  /** Workspace (PC copy) that wrote it. */
  origin: string;
  /** That PC by name (computer name + reviewer, or the name it was given in sync). */
  pcName: string;
  at: string;
  hlc: string;
  supersedes: string[];
  /** Still a candidate for the current decision (not superseded). */
  head: boolean;
  payload: Record<string, unknown>;
}

export interface ApplicantHistory {
  idNumber: string;
  status: DecisionStatus;
  conflict: boolean;
  assignedTo: string | null;
  entries: HistoryEntry[];
}

/** 冲突 — one applicant whose concurrent decisions disagree; the heads side by side. */
export interface ConflictItem {
  idNumber: string;
  idMasked: string;
  name: string;
  category: CategoryCode;
  heads: HistoryEntry[];
}

export interface DecisionResult {
  eventId: string;
  idNumber: string;
  status: DecisionStatus;
  kind: EventKind;
  reviewer: string;
  at: string;
}

export interface ReviewItem {
  idNumber: string;
  idMasked: string;
  name: string;
  category: CategoryCode;
  decision: Decision;
  reasons: string[];
  note: string;
  reviewer: string;
  at: string;
  eventId: string;
}

/** A QC item as the second reviewer sees it: blind — no first decision, no first reviewer. */
export interface QcItem {
  idNumber: string;
  idMasked: string;
  name: string;
  category: CategoryCode;
  drawnAt: string;
}

export interface QcAgreement {
  reviewer: string;
  sampled: number;
  reviewed: number;
  agreed: number;
  /** agreed / reviewed, or null before any QC review. */
  rate: number | null;
}

/**
 * One row of the queue index. Carries the full ID number and phone for local search (4+ digits);
 * lists display only the masked forms.
 */
export interface QueueRow extends FilterableRow {
  idMasked: string;
  phoneMasked: string;
  /** 分配: the reviewer this applicant was given to, or null. */
  assignee: string | null;
  /** A scan OCR reads has not been read yet (识别中): its frames and cross-checks are still missing. */
  ocrPending: boolean;
}

export interface QueueIndex {
  rows: QueueRow[];
}

/** A finding of the checks as the review view shows it. */
export interface ReviewFinding {
  checkId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  messageEn: string;
  field: string | null;
  documentId: number | null;
  suggestedReason: string | null;
  /** Other applicants the finding names (duplicates), so the desk can jump to them. */
  peers: PeerRef[];
}

/** Another applicant a finding names: the full ID (as in the message) to find it, the masked one and the name to show. */
export interface PeerRef {
  idNumber: string;
  idMasked: string;
  name: string;
}

/** The verdicts in force on one scan of the applicant (材料判定); absent aspects are unjudged. */
export interface DocumentVerdict {
  documentId: number;
  clarity: ClarityValue | null;
  match: MatchValue | null;
}

/** One verdict event of the applicant, for the history (documentId null: the scan is not on this PC). */
export interface VerdictEntry {
  eventId: string;
  documentId: number | null;
  documentKind: DocumentKind | null;
  aspect: VerdictAspect;
  /** null = cleared. */
  value: VerdictValue | null;
  reviewer: string;
  at: string;
}

/** The catalogue reason a 模糊 / 不一致 verdict preselects for this applicant's category (null: none in use). */
export interface VerdictReasons {
  blurry: string | null;
  mismatch: string | null;
}

export interface ReviewApplicant {
  detail: ApplicantDetail;
  /** Remembered rotation per document id (absent = 0). */
  rotations: Record<number, Rotation>;
  reasons: Reason[];
  findings: ReviewFinding[];
  changedAt: string | null;
  /** Current verdicts per document (only documents with at least one). */
  verdicts: DocumentVerdict[];
  /** Every verdict event of the applicant, oldest first (HLC order). */
  verdictLog: VerdictEntry[];
  verdictReasons: VerdictReasons;
  /**
   * The number key of each reason in use (1–9, then 0 for 10): the same reason has the same key in
   * every category (shared/review/reasonKeys.ts). A reason without an entry has no key.
   */
  reasonKeys: Record<string, number>;
}

/** Why applicants of a bulk approval are left out, counted. */
export interface BulkExcluded {
  /** No longer on the list. */
  notOnList: number;
  /** A decision is in force already (a bulk never changes one). */
  decided: number;
  conflict: number;
  /** A finding of any level: each needs a look of its own. */
  findings: number;
  /** A scan OCR has not read yet. */
  ocrPending: number;
  /** Assigned to another reviewer. */
  notAssigned: number;
}

export interface BulkPreview {
  eligible: number;
  excluded: BulkExcluded;
}

export interface BulkResult {
  approved: number;
  /** Undo the whole approval with decisions.undoBulk; null when nobody was taken. */
  bulkId: string | null;
  excluded: BulkExcluded;
}

export interface ReasonEntry extends Reason {
  retired: boolean;
}

export type CountByStatus = Record<DecisionStatus, number>;

export interface Dashboard {
  total: number;
  byStatus: CountByStatus;
  byCategory: { category: CategoryCode; counts: CountByStatus }[];
  byReviewer: { reviewer: string; decided: number; today: number }[];
  /** 'YYYY-MM-DD' in China time. */
  today: string;
  todayDecisions: number;
  /** Decisions per day over the last days that had any (null = no history yet). */
  pacePerDay: number | null;
  /** The rules year's deadline (resources/rules/<year>.json), unless the college set its own. */
  deadline: string;
  /** What the rules of the college's year say, and that year. */
  rulesDeadline: string;
  rulesYear: number;
  /** Projected date the pending count reaches zero at that pace, or null. */
  projectedFinish: string | null;
  onTrack: boolean | null;
  /** What still blocks a final export: 待审, 冲突, approvals over an error finding without an override, 变更待复核. */
  blockers: { undecided: number; conflicts: number; flagged: number; changedSinceDecided: number };
  /** 分配: each reviewer's share and how much of it has a decision. */
  assignments: { reviewer: string; assigned: number; decided: number }[];
}

export interface ReviewResults {
  'applicants.list': ApplicantSummary[];
  'applicants.get': ApplicantDetail;
  'decisions.record': { event: DecisionEvent; status: DecisionStatus };
  'reasons.list': Reason[];
  'status.summary': StatusSummary;
  'assignments.set': { eventId: string; reviewer: string; assigned: number };
  'assignments.list': { reviewer: string; count: number; idNumbers: string[] }[];
  'decisions.undo': DecisionResult & { restored: DecisionStatus; undone: DecisionStatus };
  'decisions.history': ApplicantHistory;
  'conflicts.list': ConflictItem[];
  'conflicts.resolve': DecisionResult;
  'signoff.pending': ReviewItem[];
  'signoff.record': DecisionResult;
  'qc.draw': { drawn: number; idNumbers: string[] };
  'qc.queue': QcItem[];
  'qc.record': { eventId: string; agreed: boolean };
  'qc.agreement': QcAgreement[];
  'review.queue': QueueIndex;
  'review.applicant': ReviewApplicant;
  'documents.verdict': { idNumber: string; verdicts: DocumentVerdict[]; entry: VerdictEntry | null };
  'review.rotation.set': { documentId: number; rotation: Rotation };
  'review.reasons.catalogue': ReasonEntry[];
  'review.reasons.save': ReasonEntry[];
  'decisions.bulkPreview': BulkPreview;
  'decisions.bulkApprove': BulkResult;
  'decisions.undoBulk': { undone: number; kept: number };
  'review.dashboard': Dashboard;
  'review.prefs.get': Record<string, string>;
  'review.prefs.set': { key: string; value: string };
}

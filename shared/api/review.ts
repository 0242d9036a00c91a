/**
 * The review workspace's calls (审核工作台): the queue index the renderer filters locally, one
 * round trip per applicant, rotation of scans, per-document verdicts, the editable reason
 * catalogue (supervisors only), bulk approve, the progress dashboard and workspace preferences.
 */
import { z } from 'zod';
import { CATEGORY_CODES, type CategoryCode, type DocumentKind, type Reason } from '../domain.js';
import type { FilterableRow } from '../pinyinSearch.js';
import { CLARITY_VALUES, MATCH_VALUES, type ClarityValue, type MatchValue, type VerdictAspect, type VerdictValue } from '../sync/verdicts.js';
import type { ApplicantDetail } from './core.js';

const idNumber = z.string().trim().min(1).max(40);
const reviewer = z.string().trim().min(1).max(60);

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
  'review.queue': z.object({}).strict(),
  'review.applicant': z.object({ idNumber }).strict(),
  'documents.verdict': verdictSchema,
  'review.rotation.set': z
    .object({ documentId, rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]) })
    .strict(),
  'review.reasons.catalogue': z.object({}).strict(),
  'review.reasons.save': z.object({ reasons: z.array(reasonSchema).min(1).max(200), editor: reviewer }).strict(),
  'decisions.bulkApprove': z.object({ idNumbers: z.array(idNumber).min(1).max(20000), reviewer }).strict(),
  'review.dashboard': z.object({ today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).strict(),
  'review.prefs.get': z.object({}).strict(),
  'review.prefs.set': z.object({ key: z.string().regex(/^[a-zA-Z0-9_.:-]{1,80}$/), value: z.string().max(4000) }).strict(),
} as const;

/**
 * One row of the queue index. Carries the full ID number and phone for local search (4+ digits);
 * lists display only the masked forms.
 */
export interface QueueRow extends FilterableRow {
  idMasked: string;
  phoneMasked: string;
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
}

export interface ReasonEntry extends Reason {
  retired: boolean;
}

export interface CountByStatus {
  pending: number;
  approve: number;
  reject: number;
  return: number;
}

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
  deadline: string;
  /** Projected date the pending count reaches zero at that pace, or null. */
  projectedFinish: string | null;
  onTrack: boolean | null;
  blockers: { undecided: number; flagged: number; changedSinceDecided: number };
}

export interface ReviewResults {
  'review.queue': QueueIndex;
  'review.applicant': ReviewApplicant;
  'documents.verdict': { idNumber: string; verdicts: DocumentVerdict[]; entry: VerdictEntry | null };
  'review.rotation.set': { documentId: number; rotation: Rotation };
  'review.reasons.catalogue': ReasonEntry[];
  'review.reasons.save': ReasonEntry[];
  'decisions.bulkApprove': { approved: number; skipped: number };
  'review.dashboard': Dashboard;
  'review.prefs.get': Record<string, string>;
  'review.prefs.set': { key: string; value: string };
}

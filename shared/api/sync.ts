/**
 * Several reviewers on several offline PCs (issue 7): accounts, assignment, undo, history,
 * conflicts, two-level sign-off (初审 → 复核), QC sampling, sync bundles and the audit.
 * Calls that need a role accept optional one-shot credentials `as` (CLI); otherwise the
 * signed-in session of the open workspace acts.
 */
import { z } from 'zod';
import { CATEGORY_CODES, DECISIONS, type CategoryCode, type Decision, type DecisionStatus } from '../domain.js';
import type { EventKind } from '../sync/events.js';

/** 审核员 / 复核人 / 管理员 */
export type Role = 'reviewer' | 'supervisor' | 'admin';
export const ROLES = ['reviewer', 'supervisor', 'admin'] as const;
export interface Account {
  name: string;
  role: Role;
}

const idNumber = z.string().trim().min(1).max(40);
const name = z.string().trim().min(1).max(60);
/** A password or a PIN of at least 4 characters. */
const secret = z.string().min(4).max(200);
const credentials = z.object({ name, secret }).strict();
/** Who acts, by typed name: the only identity before accounts exist; must match the session after. */
const by = name.optional();
export type Credentials = z.output<typeof credentials>;
const reasons = z.array(z.string().min(1).max(60)).max(20).default([]);
const note = z.string().max(2000).default('');
const passphrase = {
  /** Name of the environment variable holding the college's sync passphrase. */
  passphraseEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('DESK_SYNC_PASSPHRASE'),
  /** The passphrase itself (the UI's field); wins over passphraseEnv. */
  passphrase: z.string().min(1).max(500).optional(),
};

export const syncArgs = {
  'accounts.create': z.object({ name, role: z.enum(ROLES), secret, as: credentials.optional() }).strict(),
  'accounts.signIn': credentials,
  'accounts.signOut': z.object({}).strict(),
  'accounts.whoami': z.object({}).strict(),
  'accounts.list': z.object({}).strict(),
  'accounts.resetSecret': z.object({ name, secret, as: credentials.optional() }).strict(),
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
  'signoff.pending': z.object({}).strict(),
  /** 复核: confirm the current 初审 decision, or overturn it with a new decision and a reason. */
  'signoff.record': z
    .object({ idNumber, verdict: z.enum(['confirm', 'overturn']), decision: z.enum(DECISIONS).optional(), reasons, note, by, as: credentials.optional() })
    .strict(),
  'qc.draw': z.object({ percent: z.number().min(0.1).max(100), seed: z.number().int().min(0).optional(), by, as: credentials.optional() }).strict(),
  'qc.queue': z.object({}).strict(),
  'qc.record': z.object({ idNumber, decision: z.enum(DECISIONS), reasons, note, by, as: credentials.optional() }).strict(),
  'qc.agreement': z.object({}).strict(),
  'sync.export': z.object({ out: z.string().min(1).max(4096), peer: z.string().max(80).optional(), noScans: z.boolean().default(false), ...passphrase }).strict(),
  'sync.import': z.object({ file: z.string().min(1).max(4096), ...passphrase }).strict(),
  'sync.status': z.object({}).strict(),
  /** 与文件夹同步: import every other PC's bundle found in the folder, then write this PC's own there. */
  'sync.withFolder': z.object({ folder: z.string().trim().min(1).max(4096), ...passphrase }).strict(),
  /** A peer workspace for another PC: same college id and applicant list, its own workspace id. */
  'workspace.clone': z.object({ out: z.string().min(1).max(4096), noScans: z.boolean().default(false) }).strict(),
  'audit.verify': z.object({}).strict(),
} as const;

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

export interface SyncExportReport {
  file: string;
  bytes: number;
  events: number;
  blobs: number;
  documents: number;
  peer: string | null;
  collegeId: string;
  workspaceId: string;
}

export interface DriftReport {
  origin: string;
  hlc: string;
  /** How far ahead of this PC's clock the remote event was stamped. */
  driftMs: number;
}

export interface SyncImportReport {
  file: string;
  fromWorkspace: string;
  eventsInBundle: number;
  eventsAdded: number;
  duplicates: number;
  blobsAdded: number;
  documentsAdded: number;
  conflicts: number;
  drift: DriftReport[];
  ms: number;
}

/** One visit to a sync folder: what came in from the other PCs and what this PC left there. */
export interface SyncFolderReport {
  folder: string;
  exported: { file: string; bytes: number; events: number; blobs: number };
  imported: SyncImportReport[];
  /** Bundles refused (another college, tampered, gap…): the others still merge. */
  skipped: { file: string; code: string; message: string }[];
  /** Bundles already merged on an earlier visit. */
  unchanged: number;
  /** Open conflicts after the exchange. */
  conflicts: number;
}

export interface SyncStatus {
  collegeId: string;
  workspaceId: string;
  marks: Record<string, number>;
  peers: { workspaceId: string; marks: Record<string, number>; lastBundleAt: string | null }[];
  conflicts: number;
  recentDrift: DriftReport[];
}

export interface AuditReport {
  ok: boolean;
  events: number;
  origins: number;
  problems: { origin: string; originSeq: number; eventId: string; problem: 'gap' | 'prev_hash' | 'hash' }[];
}

export interface SyncResults {
  'accounts.create': Account;
  'accounts.signIn': Account;
  'accounts.signOut': { signedOut: true };
  'accounts.whoami': { account: Account | null; accountsEnabled: boolean };
  'accounts.list': Account[];
  'accounts.resetSecret': Account;
  'assignments.set': { eventId: string; reviewer: string; assigned: number };
  'assignments.list': { reviewer: string; count: number; idNumbers: string[] }[];
  'decisions.undo': DecisionResult;
  'decisions.history': ApplicantHistory;
  'conflicts.list': ConflictItem[];
  'conflicts.resolve': DecisionResult;
  'signoff.pending': ReviewItem[];
  'signoff.record': DecisionResult;
  'qc.draw': { drawn: number; idNumbers: string[] };
  'qc.queue': QcItem[];
  'qc.record': { eventId: string; agreed: boolean };
  'qc.agreement': QcAgreement[];
  'sync.export': SyncExportReport;
  'sync.import': SyncImportReport;
  'sync.status': SyncStatus;
  'sync.withFolder': SyncFolderReport;
  'workspace.clone': { dir: string; workspaceId: string; collegeId: string; applicants: number; events: number };
  'audit.verify': AuditReport;
}

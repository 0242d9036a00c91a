/**
 * Eligibility checks (资格检查): run them, read one applicant's findings, counts per check, import
 * the cross-check lists (上年考生, 上半年已录取) and check the college's photo folder.
 */
import { z } from 'zod';
import { CROSS_LIST_KINDS, type CrossListKind } from '../checks/lists.js';
import type { PhotoProblemCode, PhotoRow, PhotoSpec } from '../checks/photos.js';
import type { CheckSummary } from '../checks/runner.js';
import type { CheckResult, Severity } from '../checks/types.js';

export type { CheckResult, Severity } from '../checks/types.js';

export const checksArgs = {
  /** All applicants, or only `idNumber` (and whoever it collides with) when given. */
  'checks.run': z.object({ idNumber: z.string().trim().min(1).max(40).optional() }).strict(),
  'checks.get': z.object({ idNumber: z.string().trim().min(1).max(40) }).strict(),
  'checks.summary': z.object({}).strict(),
  /** Every applicant with findings (the CLI report); `rerun` recomputes first. */
  'checks.report': z.object({ rerun: z.boolean().default(false), severity: z.enum(['error', 'warning', 'info']).optional() }).strict(),
  /** The previous-year list (kept from before the lists were generalised; = lists.import kind previous). */
  'previous.import': z.object({ listPath: z.string().min(1).max(4096), by: z.string().trim().min(1).max(60).optional() }).strict(),
  /** A cross-check list of one kind (xlsx/CSV of ID numbers), replacing the one in force on every PC. */
  'lists.import': z.object({ kind: z.enum(CROSS_LIST_KINDS), listPath: z.string().min(1).max(4096), by: z.string().trim().min(1).max(60).optional() }).strict(),
  'lists.status': z.object({}).strict(),
  /**
   * The college's photo folder against the list (one photo per ID number, type, pixels, bytes,
   * portrait); `reportPath` (a new .xlsx) gets the report the registrar fixes the folder from.
   */
  'checks.photos': z.object({
    folder: z.string().min(1).max(4096),
    reportPath: z.string().min(1).max(4096).regex(/\.xlsx$/i, '报告文件应为 .xlsx').optional(),
  }).strict(),
} as const;

/** One applicant's findings in the report. */
export interface ApplicantChecks {
  idNumber: string;
  idMasked: string;
  name: string;
  rowNo: number;
  results: CheckResult[];
}

export interface CheckReport {
  summary: CheckSummaryView;
  /** Applicants with at least one finding (of `severity` when given), in list order. */
  applicants: ApplicantChecks[];
}

export interface CheckRunReport {
  applicants: number;
  results: number;
  /** Scans examined in this run (the rest came from the facts cache). */
  factsComputed: number;
  ms: number;
  rulesVersion: string;
  bySeverity: Record<Severity, number>;
}

export interface CheckSummaryView extends CheckSummary {
  rulesVersion: string;
  /** Catalogue titles of every check id, for display. */
  titles: Record<string, { title: string; titleEn: string; severity: Severity }>;
}

export interface CrossListImportReport {
  kind: CrossListKind;
  /** The list's name, e.g. 上年专升本考生名单. */
  label: string;
  file: string;
  /** ID numbers imported from the list (including `invalid` ones). */
  listed: number;
  /** Of those, current applicants of this workspace (now flagged by the list's check). */
  matched: number;
  /** Values that cannot be ID numbers any more (Excel turned them into numbers): not imported. */
  rejected: { value: string; problem: string }[];
  /**
   * 18-character values failing GB 11643 (check digit, date, region): imported as written, since
   * an applicant who registered with the same wrong number is still the same person.
   */
  invalid: { value: string; problem: string }[];
}

export interface ChecksResults {
  'checks.run': CheckRunReport;
  'checks.get': CheckResult[];
  'checks.summary': CheckSummaryView;
  'checks.report': CheckReport;
  'previous.import': CrossListImportReport;
  'lists.import': CrossListImportReport;
  'lists.status': CrossListStatus[];
  'checks.photos': PhotoCheckReport;
}

export type { PhotoProblemCode, PhotoRow, PhotoSpec } from '../checks/photos.js';

/** 学籍照片核对 of one folder. */
export interface PhotoCheckReport {
  folder: string;
  rulesVersion: string;
  /** The year's photo requirements the files were held to. */
  spec: PhotoSpec;
  applicants: number;
  files: number;
  /** Applicants with exactly one photo and nothing wrong with it. */
  ok: number;
  /** Problems per kind. */
  counts: Record<PhotoProblemCode, number>;
  /** Applicants (list order) and stray files with at least one problem. */
  rows: PhotoRow[];
  /** The xlsx written, or null when none was asked for. */
  reportFile: string | null;
  ms: number;
}

/** The previous-year list's report (the name the CLI has always printed). */
export type PreviousImportReport = CrossListImportReport;

/** One cross-check list in force. */
export interface CrossListStatus {
  kind: CrossListKind;
  label: string;
  imported: boolean;
  file: string;
  /** Who imported it and when (empty for a list from before lists were events). */
  by: string;
  at: string;
  listed: number;
  /** Current applicants on it. */
  matched: number;
  /** Carried by the event log (false: a pre-issue-17 table list of this PC only). */
  synced: boolean;
}

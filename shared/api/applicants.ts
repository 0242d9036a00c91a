/**
 * The import area of the contract: preview (first rows + proposed column mapping), run (with an
 * explicit mapping), progress and cancel for large imports, an applicant's data-change history,
 * and the error table as xlsx for the platform administrator.
 */
import { z } from 'zod';
import type { DeclaredField } from '../domain.js';

/** Where a column of the list goes. 'ignore' drops a column the desk does not need. */
export const IMPORT_TARGETS = [
  'name', 'sex', 'idNumber', 'phone', 'category', 'school', 'major', 'gradYear', 'dischargeCertNo',
  'enlistDate', 'dischargeDate', 'merit', 'competition', 'award', 'awardLevel', 'awardDate', 'hukou',
  'povertyIssuer', 'targetSchool', 'targetMajor', 'craftEnrollDate', 'craftGradDate', 'craftContest', 'craftContestLevel',
  'rowNo', 'attachments', 'examNo', 'ignore',
] as const satisfies readonly (DeclaredField | 'rowNo' | 'attachments' | 'examNo' | 'ignore')[];
export type ImportTarget = (typeof IMPORT_TARGETS)[number];

/** Header text exactly as in the file → target. Columns not named keep the proposed mapping. */
export const columnMapping = z.record(z.string().min(1).max(200), z.enum(IMPORT_TARGETS));
export type ColumnMapping = z.infer<typeof columnMapping>;

const path = z.string().min(1).max(4096);

const importProblem = z
  .object({
    file: z.string().max(4096),
    sheet: z.string().max(200).optional(),
    row: z.number().int().optional(),
    column: z.string().max(200).optional(),
    value: z.string().max(4096).optional(),
    code: z.string().max(100),
    message: z.string().max(4096),
  })
  .strict();

export const applicantsArgs = {
  'import.preview': z
    .object({
      listPath: path,
      /** Worksheet to read; default: the first one with a recognisable header row. */
      sheet: z.string().min(1).max(200).optional(),
      mapping: columnMapping.optional(),
      rows: z.number().int().min(1).max(100).default(10),
    })
    .strict(),
  'import.run': z
    .object({
      listPath: path,
      attachmentsPath: path.optional(),
      sheet: z.string().min(1).max(200).optional(),
      mapping: columnMapping.optional(),
      /** A JSON file holding a ColumnMapping (the CLI's --map). */
      mapPath: path.optional(),
      /** Check everything and report what would change, write nothing (the wizard's validation step). */
      dryRun: z.boolean().default(false),
      /**
       * How many applicants with a decision the importer confirmed this list withdraws (the dry
       * run's `withdrawnDecided`). Required, and must match, when the import would withdraw any.
       */
      confirmWithdrawDecided: z.number().int().min(0).max(1_000_000).optional(),
    })
    .strict(),
  'import.progress': z.object({}).strict(),
  'import.cancel': z.object({}).strict(),
  'import.changes': z.object({ idNumber: z.string().trim().min(1).max(40) }).strict(),
  'import.errorsXlsx': z
    .object({
      problems: z.array(importProblem).max(200_000),
      /** Write the workbook here; without a path it is returned as base64. */
      path: path.optional(),
    })
    .strict(),
} as const;

export interface PreviewColumn {
  index: number;
  header: string;
  /** Proposed (or remembered, or given) target; null when the column is unknown. */
  target: ImportTarget | null;
  /** Another column claims the same target (first one wins unless a mapping says otherwise). */
  ambiguous: boolean;
}

export interface ImportPreview {
  file: string;
  /** Format detected from the bytes, e.g. 'xlsx', 'csv-utf8', 'csv-gb18030', 'tsv-utf16le'. */
  format: string;
  sheets: string[];
  sheet: string | null;
  /** 1-based row of the header as the registrar sees it; null when none was found. */
  headerRow: number | null;
  columns: PreviewColumn[];
  /** Required fields that no column maps to. */
  missing: DeclaredField[];
  /** The first data rows, raw text, in column order. */
  rows: { row: number; cells: string[] }[];
  dataRows: number;
  /** Identifies the header layout; remembered mappings are stored under it. */
  signature: string;
  /** The mapping came (partly) from a previous import with the same header. */
  remembered: boolean;
}

export type ImportPhase = 'idle' | 'reading' | 'checking' | 'attachments' | 'writing' | 'done' | 'failed' | 'cancelled';

export interface ImportProgress {
  running: boolean;
  phase: ImportPhase;
  /** Units done / total in the current phase (rows or files); total 0 when unknown. */
  done: number;
  total: number;
  file: string | null;
}

/** One declared-data change an import made to an applicant. */
export interface ApplicantChange {
  importId: string;
  file: string;
  at: string;
  field: string;
  oldValue: string;
  newValue: string;
}

export interface ApplicantsResults {
  'import.preview': ImportPreview;
  'import.run': ImportReport;
  'import.progress': ImportProgress;
  'import.cancel': { cancelled: boolean };
  'import.changes': { idNumber: string; changedSinceDecided: string | null; changes: ApplicantChange[] };
  'import.errorsXlsx': { rows: number; path?: string; base64?: string };
}

/** A row-precise problem found in an import file. */
export interface ImportProblem {
  file: string;
  sheet?: string;
  row?: number;
  column?: string;
  value?: string;
  code: string;
  message: string;
}

export interface ImportReport {
  importId: string;
  file: string;
  added: number;
  updated: number;
  unchanged: number;
  documents: number;
  blobsStored: number;
  /** Problems that did not refuse the import (e.g. a wrong check digit, an unmatched attachment). */
  warnings: ImportProblem[];
  /** Applicants of earlier lists missing from this one, now marked withdrawn (never deleted). */
  withdrawn: number;
  /** Of those, how many had a decision (or a conflict): an import withdrawing any needs `confirmWithdrawDecided`. */
  withdrawnDecided: number;
  /** The attachments looked at: files found, and files matched to an applicant with an accepted type; null without attachments. */
  attachments: { files: number; accepted: number } | null;
  /** Applicants whose declared data changed although they already had a decision. */
  changedSinceDecided: number;
  /** Every value the import normalised (full-width digits, dates, category short forms…). */
  normalisations: { row: number; column: string; from: string; to: string }[];
  sheet: string | null;
  format: string;
  ms: number;
}


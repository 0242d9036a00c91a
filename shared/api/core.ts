/**
 * The core calls of the desk: workspace, queue, applicant, decisions, import, status, demo.
 * Each call = one zod schema for its argument + one result type. Areas added by later work live in
 * their own file next to this one and are merged in ./index.ts.
 */
import { z } from 'zod';
import {
  CATEGORY_CODES,
  DECISIONS,
  DOCUMENT_KIND_CODES,
  type ApplicantDeclared,
  type CategoryCode,
  type Decision,
  type DecisionStatus,
  type DocumentKind,
  type Reason,
} from '../domain.js';
import { QUEUE_SORTS } from '../pinyinSearch.js';

const idNumber = z.string().trim().min(1).max(40);

export const coreArgs = {
  'workspace.info': z.object({}).strict(),
  'applicants.list': z
    .object({
      category: z.enum(CATEGORY_CODES).optional(),
      status: z.enum(['pending', ...DECISIONS]).optional(),
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
  'demo.generate': z
    .object({
      out: z.string().min(1).max(4096),
      applicants: z.number().int().min(1).max(20000).default(300),
      seed: z.number().int().min(0).max(2 ** 31).default(1),
      /** Skip rendering scans (list only); used by large benchmarks. */
      listOnly: z.boolean().default(false),
    })
    .strict(),
} as const;

export interface WorkspaceInfo {
  workspaceId: string;
  college: string;
  deviceId: string;
  schemaVersion: number;
  applicants: number;
}

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

/** 材料 — an uploaded scan of an applicant, served to the renderer by id only. */
export interface DocumentInfo {
  id: number;
  kind: DocumentKind;
  mime: string;
  originalName: string;
  size: number;
  sha256: string;
}

/** One entry of the append-only decision log. */
export interface DecisionEvent {
  id: string;
  idNumber: string;
  decision: Decision;
  reasons: string[];
  note: string;
  reviewer: string;
  deviceId: string;
  /** ISO time of the decision. */
  at: string;
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
  /** Applicants whose declared data changed although they already had a decision. */
  changedSinceDecided: number;
  /** Every value the import normalised (full-width digits, dates, category short forms…). */
  normalisations: { row: number; column: string; from: string; to: string }[];
  sheet: string | null;
  format: string;
  ms: number;
}

export interface StatusSummary {
  total: number;
  byDecision: Record<DecisionStatus, number>;
  byCategory: Record<CategoryCode, Record<DecisionStatus, number>>;
}

export interface DemoSummary {
  out: string;
  applicants: number;
  documents: number;
  defects: number;
  listFile: string;
  attachmentsDir: string;
}

export interface CoreResults {
  'workspace.info': WorkspaceInfo;
  'applicants.list': ApplicantSummary[];
  'applicants.get': ApplicantDetail;
  'decisions.record': { event: DecisionEvent; status: DecisionStatus };
  'reasons.list': Reason[];
  'status.summary': StatusSummary;
  'demo.generate': DemoSummary;
}

export { DOCUMENT_KIND_CODES };

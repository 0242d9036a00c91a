/**
 * Types of the eligibility checks (资格检查). Pure: the checks see declared data, facts about each
 * scan computed by the service layer, and the applicant's peers in the workspace — never I/O.
 */
import type { ApplicantDeclared, CategoryCode, DocumentKind } from '../domain.js';
import type { CrossListKind } from './lists.js';
import type { Rules } from './rules.js';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES = ['error', 'warning', 'info'] as const;

/** What a scan's bytes say, computed once per sha256 (file facts, 文件检测结果). */
export interface DocumentFacts {
  sha256: string;
  size: number;
  /** Type from magic bytes; 'missing' when the blob is not in the store. */
  type: 'pdf' | 'jpeg' | 'png' | 'webp' | 'bmp' | 'tiff' | 'unknown' | 'empty' | 'missing';
  /** Pixel size of an image; null for PDFs and unreadable files. */
  width: number | null;
  height: number | null;
  /** Share of clearly dark pixels on a downscaled decode (0 = white paper); null when not an image. */
  ink: number | null;
  /** 8×8 difference hash as 16 hex digits; null when not a decodable image. */
  dhash: string | null;
  /** The file decodes (image) or is structurally whole (PDF). */
  readable: boolean;
  /** PDF page count when the structure gives it. */
  pages: number | null;
  /** Why the file is not readable, for the message ('' when readable). */
  problem: string;
}

/** 材料 as the checks see it. */
export interface CheckDocument {
  id: number;
  kind: DocumentKind;
  originalName: string;
  sha256: string;
  /** null when facts were not computed (the check then says so instead of guessing). */
  facts: DocumentFacts | null;
}

/** Other applicants this one collides with, found by the runner or the service's indexes. */
export interface Peers {
  /** Same 手机号. */
  samePhone: string[];
  /** Same first 17 digits of the ID number (same person, check digit typed differently). */
  sameId17: string[];
  /** Per own document: other applicants holding the byte-identical file. */
  sameScan: { documentId: number; others: string[] }[];
  /** Per own document: other applicants holding a perceptually near-identical image. */
  similarScan: { documentId: number; others: string[] }[];
  /** The cross-check lists the applicant's ID number is on (上年考生, 上半年已录取 …). */
  onLists: CrossListKind[];
}

export const NO_PEERS: Peers = { samePhone: [], sameId17: [], sameScan: [], similarScan: [], onLists: [] };

export interface CheckInput {
  declared: ApplicantDeclared;
  documents: CheckDocument[];
  peers: Peers;
}

/** One finding of one check about one applicant (stored in check_results). */
export interface CheckResult {
  checkId: string;
  severity: Severity;
  /** Chinese message shown to the reviewer. */
  message: string;
  messageEn: string;
  field?: keyof ApplicantDeclared;
  documentId?: number;
  /** Reason code (SEED_REASONS) to preselect if the reviewer rejects on this finding. */
  suggestedReason?: string;
  /** Other applicants involved (duplicates), so a recheck of one also refreshes them. */
  peers?: string[];
}

/** What a check's function returns; the runner adds id, severity and reason from the catalogue. */
export interface Finding {
  message: string;
  messageEn: string;
  field?: keyof ApplicantDeclared;
  documentId?: number;
  peers?: string[];
}

export interface CheckDef {
  id: string;
  severity: Severity;
  /** Categories the check applies to; empty = every category. */
  categories: CategoryCode[];
  title: string;
  titleEn: string;
  suggestedReason?: string;
  run(input: CheckInput, rules: Rules): Finding[];
}

/**
 * The OCR area (识别核对): the desk reads the certificates in the background and compares what
 * they show with the declared data. Results per document carry boxes so the viewer can draw
 * green (agree), red (differ) and amber "?" (unsure: a doubtful reading) frames over the scan.
 */
import { z } from 'zod';
import type { DocumentKind } from '../domain.js';
import type { OcrFieldCheck, OcrStatus, Rotation } from '../ocr/types.js';

// Rotation is not re-exported: the review area has its own (the reviewer's manual turn).
export type { Box, OcrFieldCheck, OcrStatus } from '../ocr/types.js';

const idNumber = z.string().trim().min(1).max(40);

export const ocrArgs = {
  /** Fields, boxes and statuses of one document (read from the cache; never starts a read). */
  'ocr.forDocument': z.object({ documentId: z.number().int().positive() }).strict(),
  /** Every read document of one applicant. */
  'ocr.forApplicant': z.object({ idNumber }).strict(),
  'ocr.status': z.object({}).strict(),
  /** Starts (or resumes) the background queue: all unread documents, or one applicant's first. */
  'ocr.start': z.object({ idNumber: idNumber.optional() }).strict(),
  /** Pauses after the page being read; `ocr.start` resumes. */
  'ocr.pause': z.object({}).strict(),
  /** Reads now and waits (CLI, tests): all unread documents, or one applicant's. */
  'ocr.run': z.object({ idNumber: idNumber.optional() }).strict(),
} as const;

export interface OcrPageInfo {
  page: number;
  /** The frame every box of the page is in (the upright page). */
  width: number;
  height: number;
  /** Clockwise degrees the stored image must be turned to stand upright. */
  rotation: Rotation;
  source: 'text' | 'ocr';
}

export interface OcrDocumentView {
  documentId: number;
  idNumber: string;
  kind: DocumentKind;
  originalName: string;
  /** 'done': read and checked; 'queued': not read yet; 'failed': unreadable file; 'skipped': a kind without text (照片). */
  state: 'done' | 'queued' | 'failed' | 'skipped';
  problem: string;
  pages: OcrPageInfo[];
  fields: OcrFieldCheck[];
}

export interface OcrQueueStatus {
  state: 'idle' | 'running' | 'paused';
  /** Documents read (or taken from the cache) since the queue was started. */
  done: number;
  /** Documents in this run (done + waiting). */
  total: number;
  /** Documents of the workspace that have no reading yet. */
  unread: number;
  current: string | null;
  pagesRead: number;
  /** Average milliseconds per page of this run's fresh reads (0 before the first). */
  msPerPage: number;
  lastError: string | null;
}

export interface OcrRunReport {
  documents: number;
  /** Scans read in this run; the rest came from the cache (by sha256). */
  read: number;
  cached: number;
  pages: number;
  ms: number;
  byStatus: Record<OcrStatus, number>;
  documentsView: OcrDocumentView[];
}

export interface OcrResults {
  'ocr.forDocument': OcrDocumentView;
  'ocr.forApplicant': OcrDocumentView[];
  'ocr.status': OcrQueueStatus;
  'ocr.start': OcrQueueStatus;
  'ocr.pause': OcrQueueStatus;
  'ocr.run': OcrRunReport;
}

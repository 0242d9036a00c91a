/**
 * 材料 — the scans of applicants, served by id only (the renderer never sees a file path).
 */
import { DOCUMENT_KIND_CODES, type DocumentKind } from '../domain.js';

/** 材料 — an uploaded scan of an applicant, served to the renderer by id only. */
export interface DocumentInfo {
  id: number;
  kind: DocumentKind;
  mime: string;
  originalName: string;
  size: number;
  sha256: string;
}

export { DOCUMENT_KIND_CODES };

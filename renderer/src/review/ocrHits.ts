/** Where the OCR found each declared field on the applicant's scans (one hit per field). */
import type { DocumentInfo, OcrDocumentView, OcrFieldCheck } from '../../../shared/api/index.js';

/** Where OCR found a declared field: the red finding wins over a green one (it needs the look). */
export interface OcrHit {
  docIndex: number;
  check: OcrFieldCheck;
}

export function ocrHits(docs: readonly DocumentInfo[], ocr: Record<number, OcrDocumentView>): Map<string, OcrHit> {
  const hits = new Map<string, OcrHit>();
  docs.forEach((d, docIndex) => {
    for (const check of ocr[d.id]?.fields ?? []) {
      if (!check.box || check.page === null || (check.status !== 'agree' && check.status !== 'differ')) continue;
      const had = hits.get(check.field);
      if (!had || (had.check.status === 'agree' && check.status === 'differ')) hits.set(check.field, { docIndex, check });
    }
  });
  return hits;
}

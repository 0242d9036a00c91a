/** Where the OCR found each declared field on the applicant's scans (one hit per field). */
import type { DocumentInfo, OcrDocumentView, OcrFieldCheck } from '../../../shared/api/index.js';

/** Where OCR found a declared field: red wins over an unsure one, which wins over green (the look they need). */
export interface OcrHit {
  docIndex: number;
  check: OcrFieldCheck;
}

const HIT_RANK: Partial<Record<OcrFieldCheck['status'], number>> = { agree: 1, unsure: 2, differ: 3 };
/** The mark after a declared value: ✓ the scan agrees, ✗ it shows another, ? the reading is uncertain. */
export const HIT_MARK: Partial<Record<OcrFieldCheck['status'], string>> = { agree: '✓', unsure: '?', differ: '✗' };

export function ocrHits(docs: readonly DocumentInfo[], ocr: Record<number, OcrDocumentView>): Map<string, OcrHit> {
  const hits = new Map<string, OcrHit>();
  docs.forEach((d, docIndex) => {
    for (const check of ocr[d.id]?.fields ?? []) {
      const rank = HIT_RANK[check.status];
      if (!check.box || check.page === null || rank === undefined) continue;
      const had = hits.get(check.field);
      if (!had || rank > (HIT_RANK[had.check.status] ?? 0)) hits.set(check.field, { docIndex, check });
    }
  });
  return hits;
}

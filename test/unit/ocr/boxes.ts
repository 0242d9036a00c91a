/**
 * Measures OCR results against what the demo painter drew: for every field OCR placed (agree or
 * differ, or unsure), the IoU of its box with the nearest place the painter printed that value;
 * and on clean scans (the scan shows what was declared), how many fields came out ✗ (differ).
 */
import type { OcrDocumentView } from '../../../shared/api/ocr.js';
import type { OcrField } from '../../../shared/ocr/types.js';
import { fieldPositions, iou } from '../../../electron/demo/layout.js';
import type { DemoPlan } from '../../../electron/demo/model.js';

export interface FieldBoxes {
  /** Boxes measured. */
  n: number;
  min: number;
  mean: number;
  /** Documents whose box fell below the floor, with the IoU. */
  below: string[];
}

export interface BoxFigures {
  perField: Partial<Record<OcrField, FieldBoxes>>;
  /** Field checks on clean scans (a declared value to compare, scan printed as declared). */
  cleanChecks: number;
  /** Of those, marked ✗ (differ). */
  falseDiffer: number;
  falseDifferRate: number;
  /** Of those, marked ? (unsure). */
  unsure: number;
  falseDiffers: string[];
  /** Documents left out of the box measure (phone photos: their placement is random). */
  skipped: number;
}

export function measureBoxes(plan: DemoPlan, views: readonly OcrDocumentView[], floor = 0.7): BoxFigures {
  const per = new Map<OcrField, number[]>();
  const below = new Map<OcrField, string[]>();
  let cleanChecks = 0;
  let falseDiffer = 0;
  let unsure = 0;
  let skipped = 0;
  const falseDiffers: string[] = [];
  for (const v of views) {
    const doc = plan.documents.find((d) => d.file === v.originalName);
    const a = doc ? plan.applicants[doc.applicant] : undefined;
    if (!doc || !a || doc.blank || doc.corrupt || v.state !== 'done') continue;
    const clean = doc.nameOnScan === a.declared.name && doc.idOnScan === a.declared.idNumber;
    for (const f of v.fields) {
      if (clean && f.declared !== '') {
        cleanChecks++;
        if (f.status === 'differ') {
          falseDiffer++;
          falseDiffers.push(`${doc.file} ${f.field}: 「${f.found}」 vs 「${f.declared}」 conf ${f.conf}`);
        }
        if (f.status === 'unsure') unsure++;
      }
      if (!f.box || f.page === null || !['agree', 'differ', 'unsure'].includes(f.status)) continue;
      if (doc.large) {
        skipped++;
        continue;
      }
      const page = v.pages.find((p) => p.page === f.page);
      const side = doc.format === 'pdf' ? doc.sides[f.page - 1] : doc.sides[0];
      if (!page || !side) continue;
      const pos = fieldPositions(a, doc, side, doc.format === 'pdf' && !doc.imageOnly ? 'pdf' : 'canvas');
      const sx = page.width / pos.width;
      const sy = page.height / pos.height;
      const best = Math.max(0, ...(pos.boxes[f.field] ?? []).map((b) => iou(f.box ?? b, { x: b.x * sx, y: b.y * sy, w: b.w * sx, h: b.h * sy })));
      per.set(f.field, [...(per.get(f.field) ?? []), best]);
      if (best < floor) below.set(f.field, [...(below.get(f.field) ?? []), `${doc.file}#${f.page} ${best.toFixed(2)} ${page.source}`]);
    }
  }
  const perField: BoxFigures['perField'] = {};
  for (const [field, xs] of per) {
    perField[field] = {
      n: xs.length,
      min: Math.round(Math.min(...xs) * 100) / 100,
      mean: Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 100) / 100,
      below: below.get(field) ?? [],
    };
  }
  return { perField, cleanChecks, falseDiffer, falseDifferRate: cleanChecks === 0 ? 0 : falseDiffer / cleanChecks, unsure, falseDiffers, skipped };
}

/**
 * Cross-check (OCR 核对): the fields a scan shows against what the applicant declared. OCR is
 * evidence, not a verdict: every result is for the reviewer, who decides.
 */
import { FIELD_LABELS, type ApplicantDeclared, type DocumentKind } from '../domain.js';
import { extractFields, KIND_FIELDS, searchValue } from './extract.js';
import { normalizeText, sameCode, sameDate, sameName, sameText } from './normalize.js';
import type { FoundField, OcrField, OcrFieldCheck, OcrPage } from './types.js';

type Kind = 'name' | 'code' | 'date' | 'text';
const FIELD_KIND: Readonly<Record<OcrField, Kind>> = {
  name: 'name',
  idNumber: 'code',
  dischargeCertNo: 'code',
  enlistDate: 'date',
  dischargeDate: 'date',
  competition: 'text',
  award: 'text',
  awardLevel: 'text',
  awardDate: 'date',
  povertyIssuer: 'text',
};

export function sameValue(field: OcrField, declared: string, found: string): boolean {
  switch (FIELD_KIND[field]) {
    case 'name':
      return sameName(declared, found);
    case 'code':
      return sameCode(declared, found);
    case 'date':
      return sameDate(declared, found);
    default:
      return sameText(declared, found);
  }
}

/**
 * A value read with a character this unsure (the recogniser's probability) is not evidence of a
 * difference: on the demo, misread digits under a seal came out below it and clean characters
 * above (see test/unit/ocr/quality.test.ts for the measure). A PDF's text layer is always sure.
 */
export const UNSURE_BELOW = 0.9;

export interface CrossCheckOptions {
  /**
   * Whether the recogniser can produce a character at all (its dictionary). A declared name
   * with a character it cannot read is never called different on that character alone.
   */
  canRead?: (ch: string) => boolean;
}

/** The one found value shown for a field that differs: a labelled value before a shape match. */
function pickShown(cands: FoundField[]): FoundField | undefined {
  return cands.find((c) => c.via === 'label') ?? cands[cands.length - 1];
}

/** Differs only where the recogniser cannot read the declared character: not evidence. */
function onlyUnreadable(declared: string, shown: string, pages: readonly OcrPage[], canRead?: (ch: string) => boolean): string[] {
  if (!canRead || !pages.some((p) => p.source === 'ocr')) return [];
  const a = [...normalizeText(declared)];
  const b = [...normalizeText(shown)];
  if (a.length !== b.length) return [];
  const unreadable: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const ch = a[i] ?? '';
    if (ch === b[i]) continue;
    if (canRead(ch)) return [];
    unreadable.push(ch);
  }
  return unreadable;
}

/** Checks every field a document of this kind is expected to show. */
export function crossCheck(
  kind: DocumentKind,
  pages: readonly OcrPage[],
  declared: ApplicantDeclared,
  options: CrossCheckOptions = {},
): OcrFieldCheck[] {
  const spec = KIND_FIELDS[kind];
  const fields = [...spec.required, ...spec.optional];
  const all = extractFields(pages, fields);
  const checks: OcrFieldCheck[] = [];
  for (const field of fields) {
    const optional = !spec.required.includes(field);
    const want = String(declared[field] ?? '');
    const cands = all.filter((f) => f.field === field);
    const base = { field, label: FIELD_LABELS[field], declared: want, note: '' };
    if (want === '') {
      const shown = pickShown(cands);
      if (!shown && optional) continue;
      checks.push({ ...base, found: shown?.value ?? '', status: 'unchecked', page: shown?.page ?? null, box: shown?.box ?? null, conf: shown?.conf ?? 0, note: '未申报，无从核对' });
      continue;
    }
    const match = cands.find((c) => sameValue(field, want, c.value))
      ?? searchValue(pages, field, want, FIELD_KIND[field] === 'code');
    if (match) {
      checks.push({ ...base, found: match.value, status: 'agree', page: match.page, box: match.box, conf: match.conf });
      continue;
    }
    // Only a labelled value, or an unmistakable shape (an 18-character ID, 湘退字…号), is
    // evidence of a difference; a date somewhere on the page is not.
    const evidence = cands.filter((c) => c.via === 'label' || (field !== 'awardDate' && field !== 'povertyIssuer'));
    const shown = pickShown(evidence) ?? (field === 'awardDate' || field === 'povertyIssuer' ? pickShown(cands) : undefined);
    if (shown) {
      const unreadable = field === 'name' ? onlyUnreadable(want, shown.value, pages, options.canRead) : [];
      if (unreadable.length > 0) {
        checks.push({ ...base, found: shown.value, status: 'missing', page: shown.page, box: shown.box, conf: shown.conf, note: `识别字库不含「${unreadable.join('')}」，请人工核对` });
        continue;
      }
      if (shown.conf < UNSURE_BELOW) {
        checks.push({ ...base, found: shown.value, status: 'unsure', page: shown.page, box: shown.box, conf: shown.conf, note: `识别把握不大（${Math.round(shown.conf * 100)}%），可能看错，请人工核对` });
        continue;
      }
      checks.push({ ...base, found: shown.value, status: 'differ', page: shown.page, box: shown.box, conf: shown.conf });
      continue;
    }
    if (optional) continue;
    checks.push({ ...base, found: '', status: 'missing', page: null, box: null, conf: 0, note: '扫描件上未找到' });
  }
  return checks;
}

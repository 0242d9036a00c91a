/** Per-document verdicts (清晰/模糊, 一致/不一致) as the applicant view holds them, and the reasons they call for. */
import type { DocumentVerdict, VerdictReasons } from '../../../shared/api/index.js';

export type Verdict = Omit<DocumentVerdict, 'documentId'>;
/** One aspect set (or cleared, null) on one scan. */
export type VerdictSet = { aspect: 'clarity'; value: Verdict['clarity'] } | { aspect: 'match'; value: Verdict['match'] };
export type VerdictButton = { aspect: 'clarity'; value: 'clear' | 'blurry' } | { aspect: 'match'; value: 'match' | 'mismatch' };
/** The four buttons of a pane; clicking the one in force clears that aspect. */
export const VERDICT_BUTTONS: readonly VerdictButton[] = [
  { aspect: 'clarity', value: 'clear' },
  { aspect: 'clarity', value: 'blurry' },
  { aspect: 'match', value: 'match' },
  { aspect: 'match', value: 'mismatch' },
];
export const cleared = (aspect: VerdictSet['aspect']): VerdictSet => (aspect === 'clarity' ? { aspect, value: null } : { aspect, value: null });
export type Verdicts = Record<number, Verdict>;
export const NO_VERDICT: Verdict = { clarity: null, match: null };

export const verdictMap = (list: readonly DocumentVerdict[]): Verdicts =>
  Object.fromEntries(list.map(({ documentId, clarity, match }) => [documentId, { clarity, match }]));

/** The catalogue reasons the verdicts in force call for (模糊 → not legible, 不一致 → mismatch). */
export function reasonsFor(vs: Verdicts, map: VerdictReasons): { blurry: boolean; mismatch: boolean } {
  const all = Object.values(vs);
  return { blurry: !!map.blurry && all.some((v) => v.clarity === 'blurry'), mismatch: !!map.mismatch && all.some((v) => v.match === 'mismatch') };
}

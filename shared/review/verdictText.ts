/**
 * The verdicts kept with a decision are codes (材料判定 as data, shared/api/review.ts
 * DecisionVerdict); this renders them in Chinese for the review tables. The desk renders the same
 * codes in the reader's language through its string catalogue.
 */
import { documentKindLabel, type DocumentKind } from '../domain.js';

export interface VerdictCodes {
  documentKind: DocumentKind | null;
  clarity: 'clear' | 'blurry' | null;
  match: 'match' | 'mismatch' | null;
}

const PROBLEM_ZH = { blurry: '模糊', mismatch: '与申报信息不一致' } as const;

/** Only what is wrong is printed (清晰 and 一致 are what a table assumes): "退役证模糊、与申报信息不一致；毕业证模糊". */
export function verdictTextZh(verdicts: readonly VerdictCodes[]): string {
  return verdicts
    .map((v) => {
      const parts = [v.clarity === 'blurry' ? PROBLEM_ZH.blurry : '', v.match === 'mismatch' ? PROBLEM_ZH.mismatch : ''].filter(Boolean);
      return parts.length ? `${documentKindLabel(v.documentKind ?? 'other')}${parts.join('、')}` : '';
    })
    .filter(Boolean)
    .join('；');
}

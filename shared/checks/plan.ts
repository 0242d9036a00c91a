/**
 * Where an applicant's registration ends up after review. The notice: exempt applicants (免试生)
 * whose qualification fails may only fall back to the general plan (普通计划); a failed applicant
 * of any other category has no plan. The export tables use this, so it lives with the rules.
 */
import { categoryInfo, type CategoryCode, type DecisionStatus } from '../domain.js';

export function fallbackPlan(category: CategoryCode, decision: DecisionStatus): CategoryCode | null {
  if (decision !== 'reject') return category;
  return categoryInfo(category).exempt ? 'general' : null;
}

/**
 * The review area's public API. The one current state of an applicant (./state.ts) is what every
 * other area and adapter reads; decisions, undo, bulk approval, reasons, sign-off and QC are
 * written only through here.
 */
export { reviewHandlers } from './handlers.js';
export {
  allStates, changedSinceDecidedAll, changedSinceDecidedOf, conflictIds, countConflicts, decidedIds, PENDING, stateIn, stateOf,
  type ApplicantState,
} from './state.js';
export { bulkApprove, getApplicant, recordDecision, statusSummary, toDecisionEvent, undoDecision } from './decisions.js';
export { reasonEntries, reasonLabeller, reasonsInUse, validateReasons } from './reasons.js';
export { assignmentMap } from './access.js';
export { pendingReview } from './team.js';
export { qcProgress, signoffOf, type QcProgress, type Signoff } from './signoff.js';
export { chinaDate, dashboard } from './dashboard.js';

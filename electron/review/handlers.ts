/** Handlers of the review area (shared/api/review.ts): thin, the work is in this folder's services. */
import type { AreaHandlers, ReviewResults } from '../../shared/api/index.js';
import type { DeskContext } from '../app/context.js';
import { assign, listAssignments } from './access.js';
import { dashboard } from './dashboard.js';
import { bulkApprove, bulkPreview, getApplicant, listApplicants, recordDecision, statusSummary, undoBulk, undoDecision } from './decisions.js';
import { queueIndex } from './queue.js';
import { reasonEntries, reasonsInUse, saveReasons } from './reasons.js';
import { applicantHistory, drawQc, listConflicts, qcFigures, qcQueue, recordQc, recordReview, resolveConflict, signoffQueue } from './team.js';
import { recordVerdict } from './verdicts.js';
import { getPrefs, reviewApplicant, setPref, setRotation } from './view.js';

export function reviewHandlers(ctx: DeskContext): AreaHandlers<ReviewResults> {
  return {
    'applicants.list': (q) => listApplicants(ctx.ws(), q),
    'applicants.get': ({ idNumber }) => getApplicant(ctx.ws(), idNumber),
    'decisions.record': (input) => recordDecision(ctx.ws(), ctx.deviceId, input),
    'reasons.list': ({ category }) => reasonsInUse(ctx.ws(), category),
    'status.summary': () => statusSummary(ctx.ws()),
    'review.queue': () => queueIndex(ctx.ws()),
    'review.applicant': ({ idNumber }) => reviewApplicant(ctx.ws(), idNumber),
    'documents.verdict': (input) => recordVerdict(ctx.ws(), ctx.deviceId, input),
    'review.rotation.set': ({ documentId, rotation }) => setRotation(ctx.ws(), documentId, rotation),
    'review.reasons.catalogue': () => reasonEntries(ctx.ws()),
    'review.reasons.save': ({ reasons, editor }) => saveReasons(ctx.ws(), ctx.deviceId, reasons, editor),
    'decisions.bulkPreview': ({ idNumbers, reviewer }) => bulkPreview(ctx.ws(), idNumbers, reviewer),
    'decisions.bulkApprove': ({ idNumbers, reviewer }) => bulkApprove(ctx.ws(), ctx.deviceId, idNumbers, reviewer),
    'decisions.undoBulk': (a) => undoBulk(ctx.ws(), ctx.deviceId, a),
    'review.dashboard': ({ today }) => dashboard(ctx.ws(), today),
    'review.prefs.get': () => getPrefs(ctx.ws()),
    'review.prefs.set': ({ key, value }) => setPref(ctx.ws(), key, value),
    'assignments.set': (a) => assign(ctx.ws(), ctx.deviceId, a),
    'assignments.list': () => listAssignments(ctx.ws()),
    'decisions.undo': (a) => undoDecision(ctx.ws(), ctx.deviceId, a),
    'decisions.history': ({ idNumber }) => applicantHistory(ctx.ws(), idNumber),
    'conflicts.list': () => listConflicts(ctx.ws()),
    'conflicts.resolve': (a) => resolveConflict(ctx.ws(), ctx.deviceId, a),
    'signoff.pending': ({ as }) => signoffQueue(ctx.ws(), as),
    'signoff.record': (a) => recordReview(ctx.ws(), ctx.deviceId, a),
    'qc.draw': (a) => drawQc(ctx.ws(), ctx.deviceId, a),
    'qc.queue': () => qcQueue(ctx.ws()),
    'qc.record': (a) => recordQc(ctx.ws(), ctx.deviceId, a),
    'qc.agreement': ({ as }) => qcFigures(ctx.ws(), as),
  };
}

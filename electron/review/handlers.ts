import type { ApiParsed } from '../../shared/api/index.js';
import type { ReviewResults } from '../../shared/api/review.js';
import type { DeskContext } from '../app/context.js';
import { bulkApprove, dashboard, getPrefs, reviewApplicant, saveReasons, setPref, setRotation } from './desk.js';
import { queueIndex, reasonEntries } from './queue.js';
import { recordVerdict } from './verdicts.js';

type ReviewHandlers = {
  [K in keyof ReviewResults]: (args: ApiParsed<K>) => ReviewResults[K] | Promise<ReviewResults[K]>;
};

export function reviewHandlers(ctx: DeskContext): ReviewHandlers {
  return {
    'review.queue': () => queueIndex(ctx.ws()),
    'review.applicant': ({ idNumber }) => reviewApplicant(ctx.ws(), idNumber),
    'documents.verdict': (input) => recordVerdict(ctx.ws(), ctx.deviceId, input),
    'review.rotation.set': ({ documentId, rotation }) => setRotation(ctx.ws(), documentId, rotation),
    'review.reasons.catalogue': () => reasonEntries(ctx.ws()),
    'review.reasons.save': ({ reasons, editor }) => saveReasons(ctx.ws(), reasons, editor),
    'decisions.bulkApprove': ({ idNumbers, reviewer }) => bulkApprove(ctx.ws(), ctx.deviceId, idNumbers, reviewer),
    'review.dashboard': ({ today }) => dashboard(ctx.ws(), today),
    'review.prefs.get': () => getPrefs(ctx.ws()),
    'review.prefs.set': ({ key, value }) => setPref(ctx.ws(), key, value),
  };
}

/** The sync area's public API: the signed, hash-chained event log, bundles, folder exchange, clones. */
export { syncHandlers } from './handlers.js';
export {
  appendEvents, collegeId, countEvents, eventById, eventsOfApplicant, eventsOfKind, hasEvents, headsByApplicant, headsOf, hashEvent, latestEventIdWhere, marks, nextHlc,
  verifyChains, type ChainProblem, type Draft,
} from './log.js';
export { buildBundle, cloneWorkspace, mergeBundle, syncStatus } from './syncService.js';
export { exchangeThrough, folderBundleName, syncWithFolder } from './folderSync.js';
export { bundleCollege, joinFromBundle, lastSyncAt } from './join.js';

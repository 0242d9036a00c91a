/** The sync area's public API: the signed, hash-chained event log, bundles, folder exchange, clones, who writes. */
export { syncHandlers } from './handlers.js';
export {
  appendEvents, collegeId, countDecisions, countEvents, eventById, eventsOfApplicant, eventsOfKind, hasEvents, headsByApplicant, headsOf, hashEvent, latestEventIdWhere, marks, nextHlc,
  verifyChains, type ChainProblem, type Draft,
} from './log.js';
export {
  buildBundle, cloneWorkspace, forkReports, mergeAndRecheck, mergeBundle, originNamer, sealContents, syncStatus, type BundleContents, type MergeOptions,
} from './syncService.js';
export { exchangeThrough, folderBundleName, scanFileName, syncWithFolder } from './folderSync.js';
export {
  beginEpoch, carryIdentityAfterRestore, claimWorkspace, noteExported, originOf, ownOrigins, pcName, readIdentity, setPcName, writableOrigin,
  type Epoch, type EpochReason, type Identity,
} from './identity.js';
export { bundleCollege, joinFromBundle, lastSyncAt } from './join.js';
export { allowHere, enrolPc, setupCodeHash, shortPublicKey, thisPcEnrolment, trustRoot, trustStatus } from './trust.js';
export { decisionsMissingFrom } from './loss.js';
export { checkHubSchema, connectHub, HUB_SCHEMA_VERSION, HubTransport, initHub, syncWithHub } from './hub.js';
export { HubAutoSync, HUB_INTERVAL_MS, type HubAutoDeps, type Timer } from './hubAuto.js';
export { hubUrlPassword, hubUrlWithoutPassword, hubUrlWithPassword, parseHubUrl, redactHubUrl } from './hubUrl.js';

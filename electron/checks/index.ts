/** The checks area's public API: what other areas and the adapters may call. */
export { checkHandlers } from './handlers.js';
export { loadRules, RULES_YEAR, type LoadedRules } from './rules.js';
export { ensureFresh, recheckApplicant, recordExternalFindings, refreshChecksAfterImport, runAllChecks } from './run.js';
export { allResults, checkReport, checkSummary, findingCounts, findingsOf, getResults } from './results.js';
export { copyChecksFrom, crossListStatus, ensureCrossListBaseline, importCrossList, importPrevious, readableCrossList } from './lists.js';
export { checkPhotos } from './photos.js';

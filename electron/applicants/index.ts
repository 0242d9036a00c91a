/** The applicants area's public API: the list as imported, its history, and reads of declared data. */
export { importHandlers } from './handlers.js';
export { applicantChanges, errorsWorkbook, importList, previewList, type ImportOptions } from './importService.js';
export { applyListEvents, ensureListBaseline } from './listEvents.js';
export {
  copyApplicantsFrom, countAllApplicants, countApplicants, findApplicant, hasApplicants, idsWithPhone, idsWithSameFirst17, isKnownApplicant, lastImportId, listStamp,
  latestDeclaredChange, latestDeclaredChanges, listApplicantRecords, queueApplicants, requireApplicant, selectApplicantIds, toDeclared,
  type ApplicantRecord, type ApplicantRow, type QueueApplicant,
} from './store.js';

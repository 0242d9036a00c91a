/**
 * The areas of the main-process side and the tables each one owns. An area's folder
 * (electron/<area>/) holds its handlers, its service and the only SQL that names its tables;
 * other areas call its public API (electron/<area>/index.ts). Lint keeps the imports to that
 * API, and test/unit/architecture/ownership.test.ts keeps the SQL in its owner's folder.
 */
export const AREAS = ['workspace', 'college', 'documents', 'applicants', 'accounts', 'sync', 'checks', 'ocr', 'review', 'export', 'backup'] as const;
export type Area = (typeof AREAS)[number];

export const TABLE_OWNERS: Record<string, Area> = {
  // workspace: identity of the college copy on this PC, its clock and keys
  meta: 'workspace',
  // documents: scans stored once by content, which applicant uploaded which, what the bytes say
  blobs: 'documents',
  documents: 'documents',
  documents_pending: 'documents',
  document_facts: 'documents',
  // applicants: the list as imported, its history and the remembered column mappings
  applicants: 'applicants',
  applicant_changes: 'applicants',
  applicant_versions: 'applicants',
  imports: 'applicants',
  import_mappings: 'applicants',
  // accounts: who may sign in, with which role
  accounts: 'accounts',
  // sync: the signed, hash-chained event log and what the other PCs told us
  decision_events: 'sync',
  decision_supersedes: 'sync',
  decision_heads: 'sync',
  sync_peers: 'sync',
  sync_imports: 'sync',
  sync_origins: 'sync',
  sync_forks: 'sync',
  sync_moved: 'sync',
  sync_folder_files: 'sync',
  // checks: findings, their runs, the cross-check lists
  check_results: 'checks',
  check_runs: 'checks',
  previous_examinees: 'checks',
  // ocr: what each scan says and how it compares with the declared data
  ocr_reads: 'ocr',
  ocr_checks: 'ocr',
  // review: the reviewer's scan rotations, preferences and the catalogue before it became an event
  review_reasons: 'review',
  review_rotations: 'review',
  review_prefs: 'review',
  // export: every table that left the desk
  exports: 'export',
};

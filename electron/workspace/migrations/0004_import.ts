import type { Migration } from './index.js';

/**
 * Re-import history: every declared-data change an import made (so a decision taken on older data
 * is visibly stale), remembered header mappings per header signature, and the
 * `changed_since_decided` view the review UI and the export read by name.
 */
export const m0004: Migration = {
  version: 4,
  name: 'import',
  sql: `
-- One row per field an import changed (field 'withdrawn' records removal from / return to the list).
CREATE TABLE applicant_changes (
  id INTEGER PRIMARY KEY,
  id_number TEXT NOT NULL REFERENCES applicants(id_number),
  import_id TEXT NOT NULL,
  at TEXT NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL
) STRICT;
CREATE INDEX applicant_changes_applicant ON applicant_changes(id_number, at);

-- A column mapping the user confirmed, reused when a list with the same header arrives again.
CREATE TABLE import_mappings (
  signature TEXT PRIMARY KEY,
  header TEXT NOT NULL,
  mapping TEXT NOT NULL,
  used_at TEXT NOT NULL
) STRICT;

-- 变更待复核: declared data changed after the applicant's latest decision.
CREATE VIEW changed_since_decided AS
  SELECT c.id_number AS id_number, MAX(c.at) AS changed_at
  FROM applicant_changes c
  JOIN current_decisions d ON d.id_number = c.id_number
  WHERE c.field <> 'withdrawn' AND c.at > d.at
  GROUP BY c.id_number;
`,
};

import type { Migration } from './index.js';

/**
 * The whole college travels as data (issue 14). Each import of the list is a `list` event
 * carrying the rows it changed; `applicant_versions` holds every version of every applicant those
 * events carry, and the applicants table is their projection: the version with the greatest HLC
 * wins, so every PC that has the same events has the same list, the same change history and the
 * same "changed since decided". Documents named by a list event wait in `documents_pending` until
 * their scan has arrived. Accounts become `account` events; the table keeps the HLC of the event
 * that set each row (latest wins).
 */
export const m0012: Migration = {
  version: 12,
  name: 'college_as_data',
  sql: `
CREATE TABLE applicant_versions (
  id_number TEXT NOT NULL,
  hlc TEXT NOT NULL,
  event_id TEXT NOT NULL,
  import_id TEXT NOT NULL,
  at TEXT NOT NULL,
  row_no INTEGER NOT NULL,
  -- Declared data as JSON (shared/domain.ts ApplicantDeclared, camelCase keys).
  declared TEXT NOT NULL,
  withdrawn INTEGER NOT NULL CHECK (withdrawn IN (0, 1)),
  -- Change rows of a list imported before list events existed (carried by its baseline event).
  past TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (id_number, hlc, event_id)
) STRICT, WITHOUT ROWID;

-- The HLC of the version the row shows; '' = a row imported before list events (legacy).
ALTER TABLE applicants ADD COLUMN version_hlc TEXT NOT NULL DEFAULT '';

CREATE TABLE documents_pending (
  id_number TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  kind TEXT NOT NULL,
  original_name TEXT NOT NULL,
  size INTEGER NOT NULL,
  mime TEXT NOT NULL,
  import_id TEXT NOT NULL,
  PRIMARY KEY (id_number, sha256)
) STRICT, WITHOUT ROWID;
CREATE INDEX documents_pending_sha ON documents_pending(sha256);

-- The HLC of the account event that set the row; '' = created before accounts were events.
ALTER TABLE accounts ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
`,
};

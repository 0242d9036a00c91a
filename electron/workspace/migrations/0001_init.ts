import type { Migration } from './index.js';

/** Workspace, applicants, content-addressed scans, the append-only decision log, imports. */
export const m0001: Migration = {
  version: 1,
  name: 'init',
  sql: `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- 考生: one row per ID number; declared data normalised at import.
CREATE TABLE applicants (
  id_number TEXT PRIMARY KEY,
  row_no INTEGER NOT NULL,
  name TEXT NOT NULL,
  sex TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL CHECK (category IN ('veteran','competition','craftsman','poverty','general')),
  school TEXT NOT NULL DEFAULT '',
  major TEXT NOT NULL DEFAULT '',
  grad_year INTEGER,
  discharge_cert_no TEXT NOT NULL DEFAULT '',
  enlist_date TEXT NOT NULL DEFAULT '',
  discharge_date TEXT NOT NULL DEFAULT '',
  merit TEXT NOT NULL DEFAULT '',
  competition TEXT NOT NULL DEFAULT '',
  award TEXT NOT NULL DEFAULT '',
  award_level TEXT NOT NULL DEFAULT '',
  award_date TEXT NOT NULL DEFAULT '',
  hukou TEXT NOT NULL DEFAULT '',
  poverty_issuer TEXT NOT NULL DEFAULT '',
  withdrawn INTEGER NOT NULL DEFAULT 0,
  import_id TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX applicants_category ON applicants(category, row_no);

-- Scans, stored once by content under blobs/ab/cdef…
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mime TEXT NOT NULL,
  stored_at TEXT NOT NULL
) STRICT;

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  id_number TEXT NOT NULL REFERENCES applicants(id_number),
  kind TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  original_name TEXT NOT NULL,
  import_id TEXT NOT NULL,
  UNIQUE (id_number, sha256)
) STRICT;
CREATE INDEX documents_applicant ON documents(id_number);
CREATE INDEX documents_sha ON documents(sha256);

-- The decision log is append-only: current state is derived from it, sync exchanges it.
CREATE TABLE decision_events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  id_number TEXT NOT NULL REFERENCES applicants(id_number),
  decision TEXT NOT NULL CHECK (decision IN ('approve','reject','return')),
  reasons TEXT NOT NULL,
  note TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  device_id TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;
CREATE INDEX decision_events_applicant ON decision_events(id_number, seq);
CREATE TRIGGER decision_events_no_update BEFORE UPDATE ON decision_events
  BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;
CREATE TRIGGER decision_events_no_delete BEFORE DELETE ON decision_events
  BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;

-- The current decision of each applicant: the latest event in the log.
CREATE VIEW current_decisions AS
  SELECT e.* FROM decision_events e
  WHERE e.seq = (SELECT MAX(seq) FROM decision_events x WHERE x.id_number = e.id_number);

CREATE TABLE imports (
  id TEXT PRIMARY KEY,
  file TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  at TEXT NOT NULL,
  added INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  documents INTEGER NOT NULL,
  report TEXT NOT NULL
) STRICT;
`,
};

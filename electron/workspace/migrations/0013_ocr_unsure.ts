import type { Migration } from './index.js';

/**
 * OCR 核对 gains the status 'unsure' (issue 17): the scan seems to show another value, but the
 * recogniser was not sure of the characters where they differ (a digit under a seal), so the
 * reviewer looks rather than sees a ✗. SQLite cannot change a CHECK, so ocr_checks is rebuilt;
 * its rows are derived from ocr_reads and are copied as they are.
 */
export const m0013: Migration = {
  version: 13,
  name: 'ocr_unsure',
  sql: `
CREATE TABLE ocr_checks_13 (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  id_number TEXT NOT NULL REFERENCES applicants(id_number),
  field TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('agree','differ','unsure','missing','unchecked')),
  declared TEXT NOT NULL,
  found TEXT NOT NULL,
  page INTEGER,
  -- Box in page pixels of the page frame stored in ocr_reads: x, y, w, h.
  x REAL, y REAL, w REAL, h REAL,
  conf REAL NOT NULL,
  note TEXT NOT NULL,
  checked_at TEXT NOT NULL
) STRICT;
INSERT INTO ocr_checks_13 SELECT * FROM ocr_checks;
DROP TABLE ocr_checks;
ALTER TABLE ocr_checks_13 RENAME TO ocr_checks;
CREATE INDEX ocr_checks_document ON ocr_checks(document_id);
CREATE INDEX ocr_checks_applicant ON ocr_checks(id_number, status);
`,
};

import type { Migration } from './index.js';

/** OCR: what each scan says (cached by content) and how it compares with the declared data. */
export const m0007: Migration = {
  version: 7,
  name: 'ocr',
  sql: `
-- 识别结果: one reading per scan content, so a file is read once however often it is imported.
CREATE TABLE ocr_reads (
  sha256 TEXT PRIMARY KEY,
  -- JSON OcrRead: pages with their lines, boxes and the rotation that made them upright.
  result TEXT NOT NULL,
  pages INTEGER NOT NULL,
  problem TEXT NOT NULL,
  ms INTEGER NOT NULL,
  -- Bumped when the reading changes (models, rendering), so stale readings are read again.
  engine_version INTEGER NOT NULL,
  read_at TEXT NOT NULL
) STRICT;

-- 核对结果: derived from ocr_reads and the declared data; rewritten per document, never edited.
CREATE TABLE ocr_checks (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  id_number TEXT NOT NULL REFERENCES applicants(id_number),
  field TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('agree','differ','missing','unchecked')),
  declared TEXT NOT NULL,
  found TEXT NOT NULL,
  page INTEGER,
  -- Box in page pixels of the page frame stored in ocr_reads: x, y, w, h.
  x REAL, y REAL, w REAL, h REAL,
  conf REAL NOT NULL,
  note TEXT NOT NULL,
  checked_at TEXT NOT NULL
) STRICT;
CREATE INDEX ocr_checks_document ON ocr_checks(document_id);
CREATE INDEX ocr_checks_applicant ON ocr_checks(id_number, status);
`,
};

import type { Migration } from './index.js';

/** The export audit trail: every table that left the desk, draft or signed. */
export const m0006: Migration = {
  version: 6,
  name: 'exports',
  sql: `
CREATE TABLE exports (
  id TEXT PRIMARY KEY,
  table_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  title TEXT NOT NULL,
  at TEXT NOT NULL,
  draft INTEGER NOT NULL CHECK (draft IN (0, 1)),
  rows INTEGER NOT NULL,
  out_dir TEXT NOT NULL,
  files TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL,
  data_sha256 TEXT NOT NULL,
  pdf_signer TEXT,
  device_id TEXT NOT NULL
) STRICT;
CREATE INDEX exports_at ON exports(at);
`,
};

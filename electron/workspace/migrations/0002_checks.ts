import type { Migration } from './index.js';

/** Eligibility checks: results per applicant, scan facts cached by content, last year's examinees. */
export const m0002: Migration = {
  version: 2,
  name: 'checks',
  sql: `
-- 检查结果: derived data, rewritten whenever data, scans or rules change (never edited by hand).
CREATE TABLE check_results (
  id INTEGER PRIMARY KEY,
  id_number TEXT NOT NULL REFERENCES applicants(id_number),
  check_id TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('error','warning','info')),
  message TEXT NOT NULL,
  message_en TEXT NOT NULL,
  field TEXT,
  document_id INTEGER,
  suggested_reason TEXT,
  -- JSON array of the other applicants a duplicate finding names; '' when none.
  peers TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX check_results_applicant ON check_results(id_number);
CREATE INDEX check_results_check ON check_results(check_id, severity);

-- What a scan's bytes say; keyed by content so a file is examined once however often it is imported.
CREATE TABLE document_facts (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  type TEXT NOT NULL,
  width INTEGER,
  height INTEGER,
  ink REAL,
  dhash TEXT,
  -- The dHash's four 16-bit bands: near-duplicates (distance ≤ 3) share one, so lookups use indexes.
  band0 INTEGER, band1 INTEGER, band2 INTEGER, band3 INTEGER,
  readable INTEGER NOT NULL,
  pages INTEGER,
  problem TEXT NOT NULL,
  -- Bumped when the way facts are computed changes, so stale facts are recomputed.
  facts_version INTEGER NOT NULL,
  computed_at TEXT NOT NULL
) STRICT;
CREATE INDEX document_facts_band0 ON document_facts(band0);
CREATE INDEX document_facts_band1 ON document_facts(band1);
CREATE INDEX document_facts_band2 ON document_facts(band2);
CREATE INDEX document_facts_band3 ON document_facts(band3);

-- 上年专升本考生名单 from the province; a match disqualifies.
CREATE TABLE previous_examinees (
  id_number TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  imported_at TEXT NOT NULL
) STRICT;

-- One row per full run: which rules the stored results were computed with.
CREATE TABLE check_runs (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  rules_sha256 TEXT NOT NULL,
  -- What the results were computed from (rules, last import, examinee list); a differing stamp = stale.
  stamp TEXT NOT NULL,
  applicants INTEGER NOT NULL,
  ms INTEGER NOT NULL
) STRICT;

-- Duplicate lookups of one applicant's recheck.
CREATE INDEX applicants_phone ON applicants(phone);
`,
};

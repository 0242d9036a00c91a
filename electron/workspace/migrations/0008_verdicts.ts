import type { Migration } from './index.js';

/**
 * Per-document verdicts (清晰/模糊, 一致/不一致) become events of the synced log, kind 'verdict'
 * (shared/sync/verdicts.ts). The only change is the CHECK on `kind`, which SQLite cannot alter in
 * place, so the table is rebuilt through a temp copy as in 0003: same columns, rows, seq values,
 * hashes, indexes and append-only triggers. The views over it (decision_heads, current_decisions,
 * decision_conflicts, changed_since_decided) name the table, not its rowids, and read the new
 * table unchanged. The current verdict per scan is derived from the events in code (latest HLC
 * wins), like every other state of the log.
 */
export const m0008: Migration = {
  version: 8,
  name: 'verdicts',
  sql: `
CREATE TEMP TABLE decision_events_v7 AS SELECT * FROM decision_events;
DROP TABLE decision_events;

CREATE TABLE decision_events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  id_number TEXT,
  decision TEXT CHECK (decision IS NULL OR decision IN ('approve','reject','return')),
  reasons TEXT NOT NULL DEFAULT '[]',
  note TEXT NOT NULL DEFAULT '',
  reviewer TEXT NOT NULL,
  device_id TEXT NOT NULL,
  at TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'decision'
    CHECK (kind IN ('decision','undo','resolve','review','assign','qc_draw','qc_review','verdict')),
  subject TEXT,
  origin TEXT NOT NULL,
  origin_seq INTEGER NOT NULL,
  hlc TEXT NOT NULL,
  supersedes TEXT NOT NULL DEFAULT '[]',
  payload TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT,
  hash TEXT,
  UNIQUE (origin, origin_seq)
) STRICT;

INSERT INTO decision_events (seq, id, id_number, decision, reasons, note, reviewer, device_id, at, kind, subject,
                             origin, origin_seq, hlc, supersedes, payload, prev_hash, hash)
  SELECT seq, id, id_number, decision, reasons, note, reviewer, device_id, at, kind, subject,
         origin, origin_seq, hlc, supersedes, payload, prev_hash, hash
  FROM temp.decision_events_v7;
DROP TABLE temp.decision_events_v7;

CREATE INDEX decision_events_applicant ON decision_events(id_number, hlc);
CREATE INDEX decision_events_subject ON decision_events(subject, seq);
CREATE INDEX decision_events_kind ON decision_events(kind, hlc);
-- Append-only; the only update allowed is sealing a legacy row's hash once.
CREATE TRIGGER decision_events_no_update BEFORE UPDATE ON decision_events
  WHEN OLD.hash IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;
CREATE TRIGGER decision_events_no_delete BEFORE DELETE ON decision_events
  BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;
`,
};

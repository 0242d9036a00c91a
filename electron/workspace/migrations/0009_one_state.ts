import type { Migration } from './index.js';

/**
 * One definition of an applicant's state (shared/review/state.ts, issue 13). The SQL views that
 * were a second definition of it (current_decisions, decision_conflicts, changed_since_decided)
 * are dropped; every surface now reads the one function. The structural view decision_heads
 * (events nobody supersedes) stays: it is what the function is fed, not a policy.
 *
 * - decision_events is rebuilt once more (through a temp copy, as in 0003 and 0008) without the
 *   CHECK on `kind`: the kinds an event may have are checked in code (EVENT_KINDS), and a bundle
 *   from a newer desk is refused by name before any write, so adding a kind no longer means
 *   rebuilding the log. Rows, seq values, hashes, indexes and the append-only triggers are kept.
 * - assignments, a table the log writer filled as a side effect, is dropped: who reviews whom is
 *   derived from the 'assign' events by the review area, like every other state of the log.
 * - applicant_changes gets the HLC of the import that made each change, so "changed since
 *   decided" compares positions in the event order instead of wall clocks of different PCs.
 *   Existing rows take their wall-clock time as the HLC's physical part (the best there is).
 */
export const m0009: Migration = {
  version: 9,
  name: 'one_state',
  sql: `
DROP VIEW IF EXISTS changed_since_decided;
DROP VIEW IF EXISTS decision_conflicts;
DROP VIEW IF EXISTS current_decisions;
DROP VIEW IF EXISTS decision_heads;

CREATE TEMP TABLE decision_events_v8 AS SELECT * FROM decision_events;
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
  kind TEXT NOT NULL DEFAULT 'decision',
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
  FROM temp.decision_events_v8;
DROP TABLE temp.decision_events_v8;

CREATE INDEX decision_events_applicant ON decision_events(id_number, hlc);
CREATE INDEX decision_events_subject ON decision_events(subject, seq);
CREATE INDEX decision_events_kind ON decision_events(kind, hlc);
CREATE TRIGGER decision_events_no_update BEFORE UPDATE ON decision_events
  WHEN OLD.hash IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;
CREATE TRIGGER decision_events_no_delete BEFORE DELETE ON decision_events
  BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;

-- Candidates for an applicant's state: state events nobody supersedes (shared/review/state.ts).
CREATE VIEW decision_heads AS
  SELECT e.* FROM decision_events e
  WHERE e.id_number IS NOT NULL AND e.kind IN ('decision','undo','resolve','review')
    AND NOT EXISTS (SELECT 1 FROM decision_supersedes s WHERE s.superseded_id = e.id);

DROP TABLE assignments;

ALTER TABLE applicant_changes ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE applicant_changes SET hlc = at || '-0000-0000000000000000';
CREATE INDEX applicant_changes_hlc ON applicant_changes(id_number, hlc);
`,
};

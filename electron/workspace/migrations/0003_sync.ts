import type { Migration } from './index.js';

/**
 * Several reviewers on several offline PCs (issue 7). The decision log becomes the synced event
 * log: every row gets its hybrid logical clock, origin workspace + gap-free sequence, hash chain
 * and the ids it supersedes; undo, 复核, conflict resolution, assignments and QC are events too.
 * The table is rebuilt (SQLite cannot relax a NOT NULL/CHECK in place) by copying through a temp
 * table, never by RENAME, because views of later migrations read `current_decisions`.
 * Legacy rows: each supersedes the applicant's previous row (the old "latest wins" meaning);
 * their hashes are sealed by the app on first use (electron/sync/log.ts), as SQL has no sha256.
 */
export const m0003: Migration = {
  version: 3,
  name: 'sync',
  sql: `
DROP VIEW IF EXISTS current_decisions;
CREATE TEMP TABLE decision_events_v1 AS SELECT * FROM decision_events;
DROP TABLE decision_events;

CREATE TABLE decision_events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  -- Set for the kinds that set a decision; no foreign key, because an event may arrive from
  -- another PC before the list update that adds its applicant (import stays order-independent).
  id_number TEXT,
  decision TEXT CHECK (decision IS NULL OR decision IN ('approve','reject','return')),
  reasons TEXT NOT NULL DEFAULT '[]',
  note TEXT NOT NULL DEFAULT '',
  reviewer TEXT NOT NULL,
  device_id TEXT NOT NULL,
  at TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'decision'
    CHECK (kind IN ('decision','undo','resolve','review','assign','qc_draw','qc_review')),
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
                             origin, origin_seq, hlc, supersedes)
  SELECT seq, id, id_number, decision, reasons, note, reviewer, device_id, at, 'decision', id_number,
    (SELECT value FROM meta WHERE key = 'workspace_id'),
    ROW_NUMBER() OVER (ORDER BY seq),
    strftime('%Y-%m-%dT%H:%M:%fZ', at) || '-' || printf('%04x', ROW_NUMBER() OVER (PARTITION BY at ORDER BY seq) - 1)
      || '-' || substr(replace((SELECT value FROM meta WHERE key = 'workspace_id'), '-', '') || '0000000000000000', 1, 16),
    CASE WHEN LAG(id) OVER (PARTITION BY id_number ORDER BY seq) IS NULL THEN '[]'
         ELSE json_array(LAG(id) OVER (PARTITION BY id_number ORDER BY seq)) END
  FROM temp.decision_events_v1;
DROP TABLE temp.decision_events_v1;

CREATE INDEX decision_events_applicant ON decision_events(id_number, hlc);
CREATE INDEX decision_events_subject ON decision_events(subject, seq);
CREATE INDEX decision_events_kind ON decision_events(kind, hlc);
-- Append-only; the only update allowed is sealing a legacy row's hash once.
CREATE TRIGGER decision_events_no_update BEFORE UPDATE ON decision_events
  WHEN OLD.hash IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;
CREATE TRIGGER decision_events_no_delete BEFORE DELETE ON decision_events
  BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;

-- Edge list of "event_id supersedes superseded_id", for the head views.
CREATE TABLE decision_supersedes (
  superseded_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  PRIMARY KEY (superseded_id, event_id)
) STRICT, WITHOUT ROWID;
INSERT INTO decision_supersedes (superseded_id, event_id)
  SELECT j.value, e.id FROM decision_events e, json_each(e.supersedes) j;
CREATE TRIGGER decision_supersedes_no_update BEFORE UPDATE ON decision_supersedes
  BEGIN SELECT RAISE(ABORT, 'decision_supersedes is append-only'); END;
CREATE TRIGGER decision_supersedes_no_delete BEFORE DELETE ON decision_supersedes
  BEGIN SELECT RAISE(ABORT, 'decision_supersedes is append-only'); END;

-- Candidates for the current decision: state events nobody supersedes (shared/sync/policy.ts).
CREATE VIEW decision_heads AS
  SELECT e.* FROM decision_events e
  WHERE e.id_number IS NOT NULL AND e.kind IN ('decision','undo','resolve','review')
    AND NOT EXISTS (SELECT 1 FROM decision_supersedes s WHERE s.superseded_id = e.id);

-- The current decision of each applicant: the head with the greatest HLC; an applicant whose
-- winning head is an undo back to 待审 has no row. Same columns as before, plus the sync ones.
CREATE VIEW current_decisions AS
  SELECT h.* FROM decision_heads h
  WHERE h.decision IS NOT NULL
    AND h.id = (SELECT x.id FROM decision_heads x WHERE x.id_number = h.id_number ORDER BY x.hlc DESC, x.id DESC LIMIT 1);

-- Unresolved conflicts (CouchDB _conflicts): heads with different outcomes.
CREATE VIEW decision_conflicts AS
  SELECT id_number, COUNT(*) AS heads, json_group_array(id) AS head_ids, MAX(hlc) AS latest_hlc
  FROM decision_heads
  GROUP BY id_number
  HAVING COUNT(DISTINCT COALESCE(decision, 'pending')) > 1;

-- Who reviews whom: derived from 'assign' events, the latest (by HLC) wins per applicant.
CREATE TABLE assignments (
  id_number TEXT PRIMARY KEY,
  reviewer TEXT NOT NULL,
  event_id TEXT NOT NULL,
  hlc TEXT NOT NULL
) STRICT;

-- Local sign-in accounts of this workspace (scrypt hashes); not synced, copied by clone.
CREATE TABLE accounts (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('reviewer','supervisor','admin')),
  salt TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- Other PCs of the college: pinned signing key, and what they last told us they have.
CREATE TABLE sync_peers (
  workspace_id TEXT PRIMARY KEY,
  public_key TEXT NOT NULL,
  marks TEXT NOT NULL DEFAULT '{}',
  blobs TEXT NOT NULL DEFAULT '[]',
  last_bundle_at TEXT
) STRICT;

-- Bundles imported (idempotence is by event id; this is the human record, with drift reports).
CREATE TABLE sync_imports (
  id INTEGER PRIMARY KEY,
  bundle_sha256 TEXT NOT NULL,
  from_workspace TEXT NOT NULL,
  at TEXT NOT NULL,
  events_added INTEGER NOT NULL,
  report TEXT NOT NULL
) STRICT;
`,
};

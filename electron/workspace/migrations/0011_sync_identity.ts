import type { Migration } from './index.js';

/**
 * Sync that never forks (issue 14). A PC's chain of events (its origin) is no longer its
 * workspace id for ever: after a restore, a copy or a re-install the workspace starts a new
 * origin epoch (meta 'origin', set by electron/sync/identity.ts), so a sequence number is never
 * used twice. What the other PCs are called, which PC wrote which origin, the forks an older
 * desk left behind and how they were repaired, and which files of a sync folder this PC has read
 * are kept here.
 */
export const m0011: Migration = {
  version: 11,
  name: 'sync_identity',
  sql: `
-- A peer's display name, its current origin and the HLC of its newest bundle (newer replaces
-- older marks: a restored peer really has fewer events than it once reported).
ALTER TABLE sync_peers ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_peers ADD COLUMN origin TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_peers ADD COLUMN clock TEXT NOT NULL DEFAULT '';

-- Which PC (workspace) wrote each origin, and what it is called: names in sync, conflicts, history.
CREATE TABLE sync_origins (
  origin TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL
) STRICT;

-- Two different events under one origin and sequence number (left by a desk before this one,
-- or a database copied by hand). The branch with the smaller hash keeps the origin; the other is
-- moved, unchanged but for its place, to the derived origin moved_to on every PC alike.
CREATE TABLE sync_forks (
  origin TEXT NOT NULL,
  origin_seq INTEGER NOT NULL,
  kept_hash TEXT NOT NULL,
  moved_hash TEXT NOT NULL,
  moved_to TEXT NOT NULL,
  from_workspace TEXT NOT NULL,
  detected_at TEXT NOT NULL,
  PRIMARY KEY (origin, origin_seq, moved_hash)
) STRICT;

-- Every event a fork repair moved: where it stood before, so a copy of it that arrives in its
-- old place later is recognised as already here.
CREATE TABLE sync_moved (
  event_id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  origin_seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  moved_to TEXT NOT NULL,
  moved_seq INTEGER NOT NULL
) STRICT;
CREATE INDEX sync_moved_place ON sync_moved(origin, origin_seq);

-- Files of a sync folder already read (unchanged size and time: not read again).
CREATE TABLE sync_folder_files (
  folder TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  PRIMARY KEY (folder, name)
) STRICT;
`,
};

import { SEED_REASONS } from '../../../shared/domain.js';
import type { Migration } from './index.js';

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * The review workspace: the reason catalogue a supervisor edits (seeded from SEED_REASONS; codes
 * are never deleted, only retired, because old decisions cite them), the rotation a reviewer gave
 * each scan (by content, so the same file re-imported keeps it), and workspace preferences such
 * as the deadline.
 */
export const m0005: Migration = {
  version: 5,
  name: 'review',
  sql: `
CREATE TABLE review_reasons (
  code TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  categories TEXT NOT NULL DEFAULT '[]',
  position INTEGER NOT NULL,
  retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
) STRICT;
${SEED_REASONS.map((r, i) => `INSERT INTO review_reasons (code, label, categories, position, updated_at, updated_by) VALUES (${q(r.code)}, ${q(r.label)}, ${q(JSON.stringify(r.categories))}, ${i}, '1970-01-01T00:00:00.000Z', 'seed');`).join('\n')}

CREATE TABLE review_rotations (
  sha256 TEXT PRIMARY KEY,
  rotation INTEGER NOT NULL CHECK (rotation IN (0, 90, 180, 270)),
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE review_prefs (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`,
};

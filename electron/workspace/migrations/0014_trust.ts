import type { Migration } from './index.js';

/**
 * Authorised sync and secrets (issue 19). Each event carries its writer PC's signature (NULL on
 * events written before signatures: they count only where an admin's seal covers them). Account
 * secrets no longer travel: the salt and hash in `accounts` are this PC's own verifier ('' = the
 * account is not enrolled on this PC yet). Failed sign-ins are counted per name, on this PC, so a
 * restart does not reset the back-off.
 */
export const m0014: Migration = {
  version: 14,
  name: 'trust',
  sql: `
ALTER TABLE decision_events ADD COLUMN sig TEXT;

CREATE TABLE sign_in_failures (
  name TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_at TEXT NOT NULL,
  locked_until TEXT NOT NULL
) STRICT;
`,
};

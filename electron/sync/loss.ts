/**
 * What a restore would lose of the log (issue 19): the state events (decisions, undos, rulings,
 * 复核) this PC holds now that the other database (a backup) does not. Read-only on both.
 */
import { STATE_KINDS } from '../../shared/sync/events.js';
import type { Db } from '../workspace/index.js';

export function decisionsMissingFrom(current: Db, other: Db): number {
  const q = `SELECT id FROM decision_events WHERE kind IN (${STATE_KINDS.map(() => '?').join(', ')})`;
  let theirs: Set<string>;
  try {
    theirs = new Set(other.prepare(q).pluck().all(...STATE_KINDS) as string[]);
  } catch {
    // A backup from before the log existed holds none of them.
    theirs = new Set();
  }
  let missing = 0;
  for (const id of current.prepare(q).pluck().iterate(...STATE_KINDS) as Iterable<string>) if (!theirs.has(id)) missing++;
  return missing;
}

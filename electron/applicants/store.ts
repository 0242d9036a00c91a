/**
 * The applicants table's reads: the one place other areas get declared data from. Writes happen
 * only in the import (importService.ts), inside its transaction.
 */
import type { Db } from '../workspace/sqlite.js';
import type { Workspace } from '../workspace/workspace.js';

/** Applicants on the current list (withdrawn ones are kept for their history but not counted). */
export function countApplicants(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM applicants WHERE withdrawn = 0').get() as { n: number }).n;
}

export function hasApplicants(ws: Workspace): boolean {
  return ws.db.prepare('SELECT 1 FROM applicants LIMIT 1').get() !== undefined;
}

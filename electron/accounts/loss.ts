/**
 * What a restore would lose of the accounts (issue 19): an account that exists now and is missing
 * from the other database (a backup), or is there only in an older version (an older role or
 * password: the restore would bring back what an admin changed). Read-only on both.
 */
import type { Db } from '../workspace/index.js';

interface Row {
  name: string;
  role: string;
  hash: string;
  hlc: string;
}

export function accountsMissingFrom(current: Db, other: Db): string[] {
  let theirs: Map<string, Row>;
  try {
    theirs = new Map((other.prepare('SELECT name, role, hash, hlc FROM accounts').all() as Row[]).map((r) => [r.name, r]));
  } catch {
    // Before the accounts (or their hlc column) existed: every current account would be lost.
    theirs = new Map();
  }
  const lost: string[] = [];
  for (const a of current.prepare('SELECT name, role, hash, hlc FROM accounts ORDER BY name').all() as Row[]) {
    const b = theirs.get(a.name);
    const same = b !== undefined && b.role === a.role && b.hash === a.hash;
    if (!same && (b === undefined || b.hlc <= a.hlc)) lost.push(a.name);
  }
  return lost;
}

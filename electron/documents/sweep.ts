/**
 * Scans left by a write that never committed (issue 19: "killed imports leave orphan scan files
 * forever"). An import or a sync writes its scans first and the rows naming them after; killed in
 * between, the files stay and nothing names them. Each batch keeps a journal of the scans it
 * creates (blobs.ts, WriteJournal); the desk that next opens the workspace with its lock removes
 * the listed files that no row names, then the journal. Only those: a file no row names may still
 * be named by an older backup (backups copy no scans), so unnamed files in general are kept.
 *
 * A journal whose writer is alive (this PC, its process still running: the CLI takes no lock and
 * may be importing now) is left alone; one written on another PC is swept once it is a day old.
 * Temporary files of a write (tmp/*.part) are removed once an hour old.
 */
import { readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive, type Workspace } from '../workspace/index.js';
import { JOURNAL_SUFFIX, type JournalHeader } from './blobs.js';

const HOUR = 3_600_000;
/** A write's temporary file older than this belongs to no running write. */
const PART_AGE_MS = HOUR;
/** A journal of another PC older than this belongs to no running import there. */
const FOREIGN_JOURNAL_AGE_MS = 24 * HOUR;

export interface SweepReport {
  /** Scans removed (listed by a journal of a killed write and named by no row). */
  scans: number;
  bytes: number;
  /** Journals and temporary files removed. */
  journals: number;
  parts: number;
}

function readJournal(path: string): { header: JournalHeader | null; hashes: string[] } {
  const [first = '', ...rest] = readFileSync(path, 'utf8').split('\n');
  let header: JournalHeader | null = null;
  try {
    const h = JSON.parse(first) as Partial<JournalHeader>;
    if (typeof h.pid === 'number' && typeof h.host === 'string') header = { pid: h.pid, host: h.host, since: String(h.since ?? '') };
  } catch {
    // A journal cut off in its first line: its writer died before it listed a scan.
  }
  return { header, hashes: rest.filter((l) => /^[0-9a-f]{64}$/.test(l)) };
}

/** True when the journal's writer may still be running (its scans may be about to be named). */
function inUse(header: JournalHeader | null, mtimeMs: number, now: number): boolean {
  if (!header) return false;
  if (header.host === hostname()) return header.pid !== process.pid ? processAlive(header.pid) : true;
  return now - mtimeMs < FOREIGN_JOURNAL_AGE_MS;
}

/** Removes what killed writes left in the scan store (see the file comment). */
export function sweepKilledWrites(ws: Workspace, now = Date.now()): SweepReport {
  const report: SweepReport = { scans: 0, bytes: 0, journals: 0, parts: 0 };
  const tmp = join(ws.blobs.root, 'tmp');
  let names: string[];
  try {
    names = readdirSync(tmp);
  } catch {
    return report; // no write ever needed a temporary file or a journal here
  }
  const named = ws.db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').pluck();
  const shards = new Set<string>();
  for (const name of names) {
    const path = join(tmp, name);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      continue;
    }
    if (name.endsWith('.part')) {
      if (now - mtimeMs < PART_AGE_MS) continue;
      rmSync(path, { force: true });
      report.parts++;
      continue;
    }
    if (!name.endsWith(JOURNAL_SUFFIX)) continue;
    const { header, hashes } = readJournal(path);
    if (inUse(header, mtimeMs, now)) continue;
    for (const sha of new Set(hashes)) {
      if (named.get(sha) !== undefined) continue;
      const file = ws.blobs.pathOf(sha);
      try {
        report.bytes += statSync(file).size;
      } catch {
        continue; // listed before it was created, and never created
      }
      rmSync(file, { force: true });
      shards.add(join(ws.blobs.root, sha.slice(0, 2)));
      report.scans++;
    }
    rmSync(path, { force: true });
    report.journals++;
  }
  for (const dir of shards) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty: other scans live there.
    }
  }
  return report;
}

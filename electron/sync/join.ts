/**
 * Joining a college from a bundle (加入学院): a fresh workspace takes the college's identity
 * from the bundle's readable header, then merges it like any other bundle (passphrase, signature
 * and hashes checked as usual). Also the last time this PC merged a bundle, for the start screen.
 */
import { DeskError, type SyncImportReport } from '../../shared/api/index.js';
import { setMeta, type Db, type Workspace } from '../workspace/index.js';
import { readHeader } from './codec.js';
import { hasEvents } from './log.js';
import { mergeBundle } from './syncService.js';

/** The college a bundle belongs to, readable without the passphrase. */
export function bundleCollege(bytes: Buffer): { collegeId: string; college: string } {
  const { header } = readHeader(bytes);
  return { collegeId: header.collegeId, college: header.college };
}

export function joinFromBundle(ws: Workspace, bytes: Buffer, passphrase: string, file: string): SyncImportReport {
  const { collegeId } = bundleCollege(bytes);
  // Only a workspace with nothing of its own may take another college's identity.
  if (hasEvents(ws.db)) throw new DeskError('join_not_empty', '只有新建的空工作区才能通过同步包加入学院。');
  setMeta(ws.db, 'college_id', collegeId);
  return mergeBundle(ws, bytes, passphrase, file);
}

/** When a bundle from another PC was last merged here (ISO), or null. */
export function lastSyncAt(db: Db): string | null {
  const row = db.prepare('SELECT MAX(at) AS at FROM sync_imports').get() as { at: string | null } | undefined;
  return row?.at ?? null;
}

/**
 * 与文件夹同步: the two-way exchange through one folder (a USB stick or a shared folder) that
 * every PC of the college visits in turn. Each PC keeps exactly one bundle there, named by its
 * workspace id and overwritten on each visit, and imports every other PC's bundle it has not
 * merged yet. Imports run first, so the bundle written afterwards also relays what this PC
 * just learned: PCs that never meet in the folder at the same time still converge.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DeskError, type SyncFolderReport } from '../../shared/api/index.js';
import { countConflicts } from '../review/index.js';
import type { Workspace } from '../workspace/index.js';
import { buildBundle, mergeBundle } from './syncService.js';
import { FolderTransport, type SyncTransport } from './transport.js';

/** The file this workspace writes in a sync folder. */
export function folderBundleName(ws: Workspace): string {
  return `desk-${ws.workspaceId}.zsbsync`;
}

export interface FolderSyncOptions {
  passphrase: string;
  deviceId: string;
  /** For tests: the clock the merge compares remote timestamps with. */
  now?: number | undefined;
}

/** Imports every foreign bundle in the transport, then writes this PC's own full bundle. */
export function exchangeThrough(ws: Workspace, transport: SyncTransport, label: string, opts: FolderSyncOptions): SyncFolderReport {
  const own = folderBundleName(ws);
  const seen = ws.db.prepare('SELECT 1 FROM sync_imports WHERE bundle_sha256 = ?');
  const imported: SyncFolderReport['imported'] = [];
  const skipped: SyncFolderReport['skipped'] = [];
  let unchanged = 0;
  for (const name of transport.list()) {
    if (name === own) continue;
    const bytes = transport.get(name);
    // A bundle already merged is skipped unopened (decrypting a large bundle costs seconds).
    if (seen.get(createHash('sha256').update(bytes).digest('hex'))) {
      unchanged++;
      continue;
    }
    try {
      imported.push(mergeBundle(ws, bytes, opts.passphrase, join(label, name), opts.now));
    } catch (e) {
      // One bad or foreign bundle must not block the others; the wrong passphrase blocks all.
      if (e instanceof DeskError && e.code === 'bundle_wrong_passphrase') throw e;
      skipped.push({ file: name, code: e instanceof DeskError ? e.code : 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
  // Full bundle (no peer): several PCs read the same file, each skips what it already has.
  const { bytes, manifest } = buildBundle(ws, opts.deviceId, { noScans: false, passphrase: opts.passphrase });
  transport.put(own, bytes);
  const conflicts = countConflicts(ws);
  return {
    folder: label,
    exported: { file: join(label, own), bytes: bytes.length, events: manifest.events.length, blobs: manifest.blobs.length },
    imported, skipped, unchanged, conflicts,
  };
}

export function syncWithFolder(ws: Workspace, folder: string, opts: FolderSyncOptions): SyncFolderReport {
  if (existsSync(folder) && !statSync(folder).isDirectory()) throw new DeskError('not_a_folder', `不是文件夹：${folder}`);
  mkdirSync(folder, { recursive: true });
  return exchangeThrough(ws, new FolderTransport(folder), folder, opts);
}

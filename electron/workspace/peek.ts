/**
 * A look into a workspace without opening it for work: read-only, never migrated, never backed
 * up, no lock. The start screen lists colleges this way (name, counts, last sync), including one
 * another desk has open right now.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DeskError } from '../../shared/api/index.js';
import { BlobStore } from '../documents/index.js';
import { networkWarning } from './location.js';
import { allMeta } from './meta.js';
import { LATEST_VERSION } from './migrations/index.js';
import { openSqlite } from './sqlite.js';
import { DB_FILE, type Workspace } from './workspace.js';

export function peekWorkspace(dir: string): Workspace {
  const file = join(dir, DB_FILE);
  if (!existsSync(file)) throw new DeskError('workspace_missing', `找不到学院的数据：${dir}（文件夹已被移动或删除？）`);
  const db = openSqlite(file, { readonly: true, fileMustExist: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    // An older workspace is migrated when it is opened; a newer one is refused then. Either way
    // its tables may not be what this desk's queries expect, so nothing is read from it here.
    if (version !== LATEST_VERSION) throw new DeskError('workspace_version', `学院数据的版本（${version}）与本程序（${LATEST_VERSION}）不同，打开时会处理。`);
    const meta = allMeta(db);
    return {
      dir,
      db,
      blobs: new BlobStore(join(dir, 'blobs')),
      workspaceId: meta.get('workspace_id') ?? '',
      college: meta.get('college') ?? '',
      storageWarning: networkWarning(dir),
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

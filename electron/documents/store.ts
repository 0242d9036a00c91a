/**
 * Resolves a document id to its stored bytes. Adapters serve scans only through this, by id:
 * the renderer never sees or sends a file path.
 */
import type { Workspace } from '../workspace/workspace.js';

export interface DocumentBlob {
  path: string;
  mime: string;
  size: number;
}

export function documentBlob(ws: Workspace, id: number): DocumentBlob | null {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row = ws.db
    .prepare('SELECT b.sha256, b.mime, b.size FROM documents d JOIN blobs b ON b.sha256 = d.sha256 WHERE d.id = ?')
    .get(id) as { sha256: string; mime: string; size: number } | undefined;
  if (!row) return null;
  return { path: ws.blobs.pathOf(row.sha256), mime: row.mime, size: row.size };
}

import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { expect, it } from 'vitest';
import { openWorkspace } from '../../../electron/workspace/workspace.js';
import { tempDir } from './fixtures.js';

it('migration 0006 creates the export audit table', () => {
  const dir = tempDir();
  const ws = openWorkspace(join(dir, 'ws'), { create: true });
  try {
    expect(ws.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(6);
    const cols = (ws.db.prepare('PRAGMA table_info(exports)').all() as { name: string; notnull: number }[]).map((c) => c.name);
    expect(cols).toEqual(['id', 'table_id', 'year', 'title', 'at', 'draft', 'rows', 'out_dir', 'files', 'manifest_sha256', 'data_sha256', 'pdf_signer', 'device_id']);
    expect(() => ws.db.prepare("INSERT INTO exports (id, table_id, year, title, at, draft, rows, out_dir, files, manifest_sha256, data_sha256, device_id) VALUES ('x','exempt',2024,'t','now',2,0,'d','[]','m','d','dev')").run()).toThrow(/CHECK/);
  } finally {
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

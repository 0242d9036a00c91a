/**
 * A clone of a workspace that has scans: the documents come with their applicants. The copy
 * order matters — documents reference applicants, and with foreign keys on, copying them first
 * refused the whole clone (FOREIGN KEY constraint failed), which no seeded, scan-less test saw.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDesk } from '../../../electron/app/desk.js';
import { generateDemo } from '../../../electron/demo/generate.js';
import { allDocuments } from '../../../electron/documents/index.js';
import { openWorkspace } from '../../../electron/workspace/workspace.js';
import { tempDir } from './helpers.js';

const root = tempDir();
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('workspace.clone of a workspace with scans', () => {
  it('copies applicants, documents and the scans themselves', async () => {
    const demo = join(root, 'demo');
    await generateDemo({ out: demo, applicants: 6, seed: 3 });
    const desk = createDesk(join(root, 'pc-a'), { create: true, college: '湖南测试职业技术学院' });
    try {
      expect(await desk.dispatch('import.run', { listPath: join(demo, 'applicants.xlsx'), attachmentsPath: join(demo, 'attachments') })).toMatchObject({ ok: true });
      const docs = allDocuments(desk.ctx.ws().db);
      expect(docs.length).toBeGreaterThan(0);
      const out = join(root, 'pc-b');
      expect(await desk.dispatch('workspace.clone', { out })).toMatchObject({ ok: true, value: { applicants: 6 } });
      const peer = openWorkspace(out);
      try {
        const copied = allDocuments(peer.db);
        expect(copied.map((d) => `${d.idNumber}:${d.sha256}`).sort()).toEqual(docs.map((d) => `${d.idNumber}:${d.sha256}`).sort());
        for (const d of copied) expect(peer.blobs.has(d.sha256)).toBe(true);
      } finally {
        peer.close();
      }
      // Without scans the clone still has the list, and no document rows pointing at missing files.
      const bare = join(root, 'pc-c');
      expect(await desk.dispatch('workspace.clone', { out: bare, noScans: true })).toMatchObject({ ok: true, value: { applicants: 6 } });
      const thin = openWorkspace(bare);
      try {
        expect(allDocuments(thin.db)).toHaveLength(0);
      } finally {
        thin.close();
      }
    } finally {
      desk.close();
    }
  });
});

/**
 * First start: when no workspace is open yet, the desk opens on the bundled demo college so a
 * newcomer sees a working desk at once. The demo is generated (deterministic) and imported once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemo } from '../demo/generate.js';
import { DB_FILE, openWorkspace } from '../workspace/index.js';
import { importList } from '../applicants/index.js';

export const DEMO_COLLEGE = '湖南示范职业技术学院（演示）';

export async function ensureDemoWorkspace(home: string, applicants = 300): Promise<string> {
  const wsDir = join(home, 'demo-workspace');
  if (existsSync(join(wsDir, DB_FILE))) return wsDir;
  const src = join(home, 'demo-college');
  const demo = await generateDemo({ out: src, applicants, seed: 1 });
  const ws = openWorkspace(wsDir, { create: true, college: DEMO_COLLEGE });
  try {
    await importList(ws, { listPath: demo.listFile, attachmentsPath: demo.attachmentsDir });
  } finally {
    ws.close();
  }
  return wsDir;
}

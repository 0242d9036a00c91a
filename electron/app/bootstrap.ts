/**
 * The demo college (演示): one entry of the start screen's list, generated (deterministic) and
 * imported on its first opening, so a newcomer can try every screen without real data.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemo } from '../demo/generate.js';
import { DB_FILE, openWorkspace } from '../workspace/index.js';
import { importList } from '../applicants/index.js';

export const DEMO_COLLEGE = '湖南示范职业技术学院（演示）';
/** The demo's workspace folder under the desk's home. */
export const DEMO_FOLDER = 'demo-workspace';

export async function ensureDemoWorkspace(home: string, applicants = 300): Promise<string> {
  const wsDir = join(home, DEMO_FOLDER);
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

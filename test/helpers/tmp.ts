import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temporary folder whose name has Chinese characters and spaces, like the registrars'
 * `C:\Users\张老师\Desktop\专升本 材料\`.
 */
export function tempDir(prefix = 'desk-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}专升本 材料-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

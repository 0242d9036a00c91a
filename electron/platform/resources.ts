/**
 * The one resource resolver (rules per year, review-table templates, fonts, OCR models, pdf.js
 * worker): every module asks here, so the same lookup works from the source tree (tsx, vitest),
 * from the bundle in dist-electron/, and from a packaged app where resources/ is unpacked next
 * to the asar (`app.asar.unpacked/resources`) or in Electron's resources folder.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deskConfig } from './config.js';

/** Folders that may hold a `resources/` tree's contents, most specific first. */
export function resourceRoots(): string[] {
  const roots = [...deskConfig().resourceDirs];
  // Electron's packaged resources folder; absent under plain Node.
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged) roots.push(join(packaged, 'app.asar.unpacked', 'resources'), join(packaged, 'resources'));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    roots.push(join(dir, 'resources'));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  roots.push(resolve('resources'));
  return [...new Set(roots)];
}

/** The first existing `resources/<relative>`, or null. */
export function findResource(relative: string): string | null {
  for (const root of resourceRoots()) {
    const p = join(root, relative);
    if (existsSync(p)) return p;
  }
  return null;
}

// Builds better-sqlite3 for Electron's ABI into .native/electron/ — a separate folder, so the
// Node build in node_modules (used by `npm test` and the CLI) is never overwritten. The app loads
// it through better-sqlite3's nativeBinding option (DESK_SQLITE_BINDING). Needs internet once
// (Electron headers); skipped when the binary is already there.
import { cpSync, existsSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { requireNodeForElectron } from './check-node.mjs';


const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const outDir = join('.native', 'electron');
const target = join(outDir, 'better_sqlite3.node');
const stamp = join(outDir, `electron-${electronVersion}`);
if (existsSync(target) && existsSync(stamp)) process.exit(0);

// @electron/rebuild 4 (also what electron-builder 26 packages with) needs Node ≥ 22.12. Tests,
// the CLI and the web desk run on Node 20; starting the Electron app from source does not.
requireNodeForElectron('npm start');

const work = join('.native', 'build');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'node_modules'), { recursive: true });
cpSync(join('node_modules', 'better-sqlite3'), join(work, 'node_modules', 'better-sqlite3'), {
  recursive: true,
  filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
});
cpSync('package.json', join(work, 'package.json'));
const { rebuild } = await import('@electron/rebuild');
console.log(`building better-sqlite3 for Electron ${electronVersion} …`);
// buildPath must be absolute (@electron/rebuild refuses a relative one).
await rebuild({ buildPath: resolve(work), electronVersion, onlyModules: ['better-sqlite3'], force: true });
mkdirSync(outDir, { recursive: true });
copyFileSync(join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), target);
copyFileSync(target, stamp);
rmSync(work, { recursive: true, force: true });
console.log(`ok: ${target}`);

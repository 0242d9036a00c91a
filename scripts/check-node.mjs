// The Node.js versions the project needs, in one place (README "Requirements"):
// - tests, the CLI and `npm run web`: package.json "engines" (^20.19 || >=22.13: Vite 8, ESLint 10);
// - `npm start` and `npm run dist`: Node >= 22.12, because @electron/rebuild 4 (the native rebuild
//   for Electron, also what electron-builder 26 packages with) requires it.
// `node scripts/check-node.mjs electron` stops with a message naming the version; imported, it
// exports the same check.
import { fileURLToPath } from 'node:url';

export const ELECTRON_NODE = { major: 22, minor: 12 };

export function nodeOkForElectron(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  return major > ELECTRON_NODE.major || (major === ELECTRON_NODE.major && minor >= ELECTRON_NODE.minor);
}

export function requireNodeForElectron(what) {
  if (nodeOkForElectron()) return;
  const need = `${ELECTRON_NODE.major}.${ELECTRON_NODE.minor}`;
  console.error(`${what} 需要 Node.js ${need} 或更高版本（当前 ${process.versions.node}）：为 Electron 重新编译 better-sqlite3 的 @electron/rebuild 4 要求如此。\n` +
    `${what} needs Node.js >= ${need} (now ${process.versions.node}) to rebuild better-sqlite3 for Electron. Tests, the CLI and \`npm run web\` work on Node 20.19+.`);
  process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  requireNodeForElectron(process.argv[2] === 'dist' ? 'npm run dist' : 'npm start');
}

// Bundles the Electron main process and the preload into dist-electron/ (CommonJS: a sandboxed
// preload cannot be ESM). Native modules stay external and are loaded from node_modules.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  external: ['electron', 'better-sqlite3', '@napi-rs/canvas', 'onnxruntime-node', '@gutenye/ocr-node', 'pdfkit', 'exceljs'],
  logLevel: 'info',
};
await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist-electron/main.cjs' });
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist-electron/preload.cjs' });

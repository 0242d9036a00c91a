/**
 * `npm run web`: the desk without the Electron binary — the loopback host serving the built
 * renderer, on the workspace given by --workspace or on the demo college.
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDesk } from '../../app/desk.js';
import { ensureDemoWorkspace } from '../../app/bootstrap.js';
import { configFromEnv, configure, deskConfig, deskHome } from '../../platform/index.js';
import { documentBlob } from '../../documents/index.js';
import { startHost } from './server.js';

// The configuration is read here, at the edge, and passed in.
configure(configFromEnv(process.env));
const here = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({ options: { workspace: { type: 'string' }, port: { type: 'string' } } });
const wsDir = values.workspace ? resolve(values.workspace) : await ensureDemoWorkspace(deskHome());
const desk = createDesk(wsDir, { lock: true });
const host = await startHost({
  dispatch: desk.dispatch,
  document: (id) => documentBlob(desk.ctx.ws(), id),
  rendererDir: join(here, '../../dist/renderer'),
  port: values.port ? Number(values.port) : 0,
});
// Read the scans in the background (a worker thread; cached by hash, so each scan is read once).
if (deskConfig().ocr) void desk.dispatch('ocr.start', {});
process.stdout.write(`资格审核台 web: ${host.url}\n工作区 workspace: ${wsDir}\n(Ctrl+C 退出)\n`);
const stop = (): void => {
  void host.close().then(() => {
    desk.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

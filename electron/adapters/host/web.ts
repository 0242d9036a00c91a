/**
 * `npm run web`: the desk without the Electron binary — the loopback host serving the built
 * renderer. With `--workspace DIR` it opens that college; without, the college open when it last
 * stopped, or the start screen (新建 / 打开 / 加入学院, the demo among them).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { DB_FILE } from '../../workspace/index.js';
import { configFromEnv, configure } from '../../platform/index.js';
import { openWebDesk } from './webDesk.js';

// The configuration is read here, at the edge, and passed in.
configure(configFromEnv(process.env));

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let values: { workspace?: string | undefined; port?: string | undefined };
try {
  ({ values } = parseArgs({ options: { workspace: { type: 'string' }, port: { type: 'string' } } }));
} catch (e) {
  fail(`${(e as Error).message}\n用法 usage: npm run web [-- --workspace 工作区文件夹] [--port 端口]`);
}
const wsDir = values.workspace ? resolve(values.workspace) : undefined;
// A wrong folder is a message, not a stack trace.
if (wsDir && !existsSync(join(wsDir, DB_FILE))) {
  fail(`工作区不存在：${wsDir}（找不到 ${DB_FILE}）。\n不带 --workspace 启动即进入开始页面，可在那里新建或打开学院。\nNo workspace at ${wsDir}; start without --workspace for the start screen.`);
}
const opened = await openWebDesk({ workspace: wsDir, port: values.port ? Number(values.port) : undefined, env: process.env });
if ('notice' in opened) fail(opened.notice);
const { desk, host } = opened;
const open = desk.ctx.hasWorkspace() ? desk.ctx.ws() : null;
process.stdout.write(`资格审核台 web: ${host.url}\n（此链接只能打开一次 this link works once）\n${open ? `学院 college: ${open.college}（${open.dir}）` : '开始页面 start screen（未打开学院 no college open）'}\n(Ctrl+C 退出)\n`);
const stop = (): void => {
  void opened.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

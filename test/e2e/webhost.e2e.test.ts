/**
 * Issue 19, the web host in a real browser (Chromium): the desk's cookie does not reach another
 * local server, a token link opens the desk once, two desks in one browser keep a cookie each, and
 * the web desk (`npm run web`'s) takes no raw path from a caller.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWebDesk, type WebDesk } from '../../electron/adapters/host/webDesk.js';
import { startHost, type Host } from '../../electron/adapters/host/server.js';
import { createDesk, type Desk } from '../../electron/app/desk.js';
import { openWorkspace } from '../../electron/workspace/index.js';
import { tempDir } from '../fixtures/tmp.js';
import { openBrowser, RENDERER_DIR, type BrowserFixture } from './harness.js';

/** Another program's web server on 127.0.0.1 (a dev server, a printer page…): records the cookies it is sent. */
async function otherLocalServer(): Promise<{ server: Server; url: string; cookies: string[] }> {
  const cookies: string[] = [];
  const server = createServer((req, res) => {
    cookies.push(req.headers.cookie ?? '');
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>other</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, cookies };
}

describe('web host in a browser (issue 19)', () => {
  const t = tempDir();
  let web: WebDesk;
  let br: BrowserFixture;

  beforeAll(async () => {
    process.env.DESK_HOME = join(t.dir, 'home');
    const wsDir = join(t.dir, '工作区');
    openWorkspace(wsDir, { create: true, college: '测试学院' }).close();
    const opened = await openWebDesk({ workspace: wsDir, rendererDir: RENDERER_DIR });
    if ('notice' in opened) throw new Error(opened.notice);
    web = opened;
    br = await openBrowser();
  });
  afterAll(async () => {
    await br?.close();
    await web?.close();
    t.cleanup();
  });

  it('attack: another local server on 127.0.0.1 never receives the desk\'s token cookie', async () => {
    const other = await otherLocalServer();
    try {
      const page = await br.context.newPage();
      expect((await page.goto(web.host.link()))?.status()).toBe(200);
      const cookies = await br.context.cookies();
      expect(cookies.find((c) => c.value === web.host.token)).toMatchObject({ name: `desk_token_${web.host.port}`, httpOnly: true, sameSite: 'Strict', path: '/' });
      await page.goto(other.url);
      expect(other.cookies.length).toBeGreaterThan(0);
      for (const c of other.cookies) expect(c).not.toContain(web.host.token);
      await page.close();
    } finally {
      other.server.close();
    }
  });

  it('attack: a token link opens the desk once; its second use is refused with a message', async () => {
    const link = web.host.link();
    const page = await br.context.newPage();
    expect((await page.goto(link))?.status()).toBe(200);
    const again = await page.goto(link);
    expect(again?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('此链接已使用过');
    await page.close();
  });

  it('attack: the web desk takes no raw path — import.preview of /etc/passwd, a typed path, a demo written anywhere', async () => {
    const page = await br.context.newPage();
    await page.goto(web.host.link());
    const api = (name: string, args: unknown): Promise<{ ok: boolean; error?: { code: string } }> =>
      page.evaluate(async ([n, a]) => (await fetch(`/api/${n}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(a) })).json(), [name, args] as const);
    expect(await api('import.preview', { listPath: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'raw_path_refused' } });
    expect(await api('files.fromPath', { kind: 'list', path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'raw_path_refused' } });
    expect(await api('demo.generate', { out: join(t.dir, '任意位置'), applicants: 1, listOnly: true })).toMatchObject({ ok: false, error: { code: 'raw_path_refused' } });
    expect(await api('sync.export', { out: join(t.dir, 'x.zsbsync'), passphrase: 'p' })).toMatchObject({ ok: false, error: { code: 'raw_path_refused' } });
    expect(await api('files.policy', {})).toMatchObject({ ok: true, value: { typedPaths: false } });
    await page.close();
  });
});

describe('two desks in one browser (issue 19)', () => {
  const t = tempDir();
  const desks: { desk: Desk; host: Host }[] = [];
  let br: BrowserFixture;

  beforeAll(async () => {
    process.env.DESK_HOME = join(t.dir, 'home');
    for (const name of ['甲', '乙']) {
      const desk = createDesk(join(t.dir, `工作区 ${name}`), { create: true, college: `学院${name}` });
      // Both on 127.0.0.1 on purpose: only the cookie's name keeps them apart there.
      const host = await startHost({ dispatch: desk.dispatch, document: () => null, rendererDir: RENDERER_DIR, address: '127.0.0.1' });
      desks.push({ desk, host });
    }
    br = await openBrowser();
  });
  afterAll(async () => {
    await br?.close();
    for (const d of desks) {
      await d.host.close();
      d.desk.close();
    }
    t.cleanup();
  });

  it('attack: opening the second desk does not overwrite the first desk\'s cookie', async () => {
    const [a, b] = desks as [{ desk: Desk; host: Host }, { desk: Desk; host: Host }];
    const pageA = await br.context.newPage();
    await pageA.goto(a.host.link());
    const pageB = await br.context.newPage();
    await pageB.goto(b.host.link());
    const college = (page: typeof pageA): Promise<unknown> =>
      page.evaluate(async () => (await fetch('/api/workspace.info', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json());
    expect(await college(pageA)).toMatchObject({ ok: true, value: { college: '学院甲' } });
    expect(await college(pageB)).toMatchObject({ ok: true, value: { college: '学院乙' } });
  });
});

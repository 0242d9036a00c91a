/**
 * Files through the loopback host (the web desk has no paths): uploads stream into the inbox and
 * come back as handles, over-size uploads get 413 whether the size is declared or not (and leave
 * nothing behind), a folder arrives file by file into one handle, and an export folder downloads
 * as a .zip whose entries are the files, byte for byte, under their Chinese names.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, sep } from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../../electron/adapters/host/server.js';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import { documentBlob } from '../../../electron/documents/index.js';
import type { FileHandleInfo } from '../../../shared/api/index.js';
import { applicantFor, listCsv, tempDir } from '../../fixtures/workspace.js';

interface Raw {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

function send(host: Host, path: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer; chunks?: Buffer[] } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: host.address, port: host.port, path, method: opts.method ?? 'GET', headers: { Authorization: `Bearer ${host.token}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    // A server that answers 413 and closes may cut the rest of the body off: that is the point.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    if (opts.chunks) {
      for (const c of opts.chunks) req.write(c);
      req.end();
    } else req.end(opts.body);
  });
}

const upload = (host: Host, kind: string, name: string, body: Buffer, into?: string): Promise<Raw> =>
  send(host, `/upload?kind=${kind}&name=${encodeURIComponent(name)}${into ? `&into=${into}` : ''}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body });

function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) return reject(e2 ?? new Error('no stream'));
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('uploads and downloads through the loopback host', () => {
  const t = tempDir();
  let desk: Desk;
  let host: Host;
  beforeAll(async () => {
    process.env.DESK_HOME = join(t.dir, 'home');
    desk = createDesk(join(t.dir, '工作区'), { create: true, college: '测试学院' });
    const rendererDir = join(t.dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
    host = await startHost({ dispatch: desk.dispatch, document: (id) => documentBlob(desk.ctx.ws(), id), rendererDir, files: desk.files });
  });
  afterAll(async () => {
    await host.close();
    desk.close();
    t.cleanup();
  });

  it('streams a list into the inbox and answers with a handle the import takes', async () => {
    const r = await upload(host, 'list', '考生 名单.csv', Buffer.from(listCsv([applicantFor(0), applicantFor(1)])));
    expect(r.status).toBe(200);
    const h = (JSON.parse(r.body.toString()) as { ok: true; value: FileHandleInfo }).value;
    expect(h).toMatchObject({ kind: 'list', name: '考生 名单.csv', origin: 'uploaded', folder: false });
    expect(r.body.toString()).not.toContain(t.dir);
    const preview = await desk.dispatch('import.preview', { listPath: { handle: h.handle } });
    expect(preview).toMatchObject({ ok: true, value: { dataRows: 2, file: '考生 名单.csv' } });
    expect(desk.files.pathOf(h.handle).startsWith(join(t.dir, '工作区', 'inbox'))).toBe(true);
  });

  it('refuses an upload over the cap with 413, declared or streamed, and keeps no part of it', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 1); // p12: 1 MiB at most
    const declared = await upload(host, 'p12', '学校证书.p12', big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body.toString())).toMatchObject({ ok: false, error: { code: 'upload_too_large' } });
    const chunk = Buffer.alloc(256 * 1024, 2);
    const streamed = await send(host, `/upload?kind=p12&name=${encodeURIComponent('证书.pfx')}`, {
      method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' }, chunks: [chunk, chunk, chunk, chunk, chunk],
    });
    expect(streamed.status).toBe(413);
    const inbox = join(t.dir, '工作区', 'inbox');
    const left = readdirSync(inbox, { recursive: true }).map(String).filter((f) => /证书/.test(f));
    expect(left).toEqual([]);
  });

  it('refuses a wrong kind or name, and uploads without the token', async () => {
    expect((await upload(host, 'list', '名单.exe', Buffer.from('x'))).status).toBe(400);
    expect((await upload(host, 'nonsense', 'a.csv', Buffer.from('x'))).status).toBe(400);
    expect((await upload(host, 'attachments', '../../逃出去/a.jpg', Buffer.from('x'))).status).toBe(400);
    const anon = await new Promise<number>((resolve, reject) => {
      const req = request({ host: host.address, port: host.port, path: '/upload?kind=list&name=a.csv', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('x');
    });
    expect(anon).toBe(401);
  });

  it('takes a folder file by file into one handle', async () => {
    const first = await upload(host, 'attachments', '附件/退役证.jpg', Buffer.from('a'));
    const h = (JSON.parse(first.body.toString()) as { value: FileHandleInfo }).value;
    expect(h).toMatchObject({ folder: true, name: '附件', bytes: 1 });
    const second = await upload(host, 'attachments', '附件/4301/毕业证.pdf', Buffer.from('bb'), h.handle);
    expect(JSON.parse(second.body.toString())).toMatchObject({ ok: true, value: { handle: h.handle, bytes: 3 } });
    expect(readdirSync(desk.files.pathOf(h.handle), { recursive: true }).map(String).sort()).toEqual(['4301', '4301/毕业证.pdf', '退役证.jpg'].map((p) => p.split('/').join(sep)));
  });

  it('offers an export folder as a .zip of its files, and nothing that is not an output', async () => {
    const out = desk.files.output('exportFolder', '免试资格审核表 草稿');
    const dir = desk.files.pathOf(out.handle);
    mkdirSync(join(dir, '附'), { recursive: true });
    const pdf = Buffer.from('%PDF-1.7 审核表');
    writeFileSync(join(dir, '湖南省2024年免试资格审核表.pdf'), pdf);
    writeFileSync(join(dir, '附', 'manifest.json'), '{"a":1}');
    const r = await send(host, `/download/${out.handle}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    expect(String(r.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('免试资格审核表 草稿.zip')}`);
    const entries = await unzip(r.body);
    expect([...entries.keys()].sort()).toEqual(['湖南省2024年免试资格审核表.pdf', '附/manifest.json']);
    expect(entries.get('湖南省2024年免试资格审核表.pdf')?.equals(pdf)).toBe(true);
    const listUp = (JSON.parse((await upload(host, 'list', 'x.csv', Buffer.from('a,b\n'))).body.toString()) as { value: FileHandleInfo }).value;
    expect((await send(host, `/download/${listUp.handle}`)).status).toBe(404);
    expect((await send(host, '/download/h_AAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    // A folder named by a typed path is not a download: that would read any folder on the PC.
    const typed = desk.files.register(t.dir, 'exportFolder', 'typed');
    expect((await send(host, `/download/${typed.handle}`)).status).toBe(404);
    expect((await send(host, `/download/${out.handle}`, { method: 'POST' })).status).toBe(405);
  });
});

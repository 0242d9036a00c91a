/**
 * The loopback host: 127.0.0.1 only, a token on every request, foreign origins and host names
 * refused, documents by id only, nothing outside the built renderer served.
 */
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../../electron/adapters/host/server.js';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import { documentBlob } from '../../../electron/documents/store.js';
import { tempDir } from '../../fixtures/tmp.js';

function raw(host: Host, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: host.address, port: host.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('loopback host', () => {
  const t = tempDir();
  let desk: Desk;
  let host: Host;
  let docId = 0;
  const auth = (): Record<string, string> => ({ Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' });

  beforeAll(async () => {
    process.env.DESK_HOME = join(t.dir, 'home');
    desk = createDesk(join(t.dir, '工作区'), { create: true });
    const ws = desk.ctx.ws();
    ws.db.prepare("INSERT INTO applicants (id_number, row_no, name, category, import_id, updated_at) VALUES ('11010519491231002X', 1, '张三', 'general', 'i', 'now')").run();
    const blob = ws.blobs.putBuffer(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    ws.db.prepare("INSERT INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, 'image/png', 'now')").run(blob.sha256, blob.size);
    docId = Number(ws.db.prepare("INSERT INTO documents (id_number, kind, sha256, original_name, import_id) VALUES ('11010519491231002X', 'photo', ?, 'p.png', 'i')").run(blob.sha256).lastInsertRowid);
    const rendererDir = join(t.dir, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>desk</title>');
    writeFileSync(join(t.dir, 'secret.txt'), 'secret');
    host = await startHost({ dispatch: desk.dispatch, document: (id) => documentBlob(desk.ctx.ws(), id), rendererDir });
  });
  afterAll(async () => {
    await host.close();
    desk.close();
    t.cleanup();
  });

  it('listens on a loopback address only', () => {
    expect(host.address).toMatch(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/);
    expect(host.server.address()).toMatchObject({ address: host.address });
  });

  it('answers contract calls with the token, as envelopes', async () => {
    const r = await raw(host, '/api/status.summary', { method: 'POST', headers: { ...auth(), Host: `${host.address}:${host.port}` }, body: '{}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { total: 1 } });
    const bad = await raw(host, '/api/decisions.record', { method: 'POST', headers: { ...auth(), Host: `${host.address}:${host.port}` }, body: '{"idNumber":"x"}' });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
  });

  it('refuses missing or wrong tokens', async () => {
    const h = { Host: `${host.address}:${host.port}`, 'Content-Type': 'application/json' };
    expect((await raw(host, '/api/status.summary', { method: 'POST', headers: h, body: '{}' })).status).toBe(401);
    expect((await raw(host, '/api/status.summary', { method: 'POST', headers: { ...h, Authorization: 'Bearer ' + 'f'.repeat(48) }, body: '{}' })).status).toBe(401);
    expect((await raw(host, `/?token=${'0'.repeat(48)}`, { headers: { Host: `${host.address}:${host.port}` } })).status).toBe(403);
    expect((await raw(host, `/doc/${docId}`, { headers: { Host: `${host.address}:${host.port}` } })).status).toBe(401);
  });

  it('hands the token to a browser once as an HttpOnly SameSite cookie', async () => {
    const link = new URL(host.link());
    const r = await raw(host, link.pathname + link.search, { headers: { Host: `${host.address}:${host.port}` } });
    expect(r.status).toBe(302);
    expect(String(r.headers['set-cookie'])).toMatch(new RegExp(`^desk_token_${host.port}=[0-9a-f]+; HttpOnly; SameSite=Strict; Path=/$`));
    const page = await raw(host, '/', { headers: { Host: `${host.address}:${host.port}`, Cookie: `desk_token_${host.port}=${host.token}` } });
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('refuses foreign origins and foreign Host names (DNS rebinding)', async () => {
    expect((await raw(host, '/api/status.summary', { method: 'POST', headers: { ...auth(), Host: `${host.address}:${host.port}`, Origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await raw(host, '/api/status.summary', { method: 'POST', headers: { ...auth(), Host: `evil.example:${host.port}` }, body: '{}' })).status).toBe(421);
    expect((await raw(host, '/api/status.summary', { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, Host: `${host.address}:${host.port}`, 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
  });

  it('serves documents by id only, and nothing outside the renderer folder', async () => {
    const h = { ...auth(), Host: `${host.address}:${host.port}` };
    const doc = await raw(host, `/doc/${docId}`, { headers: h });
    expect(doc.status).toBe(200);
    expect(doc.headers['content-type']).toBe('image/png');
    for (const p of ['/doc/999', '/doc/abc', '/doc/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/../secret.txt']) {
      const r = await raw(host, p, { headers: h });
      expect(r.status, p).not.toBe(200);
      expect(r.body).not.toContain('secret');
    }
  });

  it('refuses oversized bodies', async () => {
    const r = await raw(host, '/api/status.summary', { method: 'POST', headers: { ...auth(), Host: `${host.address}:${host.port}` }, body: 'x'.repeat(2 << 20) }).catch(() => ({ status: 413 }));
    expect(r.status).toBe(413);
  });
});

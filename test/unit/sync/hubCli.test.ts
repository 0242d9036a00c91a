/**
 * The hub from the outside (issue 18): `npm run cli -- hub init --url …` and `sync hub`, as the IT
 * office and an admin type them, and the desk's contract calls: the hub address saved in the
 * college settings without its password (it reaches every PC), the password kept on each PC.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { createContext } from '../../../electron/app/context.js';
import { createDispatcher } from '../../../electron/app/dispatch.js';
import { createHandlers } from '../../../electron/app/handlers.js';
import { MemorySecretStore } from '../../../electron/platform/secrets.js';
import { collegeId } from '../../../electron/sync/log.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import type { ApiArgs, ApiName, ApiResult, Envelope, HubStatus, SyncFolderReport } from '../../../shared/api/index.js';
import { PG_PASSWORD, startCluster, type PgCluster } from '../../fixtures/pgCluster.js';
import { tempDir } from '../../fixtures/tmp.js';
import { applicantFor, listCsv } from '../../fixtures/workspace.js';
import { stateOf } from './helpers.js';

const PASSPHRASE = '湖南交通 同步 2026';
const t = tempDir('desk-hubcli-');
let pg: PgCluster;
const saved = { ...process.env };

beforeAll(async () => {
  pg = await startCluster();
}, 120_000);
afterAll(() => {
  pg.destroy();
  t.cleanup();
  process.env = saved;
});

async function cli(pc: string, env: Record<string, string | undefined>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  process.env = { ...saved, DESK_HOME: join(t.dir, pc, 'home'), DESK_LOG: 'off', ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  let out = '';
  let err = '';
  const code = await runCli(args, (s) => (out += s + '\n'), (s) => (err += s + '\n'));
  return { code, out, err };
}

describe('hub init and sync hub on the command line', () => {
  it('initialises once, syncs two PCs with counts, and never prints the password', async () => {
    const url = await pg.createDatabase('hub_cli');
    const bare = url.replace(`:${encodeURIComponent(PG_PASSWORD)}@`, '@');
    const env = { DESK_HUB_PASSWORD: PG_PASSWORD, DESK_SYNC_PASSPHRASE: PASSPHRASE };
    const first = await cli('it', env, 'hub', 'init', '--url', bare);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('同步服务器已初始化');
    const again = await cli('it', {}, 'hub', 'init', '--url', url);
    expect(again.out).toContain('已是最新结构');
    for (const r of [first, again]) expect(r.out + r.err).not.toContain(PG_PASSWORD);
    const noPassword = await cli('it', { DESK_HUB_PASSWORD: undefined }, 'hub', 'init', '--url', bare);
    expect(noPassword.code).toBe(1);

    const list = join(t.dir, '名单.csv');
    writeFileSync(list, listCsv(Array.from({ length: 8 }, (_, i) => applicantFor(i))));
    const wsA = join(t.dir, 'A', 'ws');
    const wsB = join(t.dir, 'B', 'ws');
    expect((await cli('A', env, 'import', '--workspace', wsA, '--college', '湖南交通职业技术学院', '--list', list)).code).toBe(0);
    expect((await cli('A', env, 'workspace', 'clone', '--workspace', wsA, '--out', wsB)).code).toBe(0);
    const id = applicantFor(3).idNumber;
    expect((await cli('A', env, 'decide', '--workspace', wsA, '--applicant', id, '--decision', 'reject', '--reason', 'blurry', '--reviewer', '张老师')).code).toBe(0);

    const pushA = await cli('A', env, 'sync', 'hub', '--workspace', wsA, '--url', bare);
    expect(pushA.code, pushA.err).toBe(0);
    expect(pushA.out).toMatch(/已与同步服务器同步：postgres:\/\/desk:\*\*\*@127\.0\.0\.1:\d+\/hub_cli/);
    expect(pushA.out).toMatch(/写出 \d+ 个对象.*事件 \d+ 条/);
    const pullB = await cli('B', env, 'sync', 'hub', '--workspace', wsB, '--url', bare, '--json');
    const rb = (JSON.parse(pullB.out) as { value: SyncFolderReport }).value;
    expect(rb.read.events).toBeGreaterThanOrEqual(1);
    expect(rb.folder).not.toContain(PG_PASSWORD);
    const idle = await cli('A', env, 'sync', 'hub', '--workspace', wsA, '--url', url);
    expect(idle.out).toContain('读入');
    for (const r of [pushA, pullB, idle]) expect(r.out + r.err).not.toContain(PG_PASSWORD);
    const a = openWorkspace(wsA);
    const b = openWorkspace(wsB);
    try {
      expect(stateOf(b)).toEqual(stateOf(a));
    } finally {
      a.close();
      b.close();
    }

    // No --url and no hub in the college settings: it says where to set one.
    const none = await cli('B', env, 'sync', 'hub', '--workspace', wsB);
    expect(none.code).toBe(1);
    expect(none.err).toContain('尚未设置同步服务器');
  }, 180_000);
});

function deskFor(ws: Workspace, secrets = new MemorySecretStore()) {
  const ctx = createContext(`dev-${ws.workspaceId.slice(0, 4)}`, ws, { lock: false, backgroundOcr: false }, { secrets, hub: { kdfN: 1024 } });
  const dispatch = createDispatcher(() => createHandlers(ctx));
  const call = async <K extends ApiName>(name: K, args: ApiArgs<K>): Promise<Envelope<ApiResult<K>>> => (await dispatch(name, args)) as Envelope<ApiResult<K>>;
  return { ctx, call, secrets };
}

describe('the hub in the college settings', () => {
  it('keeps the address without its password in the settings, the password on each PC, and syncs from there', async () => {
    const url = await pg.createDatabase('hub_settings');
    expect((await cli('it', {}, 'hub', 'init', '--url', url)).code).toBe(0);
    const list = join(t.dir, '名单2.csv');
    writeFileSync(list, listCsv(Array.from({ length: 4 }, (_, i) => applicantFor(i))));
    const wsA = join(t.dir, 'A2', 'ws');
    const wsB = join(t.dir, 'B2', 'ws');
    expect((await cli('A2', {}, 'import', '--workspace', wsA, '--list', list)).code).toBe(0);
    expect((await cli('A2', {}, 'workspace', 'clone', '--workspace', wsA, '--out', wsB)).code).toBe(0);
    const a = openWorkspace(wsA);
    const b = openWorkspace(wsB);
    const A = deskFor(a);
    const B = deskFor(b);
    try {
      // A password in the settings would travel to every PC: refused there.
      const leak = await A.call('college.settings.set', { patch: { hubUrl: url }, by: '王主任' });
      expect(leak).toMatchObject({ ok: false, error: { code: 'invalid_args' } });

      const st = await A.call('hub.configure', { url, passphrase: PASSPHRASE, by: '王主任' });
      expect(st).toMatchObject({ ok: true, value: { passwordSaved: true, passphraseSaved: true, secrets: 'memory' } });
      const done = await A.ctx.hub.syncNow();
      expect(done).toMatchObject({ state: 'synced', lastError: null });
      const settings = await A.call('college.settings.get', {});
      expect(settings.ok && settings.value.hubUrl).toMatch(/^postgres:\/\/desk@127\.0\.0\.1:\d+\/hub_settings$/);
      const logged = JSON.stringify(a.db.prepare("SELECT payload FROM decision_events WHERE kind = 'settings'").all());
      expect(logged).toContain('hub_settings');
      expect(logged).not.toContain(PG_PASSWORD);
      expect(A.secrets.get(`hub.password:${collegeId(a)}`)).toBe(PG_PASSWORD);

      // B learns the address with the next exchange (here: the hub itself, URL typed once)…
      const first = await B.call('sync.hub', { url, passphrase: PASSPHRASE });
      expect(first.ok).toBe(true);
      const bStatus = await B.call('hub.status', {});
      expect(bStatus).toMatchObject({ ok: true, value: { state: 'idle', passwordSaved: false, passphraseSaved: false } });
      expect(bStatus.ok && bStatus.value.url).not.toContain(PG_PASSWORD);
      // … and needs only this PC's password and the passphrase to sync on its own.
      const missing = await B.ctx.hub.syncNow();
      expect(missing).toMatchObject({ state: 'error', lastError: { code: 'passphrase_missing' } });
      const bare = bStatus.ok ? bStatus.value.url : '';
      await B.call('hub.configure', { url: bare, password: PG_PASSWORD, passphrase: PASSPHRASE });
      const synced = (await B.call('hub.syncNow', {})) as Envelope<HubStatus>;
      expect(synced).toMatchObject({ ok: true, value: { state: 'synced' } });
      expect(stateOf(b)).toEqual(stateOf(a));
      // Stopping: the address leaves the settings, this PC forgets the password.
      const off = await A.call('hub.configure', { url: '', by: '王主任' });
      expect(off).toMatchObject({ ok: true, value: { state: 'off', url: '', passwordSaved: false } });
    } finally {
      A.ctx.hub.stop();
      B.ctx.hub.stop();
      a.close();
      b.close();
    }
  }, 180_000);
});

/**
 * Automatic sync with the hub (issue 18): the rounds a desk's main process runs while a college is
 * open, driven here by a hand-cranked timer so nothing depends on the wall clock. The light goes
 * 同步中 → 已同步; with the server stopped it goes 离线 and the rounds back off; the desk decides
 * on meanwhile, and the first round after the server is back catches up both ways.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type DeskContext } from '../../../electron/app/context.js';
import { MemorySecretStore } from '../../../electron/platform/secrets.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { initHub } from '../../../electron/sync/hub.js';
import { HUB_INTERVAL_MS, type Timer } from '../../../electron/sync/hubAuto.js';
import { cloneWorkspace } from '../../../electron/sync/syncService.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { startCluster, type PgCluster } from '../../fixtures/pgCluster.js';
import { workspaceWith, type TestWorkspace } from '../../fixtures/workspace.js';
import { stateOf } from './helpers.js';

const PASSPHRASE = 'college-passphrase-2026';
let pg: PgCluster;
const made: TestWorkspace[] = [];
const opened: Workspace[] = [];
beforeAll(async () => {
  pg = await startCluster();
}, 120_000);
afterAll(() => {
  opened.forEach((w) => w.close());
  made.forEach((m) => m.close());
  pg.destroy();
});

/** A timer the test turns: it records each delay asked for and runs the pending callback on demand. */
class HandTimer implements Timer {
  delays: number[] = [];
  private pending: (() => void) | null = null;
  set(fn: () => void, ms: number): unknown {
    this.delays.push(ms);
    this.pending = fn;
    return fn;
  }
  clear(h: unknown): void {
    if (this.pending === h) this.pending = null;
  }
  fire(): void {
    const f = this.pending;
    this.pending = null;
    if (!f) throw new Error('nothing scheduled');
    f();
  }
}

function desk(ws: Workspace, timer: HandTimer): DeskContext {
  return createContext(`dev-${ws.workspaceId.slice(0, 4)}`, ws, { lock: false, backgroundOcr: false }, {
    secrets: new MemorySecretStore(),
    hub: { timer, kdfN: 1024, connectTimeoutMs: 3000 },
  });
}

/** Fires the next round and waits for it (the round the timer started is the one syncNow joins). */
async function round(ctx: DeskContext, timer: HandTimer) {
  timer.fire();
  return ctx.hub.syncNow();
}

describe('automatic sync with the hub', () => {
  it('syncs in rounds, goes offline and backs off while the server is down, and catches up after', async () => {
    const url = await pg.createDatabase('hub_auto');
    await initHub(url);
    const first = await workspaceWith(6);
    made.push(first);
    const a = first.ws;
    cloneWorkspace(a, join(first.root, 'pc-b'), true);
    const b = openWorkspace(join(first.root, 'pc-b'));
    opened.push(b);
    const ta = new HandTimer();
    const tb = new HandTimer();
    const A = desk(a, ta);
    const B = desk(b, tb);
    try {
      // No hub in the settings yet: the light is off and rounds only look again later.
      A.hub.start();
      expect(A.hub.status()).toMatchObject({ state: 'off', url: '' });
      await round(A, ta);
      expect(A.hub.status().state).toBe('off');

      const configured = await A.hub.configure({ url, passphrase: PASSPHRASE, by: '王主任' });
      expect(configured.state).toBe('syncing');
      const synced = await A.hub.syncNow();
      expect(synced).toMatchObject({ state: 'synced', lastError: null });
      expect(synced.lastSyncAt).not.toBeNull();
      expect(ta.delays.at(-1)).toBe(HUB_INTERVAL_MS);

      B.hub.start();
      await B.hub.configure({ url, passphrase: PASSPHRASE, by: '李老师' });
      expect((await B.hub.syncNow()).state).toBe('synced');

      // The server goes down. The desk keeps deciding; each round finds it offline and waits longer.
      pg.stop('fast');
      recordDecision(a, 'dev-a', { idNumber: first.ids[0]!, decision: 'approve', reasons: [], note: '', reviewer: '张老师' });
      const before = ta.delays.length;
      const off1 = await round(A, ta);
      expect(off1).toMatchObject({ state: 'offline', lastError: { code: 'hub_unreachable' } });
      expect(off1.lastSyncAt).toBe(synced.lastSyncAt);
      recordDecision(a, 'dev-a', { idNumber: first.ids[1]!, decision: 'reject', reasons: ['blurry'], note: '', reviewer: '张老师' });
      await round(A, ta);
      await round(A, ta);
      expect(ta.delays.slice(before)).toEqual([HUB_INTERVAL_MS, 2 * HUB_INTERVAL_MS, 4 * HUB_INTERVAL_MS]);
      for (let i = 0; i < 5; i++) await round(A, ta);
      expect(Math.max(...ta.delays)).toBe(30 * 60 * 1000);
      expect(A.hub.status().nextAttemptAt).not.toBeNull();

      // Back: the next rounds push A's decisions and bring them to B, and the light is green again.
      pg.start();
      expect(await round(A, ta)).toMatchObject({ state: 'synced', lastError: null, last: { writtenEvents: 2 } });
      expect(ta.delays.at(-1)).toBe(HUB_INTERVAL_MS);
      expect(await round(B, tb)).toMatchObject({ state: 'synced', last: { readEvents: 2 } });
      expect(stateOf(b)).toEqual(stateOf(a));

      // A wrong passphrase is not "offline": it needs a person, and says so.
      await B.hub.configure({ url, passphrase: 'not the college passphrase', by: '李老师' });
      // configure starts a visit in the background; let it end first, or the syncNow below could
      // join it, and a visit that began before A's push has nothing to open (so it cannot fail).
      await B.hub.syncNow();
      recordDecision(a, 'dev-a', { idNumber: first.ids[2]!, decision: 'approve', reasons: [], note: '', reviewer: '张老师' });
      await round(A, ta);
      expect(await B.hub.syncNow()).toMatchObject({ state: 'error', lastError: { code: 'bundle_wrong_passphrase' } });

      // Another college opened on this desk: its light starts afresh.
      const other = await workspaceWith(2);
      made.push(other);
      B.setWorkspace(other.ws);
      expect(B.hub.status()).toMatchObject({ state: 'off', lastSyncAt: null, lastError: null });
      B.setWorkspace(null);
    } finally {
      A.hub.stop();
      B.hub.stop();
      if (!pg.running()) pg.start();
    }
  }, 180_000);
});

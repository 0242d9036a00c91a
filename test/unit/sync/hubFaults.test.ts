/**
 * The hub under faults (issue 18), on a real PostgreSQL cluster: the server stopped mid-push
 * (pg_ctl stop -m immediate), a connection cut by the server (pg_terminate_backend) while pushing
 * and while pulling, two PCs pushing at once, the same events pushed twice. Each time: no loss,
 * no duplicates, no partial state on either side, and the next visits converge.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingScans } from '../../../electron/documents/store.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { exchangeThrough } from '../../../electron/sync/folderSync.js';
import { checkHubSchema, connectHub, HubTransport, initHub, syncWithHub } from '../../../electron/sync/hub.js';
import { redactHubUrl } from '../../../electron/sync/hubUrl.js';
import { verifyChains } from '../../../electron/sync/log.js';
import { cloneWorkspace } from '../../../electron/sync/syncService.js';
import type { FileInfo } from '../../../electron/sync/transport.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { startCluster, type PgCluster } from '../../fixtures/pgCluster.js';
import { workspaceWith, type TestWorkspace } from '../../fixtures/workspace.js';
import { stateOf } from './helpers.js';

const PW = 'college-passphrase-2026';
let pg: PgCluster;
const opened: Workspace[] = [];
const made: TestWorkspace[] = [];

beforeAll(async () => {
  pg = await startCluster();
}, 120_000);
afterAll(() => {
  opened.forEach((w) => w.close());
  made.forEach((t) => t.close());
  pg.destroy();
});

const opts = (ws: Workspace) => ({ passphrase: PW, deviceId: `dev-${ws.workspaceId.slice(0, 4)}`, kdfN: 1024 });
const visit = (ws: Workspace, url: string) => syncWithHub(ws, url, opts(ws));

/** A college of n PCs: the first with scans of three applicants, the others clones without them. */
async function college(n: number, withScans: number[] = []): Promise<{ pcs: Workspace[]; ids: string[] }> {
  const first = await workspaceWith(8, { scans: (_a, i) => (i < 3 ? ['diploma'] : []) });
  made.push(first);
  const pcs = [first.ws];
  for (let i = 1; i < n; i++) {
    const dir = join(first.root, `pc${i}`);
    cloneWorkspace(first.ws, dir, !withScans.includes(i));
    const w = openWorkspace(dir);
    opened.push(w);
    pcs.push(w);
  }
  return { pcs, ids: first.ids };
}

function decideAll(ws: Workspace, ids: readonly string[], reviewer: string, decision: 'approve' | 'reject'): void {
  for (const id of ids) recordDecision(ws, `dev-${reviewer}`, { idNumber: id, decision, reasons: decision === 'reject' ? ['blurry'] : [], note: '', reviewer });
}

/** Everything on the hub, by object: name, size and revision (a changed object changes its revision). */
async function hubObjects(db: string): Promise<string[]> {
  const rows = await pg.admin<{ o: string }>(
    `SELECT 'seg:' || writer || '/' || name || ':' || size || ':' || rev AS o FROM hub_segments
     UNION ALL SELECT 'state:' || writer || ':' || size || ':' || rev FROM hub_states
     UNION ALL SELECT 'scan:' || name || ':' || size || ':' || rev FROM hub_scans ORDER BY 1`,
    [],
    db,
  );
  return rows.map((r) => r.o);
}

/** One visit through a transport the test can interfere with (after the nth write, or read). */
async function visitWith(ws: Workspace, url: string, hooks: { afterPut?: (n: number) => Promise<void> | void; afterGet?: (n: number) => Promise<void> | void; list?: FileInfo[] }) {
  const client = await connectHub(url);
  let puts = 0;
  let gets = 0;
  class Meddled extends HubTransport {
    override async put(name: string, bytes: Buffer): Promise<void> {
      await super.put(name, bytes);
      await hooks.afterPut?.(++puts);
    }
    override async get(name: string): Promise<Buffer> {
      const b = await super.get(name);
      await hooks.afterGet?.(++gets);
      return b;
    }
    override async list(): Promise<FileInfo[]> {
      return hooks.list ?? super.list();
    }
  }
  try {
    await checkHubSchema(client, url);
    return await exchangeThrough(ws, new Meddled(client, url), redactHubUrl(url), opts(ws));
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function converge(pcs: readonly Workspace[], url: string): Promise<void> {
  for (let round = 0; round < 2; round++) for (const w of pcs) await visit(w, url);
  const first = pcs[0]!;
  for (const w of pcs) {
    expect(stateOf(w)).toEqual(stateOf(first));
    expect(pendingScans(w.db)).toEqual([]);
    expect(verifyChains(w).problems).toEqual([]);
  }
}

const terminateDesks = (): Promise<unknown[]> =>
  pg.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'zsb-review-desk' AND pid <> pg_backend_pid()");

describe('hub faults', () => {
  it('the server stopped mid-push: none of that visit is on the hub, the PC lost nothing, the next visit completes', async () => {
    const url = await pg.createDatabase('hub_stop');
    await initHub(url);
    const { pcs, ids } = await college(2);
    const [a, b] = pcs as [Workspace, Workspace];
    await visit(a, url);
    await visit(b, url); // the hub now says B lacks A's scans: A's next visit pushes them
    decideAll(a, ids.slice(0, 5), '张老师', 'approve');
    const hubBefore = await hubObjects('hub_stop');
    const aBefore = stateOf(a);

    const err = await visitWith(a, url, {
      afterPut: (n) => {
        if (n === 2) pg.stop('immediate'); // a crash of the server between two writes of one visit
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/^hub_(connection_lost|unreachable)$/) });
    // The desk goes on offline: nothing it had is gone, and it can decide while the hub is down.
    expect(stateOf(a)).toEqual(aBefore);
    await expect(visit(a, url)).rejects.toMatchObject({ code: 'hub_unreachable' });
    decideAll(a, ids.slice(5, 6), '张老师', 'reject');

    pg.start();
    expect(await hubObjects('hub_stop')).toEqual(hubBefore);
    const r = await visit(a, url);
    expect(r.written.events).toBe(6);
    expect(r.written.scans).toBe(3);
    await converge(pcs, url);
  }, 180_000);

  it('a connection cut by the server while pushing and while pulling: all or nothing on both sides', async () => {
    const url = await pg.createDatabase('hub_cut');
    await initHub(url);
    const { pcs, ids } = await college(2);
    const [a, b] = pcs as [Workspace, Workspace];
    await visit(a, url);
    await visit(b, url);
    decideAll(a, ids.slice(0, 4), '张老师', 'approve');
    decideAll(b, ids.slice(4, 8), '李老师', 'reject');
    const hubBefore = await hubObjects('hub_cut');

    const pushing = await visitWith(a, url, { afterPut: async (n) => void (n === 1 && (await terminateDesks())) }).catch((e: unknown) => e);
    expect(pushing).toMatchObject({ code: 'hub_connection_lost' });
    expect(await hubObjects('hub_cut')).toEqual(hubBefore);

    await visit(a, url); // now in
    const bBefore = stateOf(b);
    const pulling = await visitWith(b, url, { afterGet: async (n) => void (n === 1 && (await terminateDesks())) }).catch((e: unknown) => e);
    expect(pulling).toMatchObject({ code: 'hub_connection_lost' });
    // What B merged before the cut is whole (each object is one local transaction); nothing half-merged.
    expect(verifyChains(b).problems).toEqual([]);
    expect(stateOf(b).events.length).toBeGreaterThanOrEqual(bBefore.events.length);
    await converge(pcs, url);
  }, 180_000);

  it('two PCs pushing at once take turns: every event and scan once, nothing lost', async () => {
    const url = await pg.createDatabase('hub_race');
    await initHub(url);
    // A and C both have the scans; B lacks them. A and C push at the same moment.
    const { pcs, ids } = await college(3, [2]);
    const [a, b, c] = pcs as [Workspace, Workspace, Workspace];
    await visit(b, url);
    await Promise.all([visit(a, url), visit(c, url)]);
    decideAll(a, ids.slice(0, 4), '张老师', 'approve');
    decideAll(c, ids.slice(2, 6), '王老师', 'reject');
    const [ra, rc] = await Promise.all([visit(a, url), visit(c, url)]);
    expect(ra.written.events + rc.written.events).toBeGreaterThanOrEqual(8);
    const scans = await pg.admin<{ n: string }>('SELECT count(*) AS n FROM hub_scans', [], 'hub_race');
    expect(Number(scans[0]?.n)).toBe(3);
    await converge(pcs, url);
    expect(stateOf(b).events).toEqual([...new Set(stateOf(b).events)]);
    expect(stateOf(b).conflicts).toEqual(ids.slice(2, 4));
  }, 180_000);

  it('the same events pushed twice (the reply to a commit lost): the hub keeps one copy, peers merge once', async () => {
    const url = await pg.createDatabase('hub_twice');
    await initHub(url);
    const { pcs, ids } = await college(2);
    const [a, b] = pcs as [Workspace, Workspace];
    await visit(a, url);
    await visit(b, url);
    decideAll(a, ids.slice(0, 3), '张老师', 'approve');
    // The listing A saw before its push: as if the commit went in but A never heard back.
    const client = await connectHub(url);
    const stale = await new HubTransport(client, url).list();
    await client.end();
    const first = await visitWith(a, url, { list: stale });
    const after = await hubObjects('hub_twice');
    const second = await visitWith(a, url, { list: stale });
    expect(second.written.events).toBe(first.written.events);
    // The same segment names again: not one new row, not one changed segment or scan.
    const segOrScan = (l: string[]): string[] => l.filter((o) => !o.startsWith('state:'));
    expect(segOrScan(await hubObjects('hub_twice'))).toEqual(segOrScan(after));
    const rb = await visit(b, url);
    expect(rb.read.events).toBe(3);
    expect(rb.imported.reduce((s, i) => s + i.duplicates, 0)).toBe(0);
    await converge(pcs, url);
  }, 180_000);
});

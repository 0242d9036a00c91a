/**
 * 同步服务器 (issue 18): the college's LAN hub on a real, throw-away PostgreSQL cluster. `hub init`
 * is idempotent and versioned; PCs push what the hub lacks and pull what they lack — events, list
 * versions, settings and scans (each stored once) — sealed exactly as in a sync folder; the hub
 * holds no plaintext and no password; errors say what happened in the registrar's words.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneWorkspace } from '../../../electron/sync/syncService.js';
import { collegeSettings, setCollegeSettings } from '../../../electron/college/settings.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { initHub, HUB_SCHEMA_VERSION, syncWithHub } from '../../../electron/sync/hub.js';
import { pendingScans } from '../../../electron/documents/store.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { applicantFor, importApplicants, workspaceWith, type TestWorkspace } from '../../fixtures/workspace.js';
import { PG_PASSWORD, startCluster, type PgCluster } from '../../fixtures/pgCluster.js';
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

/** A college of two PCs: A imported the list with scans, B is a clone without them. */
async function twoPcs(n = 6, college?: string): Promise<[Workspace, Workspace]> {
  const first = await workspaceWith(n, { ...(college ? { college } : {}), scans: (_a, i) => (i < 3 ? ['diploma'] : []) });
  made.push(first);
  const dir = join(first.root, 'pc-b');
  cloneWorkspace(first.ws, dir, true);
  const b = openWorkspace(dir);
  opened.push(b);
  return [first.ws, b];
}

const visit = (ws: Workspace, url: string, passphrase = PW) => syncWithHub(ws, url, { passphrase, deviceId: `dev-${ws.workspaceId.slice(0, 4)}`, kdfN: 1024 });
const decide = (ws: Workspace, id: string, decision: 'approve' | 'reject', reviewer: string) =>
  recordDecision(ws, `dev-${reviewer}`, { idNumber: id, decision, reasons: decision === 'reject' ? ['blurry'] : [], note: '', reviewer });
const listOf = (ws: Workspace): unknown[] => ws.db.prepare('SELECT id_number, name, version_hlc FROM applicants ORDER BY id_number').all();

describe('hub init', () => {
  it('creates the schema once; again it changes nothing; a hub made by a newer desk is refused', async () => {
    const url = await pg.createDatabase('hub_init');
    expect(await initHub(url)).toMatchObject({ version: HUB_SCHEMA_VERSION, from: 0, created: true });
    const tables = async (): Promise<string[]> =>
      (await pg.admin<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", [], 'hub_init')).map((r) => r.t);
    expect(await tables()).toEqual(['hub_meta', 'hub_scans', 'hub_segments', 'hub_states']);
    expect(await initHub(url)).toMatchObject({ version: HUB_SCHEMA_VERSION, from: HUB_SCHEMA_VERSION, created: false });
    expect(await tables()).toEqual(['hub_meta', 'hub_scans', 'hub_segments', 'hub_states']);
    // The report names the hub without its password.
    expect((await initHub(url)).hub).not.toContain(PG_PASSWORD);

    await pg.admin("UPDATE hub_meta SET value = '99' WHERE key = 'schema_version'", [], 'hub_init');
    await expect(initHub(url)).rejects.toMatchObject({ code: 'hub_too_new' });
    const [a] = await twoPcs(2);
    await expect(visit(a, url)).rejects.toMatchObject({ code: 'hub_too_new' });
    // …and left it as it was.
    expect(await pg.admin("SELECT value FROM hub_meta WHERE key = 'schema_version'", [], 'hub_init')).toEqual([{ value: '99' }]);
  }, 120_000);

  it('a sync before hub init, a wrong password, an unknown database and a stopped server each say so', async () => {
    const url = await pg.createDatabase('hub_fresh');
    const [a] = await twoPcs(2);
    await expect(visit(a, url)).rejects.toMatchObject({ code: 'hub_not_initialised' });
    const wrong = url.replace(encodeURIComponent(PG_PASSWORD), 'not-the-password');
    const e = await visit(a, wrong).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'hub_auth' });
    expect((e as Error).message).not.toContain('not-the-password');
    await expect(visit(a, pg.url('no_such_db'))).rejects.toMatchObject({ code: 'hub_no_database' });
    // Nobody listens on this port (the cluster's own port + a gap, checked closed by connecting).
    const closed = await visit(a, url.replace(`:${pg.port}/`, ':1/')).catch((x: unknown) => x);
    expect(closed).toMatchObject({ code: 'hub_unreachable' });
    expect((closed as Error).message).not.toContain(PG_PASSWORD);
  }, 120_000);
});

describe('sync hub: PCs exchange through PostgreSQL', () => {
  it('pushes what the hub lacks and pulls what the PC lacks: events, list versions, settings, scans once', async () => {
    const url = await pg.createDatabase('hub_two');
    await initHub(url);
    const [a, b] = await twoPcs(6);
    const ids = (a.db.prepare('SELECT id_number FROM applicants ORDER BY row_no').pluck().all() as string[]);
    expect(pendingScans(b.db).length).toBe(3);
    decide(a, ids[0]!, 'approve', '张老师');
    decide(b, ids[0]!, 'reject', '李老师'); // concurrent: a conflict on both
    decide(b, ids[1]!, 'approve', '李老师');
    setCollegeSettings(a, 'dev-a', { code: '12345', noticeDays: 5 }, '王主任');
    // A corrected list on A: a list version B must receive.
    await importApplicants(a, ids.map((_, i) => applicantFor(i, i === 2 ? { name: '更正姓名' } : {})), { checks: false });

    const r1 = await visit(a, url);
    expect(r1.read.events).toBe(0);
    expect(r1.written.events).toBeGreaterThan(0);
    const r2 = await visit(b, url);
    // What B lacked of it (the clone had A's first events already).
    expect(r2.read.events).toBeGreaterThan(0);
    expect(r2.read.events).toBeLessThanOrEqual(r1.written.events);
    expect(r2.read.scans).toBe(0); // A did not know yet that B lacks them
    const r3 = await visit(a, url);
    expect(r3.written.scans).toBe(3);
    expect(r3.read.events).toBe(2);
    const r4 = await visit(b, url);
    expect(r4.read.scans).toBe(3);
    expect(pendingScans(b.db)).toEqual([]);
    expect(stateOf(b)).toEqual(stateOf(a));
    expect(stateOf(a).conflicts).toEqual([ids[0]]);
    expect(listOf(b)).toEqual(listOf(a));
    expect(collegeSettings(b)).toMatchObject({ code: '12345', noticeDays: 5 });

    // Scans are stored once however often they are pushed; the same visit again writes nothing.
    const count = async (t: string): Promise<number> => Number((await pg.admin<{ n: string }>(`SELECT count(*) AS n FROM ${t}`, [], 'hub_two'))[0]?.n);
    expect(await count('hub_scans')).toBe(3);
    const before = await pg.admin('SELECT name, rev FROM hub_segments UNION ALL SELECT writer, rev FROM hub_states ORDER BY 1', [], 'hub_two');
    await visit(a, url);
    const again = await visit(b, url);
    const again2 = await visit(a, url);
    for (const r of [again, again2]) expect(r.written).toEqual({ files: 0, bytes: 0, events: 0, scans: 0 });
    expect(await pg.admin('SELECT name, rev FROM hub_segments UNION ALL SELECT writer, rev FROM hub_states ORDER BY 1', [], 'hub_two')).toEqual(before);
    expect(await count('hub_scans')).toBe(3);
  }, 180_000);

  it('holds only sealed bytes: no names, ID numbers or reviewers in the clear, and no password anywhere', async () => {
    const url = await pg.createDatabase('hub_sealed');
    await initHub(url);
    const [a, b] = await twoPcs(4);
    const ids = (a.db.prepare('SELECT id_number FROM applicants ORDER BY row_no').pluck().all() as string[]);
    decide(a, ids[0]!, 'reject', '张老师');
    const r = await visit(a, url);
    await visit(b, url);
    await visit(a, url);
    expect(r.folder).not.toContain(PG_PASSWORD);
    expect(r.folder).toContain('127.0.0.1');
    const rows = await pg.admin<{ b: Buffer }>('SELECT bytes AS b FROM hub_segments UNION ALL SELECT bytes FROM hub_states UNION ALL SELECT bytes FROM hub_scans', [], 'hub_sealed');
    expect(rows.length).toBeGreaterThan(2);
    const all = Buffer.concat(rows.map((x) => x.b));
    const names = a.db.prepare('SELECT name FROM applicants').pluck().all() as string[];
    for (const needle of [...ids, ...names, '张老师', 'reject', PG_PASSWORD, PW]) expect(all.includes(Buffer.from(needle, 'utf8'))).toBe(false);
    const meta = JSON.stringify(await pg.admin('SELECT * FROM hub_meta', [], 'hub_sealed'));
    expect(meta).not.toContain(PG_PASSWORD);
    // A hub administrator who edits a stored segment gets it refused by every PC, not merged.
    for (const t of ['hub_segments', 'hub_states']) {
      await pg.admin(`UPDATE ${t} SET bytes = overlay(bytes placing '\\xff'::bytea from size / 2 for 1), rev = nextval('hub_rev')`, [], 'hub_sealed');
    }
    const fresh = await twoPcs(2);
    const tampered = await visit(fresh[1], url).catch((x: unknown) => x);
    // Another college's PC is refused by the hub's identity before anything is read.
    expect(tampered).toMatchObject({ code: 'bundle_foreign_college' });
    const b2 = join(a.dir, '..', 'pc-b2');
    cloneWorkspace(a, b2, true);
    const fromA = openWorkspace(b2);
    opened.push(fromA);
    const rt = await visit(fromA, url);
    expect(rt.skipped.length).toBeGreaterThan(0);
    expect(rt.skipped.every((s) => ['bundle_tampered', 'bundle_truncated', 'bundle_not_a_bundle'].includes(s.code))).toBe(true);
  }, 180_000);

  it('a hub administrator cannot forge a decision: an edited row is refused and nothing of it merged; the genuine row goes through', async () => {
    const url = await pg.createDatabase('hub_forge');
    await initHub(url);
    const [a, b] = await twoPcs(4);
    const ids = a.db.prepare('SELECT id_number FROM applicants ORDER BY row_no').pluck().all() as string[];
    await visit(a, url);
    await visit(b, url);
    await visit(a, url);
    await visit(b, url);
    decide(a, ids[0]!, 'reject', '张老师');
    expect((await visit(a, url)).written.events).toBe(1);
    const [seg] = await pg.admin<{ writer: string; name: string; bytes: Buffer; size: number }>(
      'SELECT writer, name, bytes, size FROM hub_segments ORDER BY rev DESC LIMIT 1',
      [],
      'hub_forge',
    );
    if (!seg) throw new Error('A pushed no segment');
    const file = `desk-${seg.writer}/${seg.name}`;
    const bBefore = stateOf(b);
    const decidedOn = (ws: Workspace): string[] => stateOf(ws).current.filter((c) => c.startsWith(`${ids[0]}:`));
    expect(decidedOn(b)).toEqual([]);

    // What an administrator with the database (but not the college passphrase or a PC's key) can
    // do to a row: change bytes in the sealed content, in its tag or signature at the end, or
    // swap in another genuine row's bytes. Each is refused by B and nothing of it is merged.
    const [other] = await pg.admin<{ bytes: Buffer }>('SELECT bytes FROM hub_segments WHERE NOT (writer = $1 AND name = $2) ORDER BY rev LIMIT 1', [seg.writer, seg.name], 'hub_forge');
    const edits: [string, Buffer][] = [
      ['content', Buffer.concat([seg.bytes.subarray(0, seg.size >> 1), Buffer.from([seg.bytes[seg.size >> 1]! ^ 0x01]), seg.bytes.subarray((seg.size >> 1) + 1)])],
      ['end', Buffer.concat([seg.bytes.subarray(0, seg.size - 1), Buffer.from([seg.bytes[seg.size - 1]! ^ 0x80])])],
    ];
    for (const [what, bytes] of edits) {
      await pg.admin("UPDATE hub_segments SET bytes = $3, size = $4, rev = nextval('hub_rev') WHERE writer = $1 AND name = $2", [seg.writer, seg.name, bytes, bytes.length], 'hub_forge');
      const r = await visit(b, url);
      expect(r.skipped, what).toEqual([expect.objectContaining({ file, code: expect.stringMatching(/^bundle_(tampered|truncated|not_a_bundle)$/) })]);
      expect(r.read.events, what).toBe(0);
      expect(stateOf(b), what).toEqual(bBefore);
    }
    // Another genuine segment's bytes under this name: its own, already merged events (none new),
    // never a decision the name promised.
    if (other) {
      await pg.admin("UPDATE hub_segments SET bytes = $3, size = $4, rev = nextval('hub_rev') WHERE writer = $1 AND name = $2", [seg.writer, seg.name, other.bytes, other.bytes.length], 'hub_forge');
      const r = await visit(b, url);
      expect(r.read.events).toBe(0);
      expect(decidedOn(b)).toEqual([]);
    }

    // The genuine row put back: B takes the decision as A made it, by 张老师.
    await pg.admin("UPDATE hub_segments SET bytes = $3, size = $4, rev = nextval('hub_rev') WHERE writer = $1 AND name = $2", [seg.writer, seg.name, seg.bytes, seg.size], 'hub_forge');
    const ok = await visit(b, url);
    expect(ok.skipped).toEqual([]);
    expect(ok.read.events).toBe(1);
    expect(decidedOn(b)).toEqual(decidedOn(a));
    expect(decidedOn(b)[0]).toMatch(/:reject:/);
    expect(stateOf(b)).toEqual(stateOf(a));
  }, 180_000);

  it('a hub restored from an older pg_dump loses nothing: the PCs push again what it lacks', async () => {
    const url = await pg.createDatabase('hub_dump');
    await initHub(url);
    const [a, b] = await twoPcs(6);
    const ids = a.db.prepare('SELECT id_number FROM applicants ORDER BY row_no').pluck().all() as string[];
    const cDir = join(a.dir, '..', 'pc-c');
    cloneWorkspace(a, cDir, true);
    const c = openWorkspace(cDir);
    opened.push(c);
    for (const w of [a, b, a, b]) await visit(w, url);
    decide(a, ids[0]!, 'approve', '张老师');
    await visit(a, url);
    await visit(b, url);
    const nightly = pg.dump('hub_dump', 'nightly');
    decide(a, ids[1]!, 'reject', '张老师');
    // A reject: the third applicant is a 燎原计划 one without the 获奖证书 the rules file requires,
    // whose approval would need a note.
    decide(b, ids[2]!, 'reject', '李老师');
    for (const w of [a, b, a]) await visit(w, url);
    const later = await pg.admin<{ n: string }>('SELECT count(*) AS n FROM hub_segments', [], 'hub_dump');

    // The server is rebuilt from last night's dump: the day's segments are gone from it.
    pg.restore('hub_dump', nightly);
    const restored = await pg.admin<{ n: string }>('SELECT count(*) AS n FROM hub_segments', [], 'hub_dump');
    expect(Number(restored[0]?.n)).toBeLessThan(Number(later[0]?.n));
    const ra = await visit(a, url);
    expect(ra.written.events).toBeGreaterThanOrEqual(1);
    for (const w of [b, c, a, b, c]) await visit(w, url);
    expect(stateOf(c)).toEqual(stateOf(a));
    expect(stateOf(b)).toEqual(stateOf(a));
    expect(stateOf(c).current.filter((x) => [ids[0], ids[1], ids[2]].some((id) => x.startsWith(`${id}:`)))).toHaveLength(3);
    expect(pendingScans(c.db)).toEqual([]);
  }, 180_000);
});

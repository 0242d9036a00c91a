/**
 * Colleges, not folders: the start screen's calls on real desks (a home folder per PC, the
 * one-desk-per-workspace lock on). New college with its 学校代码 and year, the list with counts
 * read from each workspace (also one another desk has open), switching (the old college closed,
 * its lock released; a refusal leaves the open one open), reopening the last one at the next
 * start (or the start screen with the reason), joining from a copy and from a bundle.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import type { CollegeEntry, CurrentCollege, Envelope, ImportReport } from '../../../shared/api/index.js';
import { applicantFor, listCsv, tempDir } from '../../fixtures/workspace.js';

const PW = '湖南专升本2024';

async function ok<T>(p: Promise<Envelope<unknown>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('colleges on this PC', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0).reverse()) c();
  });
  /** A desk as the app and the web host make it: no college yet, the lock on. */
  function deskAt(home: string): Desk {
    process.env.DESK_HOME = home;
    const d = createDesk(undefined, { lock: true });
    cleanups.push(() => d.close());
    return d;
  }
  function temp(): string {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  }

  it('starts with only the demo, marked 演示 and not made yet; nothing is open', async () => {
    const d = deskAt(join(temp(), 'home'));
    const list = await ok<CollegeEntry[]>(d.dispatch('colleges.list', {}));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 'demo', demo: true, notYetMade: true, open: false });
    expect(await ok<CurrentCollege>(d.dispatch('colleges.current', {}))).toEqual({ college: null, notice: null, ruleYears: [2024] });
    expect(await d.dispatch('workspace.info', {})).toMatchObject({ ok: false, error: { code: 'no_workspace' } });
  });

  it('makes a new college with its code and year, imports into it (not into the demo) and lists its counts', async () => {
    const root = temp();
    const d = deskAt(join(root, 'home'));
    const made = await ok<CollegeEntry>(d.dispatch('colleges.create', { name: '湖南交通职业技术学院', code: '14306', year: 2024 }));
    expect(made).toMatchObject({ name: '湖南交通职业技术学院', code: '14306', year: 2024, demo: false, open: true, applicants: 0 });
    expect(made.folder.startsWith(join(root, 'home', 'colleges'))).toBe(true);
    // A year this desk has no rules for is refused, naming the years it has.
    const noRules = await d.dispatch('colleges.create', { name: '湖南未来职业技术学院', year: 2031 });
    expect(noRules).toMatchObject({ ok: false, error: { code: 'rules_missing' } });
    expect(!noRules.ok && noRules.error.message).toContain('2024');
    expect(await ok(d.dispatch('college.settings.get', {}))).toMatchObject({ name: '湖南交通职业技术学院', code: '14306', year: 2024 });
    const list = join(root, '名单.csv');
    writeFileSync(list, listCsv([applicantFor(0), applicantFor(1), applicantFor(2)]));
    await ok<ImportReport>(d.dispatch('import.run', { listPath: { handle: d.files.register(list, 'list', 'picked').handle } }));
    const entries = await ok<CollegeEntry[]>(d.dispatch('colleges.list', {}));
    expect(entries.find((e) => e.id === made.id)).toMatchObject({ applicants: 3, decided: 0, lastSyncAt: null, open: true });
    expect(entries.find((e) => e.demo)).toMatchObject({ applicants: null, open: false });
    expect(existsSync(join(made.folder, 'desk.lock'))).toBe(true);
  });

  it('switches: the old college is closed and its lock released; a refused switch leaves it open', async () => {
    const root = temp();
    const home = join(root, 'home');
    const a = deskAt(home);
    const one = await ok<CollegeEntry>(a.dispatch('colleges.create', { name: '一号学院' }));
    const two = await ok<CollegeEntry>(a.dispatch('colleges.create', { name: '二号学院' }));
    expect(existsSync(join(one.folder, 'desk.lock'))).toBe(false);
    expect(existsSync(join(two.folder, 'desk.lock'))).toBe(true);
    expect(await ok(a.dispatch('workspace.info', {}))).toMatchObject({ college: '二号学院' });

    // A second desk (the web host next to the app) lists both, counts read from the workspace A has open…
    const b = deskAt(home);
    const seen = await ok<CollegeEntry[]>(b.dispatch('colleges.list', {}));
    expect(seen.find((e) => e.id === two.id)).toMatchObject({ applicants: 0, open: false });
    // …and is refused the one A has open, naming who holds it.
    const refused = await b.dispatch('colleges.open', { id: two.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'workspace_locked' } });
    expect(!refused.ok && refused.error.message).toMatch(/正由.*打开/);
    // B opens the other one; then B's attempt to switch to A's college leaves B where it was.
    await ok(b.dispatch('colleges.open', { id: one.id }));
    expect(await b.dispatch('colleges.open', { id: two.id })).toMatchObject({ ok: false, error: { code: 'workspace_locked' } });
    expect(await ok(b.dispatch('workspace.info', {}))).toMatchObject({ college: '一号学院' });
    // Back to the start screen: closed, lock gone.
    expect(await ok(b.dispatch('colleges.close', {}))).toEqual({ closed: true });
    expect(existsSync(join(one.folder, 'desk.lock'))).toBe(false);
    expect(await b.dispatch('workspace.info', {})).toMatchObject({ ok: false, error: { code: 'no_workspace' } });
  });

  it('reopens the college open when the desk last stopped, or shows the start screen with the reason', async () => {
    const root = temp();
    const home = join(root, 'home');
    process.env.DESK_HOME = home;
    const first = createDesk(undefined, { lock: true });
    const made = await ok<CollegeEntry>(first.dispatch('colleges.create', { name: '三号学院' }));
    first.close();
    const again = deskAt(home);
    await again.colleges.startup({ reopen: true });
    expect(await ok<CurrentCollege>(again.dispatch('colleges.current', {}))).toMatchObject({ college: { id: made.id, open: true }, notice: null });
    // Another desk starting now cannot have it: start screen, with who holds it.
    const other = deskAt(home);
    await other.colleges.startup({ reopen: true });
    const cur = await ok<CurrentCollege>(other.dispatch('colleges.current', {}));
    expect(cur.college).toBeNull();
    expect(cur.notice).toMatchObject({ code: 'workspace_locked', id: made.id });
    // After 回到开始页面 nothing is reopened.
    await ok(again.dispatch('colleges.close', {}));
    const third = deskAt(home);
    await third.colleges.startup({ reopen: true });
    expect(await ok<CurrentCollege>(third.dispatch('colleges.current', {}))).toMatchObject({ college: null, notice: null });
    // A folder named on the command line that is gone: the notice says so (the web host prints it and stops).
    await third.colleges.startup({ folder: join(root, '没有这个'), reopen: true });
    expect((await ok<CurrentCollege>(third.dispatch('colleges.current', {}))).notice).toMatchObject({ code: 'workspace_missing' });
  });

  it('joins a college from a copy another PC made (the lock file stays behind) and from a bundle', async () => {
    const root = temp();
    const a = deskAt(join(root, 'pc-a'));
    const made = await ok<CollegeEntry>(a.dispatch('colleges.create', { name: '四号学院', code: '12345' }));
    const list = join(root, '名单.csv');
    writeFileSync(list, listCsv([applicantFor(0), applicantFor(1)]));
    await ok(a.dispatch('import.run', { listPath: list }));
    await ok(a.dispatch('decisions.record', { idNumber: applicantFor(0).idNumber, decision: 'return', reasons: ['missing_docs'], reviewer: '张老师' }));
    const copy = join(root, 'U盘', '副本');
    await ok(a.dispatch('workspace.clone', { out: copy }));
    writeFileSync(join(copy, 'desk.lock'), JSON.stringify({ host: 'another-pc', pid: 1, user: '', since: '', token: 'x' }));

    const b = deskAt(join(root, 'pc-b'));
    const joined = await ok<CollegeEntry>(b.dispatch('colleges.join', { source: { handle: b.files.register(copy, 'clone', 'picked').handle } }));
    expect(joined).toMatchObject({ name: '四号学院', code: '12345', applicants: 2, decided: 1, open: true });
    expect(joined.folder.startsWith(join(root, 'pc-b', 'colleges'))).toBe(true);
    expect(JSON.parse(readFileSync(join(joined.folder, 'desk.lock'), 'utf8'))).toMatchObject({ pid: process.pid });

    // From a bundle: the college's identity comes with it, and the next bundle merges as usual.
    const bundle = join(root, 'a.zsbsync');
    await ok(a.dispatch('sync.export', { out: bundle, passphrase: PW }));
    const c = deskAt(join(root, 'pc-c'));
    const own = await ok<CollegeEntry>(c.dispatch('colleges.create', { name: '本机原有学院' }));
    expect(await c.dispatch('colleges.join', { source: bundle, passphrase: '错的口令' })).toMatchObject({ ok: false, error: { code: 'bundle_wrong_passphrase' } });
    // The failed join left nothing behind, and the college that was open is still open.
    expect((await ok<CollegeEntry[]>(c.dispatch('colleges.list', {}))).map((e) => e.id).sort()).toEqual(['demo', own.id].sort());
    expect(await ok(c.dispatch('workspace.info', {}))).toMatchObject({ college: '本机原有学院' });
    expect(readdirSync(join(root, 'pc-c', 'colleges'))).toEqual(['本机原有学院']);
    const viaBundle = await ok<CollegeEntry>(c.dispatch('colleges.join', { source: bundle, passphrase: PW }));
    expect(viaBundle).toMatchObject({ name: '四号学院', open: true });
    const statusA = await ok<{ collegeId: string }>(a.dispatch('sync.status', {}));
    expect(await ok(c.dispatch('sync.status', {}))).toMatchObject({ collegeId: statusA.collegeId });
    // The log arrived whole and intact (the list itself travels in bundles once the sync of issue 14 is in).
    const auditA = await ok<{ events: number }>(a.dispatch('audit.verify', {}));
    expect(await ok(c.dispatch('audit.verify', {}))).toMatchObject({ ok: true, events: auditA.events });
    expect(auditA.events).toBeGreaterThan(0);
    expect((await ok<CollegeEntry[]>(c.dispatch('colleges.list', {}))).find((e) => e.open)?.lastSyncAt).toMatch(/^\d{4}-/);
    void made;
  });

  it('forgets an entry (the folder stays) but never the demo or the open college', async () => {
    const root = temp();
    const d = deskAt(join(root, 'home'));
    const one = await ok<CollegeEntry>(d.dispatch('colleges.create', { name: '五号学院' }));
    expect(await d.dispatch('colleges.forget', { id: one.id })).toMatchObject({ ok: false, error: { code: 'college_open' } });
    expect(await d.dispatch('colleges.forget', { id: 'demo' })).toMatchObject({ ok: false, error: { code: 'college_demo' } });
    await ok(d.dispatch('colleges.close', {}));
    expect(await ok(d.dispatch('colleges.forget', { id: one.id }))).toEqual({ forgotten: true });
    expect(existsSync(one.folder)).toBe(true);
    // Opened again by its folder, it is back in the list.
    const back = await ok<CollegeEntry>(d.dispatch('colleges.open', { folder: { handle: d.files.register(one.folder, 'workspace', 'picked').handle } }));
    expect(back).toMatchObject({ name: '五号学院', open: true });
  });
});

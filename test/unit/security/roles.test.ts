/**
 * Issue 19, deny by default: every call declares the role it needs (shared/api/roles.ts) and the
 * dispatcher refuses a call before its handler runs once the college has accounts. Each attack of
 * the issue is a case here, made through the same dispatcher every adapter uses.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import { apiArgs, CALL_ROLES, type ApiName, type Envelope } from '../../../shared/api/index.js';
import { mayCall } from '../../../shared/api/roles.js';
import { tempDir } from '../../fixtures/tmp.js';
import { idNumber, writeList } from '../hardening/lists.js';

const ADMIN = { name: '管理员', secret: '办公室-口令-2026' };
const SUPERVISOR = { name: '王主任', secret: '复核-口令-2026' };
const REVIEWER = { name: '李老师', secret: '一号审核-口令-2026' };

const cleanups: (() => void)[] = [];
let root = '';
beforeEach(() => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  root = t.dir;
  process.env.DESK_HOME = join(root, 'home');
});
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function ok<T>(desk: Desk, name: string, args: unknown): Promise<T> {
  const res = await desk.dispatch(name, args);
  if (!res.ok) throw new Error(`${name}: ${res.error.code} ${res.error.message}`);
  return res.value as T;
}

/** A college with 20 applicants, 3 decisions, and then accounts (admin, supervisor, reviewer); nobody signed in. */
async function collegeWithAccounts(): Promise<Desk> {
  const desk = createDesk(join(root, '工作区'), { create: true, college: '测试学院' });
  cleanups.push(() => desk.close());
  await ok(desk, 'import.run', { listPath: writeList(join(root, '名单.csv'), 20, 0) });
  for (let i = 0; i < 3; i++) await ok(desk, 'decisions.record', { idNumber: idNumber(i), decision: 'approve', note: '已核实', reviewer: '李老师' });
  await ok(desk, 'accounts.create', { name: ADMIN.name, role: 'admin', secret: ADMIN.secret });
  await ok(desk, 'accounts.create', { name: SUPERVISOR.name, role: 'supervisor', secret: SUPERVISOR.secret, as: ADMIN });
  await ok(desk, 'accounts.create', { name: REVIEWER.name, role: 'reviewer', secret: REVIEWER.secret, as: ADMIN });
  return desk;
}

describe('every call declares the role it needs', () => {
  it('the table names exactly the calls of the contract, each with a known need', () => {
    const calls = Object.keys(apiArgs).sort();
    expect(Object.keys(CALL_ROLES).sort()).toEqual(calls);
    for (const need of Object.values(CALL_ROLES)) expect(['none', 'signedIn', 'supervisor', 'admin']).toContain(need);
    // Only the start screen, signing in and who-am-I work signed out.
    const open = Object.entries(CALL_ROLES).filter(([, n]) => n === 'none').map(([c]) => c).sort();
    expect(open).toEqual(['accounts.enrolHere', 'accounts.signIn', 'accounts.signOut', 'accounts.whoami', 'colleges.close', 'colleges.create', 'colleges.current', 'colleges.forget', 'colleges.join', 'colleges.list', 'colleges.open', 'files.policy']);
  });
});

describe('the desk hides what the dispatcher would refuse', () => {
  it('mayCall (the toolbar\'s rule) says yes exactly when the dispatcher lets the call past its guard, for every call and every role', async () => {
    const desk = await collegeWithAccounts();
    const probe = { __probe: 1 }; // refused by every schema after the guard, so no handler runs
    for (const who of [null, REVIEWER, SUPERVISOR, ADMIN] as const) {
      if (who) await ok(desk, 'accounts.signIn', who);
      const role = who === null ? null : who === REVIEWER ? 'reviewer' : who === SUPERVISOR ? 'supervisor' : 'admin';
      for (const name of Object.keys(CALL_ROLES) as ApiName[]) {
        if (CALL_ROLES[name] === 'none') continue;
        const res = await desk.dispatch(name, probe);
        const refused = !res.ok && (res.error.code === 'forbidden' || res.error.code === 'sign_in_required');
        expect(refused, `${name} as ${role ?? 'nobody'}: ${res.ok ? 'ok' : res.error.code}`).toBe(!mayCall(name, true, role));
      }
      if (who) await ok(desk, 'accounts.signOut', {});
    }
    // Before the first account the desk is single-user: everything is offered.
    expect((Object.keys(CALL_ROLES) as ApiName[]).every((n) => mayCall(n, false, null))).toBe(true);
  });
});

describe('attack: a call names an environment variable to read', () => {
  it('only DESK_* variables can be named as a secret: the hub address a caller chooses never receives PATH, HOME or another secret of the environment', async () => {
    const desk = createDesk(join(root, '工作区'), { create: true, college: '测试学院' });
    cleanups.push(() => desk.close());
    process.env.AWS_SECRET_ACCESS_KEY = 'not-for-the-hub';
    for (const [name, args] of [
      ['hub.init', { url: 'postgres://x@127.0.0.1:1/db', passwordEnv: 'AWS_SECRET_ACCESS_KEY' }],
      ['sync.hub', { url: 'postgres://x@127.0.0.1:1/db', passwordEnv: 'HOME' }],
      ['sync.withFolder', { folder: join(root, 'f'), passphraseEnv: 'PATH' }],
      ['sync.export', { out: join(root, 'b.zsb'), passphraseEnv: 'desk_lower' }],
    ] as const) {
      const res = await desk.dispatch(name, args);
      expect(res.ok, name).toBe(false);
      if (!res.ok) expect(res.error.code, name).toBe('invalid_args');
    }
    delete process.env.AWS_SECRET_ACCESS_KEY;
  });
});

describe('attack: a signed-out caller once accounts exist', () => {
  it('reads no full ID number: every reading call needs a session', async () => {
    const desk = await collegeWithAccounts();
    for (const [name, args] of [
      ['applicants.list', {}], ['applicants.get', { idNumber: idNumber(1) }], ['review.queue', {}], ['review.applicant', { idNumber: idNumber(1) }],
      ['checks.report', {}], ['decisions.history', { idNumber: idNumber(0) }], ['status.summary', {}], ['workspace.info', {}],
    ] as const) {
      const res = await desk.dispatch(name, args);
      expect(res, name).toMatchObject({ ok: false, error: { code: 'sign_in_required' } });
      expect(JSON.stringify(res), name).not.toContain(idNumber(1));
    }
    // What must work signed out still does.
    expect(await ok(desk, 'accounts.whoami', {})).toMatchObject({ account: null, accountsEnabled: true });
    expect(await desk.dispatch('colleges.list', {})).toMatchObject({ ok: true });
    // Signed in, the same call answers.
    await ok(desk, 'accounts.signIn', REVIEWER);
    expect(JSON.stringify(await ok(desk, 'applicants.get', { idNumber: idNumber(1) }))).toContain(idNumber(1));
    await ok(desk, 'accounts.signOut', {});
    expect(await desk.dispatch('applicants.get', { idNumber: idNumber(1) })).toMatchObject({ ok: false, error: { code: 'sign_in_required' } });
    // The window's scans follow the same rule.
    expect(desk.mayRead()).toBe(false);
  });

  it('cannot import, export, sync, back up or change settings', async () => {
    const desk = await collegeWithAccounts();
    for (const [name, args] of [
      ['import.run', { listPath: writeList(join(root, '名单 B.csv'), 5, 1) }], ['backup.create', {}], ['college.settings.set', { patch: { noticeDays: 3 } }],
      ['sync.export', { out: join(root, 'x.zsbsync'), passphrase: 'p' }], ['export.check', { table: 'exempt' }], ['accounts.list', {}],
    ] as const) {
      expect(await desk.dispatch(name, args), name).toMatchObject({ ok: false, error: { code: 'sign_in_required' } });
    }
  });
});

describe('attack: a reviewer reaches for the supervisor\'s and the admin\'s calls', () => {
  it('is refused before the handler runs (forbidden), and keeps the calls a reviewer needs', async () => {
    const desk = await collegeWithAccounts();
    await ok(desk, 'accounts.signIn', REVIEWER);
    const backups = await createBackupAsAdmin(desk);
    for (const [name, args] of [
      ['backup.restore', { id: backups }], ['backup.create', {}], ['import.preview', { listPath: writeList(join(root, '名单 C.csv'), 5, 1) }],
      ['accounts.create', { name: '新管理员', role: 'admin', secret: '新管理员口令' }], ['accounts.resetSecret', { name: ADMIN.name, secret: '改掉的口令' }],
      ['sync.export', { out: join(root, 'x.zsbsync'), passphrase: 'p' }], ['workspace.clone', { out: join(root, '副本') }],
      ['college.settings.set', { patch: { noticeDays: 3 } }], ['export.run', { table: 'exempt', out: join(root, '导出'), draft: true }],
    ] as const) {
      expect(await desk.dispatch(name, args), name).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // The reviewer's own work goes on.
    expect(await desk.dispatch('decisions.record', { idNumber: idNumber(5), decision: 'approve', note: '已核实', reviewer: REVIEWER.name })).toMatchObject({ ok: true });
    expect(await desk.dispatch('review.queue', {})).toMatchObject({ ok: true });
    // The backup panel shows a reviewer the list (restoring from it is refused above).
    expect(await desk.dispatch('backup.list', {})).toMatchObject({ ok: true });
  });

  it('one-shot credentials (the CLI\'s `as`) are checked like a session: wrong secret, too low a role', async () => {
    const desk = await collegeWithAccounts();
    expect(await desk.dispatch('assignments.set', { reviewer: REVIEWER.name, idNumbers: [idNumber(1)], as: { name: ADMIN.name, secret: 'wrong' } }))
      .toMatchObject({ ok: false, error: { code: 'sign_in_failed' } });
    expect(await desk.dispatch('assignments.set', { reviewer: REVIEWER.name, idNumbers: [idNumber(1)], as: REVIEWER }))
      .toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await desk.dispatch('assignments.set', { reviewer: REVIEWER.name, idNumbers: [idNumber(1)], as: SUPERVISOR })).toMatchObject({ ok: true });
  });
});

/** A backup taken now by the admin (signs in and out again, leaving the reviewer's session as it was). */
async function createBackupAsAdmin(desk: Desk): Promise<string> {
  const who = (await ok<{ account: { name: string } | null }>(desk, 'accounts.whoami', {})).account;
  await ok(desk, 'accounts.signIn', ADMIN);
  const b = await ok<{ id: string }>(desk, 'backup.create', {});
  if (who?.name === REVIEWER.name) await ok(desk, 'accounts.signIn', REVIEWER);
  return b.id;
}

describe('before any account exists', () => {
  it('the desk is single-user as before: every call passes the role check', async () => {
    const desk = createDesk(join(root, '工作区 单人'), { create: true, college: '测试学院' });
    cleanups.push(() => desk.close());
    await ok(desk, 'import.run', { listPath: writeList(join(root, '名单.csv'), 5, 0) });
    const res: Envelope<unknown> = await desk.dispatch('applicants.list', {});
    expect(res.ok).toBe(true);
    expect(desk.mayRead()).toBe(true);
  });
});

describe('attack: a restore to before the accounts existed', () => {
  it('never drops accounts or decisions that exist now without an admin confirming exactly what is lost', async () => {
    const desk = createDesk(join(root, '工作区 恢复'), { create: true, college: '测试学院' });
    cleanups.push(() => desk.close());
    await ok(desk, 'import.run', { listPath: writeList(join(root, '名单.csv'), 20, 0) });
    // Taken before any decision and before the accounts.
    const old = await ok<{ id: string }>(desk, 'backup.create', {});
    for (let i = 0; i < 3; i++) await ok(desk, 'decisions.record', { idNumber: idNumber(i), decision: 'approve', note: '已核实', reviewer: '李老师' });
    await ok(desk, 'accounts.create', { name: ADMIN.name, role: 'admin', secret: ADMIN.secret });
    await ok(desk, 'accounts.create', { name: SUPERVISOR.name, role: 'supervisor', secret: SUPERVISOR.secret, as: ADMIN });
    await ok(desk, 'accounts.create', { name: REVIEWER.name, role: 'reviewer', secret: REVIEWER.secret, as: ADMIN });

    // The reviewer of the issue: refused outright.
    await ok(desk, 'accounts.signIn', REVIEWER);
    expect(await desk.dispatch('backup.restore', { id: old.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // A supervisor may restore, but not drop what exists: the refusal names what would go.
    await ok(desk, 'accounts.signIn', SUPERVISOR);
    const refused = await desk.dispatch('backup.restore', { id: old.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'restore_would_drop', details: { accounts: 3, decisions: 3 } } });
    expect(await desk.dispatch('backup.restore', { id: old.id, confirmDrop: { accounts: 3, decisions: 3 } })).toMatchObject({ ok: false, error: { code: 'restore_needs_admin' } });
    // An admin's confirmation must match what would be lost.
    await ok(desk, 'accounts.signIn', ADMIN);
    expect(await desk.dispatch('backup.restore', { id: old.id, confirmDrop: { accounts: 0, decisions: 3 } })).toMatchObject({ ok: false, error: { code: 'restore_would_drop' } });
    // Nothing changed by the refusals: the accounts and decisions are all there.
    expect(await ok<unknown[]>(desk, 'accounts.list', {})).toHaveLength(3);
    expect((await ok<{ byDecision: { approve: number } }>(desk, 'status.summary', {})).byDecision.approve).toBe(3);
    await ok(desk, 'backup.restore', { id: old.id, confirmDrop: { accounts: 3, decisions: 3 } });
    expect(await ok(desk, 'accounts.whoami', {})).toMatchObject({ accountsEnabled: false });
  });

  it('counts an account the backup holds only in an older version (a reset password, a changed role) as lost', async () => {
    const desk = await collegeWithAccounts();
    await ok(desk, 'accounts.signIn', ADMIN);
    const before = await ok<{ id: string }>(desk, 'backup.create', {});
    await ok(desk, 'accounts.resetSecret', { name: REVIEWER.name, secret: '新的口令1234' });
    expect(await desk.dispatch('backup.restore', { id: before.id })).toMatchObject({
      ok: false, error: { code: 'restore_would_drop', details: { accounts: 1, decisions: 0, accountNames: [REVIEWER.name] } },
    });
    // A backup holding everything that exists now restores without a confirmation.
    const now = await ok<{ id: string }>(desk, 'backup.create', {});
    expect(await desk.dispatch('backup.restore', { id: now.id })).toMatchObject({ ok: true });
  });
});

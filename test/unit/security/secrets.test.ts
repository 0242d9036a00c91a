/**
 * Issue 19, part 4 (secrets): each attack of the issue, tried the way the attacker tried it.
 * On the code before this change each of these passed (a 1-character passphrase and a 4-digit PIN
 * were taken, 30 wrong sign-ins left the right one working, a clone held every account's scrypt
 * hash, and the export signing key sat as PEM text in desk.sqlite and in every backup).
 */
import { scryptSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiArgs, ApiName, ApiResult } from '../../../shared/api/index.js';
import type { SyncEvent } from '../../../shared/sync/events.js';
import { applyAccountEvents, createAccount, LOCKOUT, lockedFor, signIn } from '../../../electron/accounts/accounts.js';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import { osProtector } from '../../../electron/adapters/shell/protector.js';
import { createBackupSync } from '../../../electron/backup/backup.js';
import { checkAccountSecret, checkPassphrase } from '../../../electron/platform/strength.js';
import { configFromEnv, configure, resetConfig } from '../../../electron/platform/config.js';
import { fileProtector, sealSecret } from '../../../electron/platform/keyStore.js';
import { buildBundle, cloneWorkspace } from '../../../electron/sync/syncService.js';
import { collegeKey, keyFingerprint, workspaceKey } from '../../../electron/workspace/keys.js';
import { getMeta, setMeta } from '../../../electron/workspace/meta.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { code, seedWorkspace, tempDir } from '../sync/helpers.js';

const STRONG = 'Office#Desk-2026';
const opened: Workspace[] = [];
const desks: Desk[] = [];
afterAll(() => {
  opened.forEach((w) => w.close());
  desks.forEach((d) => d.close());
});

/** Each test has its own desk home (its own key file = its own PC's protected store). */
let home = '';
beforeEach(() => {
  home = tempDir();
  configure({ ...configFromEnv({}), home, log: false, ocr: false });
});
afterEach(() => resetConfig());

async function call<K extends ApiName>(d: Desk, name: K, args: ApiArgs<K>): Promise<{ ok: true; value: ApiResult<K> } | { ok: false; code: string; message: string }> {
  const r = await d.dispatch(name, args);
  return r.ok ? { ok: true, value: r.value as ApiResult<K> } : { ok: false, code: r.error.code, message: r.error.message };
}

function deskOn(dir: string): Desk {
  const d = createDesk(dir);
  desks.push(d);
  return d;
}

describe('minimum strength (was: a 1-character passphrase and a 4-digit PIN were accepted)', () => {
  it('refuses short and common account secrets with a message that says what is needed', async () => {
    const ws = seedWorkspace(join(tempDir(), 'a'), 1);
    ws.close();
    const d = deskOn(ws.dir);
    const weak = async (secret: string, name = '管理员'): Promise<string> => {
      const r = await call(d, 'accounts.create', { name, role: 'admin', secret });
      return r.ok ? 'accepted' : `${r.code}: ${r.message}`;
    };
    expect(await weak('1234')).toMatch(/^secret_weak: PIN 至少需要 6 位数字/);
    expect(await weak('x')).toMatch(/^secret_weak: 密码至少需要 8 个字符/);
    for (const common of ['123456', '12345678', 'password', 'Password1', 'qwerty123', '5201314', 'woaini1314', '111111', '654321', '88888888']) {
      expect(await weak(common)).toMatch(/^secret_weak: 这个密码或 PIN 太常见/);
    }
    expect(await weak('管理员2026管理员', '管理员')).toMatch(/^secret_weak: .*包含账户名/);
    expect(await weak(STRONG)).toBe('accepted');
    // A 6-digit PIN that is no pattern is a PIN.
    expect(await call(d, 'accounts.create', { name: '张老师', role: 'reviewer', secret: '240719', as: { name: '管理员', secret: STRONG } })).toMatchObject({ ok: true });
    expect(code(() => checkAccountSecret('240719'))).toBe('accepted');
  });

  it('refuses a weak sync passphrase before a bundle is written or a folder visited', async () => {
    const dir = tempDir();
    const ws = seedWorkspace(join(dir, 'a'), 1);
    ws.close();
    const d = deskOn(ws.dir);
    for (const p of ['x', '1234', 'abcdefghij', '1234567890', 'password123', '湖南湖南湖南湖南湖南']) {
      const r = await call(d, 'sync.export', { out: join(dir, 'out'), passphrase: p, passphraseEnv: 'DESK_SYNC_PASSPHRASE', noScans: true });
      expect(r).toMatchObject({ ok: false, code: 'passphrase_weak' });
      const f = await call(d, 'sync.withFolder', { folder: join(dir, 'folder'), passphrase: p, passphraseEnv: 'DESK_SYNC_PASSPHRASE' });
      expect(f).toMatchObject({ ok: false, code: 'passphrase_weak' });
      // The hub holds the same sealed segments: refused before any connection is tried.
      const h = await call(d, 'sync.hub', { url: 'postgres://desk@127.0.0.1:1/college', passphrase: p, passphraseEnv: 'DESK_SYNC_PASSPHRASE' });
      expect(h).toMatchObject({ ok: false, code: 'passphrase_weak' });
      const c = await call(d, 'hub.configure', { url: 'postgres://desk@127.0.0.1:1/college', passphrase: p });
      expect(c).toMatchObject({ ok: false, code: 'passphrase_weak' });
    }
    expect(await call(d, 'hub.status', {})).toMatchObject({ ok: true, value: { state: 'off' } });
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(code(() => checkPassphrase('x'))).toBe('passphrase_weak');
    expect(code(() => checkPassphrase('湖南某校 同步 2026'))).toBe('accepted');
    expect(await call(d, 'sync.export', { out: join(dir, 'out'), passphrase: 'college-passphrase-2026', passphraseEnv: 'DESK_SYNC_PASSPHRASE', noScans: true })).toMatchObject({ ok: true });
  });
});

describe('sign-in lockout (was: 30 wrong tries in 1 s, then the right one worked)', () => {
  it('after 30 wrong tries through the dispatcher the right secret does not simply work', async () => {
    const ws = seedWorkspace(join(tempDir(), 'a'), 1);
    ws.close();
    const d = deskOn(ws.dir);
    expect(await call(d, 'accounts.create', { name: 'admin', role: 'admin', secret: STRONG })).toMatchObject({ ok: true });
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await call(d, 'accounts.signIn', { name: 'admin', secret: `wrong-guess-${i}` });
      codes.push(r.ok ? 'accepted' : r.code);
    }
    expect(codes.slice(0, LOCKOUT.free)).toEqual(Array(LOCKOUT.free).fill('sign_in_failed'));
    expect(new Set(codes.slice(LOCKOUT.free))).toEqual(new Set(['sign_in_locked']));
    const right = await call(d, 'accounts.signIn', { name: 'admin', secret: STRONG });
    expect(right).toMatchObject({ ok: false, code: 'sign_in_locked' });
    if (!right.ok) expect(right.message).toMatch(/密码错误次数过多，请 \d+ 秒后再试/);
  });

  it('backs off per account, doubling, survives a restart, and lets the right secret in once the wait is over', () => {
    const ws = seedWorkspace(join(tempDir(), 'a'), 1);
    createAccount(ws, { name: 'admin', role: 'admin', secret: STRONG });
    createAccount(ws, { name: '张老师', role: 'reviewer', secret: '240719' }, { name: 'admin', secret: STRONG });
    let now = Date.parse('2026-06-01T08:00:00Z');
    for (let i = 0; i < LOCKOUT.free; i++) expect(code(() => signIn(ws, { name: 'admin', secret: 'wrong' }, now))).toBe('sign_in_failed');
    const first = lockedFor(ws, 'admin', now);
    expect(first).toBe(LOCKOUT.firstMs);
    // Another account is not locked by the admin's failures.
    expect(signIn(ws, { name: '张老师', secret: '240719' }, now).name).toBe('张老师');
    expect(code(() => signIn(ws, { name: 'admin', secret: STRONG }, now))).toBe('sign_in_locked');
    // Reopened (the desk restarted): still locked.
    const dir = ws.dir;
    ws.close();
    const again = openWorkspace(dir);
    opened.push(again);
    expect(code(() => signIn(again, { name: 'admin', secret: STRONG }, now + 1000))).toBe('sign_in_locked');
    // After the wait one more wrong try: the next wait doubles.
    now += first;
    expect(code(() => signIn(again, { name: 'admin', secret: 'wrong' }, now))).toBe('sign_in_failed');
    expect(lockedFor(again, 'admin', now)).toBe(2 * LOCKOUT.firstMs);
    now += 2 * LOCKOUT.firstMs;
    expect(signIn(again, { name: 'admin', secret: STRONG }, now).name).toBe('admin');
    expect(lockedFor(again, 'admin', now)).toBe(0);
  });
});

describe('clones and bundles carry no password hashes (was: a reviewer recovered a supervisor PIN from a clone in 23 s)', () => {
  it('the clone has names and roles only; nothing in its file or in a bundle to guess against', () => {
    const dir = tempDir();
    const a = seedWorkspace(join(dir, 'a'), 2);
    opened.push(a);
    createAccount(a, { name: 'admin', role: 'admin', secret: STRONG });
    createAccount(a, { name: '王主任', role: 'supervisor', secret: '583920' }, { name: 'admin', secret: STRONG });
    const verifiers = a.db.prepare("SELECT salt, hash FROM accounts WHERE hash <> ''").all() as { salt: string; hash: string }[];
    expect(verifiers).toHaveLength(2);
    cloneWorkspace(a, join(dir, 'b'), true, { by: 'admin', accounts: [] });
    const b = openWorkspace(join(dir, 'b'));
    opened.push(b);
    expect(b.db.prepare('SELECT name, role, salt, hash FROM accounts ORDER BY name').all()).toEqual([
      { name: 'admin', role: 'admin', salt: '', hash: '' },
      { name: '王主任', role: 'supervisor', salt: '', hash: '' },
    ]);
    // Not in any table, nor in the log's payloads: the whole file and its WAL hold none of them.
    b.db.pragma('wal_checkpoint(TRUNCATE)');
    const raw = Buffer.concat(['desk.sqlite', 'desk.sqlite-wal'].filter((f) => existsSync(join(dir, 'b', f))).map((f) => readFileSync(join(dir, 'b', f)))).toString('latin1');
    for (const v of verifiers) {
      expect(raw).not.toContain(v.hash);
      expect(raw).not.toContain(v.salt);
    }
    // The attack itself: every 6-digit PIN against what the clone holds finds nothing to test.
    const row = b.db.prepare("SELECT salt, hash FROM accounts WHERE name = '王主任'").get() as { salt: string; hash: string };
    expect(row.hash).toBe('');
    expect(code(() => signIn(b, { name: '王主任', secret: '583920' }))).toBe('account_not_enrolled_here');
    const accountEvents = buildBundle(a, 'dev', { noScans: true, passphrase: 'college-passphrase-2026', kdfN: 1024 }).manifest.events.filter((e) => e.kind === 'account');
    expect(accountEvents.map((e) => Object.keys(e.payload).sort())).toEqual([['name', 'role'], ['name', 'role']]);
    for (const v of verifiers) expect(JSON.stringify(accountEvents)).not.toContain(v.hash);
  });

  it('an account event of an older desk carrying a hash does not install it', () => {
    const a = seedWorkspace(join(tempDir(), 'a'), 1);
    opened.push(a);
    createAccount(a, { name: 'admin', role: 'admin', secret: STRONG });
    const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const hash = scryptSync('000000', salt, 32, { N: 16384, r: 8, p: 1 }).toString('hex');
    // As an older desk wrote them (and as a clone's log still holds them): name, role, salt, hash.
    const old: SyncEvent = {
      id: '7d0c4b52-0000-4000-8000-000000000001', origin: 'legacy', originSeq: 1, deviceId: 'old', hlc: '2026-06-01T08:00:00.000Z-0000-0000000000000000',
      kind: 'account', idNumber: null, subject: null, decision: null, reasons: [], note: '', reviewer: 'admin', at: '2026-06-01T08:00:00.000Z',
      supersedes: [], payload: { name: '李老师', role: 'reviewer', salt: salt.toString('hex'), hash }, prevHash: '0'.repeat(64), hash: '0'.repeat(64),
    };
    a.db.transaction(() => applyAccountEvents(a, [old]))();
    expect(a.db.prepare("SELECT role, salt, hash FROM accounts WHERE name = '李老师'").get()).toEqual({ role: 'reviewer', salt: '', hash: '' });
    // The secret the old hash was made of opens nothing.
    expect(code(() => signIn(a, { name: '李老师', secret: '000000' }))).toBe('account_not_enrolled_here');
  });
});

/** Everything the workspace folder holds on disk, as text: the database, its WAL and every backup. */
function folderBytes(dir: string): string {
  const files = ['desk.sqlite', 'desk.sqlite-wal'].map((f) => join(dir, f));
  const backups = join(dir, 'backups');
  if (existsSync(backups)) for (const f of readdirSync(backups)) files.push(join(backups, f));
  return files.filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('\n');
}

describe('private keys sealed by the protected store (was: the export signing key in plaintext in the database and every backup)', () => {
  it('a desk keeps both keys sealed: not in the file, not in a backup; the key itself is unchanged', async () => {
    const ws = seedWorkspace(join(tempDir(), 'a'), 2);
    // Made by an older desk: both keys in plaintext, as before this change.
    const before = { own: workspaceKey(ws).publicKeyPem, college: collegeKey(ws)?.publicKeyPem };
    expect(getMeta(ws.db, 'signing_key')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const dir = ws.dir;
    ws.close();
    const d = deskOn(dir);
    const live = d.ctx.ws();
    expect(getMeta(live.db, 'signing_key')).toMatch(/^sealed:1:file:/);
    expect(getMeta(live.db, 'college_key')).toMatch(/^sealed:1:file:/);
    expect(workspaceKey(live).publicKeyPem).toBe(before.own);
    expect(collegeKey(live)?.publicKeyPem).toBe(before.college);
    createBackupSync(dir, live.db, 'manual');
    live.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = folderBytes(dir);
    expect(bytes).toContain('sealed:1:file:');
    // The backup taken at this open came after the sealing; the older pages were zeroed.
    expect(bytes).not.toContain('PRIVATE KEY');
    // The export the office checks is still signed by the same college key.
    const status = await call(d, 'sync.status', {});
    expect(status).toMatchObject({ ok: true });
    if (status.ok) expect(status.value.collegeKeyFingerprint).toBe(keyFingerprint(before.college ?? ''));
  });

  it('the database or a backup taken to another PC does not give the key away', () => {
    const ws = seedWorkspace(join(tempDir(), 'a'), 1);
    const dir = ws.dir;
    ws.close();
    const d = deskOn(dir);
    const own = workspaceKey(d.ctx.ws()).publicKeyPem;
    const college = collegeKey(d.ctx.ws())?.publicKeyPem;
    d.close();
    // Another PC: another protected store (here another desk home's key file).
    configure({ ...configFromEnv({}), home: tempDir(), log: false, ocr: false });
    const stolen = openWorkspace(dir);
    opened.push(stolen);
    expect(workspaceKey(stolen).publicKeyPem).not.toBe(own);
    // The college key is not made anew there (exports signed with it stay valid): it is simply not there.
    expect(getMeta(stolen.db, 'college_key')).toMatch(/^sealed:1:file:/);
    expect(college).toBeDefined();
    expect(collegeKey(stolen)).toBeNull();
  });

  it('a key sealed by the OS store is not read by a process with another store, and says why', () => {
    const ws = seedWorkspace(join(tempDir(), 'a'), 1);
    opened.push(ws);
    const os = { kind: 'os', protect: (b: Buffer) => b, unprotect: (b: Buffer) => b };
    setMeta(ws.db, 'signing_key', sealSecret(getMeta(ws.db, 'signing_key') ?? '', os));
    expect(code(() => workspaceKey(ws))).toBe('secret_store_mismatch');
  });

  it('the shell adapter seals with safeStorage when the OS offers a real store, and not otherwise', () => {
    const calls: string[] = [];
    const fake = {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => {
        calls.push('encrypt');
        return Buffer.from([...Buffer.from(s)].map((x) => x ^ 0x5a));
      },
      decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    };
    const p = osProtector(fake, 'linux');
    expect(p?.kind).toBe('os');
    expect(p?.unprotect(p.protect(Buffer.from('-----BEGIN PRIVATE KEY-----'))).toString()).toBe('-----BEGIN PRIVATE KEY-----');
    expect(calls).toEqual(['encrypt']);
    expect(osProtector({ ...fake, getSelectedStorageBackend: () => 'basic_text' }, 'linux')).toBeUndefined();
    expect(osProtector({ ...fake, isEncryptionAvailable: () => false }, 'win32')).toBeUndefined();
  });
});

describe('personal data at rest: the user\'s alone (POSIX modes; Windows keeps the per-user ACLs of %APPDATA%)', () => {
  it('the workspace folder is 0700, the database and its WAL 0600, the desk home and its key file too', () => {
    const ws = seedWorkspace(join(tempDir(), 'a'), 1);
    const dir = ws.dir;
    ws.close();
    const d = deskOn(dir);
    workspaceKey(d.ctx.ws());
    const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);
    expect(mode(dir)).toBe('700');
    expect(mode(join(dir, 'desk.sqlite'))).toBe('600');
    expect(mode(join(dir, 'desk.sqlite-wal'))).toBe('600');
    expect(mode(home)).toBe('700');
    expect(mode(join(home, 'secret.key'))).toBe('600');
    // A key file made by two processes at once is one key: the store is this home's for good.
    expect(fileProtector(home).unprotect(fileProtector(home).protect(Buffer.from('x'))).toString()).toBe('x');
  });
});

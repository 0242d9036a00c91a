/**
 * Accounts of a college (审核员 reviewer, 复核人 supervisor, 管理员 admin) and who is signed in on
 * this PC. A fresh workspace has none and decisions carry a typed name (the walking skeleton's
 * path); once an admin exists, every decision needs a signed-in account. The session lives in
 * memory per open workspace, so it ends with the process.
 *
 * Who the accounts are (name, role) travels as `account` events; their secrets never do (issue 19:
 * a clone used to carry every hash, and a 4-digit PIN fell in 23 s). Each PC keeps its own
 * verifier (scrypt salt and hash in `accounts`, '' = not enrolled on this PC): set when the
 * account is made here, by an admin on this PC, or by the account holder with the one-time setup
 * code an admin got when enrolling this PC. Wrong secrets back off per name, persisted.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { DeskError } from '../../shared/api/index.js';
import type { Account, Credentials, Role } from '../../shared/api/index.js';
import type { JsonValue, SyncEvent } from '../../shared/sync/events.js';
import { checkAccountSecret } from '../platform/index.js';
import { allowHere, appendEvents, setupCodeHash, thisPcEnrolment } from '../sync/index.js';
import type { Workspace } from '../workspace/index.js';

const sessions = new WeakMap<Workspace, Account>();
/** Roles as the Chinese desk names them (refusals are read by registrar staff, not developers). */
const ROLE_LABELS: Record<Role, string> = { reviewer: '审核员', supervisor: '复核人', admin: '管理员' };
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
/** Wrong secrets allowed before the back-off starts, its first wait and its longest. */
export const LOCKOUT = { free: 5, firstMs: 30_000, maxMs: 60 * 60_000 } as const;

function hashSecret(secret: string, salt: Buffer): Buffer {
  return scryptSync(secret.normalize('NFC'), salt, 32, SCRYPT);
}

export function hasAccounts(ws: Workspace): boolean {
  return ws.db.prepare('SELECT 1 FROM accounts LIMIT 1').get() !== undefined;
}

export function listAccounts(ws: Workspace): Account[] {
  return ws.db.prepare('SELECT name, role FROM accounts ORDER BY name').all() as Account[];
}

/**
 * The accounts as the desk shows them: to admins (账户管理) and supervisors (who assign shares to
 * reviewers); a reviewer is refused (forbidden). Without accounts the list is simply empty.
 */
export function accountsFor(ws: Workspace, creds?: Credentials): Account[] {
  if (hasAccounts(ws)) actor(ws, ['admin', 'supervisor'], creds);
  return listAccounts(ws);
}

/** The wait left for a name after failed sign-ins (ms; 0 = none). */
export function lockedFor(ws: Workspace, name: string, now = Date.now()): number {
  const row = ws.db.prepare('SELECT locked_until FROM sign_in_failures WHERE name = ?').get(name) as { locked_until: string } | undefined;
  return row ? Math.max(0, Date.parse(row.locked_until) - now) : 0;
}

function noteFailure(ws: Workspace, name: string, now: number): void {
  const row = ws.db.prepare('SELECT failures FROM sign_in_failures WHERE name = ?').get(name) as { failures: number } | undefined;
  const failures = (row?.failures ?? 0) + 1;
  // Free tries first, then a wait that doubles with every further failure (30 s … 1 h).
  const over = failures - LOCKOUT.free;
  const wait = over < 0 ? 0 : Math.min(LOCKOUT.maxMs, LOCKOUT.firstMs * 2 ** over);
  ws.db.prepare(
    `INSERT INTO sign_in_failures (name, failures, last_at, locked_until) VALUES (?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at, locked_until = excluded.locked_until`,
  ).run(name, failures, new Date(now).toISOString(), new Date(now + wait).toISOString());
}

function checkSecret(ws: Workspace, name: string, secret: string, now = Date.now()): Account {
  const wait = lockedFor(ws, name, now);
  if (wait > 0) {
    throw new DeskError('sign_in_locked', `账户 ${name} 的密码错误次数过多，请 ${Math.ceil(wait / 1000)} 秒后再试。`, { waitMs: wait });
  }
  const row = ws.db.prepare('SELECT name, role, salt, hash FROM accounts WHERE name = ?').get(name) as
    | (Account & { salt: string; hash: string })
    | undefined;
  if (row && row.hash === '') {
    throw new DeskError('account_not_enrolled_here', `账户 ${name} 尚未在本机登记：请本机的管理员为其设置密码，或用管理员登记本机时得到的一次性设置码设置（账户 → 在本机登记）。`);
  }
  // Hash even for an unknown name so the answer time does not reveal which names exist.
  const salt = row ? Buffer.from(row.salt, 'hex') : randomBytes(16);
  const got = hashSecret(secret, salt);
  if (!row || !timingSafeEqual(got, Buffer.from(row.hash, 'hex'))) {
    noteFailure(ws, name, now);
    throw new DeskError('sign_in_failed', '用户名或密码错误。');
  }
  ws.db.prepare('DELETE FROM sign_in_failures WHERE name = ?').run(name);
  return { name: row.name, role: row.role };
}

export function signIn(ws: Workspace, c: Credentials, now = Date.now()): Account {
  const acc = checkSecret(ws, c.name, c.secret, now);
  sessions.set(ws, acc);
  return acc;
}

export function signOut(ws: Workspace): void {
  sessions.delete(ws);
}

export function whoAmI(ws: Workspace): Account | null {
  return sessions.get(ws) ?? null;
}

/**
 * The account acting in this call: explicit credentials (CLI, one-shot) or the session.
 * Without any accounts in the workspace, `fallbackName` is used as is (legacy path).
 */
export function actor(ws: Workspace, roles: readonly Role[], creds?: Credentials, fallbackName?: string): Account {
  if (!hasAccounts(ws)) {
    if (creds) return { name: creds.name, role: 'admin' };
    if (fallbackName) return { name: fallbackName, role: 'admin' };
    throw new DeskError('sign_in_required', '请填写操作人姓名。');
  }
  const acc = creds ? checkSecret(ws, creds.name, creds.secret) : sessions.get(ws);
  if (!acc) throw new DeskError('sign_in_required', '请先登录（本工作区已启用账户）。');
  if (!creds && fallbackName && fallbackName !== acc.name) {
    throw new DeskError('not_signed_in_as', `当前登录的是 ${acc.name}，不能以 ${fallbackName} 的名义操作。`);
  }
  if (!roles.includes(acc.role)) {
    throw new DeskError('forbidden', `此操作需要${roles.map((r) => ROLE_LABELS[r]).join('或')}的账户（${acc.name} 是${ROLE_LABELS[acc.role]}）。`);
  }
  return acc;
}

export function createAccount(ws: Workspace, input: { name: string; role: Role; secret: string }, creds?: Credentials, deviceId = 'accounts'): Account {
  // The very first account bootstraps the workspace and must be an admin; later ones need an admin.
  const by = hasAccounts(ws) ? actor(ws, ['admin'], creds).name : input.name;
  if (!hasAccounts(ws) && input.role !== 'admin') throw new DeskError('first_account_admin', '第一个账户必须是管理员。');
  if (ws.db.prepare('SELECT 1 FROM accounts WHERE name = ?').get(input.name)) throw new DeskError('account_exists', `账户 ${input.name} 已存在。`);
  checkAccountSecret(input.secret, input.name);
  ws.db.transaction(() => {
    ensureAccountBaseline(ws, deviceId);
    const events = appendEvents(ws, deviceId, [{ kind: 'account', reviewer: by, subject: null, payload: { name: input.name, role: input.role } }]);
    applyAccountEvents(ws, events);
    // The account works on the PC it was made on: a PC enrolled for named accounts adds it.
    allowHere(ws, deviceId, by, input.name);
    setVerifier(ws, input.name, input.secret);
  }).immediate();
  return { name: input.name, role: input.role };
}

/** Admin resets a forgotten password/PIN on this PC (the secret stays on this PC; the log is untouched). */
export function resetSecret(ws: Workspace, input: { name: string; secret: string }, creds?: Credentials): Account {
  actor(ws, ['admin'], creds);
  const row = ws.db.prepare('SELECT name, role FROM accounts WHERE name = ?').get(input.name) as Account | undefined;
  if (!row) throw new DeskError('not_found', `没有账户 ${input.name}。`);
  checkAccountSecret(input.secret, input.name);
  setVerifier(ws, row.name, input.secret);
  ws.db.prepare('DELETE FROM sign_in_failures WHERE name = ?').run(row.name);
  return row;
}

/**
 * 在本机登记: the account holder sets their secret on this PC with the one-time setup code the
 * admin got when enrolling this PC. Only for an account this PC is enrolled for and that has no
 * secret here yet (afterwards an admin on this PC resets it). Wrong codes back off like sign-in.
 */
export function enrolHere(ws: Workspace, input: { name: string; secret: string; setupCode: string }, now = Date.now()): Account {
  const wait = lockedFor(ws, input.name, now);
  if (wait > 0) throw new DeskError('sign_in_locked', `设置码错误次数过多，请 ${Math.ceil(wait / 1000)} 秒后再试。`, { waitMs: wait });
  const row = ws.db.prepare('SELECT name, role, hash FROM accounts WHERE name = ?').get(input.name) as (Account & { hash: string }) | undefined;
  if (!row) throw new DeskError('not_found', `没有账户 ${input.name}。`);
  if (row.hash !== '') throw new DeskError('account_enrolled_here', `账户 ${input.name} 已在本机设置过密码；忘记时请本机的管理员重置。`);
  const pc = thisPcEnrolment(ws);
  if (!pc || pc.setup?.[input.name] === undefined || pc.setup[input.name] !== setupCodeHash(input.name, input.setupCode)) {
    noteFailure(ws, input.name, now);
    throw new DeskError('setup_code_invalid', '设置码不正确（或本机未被登记、登记时没有设置码）。请向管理员确认本机的一次性设置码。');
  }
  if (pc.accounts !== null && !pc.accounts.includes(input.name)) {
    throw new DeskError('account_not_on_pc', `本机未被登记给账户 ${input.name} 使用，请管理员先在登记中加入它。`);
  }
  checkAccountSecret(input.secret, input.name);
  setVerifier(ws, input.name, input.secret);
  ws.db.prepare('DELETE FROM sign_in_failures WHERE name = ?').run(input.name);
  return { name: row.name, role: row.role };
}

function setVerifier(ws: Workspace, name: string, secret: string): void {
  const salt = randomBytes(16);
  ws.db.prepare('UPDATE accounts SET salt = ?, hash = ?, updated_at = ? WHERE name = ?').run(salt.toString('hex'), hashSecret(secret, salt).toString('hex'), new Date().toISOString(), name);
}

interface AccountPayload {
  name: string;
  role: Role;
}

/**
 * The account an event sets, or null when this version cannot apply it (the merge refuses such a
 * bundle). Events of older desks also carry a salt and hash: they are ignored, never installed.
 */
export function readAccountPayload(p: { [k: string]: JsonValue }): AccountPayload | null {
  const { name, role } = p;
  if (typeof name !== 'string' || name === '') return null;
  if (role !== 'reviewer' && role !== 'supervisor' && role !== 'admin') return null;
  return { name, role };
}

/**
 * Applies account events, local or arrived: per name the event with the greatest HLC wins. Inside
 * the caller's transaction. Who may send one was decided before (shared/sync/trust.ts: an admin,
 * as of the event's HLC, on a PC enrolled for them), on merge and on local append alike. Only
 * name and role are taken: this PC's verifier is its own.
 */
export function applyAccountEvents(ws: Workspace, events: readonly SyncEvent[]): number {
  const current = ws.db.prepare('SELECT hlc FROM accounts WHERE name = ?').pluck();
  const upsert = ws.db.prepare(
    `INSERT INTO accounts (name, role, salt, hash, created_at, updated_at, hlc) VALUES (?, ?, '', '', ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at, hlc = excluded.hlc`,
  );
  let applied = 0;
  for (const e of events) {
    if (e.kind !== 'account') continue;
    const a = readAccountPayload(e.payload);
    if (!a) throw new Error(`account event ${e.id} cannot be applied by this version`);
    const had = current.get(a.name) as string | undefined;
    if (had !== undefined && had >= e.hlc) continue;
    upsert.run(a.name, a.role, e.at, e.at, e.hlc);
    applied++;
  }
  return applied;
}

/**
 * Accounts made before they were events become events (once), with the time each last changed,
 * so they reach the PCs that lack them. Inside the caller's transaction.
 */
export function ensureAccountBaseline(ws: Workspace, deviceId: string): number {
  const legacy = ws.db.prepare("SELECT name, role, updated_at FROM accounts WHERE hlc = '' ORDER BY name").all() as (AccountPayload & { updated_at: string })[];
  if (legacy.length === 0) return 0;
  const events = appendEvents(ws, deviceId, legacy.map((a) => ({
    kind: 'account' as const, reviewer: '账户基线', subject: null, hlc: `${a.updated_at}-0000-0000000000000000`,
    payload: { name: a.name, role: a.role },
  })));
  const mark = ws.db.prepare('UPDATE accounts SET hlc = ? WHERE name = ?');
  for (const e of events) mark.run(e.hlc, e.payload.name as string);
  return events.length;
}

/** Copies the accounts (names and roles, never their verifiers) from an attached database (a clone). */
export function copyAccountsFrom(ws: Workspace, alias: string): void {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`invalid alias ${alias}`);
  ws.db.exec(`INSERT INTO main.accounts (name, role, salt, hash, created_at, updated_at, hlc)
    SELECT name, role, '', '', created_at, updated_at, hlc FROM ${alias}.accounts`);
}

/** Whether the account has a verifier on this PC. */
export function enrolledHere(ws: Workspace, name: string): boolean {
  return ws.db.prepare("SELECT 1 FROM accounts WHERE name = ? AND hash <> ''").get(name) !== undefined;
}

export function countAccounts(db: Workspace['db']): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;
}

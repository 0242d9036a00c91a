/**
 * Local accounts of a workspace (审核员 reviewer, 复核人 supervisor, 管理员 admin) and who is signed
 * in. A fresh workspace has none and decisions carry a typed name (the walking skeleton's path);
 * once an admin exists, every decision needs a signed-in account. Passwords/PINs are kept as scrypt
 * hashes only. The session lives in memory per open workspace, so it ends with the process.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { DeskError } from '../../shared/api/index.js';
import type { Account, Credentials, Role } from '../../shared/api/index.js';
import type { JsonValue, SyncEvent } from '../../shared/sync/events.js';
import { appendEvents } from '../sync/index.js';
import type { Workspace } from '../workspace/index.js';

const sessions = new WeakMap<Workspace, Account>();
/** Roles as the Chinese desk names them (refusals are read by registrar staff, not developers). */
const ROLE_LABELS: Record<Role, string> = { reviewer: '审核员', supervisor: '复核人', admin: '管理员' };
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;

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

function checkSecret(ws: Workspace, name: string, secret: string): Account {
  const row = ws.db.prepare('SELECT name, role, salt, hash FROM accounts WHERE name = ?').get(name) as
    | (Account & { salt: string; hash: string })
    | undefined;
  // Hash even for an unknown name so the answer time does not reveal which names exist.
  const salt = row ? Buffer.from(row.salt, 'hex') : randomBytes(16);
  const got = hashSecret(secret, salt);
  if (!row || !timingSafeEqual(got, Buffer.from(row.hash, 'hex'))) {
    throw new DeskError('sign_in_failed', '用户名或密码错误。');
  }
  return { name: row.name, role: row.role };
}

export function signIn(ws: Workspace, c: Credentials): Account {
  const acc = checkSecret(ws, c.name, c.secret);
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
  writeAccount(ws, deviceId, by, { name: input.name, role: input.role, secret: input.secret });
  return { name: input.name, role: input.role };
}

/** Admin resets a forgotten password/PIN; the log is untouched (nobody can edit it). */
export function resetSecret(ws: Workspace, input: { name: string; secret: string }, creds?: Credentials, deviceId = 'accounts'): Account {
  const by = actor(ws, ['admin'], creds).name;
  const row = ws.db.prepare('SELECT name, role FROM accounts WHERE name = ?').get(input.name) as Account | undefined;
  if (!row) throw new DeskError('not_found', `没有账户 ${input.name}。`);
  writeAccount(ws, deviceId, by, { name: row.name, role: row.role, secret: input.secret });
  return row;
}

/**
 * Every change of an account is an `account` event carrying the scrypt salt and hash (never the
 * secret), so the PCs of the college share their accounts: the latest change per name wins.
 */
function writeAccount(ws: Workspace, deviceId: string, by: string, a: { name: string; role: Role; secret: string }): void {
  const salt = randomBytes(16);
  const payload: AccountPayload = { name: a.name, role: a.role, salt: salt.toString('hex'), hash: hashSecret(a.secret, salt).toString('hex') };
  ws.db.transaction(() => {
    ensureAccountBaseline(ws, deviceId);
    const events = appendEvents(ws, deviceId, [{ kind: 'account', reviewer: by, subject: null, payload: { ...payload } }]);
    applyAccountEvents(ws, events);
  }).immediate();
}

interface AccountPayload {
  name: string;
  role: Role;
  salt: string;
  hash: string;
}

/** The account an event sets, or null when this version cannot apply it (the merge refuses such a bundle). */
export function readAccountPayload(p: { [k: string]: JsonValue }): AccountPayload | null {
  const { name, role, salt, hash } = p;
  if (typeof name !== 'string' || name === '' || typeof salt !== 'string' || typeof hash !== 'string') return null;
  if (role !== 'reviewer' && role !== 'supervisor' && role !== 'admin') return null;
  if (!/^[0-9a-f]+$/.test(salt) || !/^[0-9a-f]{64}$/.test(hash)) return null;
  return { name, role, salt, hash };
}

/**
 * Applies account events, local or arrived: per name the event with the greatest HLC wins. Inside
 * the caller's transaction. This is the one place that decides whether an arrived change of an
 * account takes effect: who may send one is for the security issue (19) to add here.
 */
export function applyAccountEvents(ws: Workspace, events: readonly SyncEvent[]): number {
  const current = ws.db.prepare('SELECT hlc FROM accounts WHERE name = ?').pluck();
  const upsert = ws.db.prepare(
    `INSERT INTO accounts (name, role, salt, hash, created_at, updated_at, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET role = excluded.role, salt = excluded.salt, hash = excluded.hash, updated_at = excluded.updated_at, hlc = excluded.hlc`,
  );
  let applied = 0;
  for (const e of events) {
    if (e.kind !== 'account') continue;
    const a = readAccountPayload(e.payload);
    if (!a) throw new Error(`account event ${e.id} cannot be applied by this version`);
    const had = current.get(a.name) as string | undefined;
    if (had !== undefined && had >= e.hlc) continue;
    upsert.run(a.name, a.role, a.salt, a.hash, e.at, e.at, e.hlc);
    applied++;
  }
  return applied;
}

/**
 * Accounts made before they were events become events (once), with the time each last changed,
 * so they reach the PCs that lack them. Inside the caller's transaction.
 */
export function ensureAccountBaseline(ws: Workspace, deviceId: string): number {
  const legacy = ws.db.prepare("SELECT name, role, salt, hash, updated_at FROM accounts WHERE hlc = '' ORDER BY name").all() as (AccountPayload & { updated_at: string })[];
  if (legacy.length === 0) return 0;
  const events = appendEvents(ws, deviceId, legacy.map((a) => ({
    kind: 'account' as const, reviewer: '账户基线', subject: null, hlc: `${a.updated_at}-0000-0000000000000000`,
    payload: { name: a.name, role: a.role, salt: a.salt, hash: a.hash },
  })));
  const mark = ws.db.prepare('UPDATE accounts SET hlc = ? WHERE name = ?');
  for (const e of events) mark.run(e.hlc, e.payload.name as string);
  return events.length;
}

/** Copies the accounts from an attached database (a clone for another PC). */
export function copyAccountsFrom(ws: Workspace, alias: string): void {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`invalid alias ${alias}`);
  ws.db.exec(`INSERT INTO main.accounts SELECT * FROM ${alias}.accounts`);
}

export function countAccounts(db: Workspace['db']): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;
}

/**
 * Who may write what into the college's log (issue 19): the one rule, used when this PC appends
 * an event and when an event arrives from another PC. Pure; the signature check itself is passed
 * in (it needs node:crypto).
 *
 * - Every event is signed by the key of the PC that wrote it. The key is named by the event's
 *   origin (`<first 32 hex of the key's fingerprint>-<12 hex>`), so no PC can write under another
 *   PC's origin, not even a new epoch of it that nobody has seen yet.
 * - A PC's key counts only once an admin enrolled it (an `enrol` event), or when it is the
 *   college's root: the founding PC's key, pinned on every PC at clone or join.
 * - The signature covers the event's content and its place as its writer gave it (origin and
 *   sequence number), not the place a fork repair moved it to: `ORIGIN~k~hash` event n is event
 *   k + n − 1 of ORIGIN (electron/sync/chains.ts), so a moved event keeps its signature.
 * - A reviewer named by an account must hold the role the event's kind needs, as of the event's
 *   HLC. A PC enrolled for named accounts acts only for those; a PC enrolled for any account
 *   (before the college had accounts, or by the upgrade) may also write under a typed name that
 *   is no account, as desks did before accounts — never an admin's kinds.
 * - Events written before signatures existed (legacy) are accepted only where an admin's seal
 *   (a `seal` event: origin → last sequence number and hash) covers them.
 */
import type { Role } from '../api/accounts.js';
import { canonicalJson, type EventKind, type JsonValue, type SyncEvent } from './events.js';

/** The least role each kind needs. */
export const KIND_NEEDS: Record<EventKind, Role> = {
  decision: 'reviewer',
  undo: 'reviewer',
  verdict: 'reviewer',
  qc_review: 'reviewer',
  review: 'supervisor',
  resolve: 'supervisor',
  assign: 'supervisor',
  qc_draw: 'supervisor',
  reasons: 'supervisor',
  settings: 'supervisor',
  list: 'supervisor',
  crosslist: 'supervisor',
  account: 'admin',
  enrol: 'admin',
  seal: 'admin',
};

const RANK: Record<Role, number> = { reviewer: 1, supervisor: 2, admin: 3 };

/** Kinds that change who may write (applied to the roster as they are met in HLC order). */
export const ROSTER_KINDS: readonly EventKind[] = ['account', 'enrol', 'seal'];

const KEY_ORIGIN = /^([0-9a-f]{32})-[0-9a-f]{12}$/;
const DERIVED = /^(.+)~(\d+)~([0-9a-f]{16})$/;

/** An origin named after a key: the fingerprint prefix and a random part for the epoch. */
export function keyOrigin(fingerprint: string, random: string): string {
  return `${fingerprint.slice(0, 32)}-${random.slice(0, 12)}`;
}

/** The place the writer gave an event: a moved event (ORIGIN~k~hash, n) was (ORIGIN, k + n − 1). */
export function writtenPlace(origin: string, seq: number): { origin: string; seq: number } {
  const m = DERIVED.exec(origin);
  if (!m || m[1] === undefined || m[2] === undefined) return { origin, seq };
  return writtenPlace(m[1], Number(m[2]) + seq - 1);
}

/** The fingerprint prefix of the key that must have signed events of this origin, or null (legacy). */
export function signerPrefix(origin: string): string | null {
  return KEY_ORIGIN.exec(writtenPlace(origin, 1).origin)?.[1] ?? null;
}

/** What a signature covers: the college, the content, and the place its writer gave it. */
export function signingInput(e: Omit<SyncEvent, 'hash' | 'prevHash' | 'sig'>, collegeId: string): string {
  const at = writtenPlace(e.origin, e.originSeq);
  return JSON.stringify([
    'zsb-event/1', collegeId, e.id, at.origin, at.seq, e.deviceId, e.hlc, e.kind, e.idNumber, e.subject, e.decision,
    e.reasons, e.note, e.reviewer, e.at, [...e.supersedes].sort(), canonicalJson(e.payload),
  ]);
}

/** A PC allowed to write: its key, and the accounts it may act for (null: any). */
export interface EnrolledPc {
  fingerprint: string;
  publicKey: string;
  workspace: string;
  name: string;
  accounts: string[] | null;
  /** HLC of the enrolment: its events must be later ('' for the root). */
  since: string;
  root: boolean;
  /** Per account, sha256 (hex) of its one-time code to set its secret on that PC, or null. */
  setup: Record<string, string> | null;
}

export interface EnrolPayload {
  publicKey: string;
  fingerprint: string;
  workspace: string;
  name: string;
  accounts: string[] | null;
  setup: Record<string, string> | null;
}

/** The enrolment an event carries, or null when it is not one this version understands. */
export function readEnrolPayload(p: { [k: string]: JsonValue }): EnrolPayload | null {
  const { publicKey, fingerprint, workspace, name, accounts, setup } = p;
  if (typeof publicKey !== 'string' || typeof fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(fingerprint)) return null;
  if (typeof workspace !== 'string' || typeof name !== 'string') return null;
  if (accounts !== null && !(Array.isArray(accounts) && accounts.every((a) => typeof a === 'string'))) return null;
  if (setup !== null && !(typeof setup === 'object' && !Array.isArray(setup) && Object.values(setup).every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h)))) return null;
  return { publicKey, fingerprint, workspace, name, accounts: accounts as string[] | null, setup: setup as Record<string, string> | null };
}

/** The chains a seal vouches for: origin → last sequence number and its hash. */
export function readSealPayload(p: { [k: string]: JsonValue }): Record<string, { seq: number; hash: string }> | null {
  const chains = p.chains;
  if (!chains || typeof chains !== 'object' || Array.isArray(chains)) return null;
  const out: Record<string, { seq: number; hash: string }> = {};
  for (const [origin, v] of Object.entries(chains)) {
    if (!v || typeof v !== 'object' || Array.isArray(v) || typeof v.seq !== 'number' || typeof v.hash !== 'string') return null;
    out[origin] = { seq: v.seq, hash: v.hash };
  }
  return out;
}

function readAccount(p: { [k: string]: JsonValue }): { name: string; role: Role } | null {
  const { name, role } = p;
  if (typeof name !== 'string' || (role !== 'reviewer' && role !== 'supervisor' && role !== 'admin')) return null;
  return { name, role };
}

export type TrustRefusal = 'origin_unknown' | 'event_signature_invalid' | 'event_backdated' | 'role_forbidden' | 'event_unsigned';

export interface TrustVerdict {
  ok: boolean;
  code?: TrustRefusal;
  /** Why, in Chinese, for the refusal's message. */
  why?: string;
}

const OK: TrustVerdict = { ok: true };

/**
 * The roster as the log says it is at one moment: enrolled PCs, accounts and their roles, seals.
 * Fed roster events in HLC order (apply), asked about any event at that point (authorize).
 */
export class Roster {
  readonly pcs = new Map<string, EnrolledPc>();
  readonly accounts = new Map<string, Role>();
  readonly seals = new Map<string, { seq: number; hash: string }>();

  constructor(root: { publicKey: string; fingerprint: string; workspace: string } | null) {
    if (root) this.pcs.set(root.fingerprint, { ...root, name: '', accounts: null, since: '', root: true, setup: null });
  }

  pcByPrefix(prefix: string): EnrolledPc | undefined {
    for (const [fp, pc] of this.pcs) if (fp.startsWith(prefix)) return pc;
    return undefined;
  }

  pcOfWorkspace(workspace: string): EnrolledPc | undefined {
    let found: EnrolledPc | undefined;
    for (const pc of this.pcs.values()) if (pc.workspace === workspace && (!found || pc.since > found.since)) found = pc;
    return found;
  }

  /** Takes a roster event (already authorized) into the roster. */
  apply(e: SyncEvent): void {
    if (e.kind === 'account') {
      const a = readAccount(e.payload);
      if (a) this.accounts.set(a.name, a.role);
    } else if (e.kind === 'enrol') {
      const p = readEnrolPayload(e.payload);
      if (!p) return;
      const had = this.pcs.get(p.fingerprint);
      // The root stays the root; an enrolment can change which accounts a PC may act for.
      this.pcs.set(p.fingerprint, {
        fingerprint: p.fingerprint, publicKey: p.publicKey, workspace: p.workspace, name: p.name, accounts: p.accounts,
        since: had ? had.since : e.hlc, root: had?.root ?? false, setup: p.setup,
      });
    } else if (e.kind === 'seal') {
      for (const [origin, tip] of Object.entries(readSealPayload(e.payload) ?? {})) {
        const had = this.seals.get(origin);
        if (!had || had.seq < tip.seq) this.seals.set(origin, tip);
      }
    }
  }

  /**
   * May this event be in the log? `verify` checks a signature against a public key. Unsigned
   * (legacy) events are judged by the seals alone (the caller checks the sealed hash).
   */
  authorize(e: SyncEvent, collegeId: string, verify: (publicKey: string, data: string, sig: string) => boolean): TrustVerdict {
    if (!e.sig) {
      const seal = this.seals.get(e.origin);
      if (seal && e.originSeq <= seal.seq) return OK;
      return { ok: false, code: 'event_unsigned', why: `事件没有签名，且不在管理员封存的旧记录之内（${e.origin.slice(0, 8)}… 第 ${e.originSeq} 条）` };
    }
    const prefix = signerPrefix(e.origin);
    const pc = prefix ? this.pcByPrefix(prefix) : undefined;
    if (!pc) return { ok: false, code: 'origin_unknown', why: `写入它的电脑（${e.origin.slice(0, 8)}…）未经管理员登记` };
    const { hash: _h, prevHash: _p, sig, ...content } = e;
    if (!verify(pc.publicKey, signingInput(content, collegeId), sig)) {
      return { ok: false, code: 'event_signature_invalid', why: `签名与“${pc.name || pc.workspace.slice(0, 8)}”的登记密钥不符` };
    }
    if (pc.root) return OK;
    if (e.hlc <= pc.since) return { ok: false, code: 'event_backdated', why: `时间早于该电脑被登记的时间` };
    const need = KIND_NEEDS[e.kind];
    const role = this.accounts.get(e.reviewer);
    const pcName = pc.name || pc.workspace.slice(0, 8);
    if (pc.accounts !== null) {
      // A PC enrolled for named accounts acts for those and nobody else.
      if (!pc.accounts.includes(e.reviewer) || !role) return { ok: false, code: 'role_forbidden', why: `账户“${e.reviewer}”未被登记在电脑“${pcName}”上使用` };
    } else if (!role) {
      // A PC enrolled for any account (before accounts, or at the upgrade) may still write under a
      // typed name that is no account — never as an admin, and never with an account's authority.
      if (need === 'admin') return { ok: false, code: 'role_forbidden', why: this.accounts.size === 0 ? '学院尚未设立账户时，只有创建学院的电脑可以管理账户和电脑' : `“${e.reviewer}”不是本学院的管理员账户` };
      return OK;
    }
    if (role && RANK[role] < RANK[need]) return { ok: false, code: 'role_forbidden', why: `“${e.kind}”需要${need}角色，“${e.reviewer}”是${role}` };
    return OK;
  }
}

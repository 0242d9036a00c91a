/**
 * Authorised sync (issue 19): this PC's signature on every event it writes, the roster that says
 * which PCs and accounts may write what (shared/sync/trust.ts is the rule), the checks every
 * arriving event passes before anything is written, the college's root of trust, enrolment of
 * PCs, and the seal an admin puts on the log written before events were signed.
 *
 * The root of trust is the founding PC's key: pinned on the founding PC itself, copied by a clone,
 * taken from the first bundle by a PC that joins from a bundle (its fingerprint is shown in the
 * sync status for the office to compare). Every other PC is enrolled by an `enrol` event, written
 * by the root or by an admin on an enrolled PC.
 */
import { createHash, createPublicKey, randomBytes, verify as verifySig, type KeyObject } from 'node:crypto';
import { DeskError, type SetupCode } from '../../shared/api/index.js';
import { ROSTER_KINDS, Roster, keyOrigin, signerPrefix, signingInput, type EnrolledPc } from '../../shared/sync/trust.js';
import type { JsonValue, SyncEvent } from '../../shared/sync/events.js';
import { getMeta, isFounder, keyFingerprint, setMeta, signBytes, workspaceKey, type Workspace } from '../workspace/index.js';
import { appendEvents, collegeId, eventsOfKind } from './log.js';
import { ensureBaselines } from './projections.js';
import { keyNameOrigin } from './identity.js';

const TRUST_VERSION = 'trust_version';
const ROOT = 'trust_root';

/** Workspaces whose older data is being turned into events: those are written unsigned. */
export const upgrading = new WeakSet<Workspace>();

const keys = new Map<string, KeyObject>();
function publicKey(pem: string): KeyObject {
  let k = keys.get(pem);
  if (!k) {
    k = createPublicKey(pem);
    if (keys.size > 256) keys.clear();
    keys.set(pem, k);
  }
  return k;
}

function verify(pem: string, data: string, sig: string): boolean {
  try {
    return verifySig(null, Buffer.from(data), publicKey(pem), Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}

/** The college's root key as pinned on this PC (SPKI PEM), or null before it is known. */
export function trustRoot(ws: Workspace): string | null {
  return getMeta(ws.db, ROOT) ?? null;
}

/** A workspace made by this version (a clone): nothing older to upgrade. */
export function markTrusted(ws: Workspace): void {
  keyNameOrigin(ws);
  setMeta(ws.db, TRUST_VERSION, '1');
}

/** Pins the college's root (a PC that joined from a bundle takes the sender's), inside the merge. */
export function pinRoot(ws: Workspace, pem: string): void {
  if (!trustRoot(ws)) setMeta(ws.db, ROOT, pem);
}

function rootEntry(pem: string | null, workspace: string): { publicKey: string; fingerprint: string; workspace: string } | null {
  return pem ? { publicKey: pem, fingerprint: keyFingerprint(pem), workspace } : null;
}

/** The roster as this PC's log has it now (or with the root a merge is about to pin). */
export function loadRoster(ws: Workspace, root = trustRoot(ws)): Roster {
  const roster = new Roster(rootEntry(root, collegeId(ws)));
  for (const e of eventsOfKind(ws.db, ROSTER_KINDS)) roster.apply(e);
  return roster;
}

/** This PC's origin for its key: key-named, so nobody else can write under it. */
export function ownKeyOrigin(ws: Workspace): string {
  return keyOrigin(keyFingerprint(workspaceKey(ws).publicKeyPem), randomBytes(6).toString('hex'));
}

/** True when events of this origin must be signed by this PC's current key. */
export function originIsOwnKey(ws: Workspace, origin: string): boolean {
  return signerPrefix(origin) === keyFingerprint(workspaceKey(ws).publicKeyPem).slice(0, 32);
}

function refusal(code: string, e: SyncEvent, why: string): DeskError {
  const messages: Record<string, string> = {
    origin_unknown: '同步包中的事件来自未经登记的电脑',
    event_signature_invalid: '同步包中的事件签名无效（伪造或被改动）',
    event_backdated: '同步包中的事件时间早于其电脑的登记时间（倒填）',
    role_forbidden: '同步包中的事件超出了其审核人的权限',
    event_unsigned: '同步包中有未签名、也未经管理员封存的事件',
  };
  return new DeskError(code, `${messages[code] ?? '同步包中的事件未通过授权检查'}：${why}（事件 ${e.id.slice(0, 8)}…，${e.kind}，${e.reviewer}）。已拒绝整个同步包，本机未做任何改动。`, {
    eventId: e.id, origin: e.origin, originSeq: e.originSeq, kind: e.kind, reviewer: e.reviewer,
  });
}

/** Signs and checks the events this PC appends (electron/sync/log.ts appendEvents). */
export function localSigner(ws: Workspace): { roster: Roster; sign(e: SyncEvent): string; authorize(e: SyncEvent): void } {
  const key = workspaceKey(ws);
  const cid = collegeId(ws);
  const roster = loadRoster(ws);
  return {
    roster,
    sign: (e) => {
      const { hash: _h, prevHash: _p, sig: _s, ...content } = e;
      return signBytes(key, Buffer.from(signingInput(content, cid)));
    },
    authorize: (e) => {
      const v = roster.authorize(e, cid, verify);
      if (!v.ok) {
        // Not a bundle: the same rule, told as a local refusal.
        throw new DeskError(v.code ?? 'role_forbidden', `本机不能写入这条记录：${v.why ?? ''}。同一规则也会让其他电脑拒绝它。`, { kind: e.kind, reviewer: e.reviewer });
      }
    },
  };
}

/**
 * Every event a merge would add, checked in HLC order against the roster as of that event (the
 * log's roster events and the bundle's own, each checked before it counts). Reads only; throws
 * the first refusal. `skip`: local events a fork repair re-inserts (they are this PC's already).
 */
export function checkArrivals(ws: Workspace, fresh: readonly SyncEvent[], skip: ReadonlySet<string>, root: string | null): Roster {
  const cid = collegeId(ws);
  const roster = new Roster(rootEntry(root, cid));
  const items = new Map<string, { e: SyncEvent; check: boolean }>();
  for (const e of eventsOfKind(ws.db, ROSTER_KINDS)) items.set(e.id, { e, check: false });
  for (const e of fresh) if (!skip.has(e.id) && !items.has(e.id)) items.set(e.id, { e, check: true });
  const ordered = [...items.values()].sort((a, b) => (a.e.hlc < b.e.hlc ? -1 : a.e.hlc > b.e.hlc ? 1 : a.e.id < b.e.id ? -1 : 1));
  // Keys enrolled at any time: a PC unknown as of an event but enrolled later dated it back.
  const everEnrolled = ordered.flatMap(({ e }) => (e.kind === 'enrol' && typeof e.payload.fingerprint === 'string' ? [e.payload.fingerprint] : []));
  const unsigned: SyncEvent[] = [];
  for (const { e, check } of ordered) {
    if (check) {
      if (!e.sig) unsigned.push(e);
      else {
        const v = roster.authorize(e, cid, verify);
        const prefix = signerPrefix(e.origin);
        if (!v.ok && v.code === 'origin_unknown' && prefix && everEnrolled.some((fp) => fp.startsWith(prefix))) {
          throw refusal('event_backdated', e, '时间早于该电脑被登记的时间');
        }
        if (!v.ok) throw refusal(v.code ?? 'role_forbidden', e, v.why ?? '');
      }
    }
    if (ROSTER_KINDS.includes(e.kind)) roster.apply(e);
  }
  // Older, unsigned events: judged with every seal known, and the sealed hash must be there.
  const at = new Map(fresh.map((e) => [`${e.origin}|${e.originSeq}`, e.hash]));
  const hashAt = ws.db.prepare('SELECT hash FROM decision_events WHERE origin = ? AND origin_seq = ?').pluck();
  for (const e of unsigned) {
    const v = roster.authorize(e, cid, verify);
    if (!v.ok) throw refusal(v.code ?? 'event_unsigned', e, v.why ?? '');
    const seal = roster.seals.get(e.origin);
    const there = seal ? (at.get(`${e.origin}|${seal.seq}`) ?? (hashAt.get(e.origin, seal.seq) as string | undefined)) : undefined;
    if (!seal || there !== seal.hash) throw refusal('event_unsigned', e, '旧记录与管理员封存时的内容不一致');
  }
  return roster;
}

/** Can this event be sent to another PC? Unsigned ones only where a seal vouches for them. */
export function sendable(roster: Roster): (e: SyncEvent) => boolean {
  return (e) => Boolean(e.sig) || (roster.seals.get(e.origin)?.seq ?? 0) >= e.originSeq;
}

/**
 * Once per workspace, on the first use by this version: older data becomes events (unsigned, as
 * before), the root is pinned (the founding PC's own key, or the founder's key this PC had
 * pinned), and on the founding PC the whole older log is sealed and the PCs it knew are enrolled.
 */
export function ensureTrust(ws: Workspace): void {
  if (upgrading.has(ws) || getMeta(ws.db, TRUST_VERSION) === '1') return;
  upgrading.add(ws);
  let founder = false;
  try {
    ws.db.transaction(() => {
      ensureBaselines(ws);
      founder = isFounder(ws);
      if (!trustRoot(ws)) {
        const known = founder
          ? workspaceKey(ws).publicKeyPem
          : (ws.db.prepare('SELECT public_key FROM sync_peers WHERE workspace_id = ?').pluck().get(collegeId(ws)) as string | undefined);
        if (known) setMeta(ws.db, ROOT, known);
      }
      keyNameOrigin(ws);
      setMeta(ws.db, TRUST_VERSION, '1');
    }).immediate();
  } finally {
    upgrading.delete(ws);
  }
  if (!founder || trustRoot(ws) !== workspaceKey(ws).publicKeyPem) return;
  const chains: Record<string, { seq: number; hash: string }> = {};
  for (const r of ws.db.prepare('SELECT origin, MAX(origin_seq) AS seq FROM decision_events WHERE sig IS NULL GROUP BY origin').all() as { origin: string; seq: number }[]) {
    const hash = ws.db.prepare('SELECT hash FROM decision_events WHERE origin = ? AND origin_seq = ?').pluck().get(r.origin, r.seq) as string;
    chains[r.origin] = { seq: r.seq, hash };
  }
  const peers = ws.db.prepare('SELECT workspace_id, public_key, name FROM sync_peers WHERE public_key <> ?').all(workspaceKey(ws).publicKeyPem) as { workspace_id: string; public_key: string; name: string }[];
  if (Object.keys(chains).length === 0 && peers.length === 0) return;
  // Written like any event: signed, on this PC's first key-named origin, checked by the rule.
  appendEvents(ws, 'upgrade', [
    ...(Object.keys(chains).length > 0 ? [{ kind: 'seal' as const, reviewer: '升级封存', payload: { chains } }] : []),
    ...peers.map((p) => ({ kind: 'enrol' as const, reviewer: '升级登记', payload: enrolPayload(p.public_key, p.workspace_id, p.name, null, null) })),
  ]);
}

/** The payload of an enrolment: the PC's key, which workspace it is, the accounts it may act for. */
export function enrolPayload(publicKeyPem: string, workspace: string, name: string, accounts: string[] | null, setup: Record<string, string> | null): { [k: string]: JsonValue } {
  return { publicKey: publicKeyPem, fingerprint: keyFingerprint(publicKeyPem), workspace, name, accounts, setup };
}

/** A one-time code for one account on a newly enrolled PC: 20 characters, ~100 bits. */
function newSetupCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out.slice(0, 5)}-${out.slice(5, 10)}-${out.slice(10, 15)}-${out.slice(15, 20)}`;
}

/** What the enrolment keeps of an account's code: bound to the account, so one holder's code opens no other account. */
export function setupCodeHash(account: string, code: string): string {
  return createHash('sha256').update(`zsb-setup\u0000${account}\u0000${code.trim().toUpperCase()}`).digest('hex');
}

/** One code per account of an enrolment (shown once), and the hashes its event carries. */
export function newSetupCodes(accounts: readonly string[] | null): { codes: SetupCode[]; hashes: Record<string, string> | null } {
  if (accounts === null || accounts.length === 0) return { codes: [], hashes: null };
  const codes = accounts.map((account) => ({ account, code: newSetupCode() }));
  return { codes, hashes: Object.fromEntries(codes.map((c) => [c.account, setupCodeHash(c.account, c.code)])) };
}

/** This PC as the roster has it (null: not enrolled), with the root's fingerprint. */
export function trustStatus(ws: Workspace): { fingerprint: string; publicKey: string; enrolled: EnrolledPc | null; rootFingerprint: string | null } {
  const own = workspaceKey(ws).publicKeyPem;
  const fp = keyFingerprint(own);
  const root = trustRoot(ws);
  const roster = loadRoster(ws);
  return { fingerprint: fp, publicKey: own, enrolled: roster.pcs.get(fp) ?? null, rootFingerprint: root ? keyFingerprint(root) : null };
}

/** This PC's enrolment as the roster has it (null: not enrolled; the root counts as enrolled for any account). */
export function thisPcEnrolment(ws: Workspace): EnrolledPc | null {
  return loadRoster(ws).pcs.get(keyFingerprint(workspaceKey(ws).publicKeyPem)) ?? null;
}

/** An account made on this PC may act here: a PC enrolled for named accounts gets it added. */
export function allowHere(ws: Workspace, deviceId: string, by: string, name: string): void {
  const pc = thisPcEnrolment(ws);
  if (!pc || pc.root || pc.accounts === null || pc.accounts.includes(name)) return;
  appendEvents(ws, deviceId, [{ kind: 'enrol', reviewer: by, payload: enrolPayload(pc.publicKey, pc.workspace, pc.name, [...pc.accounts, name], pc.setup) }]);
}

/** A public key as pasted by an admin: SPKI PEM, or the raw 32 bytes in base64/hex as the PC shows them. */
export function parsePublicKey(text: string): string {
  const t = text.trim();
  try {
    if (t.includes('BEGIN PUBLIC KEY')) return createPublicKey(t).export({ type: 'spki', format: 'pem' }).toString();
    const raw = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
    if (raw.length !== 32) throw new Error('not 32 bytes');
    const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
    return createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    throw new DeskError('key_invalid', '这不是审核台电脑的公钥（请复制那台电脑“同步 → 本机登记信息”中显示的公钥）。');
  }
}

/** The raw Ed25519 public key in base64 (44 characters): what a PC shows for its enrolment. */
export function shortPublicKey(pem: string): string {
  return createPublicKey(pem).export({ type: 'spki', format: 'der' }).subarray(12).toString('base64');
}

/**
 * 登记电脑: an admin (or the founding PC before the college has accounts) lets a PC's key write,
 * for the accounts named (null: any name, as before accounts). Returns each account's one-time
 * setup code with which it sets its secret on that PC.
 */
export function enrolPc(
  ws: Workspace, deviceId: string, by: string, input: { publicKey: string; workspace?: string | undefined; name?: string | undefined; accounts: string[] | null },
): { fingerprint: string; setupCodes: SetupCode[] } {
  const pem = parsePublicKey(input.publicKey);
  const fingerprint = keyFingerprint(pem);
  const had = loadRoster(ws).pcs.get(fingerprint);
  if (had?.root) throw new DeskError('enrol_root', '这是学院的根电脑，无需登记。');
  const setup = newSetupCodes(input.accounts);
  appendEvents(ws, deviceId, [{
    kind: 'enrol', reviewer: by,
    payload: enrolPayload(pem, input.workspace ?? had?.workspace ?? '', input.name ?? had?.name ?? '', input.accounts, setup.hashes),
  }]);
  return { fingerprint, setupCodes: setup.codes };
}

/**
 * Issue 19, part 1: an adversarial PC of the college (it knows the sync passphrase and holds its
 * own PC's key, as a reviewer at that PC can) tries to get events accepted that it may not write.
 * Every attack is refused with its own code before anything is written, and the honest PCs'
 * link is not broken by it. The attacker's tool below signs with the format the desk uses (an
 * independent copy of shared/sync/trust.ts signingInput), as a reviewer who read the code would.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DeskError } from '../../../shared/api/index.js';
import type { JsonValue, SyncEvent } from '../../../shared/sync/events.js';
import { createAccount, enrolHere, signIn } from '../../../electron/accounts/accounts.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { sealBundle } from '../../../electron/sync/codec.js';
import { writableOrigin } from '../../../electron/sync/identity.js';
import { collegeId, hashEvent, nextHlc } from '../../../electron/sync/log.js';
import { buildBundle, cloneWorkspace, mergeBundle } from '../../../electron/sync/syncService.js';
import { workspaceKey, type WorkspaceKey } from '../../../electron/workspace/keys.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { code, dumpHash, idOf, seedWorkspace, stateOf, tempDir } from './helpers.js';

const PW = 'college-passphrase-2026';
const KDF_N = 1024;
const GENESIS = '0'.repeat(64);
const opened: Workspace[] = [];
afterAll(() => opened.forEach((w) => w.close()));

function sortKeys(v: JsonValue): JsonValue {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(sortKeys);
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k] ?? null)]));
}

/** The attacker's signer: what the desk signs, with a key the attacker holds. */
function attackerSign(e: SyncEvent, college: string, key: WorkspaceKey): string {
  const data = JSON.stringify([
    'zsb-event/1', college, e.id, e.origin, e.originSeq, e.deviceId, e.hlc, e.kind, e.idNumber, e.subject, e.decision,
    e.reasons, e.note, e.reviewer, e.at, [...e.supersedes].sort(), JSON.stringify(sortKeys(e.payload)),
  ]);
  return sign(null, Buffer.from(data), key.privateKey).toString('base64');
}

interface Forge {
  kind: SyncEvent['kind'];
  reviewer: string;
  idNumber?: string | null;
  decision?: SyncEvent['decision'];
  payload?: SyncEvent['payload'];
  /** Write under this origin (default: the attacker's own), at this place. */
  origin?: string;
  seq?: number;
  prevHash?: string;
  hlc?: string;
  key?: WorkspaceKey;
}

/** An event the attacker makes by hand (no desk rule runs), hashed and chained correctly. */
function forge(m: Workspace, f: Forge, after: SyncEvent[] = []): SyncEvent {
  const origin = f.origin ?? writableOrigin(m);
  const mine = after.filter((e) => e.origin === origin);
  const last = mine.at(-1) ?? (m.db.prepare('SELECT origin_seq AS originSeq, hash FROM decision_events WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1').get(origin) as
    | { originSeq: number; hash: string }
    | undefined);
  const base: Omit<SyncEvent, 'hash'> = {
    id: randomUUID(), origin, originSeq: f.seq ?? (last?.originSeq ?? 0) + 1, deviceId: 'attacker', hlc: f.hlc ?? nextHlc(m), kind: f.kind,
    idNumber: f.idNumber ?? null, subject: f.idNumber ?? null, decision: f.decision ?? null, reasons: [], note: '', reviewer: f.reviewer,
    at: new Date().toISOString(), supersedes: [], payload: f.payload ?? {}, prevHash: f.prevHash ?? last?.hash ?? GENESIS,
  };
  const e: SyncEvent = { ...base, hash: hashEvent(base) };
  e.sig = attackerSign(e, collegeId(m), f.key ?? workspaceKey(m));
  return e;
}

/** The attacker's bundle: what its desk would send, plus the forged events, signed by `key`. */
function bundleWith(m: Workspace, forged: SyncEvent[], key: WorkspaceKey = workspaceKey(m)): Buffer {
  const built = buildBundle(m, 'attacker', { noScans: true, passphrase: PW, kdfN: KDF_N }).manifest;
  const manifest = { ...built, publicKey: key.publicKeyPem, events: [...built.events, ...forged] };
  return sealBundle({
    header: { collegeId: manifest.collegeId, college: manifest.college, fromWorkspace: manifest.fromWorkspace, toWorkspace: null, createdAt: manifest.createdAt },
    manifest, blobData: [], key, passphrase: PW, kdfN: KDF_N,
  });
}

/** A fresh key: the attacker's PC re-installed, or its key swapped for one it controls elsewhere. */
function otherKey(): WorkspaceKey {
  const privateKey = createPrivateKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const send = (from: Workspace, to: Workspace): void => void mergeBundle(to, buildBundle(from, 'dev', { noScans: true, passphrase: PW, kdfN: KDF_N }).bytes, PW);

/** Refused with `expected`, and the victim exactly as before. */
function refused(victim: Workspace, bytes: Buffer, expected: string): void {
  const before = dumpHash(victim);
  expect(code(() => mergeBundle(victim, bytes, PW))).toBe(expected);
  expect(dumpHash(victim)).toBe(before);
}

const SECRETS: Record<string, string> = { admin: 'Office#Desk-2026', 王主任: 'Supervisor#2026', 李老师: 'Reviewer-Li-2026', 张老师: 'Reviewer-Zhang-2026' };

/** Decides on `ws` as `who`, signed in there as a reviewer at that PC would be. */
function decideAs(ws: Workspace, who: string, app: number, decision: 'approve' | 'reject' | 'return'): void {
  signIn(ws, { name: who, secret: SECRETS[who] ?? '' });
  recordDecision(ws, 'dev', { idNumber: idOf(app), decision, reasons: decision === 'approve' ? [] : ['blurry'], note: '', reviewer: who });
}

/** Founding PC A with accounts; B (honest) enrolled for 张老师, M (the attacker's) for 李老师. */
function collegeWithAttacker(): { a: Workspace; b: Workspace; m: Workspace; dir: string } {
  const dir = tempDir();
  const a = seedWorkspace(join(dir, 'a'), 6);
  createAccount(a, { name: 'admin', role: 'admin', secret: SECRETS.admin! });
  const adm = { name: 'admin', secret: SECRETS.admin! };
  createAccount(a, { name: '王主任', role: 'supervisor', secret: SECRETS['王主任']! }, adm);
  createAccount(a, { name: '李老师', role: 'reviewer', secret: SECRETS['李老师']! }, adm);
  createAccount(a, { name: '张老师', role: 'reviewer', secret: SECRETS['张老师']! }, adm);
  const cb = cloneWorkspace(a, join(dir, 'b'), true, { by: 'admin', accounts: ['张老师'] });
  const cm = cloneWorkspace(a, join(dir, 'm'), true, { by: 'admin', accounts: ['李老师'] });
  const b = openWorkspace(join(dir, 'b'));
  const m = openWorkspace(join(dir, 'm'));
  // Clones carry no secrets: each account sets its own on its PC with that PC's setup code.
  enrolHere(b, { name: '张老师', secret: SECRETS['张老师']!, setupCode: cb.setupCodes[0]!.code });
  enrolHere(m, { name: '李老师', secret: SECRETS['李老师']!, setupCode: cm.setupCodes[0]!.code });
  opened.push(a, b, m);
  return { a, b, m, dir };
}

describe('an adversarial PC of the college', () => {
  const { a, b, m } = collegeWithAttacker();
  // M's own honest work first, so its chain and enrolment are known.
  decideAs(m, '李老师', 0, 'approve');

  it('cannot forge a supervisor sign-off (复核) by 王主任: role_forbidden', () => {
    refused(b, bundleWith(m, [forge(m, { kind: 'review', reviewer: '王主任', idNumber: idOf(0), decision: 'approve', payload: { of: 'x' } })]), 'role_forbidden');
  });

  it('cannot sign off under its own reviewer either, nor make itself an admin', () => {
    refused(b, bundleWith(m, [forge(m, { kind: 'review', reviewer: '李老师', idNumber: idOf(0), decision: 'approve' })]), 'role_forbidden');
    refused(b, bundleWith(m, [forge(m, { kind: 'account', reviewer: 'admin', payload: { name: '李老师', role: 'admin', salt: '00', hash: '0'.repeat(64) } })]), 'role_forbidden');
    refused(b, bundleWith(m, [forge(m, { kind: 'decision', reviewer: '张老师', idNumber: idOf(1), decision: 'reject' })]), 'role_forbidden');
  });

  it('cannot write under another PC\'s origin, and that PC\'s link stays whole', () => {
    const originA = writableOrigin(a);
    // Placed where A's next event goes, on A's chain as M has it (M was cloned after B).
    const tip = m.db.prepare('SELECT origin_seq, hash FROM decision_events WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1').get(originA) as { origin_seq: number; hash: string };
    const atA = forge(m, { kind: 'decision', reviewer: '李老师', idNumber: idOf(2), decision: 'reject', origin: originA, seq: tip.origin_seq + 1, prevHash: tip.hash });
    refused(b, bundleWith(m, [atA]), 'event_signature_invalid');
    expect(atA.origin).toBe(originA);
    // A's own next decision still merges on B: nothing of A's chain was taken.
    decideAs(a, 'admin', 2, 'approve');
    expect(code(() => send(a, b))).toBe('accepted');
    expect(stateOf(b).events).toEqual(expect.arrayContaining(stateOf(a).events));
    expect(stateOf(b).events).not.toContain(atA.id);
  });

  it('cannot reorder a chain: the signature covers each event\'s place', () => {
    const before = b.db.prepare('SELECT COUNT(*) FROM decision_events').pluck().get();
    const e1 = forge(m, { kind: 'decision', reviewer: '李老师', idNumber: idOf(3), decision: 'approve' });
    const e2 = forge(m, { kind: 'decision', reviewer: '李老师', idNumber: idOf(4), decision: 'reject' }, [e1]);
    // Swapped: e2 first, e1 second, sequence numbers and hashes made to fit.
    const { hash: _h2, ...r2 } = e2;
    const s2 = { ...r2, originSeq: e1.originSeq, prevHash: e1.prevHash };
    const x2: SyncEvent = { ...s2, hash: hashEvent(s2) };
    const { hash: _h1, ...r1 } = e1;
    const s1 = { ...r1, originSeq: e2.originSeq, prevHash: x2.hash };
    const x1: SyncEvent = { ...s1, hash: hashEvent(s1) };
    refused(b, bundleWith(m, [x2, x1]), 'event_signature_invalid');
    expect(b.db.prepare('SELECT COUNT(*) FROM decision_events').pluck().get()).toBe(before);
    // In their own order the same two events are accepted.
    expect(code(() => mergeBundle(b, bundleWith(m, [e1, e2]), PW))).toBe('accepted');
  });

  it('cannot edit a signed event (content no longer matches its signature)', () => {
    const e = forge(m, { kind: 'decision', reviewer: '李老师', idNumber: idOf(5), decision: 'approve' });
    const { hash: _h, ...rest } = { ...e, decision: 'reject' as const };
    refused(b, bundleWith(m, [{ ...rest, hash: hashEvent(rest) }]), 'event_signature_invalid');
  });

  it('cannot backdate an event to before its PC was enrolled', () => {
    refused(b, bundleWith(m, [forge(m, { kind: 'decision', reviewer: '李老师', idNumber: idOf(5), decision: 'reject', hlc: '2020-01-01T00:00:00.000Z-0000-0000000000000000' })]), 'event_backdated');
  });

  it('cannot replay an event B already holds in another place', () => {
    const known = b.db.prepare("SELECT id FROM decision_events WHERE kind = 'decision' LIMIT 1").pluck().get() as string;
    const e = forge(m, { kind: 'decision', reviewer: '李老师', idNumber: idOf(5), decision: 'reject' });
    const { hash: _h, ...rest } = { ...e, id: known };
    const replay: SyncEvent = { ...rest, hash: hashEvent(rest) };
    replay.sig = attackerSign(replay, collegeId(m), workspaceKey(m));
    refused(b, bundleWith(m, [replay]), 'event_replayed');
  });

  it('cannot replay another college\'s events, nor pass them off as its own', () => {
    const other = seedWorkspace(join(tempDir(), 'other'), 3);
    opened.push(other);
    recordDecision(other, 'dev-o', { idNumber: idOf(0), decision: 'reject', reasons: ['blurry'], note: '', reviewer: '王主任' });
    const theirs = buildBundle(other, 'dev-o', { noScans: true, passphrase: PW, kdfN: KDF_N }).manifest.events.filter((e) => e.kind === 'decision');
    refused(b, bundleWith(m, theirs), 'origin_unknown');
    // Re-chained onto M's own origin, the signature (made for the other college) does not hold.
    const tip = m.db.prepare('SELECT origin_seq, hash FROM decision_events WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1').get(writableOrigin(m)) as { origin_seq: number; hash: string };
    const moved = theirs.map((e, i) => {
      const { hash: _h, ...rest } = { ...e, origin: writableOrigin(m), originSeq: tip.origin_seq + 1 + i, prevHash: tip.hash };
      return { ...rest, hash: hashEvent(rest) };
    });
    refused(b, bundleWith(m, moved.slice(0, 1)), 'event_signature_invalid');
  });

  it('a PC nobody enrolled is refused: origin_unknown', () => {
    const x = openWorkspace(join(tempDir(), 'x'), { create: true, college: a.college });
    opened.push(x);
    x.db.prepare("INSERT INTO meta (key, value) VALUES ('college_id', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(collegeId(a));
    const e = forge(x, { kind: 'decision', reviewer: '李老师', idNumber: idOf(1), decision: 'reject' });
    refused(b, bundleWith(x, [e]), 'origin_unknown');
  });

  it('a known PC signing with another key is refused: origin_rekeyed', () => {
    const c = openWorkspace(cloneWorkspace(a, join(tempDir(), 'c'), true, { by: 'admin', accounts: ['张老师'] }).dir);
    opened.push(c);
    // C never heard from M: only the roster knows M's key, and this bundle is signed with another.
    refused(c, bundleWith(m, [], otherKey()), 'origin_rekeyed');
    // B pinned M's key itself when M's first bundle arrived: the same refusal.
    refused(b, bundleWith(m, [], otherKey()), 'origin_rekeyed');
  });

  it('after all that, M\'s honest bundles still merge and the PCs converge', () => {
    decideAs(m, '李老师', 4, 'return');
    for (const [from, to] of [[m, b], [b, a], [a, m], [a, b], [m, a]] as const) send(from, to);
    expect(stateOf(b)).toEqual(stateOf(a));
    expect(stateOf(m)).toEqual(stateOf(a));
  });
});

describe('the same rule on local append', () => {
  it('a desk never writes an event its peers would refuse', () => {
    const { m } = collegeWithAttacker();
    // 王主任 has no secret on M (clones carry none) ...
    expect(code(() => signIn(m, { name: '王主任', secret: SECRETS['王主任']! }))).toBe('account_not_enrolled_here');
    // ... so the attacker edits M's own file: 王主任 gets 李老师's verifier, and signs in with 李老师's secret.
    m.db.prepare("UPDATE accounts SET (salt, hash) = (SELECT salt, hash FROM accounts WHERE name = '李老师') WHERE name = '王主任'").run();
    signIn(m, { name: '王主任', secret: SECRETS['李老师']! });
    // M is enrolled for 李老师 only: its desk refuses to write as 王主任 even though the caller got past sign-in.
    expect(code(() => recordDecision(m, 'dev-m', { idNumber: idOf(0), decision: 'approve', reasons: [], note: '', reviewer: '王主任' }))).toBe('role_forbidden');
  });
});

type Attack = 'role' | 'origin' | 'reorder' | 'edit' | 'backdate' | 'replay' | 'rekey';

describe('property: whatever an adversarial PC sends, honest PCs take only what the roster allows', () => {
  it('refuses every forged bundle unchanged and still converges', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(
          fc.record({ t: fc.constant('attack' as const), attack: fc.constantFrom<Attack>('role', 'origin', 'reorder', 'edit', 'backdate', 'replay', 'rekey'), app: fc.nat(5) }),
          fc.record({ t: fc.constant('honest' as const), pc: fc.nat(2), app: fc.nat(5), decision: fc.constantFrom('approve' as const, 'reject' as const) }),
          fc.record({ t: fc.constant('sync' as const), from: fc.nat(2), to: fc.nat(2) }),
        ), { minLength: 3, maxLength: 8 }),
        (steps) => {
          const { a, b, m } = collegeWithAttacker();
          const pcs = [a, b, m];
          const who = ['admin', '张老师', '李老师'];
          const forgedIds = new Set<string>();
          for (const s of steps) {
            if (s.t === 'honest') {
              const pc = pcs[s.pc];
              if (!pc) continue;
              try {
                decideAs(pc, who[s.pc] ?? '', s.app, s.decision);
              } catch (e) {
                if (!(e instanceof DeskError) || e.code !== 'conflict_open') throw e;
              }
            } else if (s.t === 'sync') {
              const from = pcs[s.from];
              const to = pcs[s.to];
              if (from && to && from !== to) send(from, to);
            } else {
              const victim = s.app % 2 === 0 ? a : b;
              const base = forge(m, { kind: 'decision', reviewer: '李老师', idNumber: idOf(s.app), decision: 'approve' });
              let bytes: Buffer;
              let events: SyncEvent[];
              if (s.attack === 'role') events = [forge(m, { kind: 'review', reviewer: '王主任', idNumber: idOf(s.app), decision: 'approve' })];
              else if (s.attack === 'origin') {
                const o = writableOrigin(a);
                // Where A's next event goes as far as the victim or M (whose bundle carries A's chain) know.
                const tipIn = (w: Workspace) => w.db.prepare('SELECT origin_seq, hash FROM decision_events WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1').get(o) as { origin_seq: number; hash: string } | undefined;
                const tv = tipIn(victim);
                const tm = tipIn(m);
                const tip = (tv?.origin_seq ?? 0) >= (tm?.origin_seq ?? 0) ? tv : tm;
                events = [forge(m, { kind: 'decision', reviewer: '李老师', idNumber: idOf(s.app), decision: 'reject', origin: o, seq: (tip?.origin_seq ?? 0) + 1, prevHash: tip?.hash ?? GENESIS })];
              } else if (s.attack === 'reorder') {
                const second = forge(m, { kind: 'decision', reviewer: '李老师', idNumber: idOf((s.app + 1) % 6), decision: 'reject' }, [base]);
                const { hash: _a, ...r2 } = { ...second, originSeq: base.originSeq, prevHash: base.prevHash };
                const x2 = { ...r2, hash: hashEvent(r2) };
                const { hash: _b, ...r1 } = { ...base, originSeq: second.originSeq, prevHash: x2.hash };
                events = [x2, { ...r1, hash: hashEvent(r1) }];
              } else if (s.attack === 'edit') {
                const { hash: _h, ...r } = { ...base, reviewer: '王主任' };
                events = [{ ...r, hash: hashEvent(r) }];
              } else if (s.attack === 'backdate') events = [forge(m, { kind: 'decision', reviewer: '李老师', idNumber: idOf(s.app), decision: 'reject', hlc: '2001-01-01T00:00:00.000Z-0000-0000000000000000' })];
              else if (s.attack === 'replay') {
                const known = victim.db.prepare('SELECT id FROM decision_events LIMIT 1').pluck().get() as string;
                const { hash: _h, ...r } = { ...base, id: known };
                const replay: SyncEvent = { ...r, hash: hashEvent(r) };
                replay.sig = attackerSign(replay, collegeId(m), workspaceKey(m));
                events = [replay];
              } else events = [];
              // A replay reuses an id the victim rightly holds: only the new ids are forgeries.
              if (s.attack !== 'replay') for (const e of events) forgedIds.add(e.id);
              if (s.attack === 'rekey') {
                bytes = bundleWith(m, [], otherKey());
              } else bytes = bundleWith(m, events);
              const before = dumpHash(victim);
              const got = code(() => mergeBundle(victim, bytes, PW));
              expect(['role_forbidden', 'event_signature_invalid', 'event_backdated', 'event_replayed', 'origin_rekeyed']).toContain(got);
              expect(dumpHash(victim)).toBe(before);
            }
          }
          // Honest exchange afterwards: everyone converges, and no forged event is anywhere.
          for (const [from, to] of [[m, a], [b, a], [a, b], [a, m], [b, m], [m, b]] as const) send(from, to);
          expect(stateOf(b)).toEqual(stateOf(a));
          expect(stateOf(m)).toEqual(stateOf(a));
          for (const w of pcs) for (const id of forgedIds) expect(stateOf(w).events).not.toContain(id);
          for (const w of pcs) w.close();
        },
      ),
      { numRuns: 6 },
    );
  });
});

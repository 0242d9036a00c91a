/**
 * Restore, re-clone and copy are safe (issue 14): a workspace that went back in time never writes
 * an event under a sequence number its peers already hold, and the forks an older desk made are
 * repaired the same way on every PC, shown in status and audit.
 */
import { copyFileSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackupSync, restoreBackup } from '../../../electron/backup/backup.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { buildBundle, forkReports, mergeBundle, syncStatus } from '../../../electron/sync/syncService.js';
import { hashEvent, verifyChains } from '../../../electron/sync/log.js';
import { sealBundle } from '../../../electron/sync/codec.js';
import { workspaceKey } from '../../../electron/workspace/keys.js';
import { originOf, readIdentity, SIDECAR_FILE } from '../../../electron/sync/identity.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { collegeOf, deskOf } from '../../fixtures/workspace.js';
import { dumpHash, stateOf } from './helpers.js';

const PW = 'college-passphrase-2026';
const KDF_N = 1024;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function team(n: number): Promise<{ pcs: Workspace[]; ids: string[] }> {
  const c = await collegeOf(n, 8);
  cleanups.push(c.close);
  return { pcs: c.pcs, ids: c.ids };
}

const decide = (ws: Workspace, id: string, decision: 'approve' | 'reject', reviewer = '李老师') =>
  recordDecision(ws, `dev-${reviewer}`, { idNumber: id, decision, reasons: decision === 'reject' ? ['blurry'] : [], note: '', reviewer });
const send = (from: Workspace, to: Workspace) => mergeBundle(to, buildBundle(from, 'dev', { noScans: true, passphrase: PW, kdfN: KDF_N }).bytes, PW);

/** A consistent copy of a workspace's database file, as someone would keep by hand. */
function copyOf(ws: Workspace, to: string): string {
  ws.db.pragma('wal_checkpoint(TRUNCATE)');
  copyFileSync(join(ws.dir, 'desk.sqlite'), to);
  return to;
}

/** Closes a workspace, lets `change` touch its folder, opens it again (the array keeps the new one). */
function reopen(pcs: Workspace[], i: number, change: (dir: string) => void): Workspace {
  const ws = pcs[i];
  if (!ws) throw new Error('no pc');
  ws.close();
  change(ws.dir);
  const again = openWorkspace(ws.dir);
  pcs[i] = again;
  cleanups.push(() => again.close());
  return again;
}

describe('a restored workspace', () => {
  it('starts a new origin, so its new decisions reach every peer and nothing forks', async () => {
    const { pcs, ids } = await team(3);
    const [a, , c] = pcs;
    if (!a || !c) throw new Error('no pcs');
    const backup = createBackupSync(pcs[1]!.dir, pcs[1]!.db, 'manual');
    const before = originOf(pcs[1]!.db);
    decide(pcs[1]!, ids[0]!, 'approve');
    decide(pcs[1]!, ids[1]!, 'approve');
    send(pcs[1]!, a); // A holds B's events 1 and 2
    const b = reopen(pcs, 1, (dir) => restoreBackup(dir, backup.id));
    expect(originOf(b.db)).not.toBe(before);
    expect(readIdentity(b.db).epochs.map((e) => [e.origin, e.reason])).toEqual([[before, 'restore']]);
    decide(b, ids[2]!, 'reject', '王老师'); // would have been B's event 1 again under the old desk
    decide(b, ids[0]!, 'reject', '王老师');
    for (const [from, to] of [[b, a], [a, b], [a, c], [c, b], [b, a]] as const) {
      const r = send(from, to);
      expect(r.forks).toEqual([]);
    }
    expect(stateOf(a)).toEqual(stateOf(b));
    expect(stateOf(c)).toEqual(stateOf(a));
    // B got back the two events it lost with the restore; the chain of each origin is whole.
    expect(stateOf(b).events).toHaveLength(stateOf(a).events.length);
    for (const w of [a, b, c]) expect(verifyChains(w).problems).toEqual([]);
    expect(forkReports(a)).toEqual([]);
  });

  it('copied back by hand is caught by sync-origin.json and writes under a new origin', async () => {
    const { pcs, ids } = await team(2);
    const a = pcs[0]!;
    const old = copyOf(pcs[1]!, join(pcs[1]!.dir, '..', 'b-old.sqlite'));
    decide(pcs[1]!, ids[0]!, 'approve');
    send(pcs[1]!, a);
    const origin = originOf(pcs[1]!.db);
    const b = reopen(pcs, 1, (dir) => {
      rmSync(join(dir, 'desk.sqlite-wal'), { force: true });
      rmSync(join(dir, 'desk.sqlite-shm'), { force: true });
      copyFileSync(old, join(dir, 'desk.sqlite'));
    });
    expect(originOf(b.db)).toBe(origin); // the file alone cannot know …
    decide(b, ids[1]!, 'reject', '王老师'); // … but the sidecar says event 1 left already
    expect(readIdentity(b.db).epochs.map((e) => e.reason)).toEqual(['rolled_back']);
    expect(send(b, a).forks).toEqual([]);
    send(a, b);
    expect(stateOf(a)).toEqual(stateOf(b));
  });

  it('rolled back with its folder too is caught when a peer reports more of its events', async () => {
    const { pcs, ids } = await team(2);
    const a = pcs[0]!;
    const old = copyOf(pcs[1]!, join(pcs[1]!.dir, '..', 'b-old.sqlite'));
    decide(pcs[1]!, ids[0]!, 'approve');
    send(pcs[1]!, a);
    const b = reopen(pcs, 1, (dir) => {
      rmSync(join(dir, SIDECAR_FILE), { force: true });
      rmSync(join(dir, 'desk.sqlite-wal'), { force: true });
      rmSync(join(dir, 'desk.sqlite-shm'), { force: true });
      copyFileSync(old, join(dir, 'desk.sqlite'));
    });
    send(a, b); // A's bundle carries B's own event back, and says A has it
    decide(b, ids[1]!, 'reject', '王老师');
    expect(send(b, a).forks).toEqual([]);
    expect(stateOf(a)).toEqual(stateOf(b));
  });

  it('copied to another installation becomes another PC; moved to another folder, another origin', async () => {
    const { pcs } = await team(1);
    const src = pcs[0]!;
    const dir = src.dir;
    src.close();
    const first = openWorkspace(dir, { deviceId: 'install-1' });
    const id = first.workspaceId;
    const origin = originOf(first.db);
    first.close();
    cpSync(dir, join(dir, '..', 'copy'), { recursive: true });
    const copy = openWorkspace(join(dir, '..', 'copy'), { deviceId: 'install-2' });
    cleanups.push(() => copy.close());
    expect(copy.workspaceId).not.toBe(id);
    expect(originOf(copy.db)).not.toBe(origin);
    expect(readIdentity(copy.db).formerWorkspaces).toEqual([id]);
    const again = openWorkspace(dir, { deviceId: 'install-1' });
    expect([again.workspaceId, originOf(again.db)]).toEqual([id, origin]);
    again.close();
    cpSync(dir, join(dir, '..', 'moved'), { recursive: true });
    const moved = openWorkspace(join(dir, '..', 'moved'), { deviceId: 'install-1' });
    cleanups.push(() => moved.close());
    expect(moved.workspaceId).toBe(id);
    expect(originOf(moved.db)).not.toBe(origin);
    pcs[0] = openWorkspace(dir);
    cleanups.push(() => pcs[0]!.close());
  });
});

describe('a fork an older desk left behind', () => {
  it('is repaired the same way on every PC, keeping both branches, and shown with its step', async () => {
    const { pcs, ids } = await team(3);
    const [a, , c] = pcs;
    if (!a || !c) throw new Error('no pcs');
    const old = copyOf(pcs[1]!, join(pcs[1]!.dir, '..', 'b-old.sqlite'));
    decide(pcs[1]!, ids[0]!, 'approve');
    decide(pcs[1]!, ids[1]!, 'approve');
    send(pcs[1]!, a); // A holds branch 1 (B's events 1, 2)
    // The old desk: the database copied back, no sidecar, nothing to tell it that it went back.
    const b = reopen(pcs, 1, (dir) => {
      rmSync(join(dir, SIDECAR_FILE), { force: true });
      rmSync(join(dir, 'desk.sqlite-wal'), { force: true });
      rmSync(join(dir, 'desk.sqlite-shm'), { force: true });
      copyFileSync(old, join(dir, 'desk.sqlite'));
    });
    const forkedOrigin = originOf(b.db);
    decide(b, ids[2]!, 'reject', '王老师'); // branch 2: B's events 1, 2 again, different
    decide(b, ids[3]!, 'reject', '王老师');
    send(b, c); // C holds branch 2
    const ab = send(b, a);
    expect(ab.forks).toHaveLength(1);
    expect(ab.forks[0]).toMatchObject({ origin: forkedOrigin, originSeq: 1, repaired: true });
    send(a, c); // C repairs it too, the same way
    send(c, b);
    send(a, b);
    send(b, a);
    send(b, c);
    expect(stateOf(a)).toEqual(stateOf(b));
    expect(stateOf(c)).toEqual(stateOf(a));
    // Both branches survive: all four decisions are in force on every PC.
    expect(stateOf(a).current.filter((x) => [ids[0], ids[1], ids[2], ids[3]].some((id) => x.startsWith(`${id}:`)))).toHaveLength(4);
    for (const w of [a, b, c]) {
      expect(verifyChains(w).problems).toEqual([]);
      expect(forkReports(w).map((f) => [f.origin, f.originSeq, f.repaired])).toEqual([[forkedOrigin, 1, true]]);
    }
    // B writes on under a new origin; the audit call says what happened and what to do.
    decide(b, ids[4]!, 'approve', '王老师');
    expect(originOf(b.db)).not.toBe(forkedOrigin);
    expect(readIdentity(b.db).epochs.map((e) => e.reason)).toEqual(['fork']);
    expect(send(b, a).forks).toEqual([]);
    const audit = await deskOf(a)('audit.verify', {});
    expect(audit).toMatchObject({ ok: true, value: { ok: true, forks: [{ origin: forkedOrigin, repaired: true }] } });
    expect(syncStatus(a).forks[0]?.step).toContain('已自动修复');
  });
});

describe('an event that contradicts the log', () => {
  it('(same id, another place, not a moved copy) is refused as tampering and changes nothing', async () => {
    const { pcs, ids } = await team(2);
    const [a, b] = pcs;
    if (!a || !b) throw new Error('no pcs');
    decide(a, ids[0]!, 'approve');
    send(a, b);
    const m = buildBundle(a, 'dev', { noScans: true, passphrase: PW, kdfN: KDF_N }).manifest;
    const known = m.events.at(-1)!;
    // A correctly hashed first event of a new chain that reuses an id B already has elsewhere.
    const { hash: _h, ...rest } = known;
    const base = { ...rest, origin: 'ffffffff-0000-4000-8000-000000000000', originSeq: 1, prevHash: '0'.repeat(64) };
    const forged = { ...base, hash: hashEvent(base) };
    const bytes = sealBundle({
      header: { collegeId: m.collegeId, college: m.college, fromWorkspace: m.fromWorkspace, toWorkspace: null, createdAt: m.createdAt },
      manifest: { ...m, events: [forged] }, blobData: [], key: workspaceKey(a), passphrase: PW, kdfN: KDF_N,
    });
    const before = dumpHash(b);
    expect(() => mergeBundle(b, bytes, PW)).toThrow(expect.objectContaining({ code: 'bundle_tampered' }));
    expect(dumpHash(b)).toBe(before);
  });
});

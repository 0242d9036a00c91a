/**
 * People, not UUIDs; one signing identity per college; clocks off in either direction (issue 14).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExport } from '../../../electron/export/exportService.js';
import { verifyExport } from '../../../electron/export/verify.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { applicantHistory, listConflicts } from '../../../electron/review/team.js';
import { appendEvents } from '../../../electron/sync/log.js';
import { pcName, setPcName } from '../../../electron/sync/identity.js';
import { buildBundle, cloneWorkspace, mergeBundle, syncStatus } from '../../../electron/sync/syncService.js';
import { collegeKey, keyFingerprint } from '../../../electron/workspace/keys.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { computerName } from '../../../electron/platform/device.js';
import { createAccount, signIn } from '../../../electron/accounts/accounts.js';
import { collegeOf } from '../../fixtures/workspace.js';
import { decidedWorkspace, tempDir } from '../export/fixtures.js';

const PW = 'college-passphrase-2026';
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
const bundle = (from: Workspace): Buffer => buildBundle(from, 'dev', { noScans: true, passphrase: PW, kdfN: 1024 }).bytes;
const DAY = 24 * 60 * 60 * 1000;

describe('PC names', () => {
  it('default to computer name and signed-in reviewer, travel in bundles and name both sides of a conflict', async () => {
    const c = await collegeOf(2, 3);
    cleanups.push(c.close);
    const [a, b] = c.pcs;
    if (!a || !b) throw new Error('no pcs');
    expect(pcName(a)).toBe(computerName());
    createAccount(a, { name: 'admin', role: 'admin', secret: 'admin-pass' });
    signIn(a, { name: 'admin', secret: 'admin-pass' });
    expect(pcName(a)).toBe(`${computerName()}（admin）`);
    setPcName(a, '招生办 1 号机');
    setPcName(b, '教务处 张老师');
    recordDecision(a, 'dev-a', { idNumber: c.ids[0]!, decision: 'approve', reasons: [], note: '', reviewer: 'admin' });
    recordDecision(b, 'dev-b', { idNumber: c.ids[0]!, decision: 'reject', reasons: ['blurry'], note: '', reviewer: '张老师' });
    mergeBundle(b, bundle(a), PW);
    mergeBundle(a, bundle(b), PW);
    for (const w of [a, b]) {
      expect(listConflicts(w)[0]?.heads.map((h) => `${h.reviewer}@${h.pcName}`).sort()).toEqual(['admin@招生办 1 号机', '张老师@教务处 张老师']);
      expect(applicantHistory(w, c.ids[0]!).entries.filter((e) => e.kind === 'decision').map((e) => e.pcName).sort()).toEqual(['招生办 1 号机', '教务处 张老师']);
    }
    expect(syncStatus(b).peers.map((p) => p.name)).toEqual(['招生办 1 号机']);
    expect(syncStatus(b)).toMatchObject({ name: '教务处 张老师', nameIsDefault: false });
  });
});

describe('one signing identity per college', () => {
  it('verify --key with the college fingerprint accepts an export from any PC of the college and refuses others', async () => {
    const root = tempDir();
    const a = await decidedWorkspace(root);
    cleanups.push(() => a.close());
    cloneWorkspace(a, join(root, 'b'), true);
    const b = openWorkspace(join(root, 'b'));
    cleanups.push(() => b.close());
    const fp = keyFingerprint(collegeKey(a)!.publicKeyPem);
    const ea = await runExport(a, 'dev-a', { table: 'exempt', out: join(root, 'out-a'), draft: false });
    const eb = await runExport(b, 'dev-b', { table: 'exempt', out: join(root, 'out-b'), draft: false });
    expect([ea.keyFingerprint, eb.keyFingerprint]).toEqual([fp, fp]);
    expect(verifyExport(ea.dir, fp.slice(0, 16))).toMatchObject({ keyChecked: true });
    expect(verifyExport(eb.dir, fp.slice(0, 16))).toMatchObject({ keyChecked: true });
    // Another college (same name, same people) signs with its own college key: refused.
    const other = await decidedWorkspace(tempDir());
    cleanups.push(() => other.close());
    const eo = await runExport(other, 'dev-o', { table: 'exempt', out: join(root, 'out-other'), draft: false });
    expect(() => verifyExport(eo.dir, fp.slice(0, 16))).toThrow(/另一把密钥/);
  });

  it('reaches a PC that lacked it with the next bundle (protected by the sync passphrase)', async () => {
    const root = tempDir();
    const a = await decidedWorkspace(root);
    cleanups.push(() => a.close());
    cloneWorkspace(a, join(root, 'c'), true);
    const c = openWorkspace(join(root, 'c'));
    cleanups.push(() => c.close());
    c.db.prepare("DELETE FROM meta WHERE key = 'college_key'").run(); // a clone made before college keys
    expect(collegeKey(c)).toBeNull();
    const fp = keyFingerprint(collegeKey(a)!.publicKeyPem);
    const before = await runExport(c, 'dev-c', { table: 'exempt', out: join(root, 'c-before'), draft: false });
    expect(() => verifyExport(before.dir, fp)).toThrow(/另一把密钥/);
    const bytes = bundle(a);
    expect(bytes.includes(Buffer.from('PRIVATE KEY'))).toBe(false); // only inside the ciphertext
    mergeBundle(c, bytes, PW);
    const after = await runExport(c, 'dev-c', { table: 'exempt', out: join(root, 'c-after'), draft: false });
    expect(verifyExport(after.dir, fp)).toMatchObject({ keyFingerprint: fp });
  });
});

describe('clock drift', () => {
  it('is reported when a PC is ahead, and when a PC is behind the college, however late its bundle comes', async () => {
    const c = await collegeOf(3, 2);
    cleanups.push(c.close);
    const [a, late, b] = c.pcs;
    if (!a || !late || !b) throw new Error('no pcs');
    const now = Date.now();
    // A's events are stamped by a clock that is right; to a receiver whose clock is two days back, A is ahead.
    appendEvents(a, 'dev-a', [{ kind: 'settings', reviewer: '王主任', payload: { set: { noticeDays: 5 } } }], now);
    const ahead = mergeBundle(b, bundle(a), PW, '', { now: now - 2 * DAY });
    expect(ahead.drift.map((d) => d.direction)).toContain('ahead');
    // … and B itself sees that its own clock is behind what it has received.
    expect(syncStatus(b, now - 2 * DAY).clockBehindMs).toBeGreaterThan(DAY);
    // LATE's clock is a day behind: it hears from A (its HLC moves to the right time), then writes.
    mergeBundle(late, bundle(a), PW, '', { now: now - DAY });
    appendEvents(late, 'dev-late', [{ kind: 'settings', reviewer: '李老师', payload: { set: { noticeDays: 6 } } }], now - DAY);
    // Its bundle arrives a week later on a PC with the right time: still reported, as behind.
    const r = mergeBundle(a, bundle(late), PW, '', { now: now + 7 * DAY });
    const behind = r.drift.find((d) => d.direction === 'behind');
    expect(behind?.driftMs).toBeGreaterThan(DAY - 60_000);
    expect(behind?.origin).toBe(late.workspaceId);
    expect(syncStatus(a).recentDrift.some((d) => d.direction === 'behind' && d.origin === late.workspaceId)).toBe(true);
  });
});

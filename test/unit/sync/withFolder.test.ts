import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordDecision } from '../../../electron/review/decisions.js';
import { createContext } from '../../../electron/app/context.js';
import { createHandlers } from '../../../electron/app/handlers.js';
import { createDispatcher } from '../../../electron/app/dispatch.js';
import type { Workspace } from '../../../electron/workspace/workspace.js';
import { folderBundleName, syncWithFolder } from '../../../electron/sync/folderSync.js';
import { listConflicts } from '../../../electron/review/team.js';
import { college, idOf, stateOf, tempDir } from './helpers.js';

const PW = 'college-passphrase-2026';
const opened: Workspace[] = [];
afterAll(() => opened.forEach((w) => w.close()));
function pcs(n: number): Workspace[] {
  const w = college(n, 12);
  opened.push(...w);
  return w;
}
const decide = (ws: Workspace, i: number, decision: 'approve' | 'reject', reviewer: string) =>
  recordDecision(ws, `dev-${reviewer}`, { idNumber: idOf(i), decision, reasons: decision === 'reject' ? ['blurry'] : [], note: '', reviewer });

describe('sync.withFolder: two PCs exchange through one folder', () => {
  it('converges two cloned workspaces, with the concurrent decision as a conflict on both', () => {
    const [a, b] = pcs(2);
    if (!a || !b) throw new Error('no pcs');
    const folder = join(tempDir(), 'U盘 同步');
    decide(a, 0, 'approve', '张老师');
    decide(a, 1, 'approve', '张老师');
    decide(b, 0, 'reject', '李老师'); // concurrent with A's decision on applicant 0
    decide(b, 2, 'reject', '李老师');

    const r1 = syncWithFolder(a, folder, { passphrase: PW, deviceId: 'dev-a' });
    expect(r1.imported).toEqual([]);
    expect(r1.exported.events).toBe(2);
    expect(readdirSync(folder)).toEqual([folderBundleName(a)]);

    const r2 = syncWithFolder(b, folder, { passphrase: PW, deviceId: 'dev-b' });
    expect(r2.imported.map((i) => [i.fromWorkspace, i.eventsAdded])).toEqual([[a.workspaceId, 2]]);
    expect(r2.conflicts).toBe(1);
    expect(r2.exported.events).toBe(4); // B relays A's events too
    expect(readdirSync(folder).sort()).toEqual([folderBundleName(a), folderBundleName(b)].sort());

    const r3 = syncWithFolder(a, folder, { passphrase: PW, deviceId: 'dev-a' });
    expect(r3.imported.map((i) => [i.fromWorkspace, i.eventsAdded, i.duplicates])).toEqual([[b.workspaceId, 2, 2]]);
    expect(stateOf(a)).toEqual(stateOf(b));
    expect(stateOf(a).conflicts).toEqual([idOf(0)]);
    expect(listConflicts(a)[0]?.heads.map((h) => `${h.reviewer}:${h.decision}`).sort()).toEqual(['张老师:approve', '李老师:reject']);

    // A's rewritten bundle brings B nothing new; on the next visit it is skipped unopened.
    const r4 = syncWithFolder(b, folder, { passphrase: PW, deviceId: 'dev-b' });
    expect(r4.imported.map((i) => i.eventsAdded)).toEqual([0]);
    const r5 = syncWithFolder(b, folder, { passphrase: PW, deviceId: 'dev-b' });
    expect(r5.imported).toEqual([]);
    expect(r5.unchanged).toBe(1);
    expect(stateOf(b)).toEqual(stateOf(a));
  });

  it('skips a broken bundle and still merges the good one; a wrong passphrase stops the exchange', () => {
    const [a, b] = pcs(2);
    if (!a || !b) throw new Error('no pcs');
    const folder = join(tempDir(), 'shared');
    decide(a, 3, 'approve', '张老师');
    syncWithFolder(a, folder, { passphrase: PW, deviceId: 'dev-a' });
    writeFileSync(join(folder, 'desk-garbage.zsbsync'), Buffer.from('not a bundle'));
    const r = syncWithFolder(b, folder, { passphrase: PW, deviceId: 'dev-b' });
    expect(r.imported.map((i) => i.eventsAdded)).toEqual([1]);
    expect(r.skipped.map((s) => s.file)).toEqual(['desk-garbage.zsbsync']);
    expect(stateOf(b).current).toEqual(stateOf(a).current);

    const before = stateOf(a);
    decide(b, 4, 'reject', '李老师');
    syncWithFolder(b, folder, { passphrase: PW, deviceId: 'dev-b' });
    expect(() => syncWithFolder(a, folder, { passphrase: 'wrong-passphrase', deviceId: 'dev-a' })).toThrow(/口令/);
    expect(stateOf(a)).toEqual(before);
  });

  it('is reachable as the contract call sync.withFolder with the passphrase field', async () => {
    const [a, b] = pcs(2);
    if (!a || !b) throw new Error('no pcs');
    const folder = join(tempDir(), 'via contract');
    decide(a, 5, 'reject', '张老师');
    syncWithFolder(a, folder, { passphrase: PW, deviceId: 'dev-a' });
    const ctx = createContext('dev-b', b);
    const dispatch = createDispatcher(() => createHandlers(ctx));
    const missing = await dispatch('sync.withFolder', { folder, passphraseEnv: 'DESK_TEST_NO_SUCH_VAR' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'passphrase_missing' } });
    const res = await dispatch('sync.withFolder', { folder, passphrase: PW });
    expect(res).toMatchObject({ ok: true, value: { folder, conflicts: 0, imported: [{ fromWorkspace: a.workspaceId, eventsAdded: 1 }] } });
    expect(existsSync(join(folder, folderBundleName(b)))).toBe(true);
  });
});

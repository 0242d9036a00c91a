/**
 * 与文件夹同步, incremental: per-PC folders of event segments and a watermark, scans once per
 * folder; each visit writes and reads only what is new, an unchanged college writes nothing,
 * writes are atomic (and retried while antivirus holds a file), and read errors say what happened.
 */
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordDecision } from '../../../electron/review/decisions.js';
import { createContext } from '../../../electron/app/context.js';
import { createHandlers } from '../../../electron/app/handlers.js';
import { createDispatcher } from '../../../electron/app/dispatch.js';
import type { Workspace } from '../../../electron/workspace/workspace.js';
import { FOLDER_FILE, folderBundleName, scanFileName, syncWithFolder } from '../../../electron/sync/folderSync.js';
import { listConflicts } from '../../../electron/review/team.js';
import { FolderTransport } from '../../../electron/sync/transport.js';
import { renameWithRetry } from '../../../electron/platform/files.js';
import { college, idOf, stateOf, tempDir } from './helpers.js';

const PW = 'college-passphrase-2026';
const opened: Workspace[] = [];
afterAll(() => opened.forEach((w) => w.close()));
function pcs(n: number, noScans = false): Workspace[] {
  const w = college(n, 12, noScans);
  opened.push(...w);
  return w;
}
const decide = (ws: Workspace, i: number, decision: 'approve' | 'reject', reviewer: string) =>
  recordDecision(ws, `dev-${reviewer}`, { idNumber: idOf(i), decision, reasons: decision === 'reject' ? ['blurry'] : [], note: '', reviewer });
const visit = (ws: Workspace, folder: string, rename?: (a: string, b: string) => void) =>
  syncWithFolder(ws, folder, { passphrase: PW, deviceId: `dev-${ws.workspaceId.slice(0, 4)}`, kdfN: 1024 }, rename);

/** Every file in the sync folder, with its size and mtime (to prove a visit wrote nothing). */
function snapshot(folder: string): string[] {
  return (readdirSync(folder, { recursive: true }) as string[]).sort().map((n) => {
    const st = statSync(join(folder, n));
    return st.isDirectory() ? n : `${n}:${st.size}:${st.mtimeMs}`;
  });
}

describe('sync.withFolder: PCs exchange through one folder', () => {
  it('converges two cloned workspaces, with the concurrent decision as a conflict on both', async () => {
    const [a, b] = pcs(2);
    if (!a || !b) throw new Error('no pcs');
    const folder = join(tempDir(), 'U盘 同步');
    decide(a, 0, 'approve', '张老师');
    decide(a, 1, 'approve', '张老师');
    decide(b, 0, 'reject', '李老师'); // concurrent with A's decision on applicant 0
    decide(b, 2, 'reject', '李老师');

    const r1 = await visit(a, folder);
    expect(r1.imported).toEqual([]);
    expect(r1.written.events).toBe(2);
    expect(readdirSync(folder).sort()).toEqual([folderBundleName(a), FOLDER_FILE].sort());

    const r2 = await visit(b, folder);
    expect(r2.imported.map((i) => [i.fromWorkspace, i.eventsAdded])).toEqual([[a.workspaceId, 2]]);
    expect(r2.conflicts).toBe(1);
    // B writes only its own two events: A's are in the folder already.
    expect(r2.written.events).toBe(2);

    const r3 = await visit(a, folder);
    expect(r3.imported.map((i) => [i.fromWorkspace, i.eventsAdded])).toEqual([[b.workspaceId, 2]]);
    expect(r3.written.events).toBe(0);
    expect(stateOf(a)).toEqual(stateOf(b));
    expect(stateOf(a).conflicts).toEqual([idOf(0)]);
    expect(listConflicts(a)[0]?.heads.map((h) => `${h.reviewer}:${h.decision}`).sort()).toEqual(['张老师:approve', '李老师:reject']);

    // Nothing new anywhere: the next visits read nothing new and write nothing at all.
    await visit(b, folder);
    const before = snapshot(folder);
    const r5 = await visit(b, folder);
    const r6 = await visit(a, folder);
    for (const r of [r5, r6]) {
      expect(r.written).toEqual({ files: 0, bytes: 0, events: 0, scans: 0 });
      expect(r.read.events).toBe(0);
      expect(r.imported).toEqual([]);
    }
    expect(snapshot(folder)).toEqual(before);
    expect(stateOf(b)).toEqual(stateOf(a));
  });

  it('relays: a PC carries what it learned elsewhere into a folder that lacks it', async () => {
    const [a, b, c] = pcs(3);
    if (!a || !b || !c) throw new Error('no pcs');
    const stick1 = join(tempDir(), 'stick 1');
    const stick2 = join(tempDir(), 'stick 2');
    decide(a, 3, 'approve', '张老师');
    await visit(a, stick1);
    await visit(b, stick1); // B learns A's event …
    const r = await visit(b, stick2); // … and leaves it on the second stick, where A never goes
    expect(r.written.events).toBe(1);
    await visit(c, stick2);
    expect(stateOf(c)).toEqual(stateOf(a));
  });

  it('writes each scan once, only for a PC that lacks it, and reads only scans a document waits for', async () => {
    const [a, b] = pcs(2, true); // B was cloned without scans
    if (!a || !b) throw new Error('no pcs');
    const folder = join(tempDir(), 'scans');
    const blob = a.blobs.putBuffer(Buffer.from('%PDF-1.4 退役证 扫描件'));
    a.db.prepare("INSERT INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, 'application/pdf', 't')").run(blob.sha256, blob.size);
    a.db.prepare("INSERT INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, 'discharge_cert', ?, 'd.pdf', 'i')").run(idOf(0), blob.sha256);
    // B's state (what it has) reaches the folder first; until then A has no one to write scans for.
    expect((await visit(a, folder)).written.scans).toBe(0);
    await visit(b, folder);
    const r = await visit(a, folder);
    expect(r.written.scans).toBe(1);
    expect(existsSync(join(folder, scanFileName(a, PW, blob.sha256)))).toBe(true);
    // The name does not give the sha256 away.
    expect(readdirSync(join(folder, 'scans')).join()).not.toContain(blob.sha256.slice(0, 12));
    // B has no document waiting for it (the row came the old way): it is not read …
    expect((await visit(b, folder)).read.scans).toBe(0);
    // … until a document names it.
    b.db.prepare("INSERT INTO documents_pending (id_number, sha256, kind, original_name, size, mime, import_id) VALUES (?, ?, 'discharge_cert', 'd.pdf', ?, 'application/pdf', 'i')").run(idOf(0), blob.sha256, blob.size);
    const rb = await visit(b, folder);
    expect(rb.read.scans).toBe(1);
    expect(b.blobs.read(blob.sha256).toString()).toContain('退役证');
    expect(b.db.prepare('SELECT COUNT(*) AS n FROM documents WHERE sha256 = ?').get(blob.sha256)).toEqual({ n: 1 });
    // Both have it now: nobody writes it again.
    expect((await visit(a, folder)).written.scans).toBe(0);
  });

  it('skips a broken file and still merges the good ones, saying what is wrong; a wrong passphrase stops the exchange', async () => {
    const [a, b] = pcs(2);
    if (!a || !b) throw new Error('no pcs');
    const folder = join(tempDir(), 'shared');
    decide(a, 3, 'approve', '张老师');
    await visit(a, folder);
    const dir = join(folder, folderBundleName(a));
    const segment = readdirSync(dir).find((n) => n !== 'state.zsbsync') ?? '';
    writeFileSync(join(folder, 'desk-garbage.zsbsync'), Buffer.from('not a bundle'));
    const whole = readFileSync(join(dir, segment));
    writeFileSync(join(dir, 'state.zsbsync'), whole.subarray(0, 40)); // truncated by a pulled stick
    const r = await visit(b, folder);
    expect(r.imported.map((i) => i.eventsAdded)).toEqual([1]);
    expect(r.skipped.map((s) => `${s.file} ${s.code}`).sort()).toEqual(
      ['desk-garbage.zsbsync bundle_not_a_bundle', `${folderBundleName(a)}/state.zsbsync bundle_truncated`].sort(),
    );
    expect(stateOf(b).current).toEqual(stateOf(a).current);

    const before = stateOf(a);
    decide(b, 4, 'reject', '李老师');
    await visit(b, folder);
    await expect(syncWithFolder(a, folder, { passphrase: 'wrong-passphrase', deviceId: 'dev-a' })).rejects.toThrow(/口令/);
    expect(stateOf(a)).toEqual(before);
  });

  it('cleans left-over .part files, retries a rename antivirus blocks, and refuses another college’s folder', async () => {
    const [a] = pcs(1);
    const [other] = pcs(1);
    if (!a || !other) throw new Error('no pcs');
    const folder = join(tempDir(), 'parts');
    decide(a, 5, 'approve', '张老师');
    await visit(a, folder);
    const own = join(folder, folderBundleName(a));
    writeFileSync(join(own, 'x.zsbsync.part'), 'half');
    writeFileSync(join(folder, 'zz.zsbsync.part'), 'someone writing right now');
    decide(a, 6, 'approve', '张老师');
    let blocked = 0;
    const antivirus = (from: string, to: string): void => {
      if (blocked++ < 2) throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
      renameWithRetry(from, to, { attempts: 1 });
    };
    const r = await visit(a, folder, antivirus);
    expect(r.cleaned).toBe(1); // ours; another PC's fresh .part may be a write in progress
    expect(existsSync(join(folder, 'zz.zsbsync.part'))).toBe(true);
    expect(blocked).toBeGreaterThan(2);
    expect(r.written.events).toBe(1);
    expect(readdirSync(own).filter((n) => n.endsWith('.part'))).toEqual([]);
    await expect(visit(other, folder)).rejects.toMatchObject({ code: 'bundle_foreign_college' });
  });

  it('says what happened when a file cannot be read', async () => {
    const dir = tempDir();
    const t = new FolderTransport(dir);
    await expect(t.get('desk-x/missing.zsbsync')).rejects.toMatchObject({ code: 'not_found' });
    await t.put('desk-x/locked.zsbsync', Buffer.from('x'));
    if (process.getuid?.() !== 0) {
      chmodSync(join(dir, 'desk-x', 'locked.zsbsync'), 0o000);
      await expect(t.get('desk-x/locked.zsbsync')).rejects.toMatchObject({ code: 'file_permission' });
      chmodSync(join(dir, 'desk-x', 'locked.zsbsync'), 0o600);
    }
    await expect(t.get('desk-x')).rejects.toMatchObject({ code: 'file_not_a_file' });
  });

  it('is reachable as the contract call sync.withFolder with the passphrase field', async () => {
    const [a, b] = pcs(2);
    if (!a || !b) throw new Error('no pcs');
    const folder = join(tempDir(), 'via contract');
    decide(a, 5, 'reject', '张老师');
    await visit(a, folder);
    const ctx = createContext('dev-b', b);
    const dispatch = createDispatcher(() => createHandlers(ctx));
    const missing = await dispatch('sync.withFolder', { folder, passphraseEnv: 'DESK_TEST_NO_SUCH_VAR' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'passphrase_missing' } });
    const res = await dispatch('sync.withFolder', { folder, passphrase: PW });
    expect(res).toMatchObject({ ok: true, value: { folder, conflicts: 0, imported: [{ fromWorkspace: a.workspaceId, eventsAdded: 1 }] } });
    expect(existsSync(join(folder, folderBundleName(b), 'state.zsbsync'))).toBe(true);
  });
});

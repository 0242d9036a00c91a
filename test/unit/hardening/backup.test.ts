import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import { KEEP_DAYS, KEEP_LAST, backupOnOpen, createBackupSync, dataDigest, listBackups, rotate } from '../../../electron/backup/backup.js';
import { migrate, openWorkspace } from '../../../electron/workspace/workspace.js';
import type { BackupInfo, RestoreResult } from '../../../shared/api/backup.js';
import { tempDir } from '../../fixtures/tmp.js';
import { idNumber, writeList } from './lists.js';

const cleanups: (() => void)[] = [];
let root = '';
beforeEach(() => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  root = t.dir;
  process.env.DESK_HOME = join(root, 'home 张老师');
});
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function ok<T>(desk: Desk, name: string, args: unknown): Promise<T> {
  const res = await desk.dispatch(name, args);
  if (!res.ok) throw new Error(`${name}: ${res.error.code} ${res.error.message}`);
  return res.value as T;
}

function openDesk(wsDir: string): Desk {
  const desk = createDesk(wsDir, { create: true, college: '测试学院' });
  cleanups.push(() => desk.close());
  return desk;
}

const digest = (desk: Desk): string => dataDigest(desk.ctx.ws().db);

describe('backups', () => {
  it('backs up before an import, and restore brings back exactly that data (and can itself be undone)', async () => {
    const wsDir = join(root, '工作区 一');
    const desk = openDesk(wsDir);
    await ok(desk, 'import.run', { listPath: writeList(join(root, '名单 A.csv'), 40, 0) });
    // The first import had nothing to lose, so no backup was taken.
    expect(await ok<BackupInfo[]>(desk, 'backup.list', {})).toHaveLength(0);
    for (let i = 0; i < 5; i++) await ok(desk, 'decisions.record', { idNumber: idNumber(i), decision: 'approve', note: '已核实', reviewer: '李老师' });
    const beforeImport = digest(desk);

    // List B drops members 0–9, the five decided among them: the importer confirms that number.
    await ok(desk, 'import.run', { listPath: writeList(join(root, '名单 B.csv'), 40, 1), confirmWithdrawDecided: 5 });
    const afterImport = digest(desk);
    expect(afterImport).not.toBe(beforeImport);
    const list = await ok<BackupInfo[]>(desk, 'backup.list', {});
    expect(list.map((b) => b.reason)).toEqual(['import']);
    expect(list[0]!.applicants).toBe(40);
    expect(list[0]!.decisions).toBe(5);

    const res = await ok<RestoreResult>(desk, 'backup.restore', { id: list[0]!.id });
    expect(digest(desk)).toBe(beforeImport);
    expect(res.safety?.reason).toBe('restore');
    // The desk keeps working on the restored workspace.
    await ok(desk, 'decisions.record', { idNumber: idNumber(6), decision: 'approve', note: '已核实', reviewer: '李老师' });
    const restoredPlusOne = digest(desk);

    // Undo the restore: the safety backup holds the state after import B. It lacks the decision
    // just recorded, so the restore names it and goes ahead only with that confirmed (issue 19).
    expect(await desk.dispatch('backup.restore', { id: res.safety!.id })).toMatchObject({ ok: false, error: { code: 'restore_would_drop', details: { accounts: 0, decisions: 1 } } });
    await ok(desk, 'backup.restore', { id: res.safety!.id, confirmDrop: { accounts: 0, decisions: 1 } });
    expect(digest(desk)).toBe(afterImport);
    const reasons = (await ok<BackupInfo[]>(desk, 'backup.list', {})).map((b) => b.reason);
    expect(reasons.filter((r) => r === 'restore')).toHaveLength(2);
    expect(restoredPlusOne).not.toBe(afterImport);
    // Listed, verified and restored from, each backup is still one file: nothing left beside it.
    expect(readdirSync(join(wsDir, 'backups')).filter((n) => !n.endsWith('.sqlite'))).toEqual([]);
  });

  it('rotation clears side files that older backups left beside them, and keeps a WAL that has content', () => {
    const wsDir = join(root, '工作区 旧');
    const ws = openWorkspace(wsDir, { create: true, college: '测试学院' });
    cleanups.push(() => ws.close());
    const a = createBackupSync(wsDir, ws.db, 'manual', new Date('2026-11-20T08:00:00Z'));
    const b = createBackupSync(wsDir, ws.db, 'manual', new Date('2026-11-21T08:00:00Z'));
    const dir = join(wsDir, 'backups');
    const file = (id: string): string => join(dir, readdirSync(dir).find((n) => n.includes(id) && n.endsWith('.sqlite'))!);
    // What a read-only open of a WAL-mode backup used to leave, plus a crashed copy's pair.
    writeFileSync(`${file(a.id)}-wal`, '');
    writeFileSync(`${file(a.id)}-shm`, Buffer.alloc(32768));
    writeFileSync(`${file(b.id)}-wal`, 'not empty');
    writeFileSync(`${file(b.id)}-shm`, Buffer.alloc(32768));
    writeFileSync(join(dir, 'desk-x.sqlite.part-wal'), '');
    writeFileSync(join(dir, 'desk-gone.sqlite-shm'), '');
    rotate(wsDir, new Date('2026-11-22T08:00:00Z'));
    expect(readdirSync(dir).sort()).toEqual([`${file(a.id)}`, `${file(b.id)}`, `${file(b.id)}-shm`, `${file(b.id)}-wal`].map((p) => p.slice(dir.length + 1)).sort());
  });

  it('refuses a corrupt backup and a backup of another workspace, leaving the data as it was', async () => {
    const desk = openDesk(join(root, '工作区 二'));
    await ok(desk, 'import.run', { listPath: writeList(join(root, '名单 A.csv'), 30, 0) });
    const good = await ok<BackupInfo>(desk, 'backup.create', {});
    const dir = join(desk.ctx.ws().dir, 'backups');
    const before = digest(desk);

    const badId = good.id.replace('-manual', '-1-manual');
    writeFileSync(join(dir, `desk-${badId}.sqlite`), 'SQLite format 3\u0000' + 'x'.repeat(5000));
    const res = await desk.dispatch('backup.restore', { id: badId });
    expect(res).toMatchObject({ ok: false, error: { code: 'backup_corrupt' } });
    expect(digest(desk)).toBe(before);

    // A consistent backup of a different workspace copied into backups/.
    const other = openDesk(join(root, '工作区 三'));
    await ok(other, 'import.run', { listPath: writeList(join(root, '名单 C.csv'), 5, 1) });
    const foreign = await ok<BackupInfo>(other, 'backup.create', {});
    const foreignId = foreign.id.replace('-manual', '-2-manual');
    copyFileSync(join(other.ctx.ws().dir, 'backups', `desk-${foreign.id}.sqlite`), join(dir, `desk-${foreignId}.sqlite`));
    const res2 = await desk.dispatch('backup.restore', { id: foreignId });
    expect(res2).toMatchObject({ ok: false, error: { code: 'backup_other_workspace' } });
    expect(digest(desk)).toBe(before);

    const res3 = await desk.dispatch('backup.restore', { id: '../../desk' });
    expect(res3).toMatchObject({ ok: false, error: { code: 'backup_not_found' } });
    expect(digest(desk)).toBe(before);
  });

  it('takes a migration backup before migrating a database with data, and a daily one when the newest is a day old', () => {
    const wsDir = join(root, '旧 工作区');
    mkdirSync(wsDir);
    // A database at schema version 1 with one applicant, as an old desk left it.
    const v1 = new Database(join(wsDir, 'desk.sqlite'));
    migrate(v1, 1);
    v1.prepare("INSERT INTO meta (key, value) VALUES ('workspace_id', 'w-old'), ('college', '旧学院')").run();
    v1.prepare(`INSERT INTO applicants (id_number, row_no, name, category, import_id, updated_at) VALUES (?, 1, '张三', 'general', 'i', 'now')`).run(idNumber(1));
    v1.close();

    const opened = openWorkspace(wsDir);
    const backups = listBackups(wsDir);
    expect(backups.map((b) => b.reason)).toEqual(['migration']);
    expect(backups[0]!.schemaVersion).toBe(1);
    expect(backups[0]!.applicants).toBe(1);
    opened.close();
    // Reopening the same day takes no further backup; a day later the daily one is due.
    const again = openWorkspace(wsDir);
    expect(listBackups(wsDir)).toHaveLength(1);
    expect(backupOnOpen(wsDir, again.db, new Date(Date.now() + 3_600_000))).toBeNull();
    expect(backupOnOpen(wsDir, again.db, new Date(Date.now() + 25 * 3_600_000))?.reason).toBe('daily');
    again.close();
  });

  it('rotates: the newest ten plus the newest of each of the last seven days', () => {
    const wsDir = join(root, '轮换');
    const ws = openWorkspace(wsDir, { create: true });
    ws.db.prepare(`INSERT INTO applicants (id_number, row_no, name, category, import_id, updated_at) VALUES (?, 1, '张三', 'general', 'i', 'now')`).run(idNumber(1));
    const now = Date.parse('2026-11-26T12:00:00.000Z');
    const made: string[] = [];
    // Three backups a day for twelve days, oldest first.
    for (let day = 11; day >= 0; day--) {
      for (const h of [9, 5, 1]) made.push(createBackupSync(wsDir, ws.db, 'manual', new Date(now - day * 86_400_000 - h * 3_600_000)).id);
    }
    rotate(wsDir, new Date(now));
    const kept = listBackups(wsDir).map((b) => b.id);
    const newest10 = [...made].reverse().slice(0, KEEP_LAST);
    for (const id of newest10) expect(kept).toContain(id);
    // Beyond the newest ten (days 0-3), the 11:00 backup of each remaining day inside the window.
    for (let day = 4; day < KEEP_DAYS; day++) expect(kept).toContain(made[(11 - day) * 3 + 2]);
    expect(kept).toHaveLength(KEEP_LAST + KEEP_DAYS - 4);
    expect(new Set(kept.map((id) => id.slice(0, 8))).size).toBe(KEEP_DAYS);
    ws.close();
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS } from '../../../electron/workspace/migrations/index.js';
import { migrate, openWorkspace, schemaVersion } from '../../../electron/workspace/workspace.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { tempDir } from '../../fixtures/tmp.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function tmp(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('workspace storage', () => {
  it('creates desk.sqlite with WAL, foreign keys and the latest schema', () => {
    const dir = join(tmp(), 'ws');
    const ws = openWorkspace(dir, { create: true, college: '测试学院' });
    expect(existsSync(join(dir, 'desk.sqlite'))).toBe(true);
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(ws.db)).toBe(LATEST_VERSION);
    expect(ws.college).toBe('测试学院');
    ws.close();
    const again = openWorkspace(dir);
    expect(again.workspaceId).toBe(ws.workspaceId);
    again.close();
  });

  it('refuses to open a missing workspace unless asked to create it', () => {
    expect(() => openWorkspace(join(tmp(), 'nope'))).toThrow(/工作区不存在/);
  });

  it('refuses a database written by a newer desk, and leaves it untouched', () => {
    const dir = join(tmp(), 'ws');
    openWorkspace(dir, { create: true }).close();
    const file = join(dir, 'desk.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const before = readFileSync(file);
    expect(() => openWorkspace(dir)).toThrow(/更新版本/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('declares every table STRICT', () => {
    const ws = openWorkspace(join(tmp(), 'ws'), { create: true });
    const tables = ws.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
    expect(tables.length).toBeGreaterThan(3);
    for (const t of tables) expect(t.sql, t.name).toMatch(/\)\s*STRICT\s*(,\s*WITHOUT ROWID\s*)?$/);
    ws.close();
  });

  it('keeps the decision log append-only', () => {
    const ws = openWorkspace(join(tmp(), 'ws'), { create: true });
    ws.db.prepare("INSERT INTO applicants (id_number, row_no, name, category, import_id, updated_at) VALUES ('11010519491231002X', 1, '张三', 'general', 'i', 'now')").run();
    recordDecision(ws, 'device-1', { idNumber: '11010519491231002X', decision: 'approve', reasons: [], note: '', reviewer: '李老师' });
    expect((ws.db.prepare("SELECT COUNT(*) AS n FROM decision_events WHERE kind = 'decision'").get() as { n: number }).n).toBe(1);
    expect(() => ws.db.prepare("UPDATE decision_events SET note = 'changed'").run()).toThrow(/append-only/);
    expect(() => ws.db.prepare('DELETE FROM decision_events').run()).toThrow(/append-only/);
    ws.close();
  });
});

describe('migrations', () => {
  it('are numbered contiguously from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  // Every migration is applied on top of the previous one and leaves a consistent schema.
  for (const m of MIGRATIONS) {
    it(`migration ${m.version} (${m.name}) applies on version ${m.version - 1} in one transaction`, () => {
      const db = new Database(join(tmp(), 'm.sqlite'));
      db.pragma('foreign_keys = ON');
      migrate(db, m.version - 1);
      expect(db.pragma('user_version', { simple: true })).toBe(m.version - 1);
      migrate(db, m.version);
      expect(db.pragma('user_version', { simple: true })).toBe(m.version);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      db.close();
    });
  }

  it('rolls back a failing migration completely', () => {
    const db = new Database(join(tmp(), 'm.sqlite'));
    migrate(db, 1);
    const before = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master").get() as { n: number };
    const broken = { version: 2, name: 'broken', sql: 'CREATE TABLE x (a TEXT) STRICT; CREATE TABLE x (b TEXT) STRICT;' };
    expect(() =>
      db.transaction(() => {
        db.exec(broken.sql);
        db.pragma('user_version = 2');
      })(),
    ).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect((db.prepare("SELECT COUNT(*) AS n FROM sqlite_master").get() as { n: number }).n).toBe(before.n);
    db.close();
  });
});

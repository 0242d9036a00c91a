import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { LOG_FILE, LOG_KEEP, LOG_MAX_BYTES, log, logCall, logDir, scrub } from '../../../electron/platform/log.js';
import { createDesk } from '../../../electron/app/desk.js';
import type { DiagnosticsReport } from '../../../shared/api/backup.js';
import { tempDir } from '../../fixtures/tmp.js';
import { idNumber, phone, writeList } from './lists.js';

const cleanups: (() => void)[] = [];
let root = '';
beforeEach(() => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  root = t.dir;
  process.env.DESK_HOME = join(root, 'home 张老师');
  delete process.env.DESK_LOG;
});
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  process.env.DESK_LOG = 'off';
});

describe('log', () => {
  it('masks ID numbers and mobile numbers anywhere, and drops personal fields whole', () => {
    const id = idNumber(5);
    expect(scrub(`考生 ${id} 电话13812345678，x${id.toLowerCase()}`)).not.toMatch(/\d{11}/);
    expect(scrub(id)).toBe(id.slice(0, 3) + '*'.repeat(11) + id.slice(-4));
    log('info', 'test.event', { idNumber: id, name: '张伟', nested: { phone: '13812345678', text: `见 ${id}` }, count: 3 });
    const text = readFileSync(join(logDir(), LOG_FILE), 'utf8');
    const line = JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', event: 'test.event', idNumber: '[removed]', name: '[removed]', count: 3 });
    expect(text).not.toContain(id);
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('张伟');
  });

  it('logs failed and slow API calls by name and code only', () => {
    logCall('decisions.record', 3);
    logCall('import.run', 2500.4);
    logCall('import.run', 12, 'import_refused');
    const lines = readFileSync(join(logDir(), LOG_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.call, l.ms, l.error ?? null])).toEqual([['import.run', 2500, null], ['import.run', 12, 'import_refused']]);
  });

  it(`rotates at about 1 MB and keeps ${LOG_KEEP} old files`, () => {
    const filler = 'x'.repeat(1000);
    for (let i = 0; i < 7 * 1100; i++) log('debug', 'fill', { i, filler });
    const dir = logDir();
    for (let k = 1; k <= LOG_KEEP; k++) expect(existsSync(join(dir, `${LOG_FILE}.${k}`)), `${LOG_FILE}.${k}`).toBe(true);
    expect(existsSync(join(dir, `${LOG_FILE}.${LOG_KEEP + 1}`))).toBe(false);
    expect(statSync(join(dir, LOG_FILE)).size).toBeLessThan(LOG_MAX_BYTES + 2000);
  });
});

describe('diagnostics', () => {
  it('reports versions, schema and counts, and no ID number or phone of the workspace', async () => {
    const wsDir = join(root, '工作区 诊断');
    const desk = createDesk(wsDir, { create: true, college: '测试学院' });
    const n = 25;
    const imp = await desk.dispatch('import.run', { listPath: writeList(join(root, '名单 A.csv'), n, 0) });
    expect(imp.ok).toBe(true);
    await desk.dispatch('decisions.record', { idNumber: idNumber(2), decision: 'reject', reasons: ['blurry'], note: `电话 ${phone(2, 0)}`, reviewer: '李老师' });
    // A careless caller logging raw values must still not leak them.
    log('warn', `problem with ${idNumber(3)} ${phone(3, 0)}`, { detail: `row of ${idNumber(4)}` });
    await desk.dispatch('backup.create', {});
    const res = await desk.dispatch('diagnostics.report', {});
    desk.close();
    expect(res.ok).toBe(true);
    const report = (res as { value: DiagnosticsReport }).value;
    expect(report.workspace.open).toBe(true);
    expect(report.workspace.integrity).toBe('ok');
    expect(report.workspace.counts.applicants).toBe(n);
    expect(report.workspace.backups.count).toBe(1);
    expect(report.versions.node).toBe(process.versions.node);
    expect(report.log.length).toBeGreaterThan(0);

    // The CLI, with no workspace open, reading the folder itself.
    const out: string[] = [];
    const code = await runCli(['diagnostics', '--workspace', wsDir], (s) => out.push(s), (s) => out.push(s));
    expect(code).toBe(0);
    const jsonOut: string[] = [];
    expect(await runCli(['diagnostics', '--workspace', wsDir, '--json'], (s) => jsonOut.push(s))).toBe(0);
    const cliReport = (JSON.parse(jsonOut.join('\n')) as { value: DiagnosticsReport }).value;
    expect(cliReport.workspace.counts.applicants).toBe(n);

    for (const text of [JSON.stringify(report), out.join('\n'), jsonOut.join('\n')]) {
      for (let i = 0; i < n; i++) {
        expect(text).not.toContain(idNumber(i));
        expect(text).not.toContain(phone(i, 0));
      }
      expect(text).not.toContain('张老师'); // the path of the workspace (a staff member's name)
    }
  });

  it('backs up and restores through the CLI', async () => {
    const wsDir = join(root, '工作区 命令行');
    expect(await runCli(['import', '--workspace', wsDir, '--list', writeList(join(root, '名单 A.csv'), 10, 0)], () => undefined)).toBe(0);
    const created: string[] = [];
    expect(await runCli(['backup', 'create', '--workspace', wsDir, '--json'], (s) => created.push(s))).toBe(0);
    const id = (JSON.parse(created.join('')) as { value: { id: string } }).value.id;
    expect(await runCli(['import', '--workspace', wsDir, '--list', writeList(join(root, '名单 B.csv'), 10, 1)], () => undefined)).toBe(0);
    const listed: string[] = [];
    expect(await runCli(['backup', 'list', '--workspace', wsDir], (s) => listed.push(s))).toBe(0);
    expect(listed.join('\n')).toContain(id);
    const restored: string[] = [];
    expect(await runCli(['backup', 'restore', '--workspace', wsDir, '--id', id], (s) => restored.push(s))).toBe(0);
    expect(restored.join('\n')).toContain(id);
    const status: string[] = [];
    expect(await runCli(['status', '--workspace', wsDir, '--json'], (s) => status.push(s))).toBe(0);
    expect((JSON.parse(status.join('')) as { value: { total: number } }).value.total).toBe(10);
    const desk = createDesk(wsDir);
    const list = await desk.dispatch('applicants.list', { search: idNumber(0).slice(-6) });
    desk.close();
    expect(list.ok && (list.value as unknown[]).length).toBe(1);
    expect(await runCli(['backup', 'restore', '--workspace', wsDir, '--id', 'nope'], () => undefined, () => undefined)).not.toBe(0);
  });
});

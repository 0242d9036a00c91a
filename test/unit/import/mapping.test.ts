import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../../electron/app/dispatch.js';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { createContext } from '../../../electron/app/context.js';
import { createHandlers } from '../../../electron/app/handlers.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import type { ImportPreview, ImportProblem, ImportReport } from '../../../shared/api/index.js';
import { csv, fingerprint, newWorkspace, tempDir, validId } from './helpers.js';

let ws: Workspace | null = null;
afterEach(() => ws?.close());

function desk(w: Workspace): Dispatch {
  const handlers = createHandlers(createContext('dev', w));
  return createDispatcher(() => handlers);
}

async function ok<T>(d: Dispatch, name: string, args: unknown): Promise<T> {
  const env = await d(name, args);
  if (!env.ok) throw new Error(`${name}: ${env.error.message}`);
  return env.value as T;
}

// An office export with its own names: 学生名字 and 证件编号 are unknown to the desk, 手机 and 电话 compete.
const OFFICE = ['学生名字', '证件编号', '报考类别', '手机', '电话', '班主任'];
const officeRow = (n: number): string[] => [`学生${n}`, validId(n), '普通计划', `1380000000${n}`, `0731-000${n}`, '王老师'];

describe('column mapping', () => {
  it('previews first rows, proposes a mapping, lists unknown and ambiguous columns', async () => {
    ws = newWorkspace();
    const path = join(tempDir(), 'office.csv');
    writeFileSync(path, csv([['某学院名单'], OFFICE, officeRow(1), officeRow(2), officeRow(3)]));
    const p = await ok<ImportPreview>(desk(ws), 'import.preview', { listPath: path, rows: 2 });
    expect(p.headerRow).toBe(2);
    expect(p.columns.map((c) => [c.header, c.target, c.ambiguous])).toEqual([
      ['学生名字', null, false], ['证件编号', null, false], ['报考类别', 'category', false],
      ['手机', 'phone', false], ['电话', null, true], ['班主任', null, false],
    ]);
    expect(p.missing).toEqual(['name', 'idNumber']);
    expect(p.rows).toEqual([{ row: 3, cells: officeRow(1) }, { row: 4, cells: officeRow(2) }]);
    expect([p.dataRows, p.remembered, p.format]).toEqual([3, false, 'csv-utf8']);
  });

  it('refuses without a mapping, imports with one, and remembers it for the same header', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const path = join(dir, 'office.csv');
    writeFileSync(path, csv([OFFICE, officeRow(1), officeRow(2)]));
    const d = desk(ws);
    const refused = await d('import.run', { listPath: path });
    expect(refused).toMatchObject({ ok: false, error: { code: 'import_refused' } });
    expect(((refused as { error: { details: ImportProblem[] } }).error.details).map((p) => [p.code, p.column])).toEqual([
      ['missing_column', '姓名'], ['missing_column', '身份证号'],
    ]);
    const r = await ok<ImportReport>(d, 'import.run', { listPath: path, mapping: { 学生名字: 'name', 证件编号: 'idNumber', 电话: 'phone', 手机: 'ignore' } });
    expect(r.added).toBe(2);
    expect(ws.db.prepare('SELECT name, phone FROM applicants ORDER BY row_no').all()).toEqual([
      { name: '学生1', phone: '07310001' }, { name: '学生2', phone: '07310002' },
    ]);
    // Next month's list, same header: no mapping needed.
    const next = join(dir, 'office-next.csv');
    writeFileSync(next, csv([OFFICE, officeRow(1), officeRow(2), officeRow(3)]));
    const p = await ok<ImportPreview>(d, 'import.preview', { listPath: next });
    expect([p.remembered, p.missing]).toEqual([true, []]);
    const r2 = await ok<ImportReport>(d, 'import.run', { listPath: next });
    expect([r2.added, r2.unchanged]).toEqual([1, 2]);
  });

  it('CLI: --map FILE.json, --json, exit 1 with the errors and an unchanged workspace', async () => {
    const dir = tempDir();
    const wsDir = join(dir, 'ws');
    const list = join(dir, 'office.csv');
    writeFileSync(list, csv([OFFICE, officeRow(1), officeRow(2)]));
    const out: string[] = [];
    const capture = (s: string): void => {
      out.push(s);
    };
    // First import creates the workspace with an ordinary list.
    const plain = join(dir, 'plain.csv');
    writeFileSync(plain, csv([['姓名', '身份证号', '报考类别'], ['甲', validId(7), '普通']]));
    expect(await runCli(['import', '--workspace', wsDir, '--list', plain], capture, capture)).toBe(0);

    const w = openWorkspace(wsDir);
    const before = fingerprint(w);
    w.close();
    out.length = 0;
    expect(await runCli(['import', '--workspace', wsDir, '--list', list, '--json'], capture, capture)).toBe(1);
    const failed = JSON.parse(out.join('')) as { ok: boolean; error: { code: string }; errors: ImportProblem[] };
    expect(failed).toMatchObject({ ok: false, error: { code: 'import_refused' } });
    expect(failed.errors.map((e) => e.code)).toEqual(['missing_column', 'missing_column']);
    const w2 = openWorkspace(wsDir);
    expect(fingerprint(w2)).toEqual(before);
    w2.close();

    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({ 学生名字: 'name', 证件编号: 'idNumber' }));
    out.length = 0;
    expect(await runCli(['import', '--workspace', wsDir, '--list', list, '--map', map, '--json'], capture, capture)).toBe(0);
    const done = JSON.parse(out.join('')) as { ok: boolean; value: ImportReport };
    expect([done.ok, done.value.added, done.value.withdrawn]).toEqual([true, 2, 1]);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ 学生名字: 'nickname' }));
    out.length = 0;
    expect(await runCli(['import', '--workspace', wsDir, '--list', list, '--map', bad, '--json'], capture, capture)).toBe(1);
    expect((JSON.parse(out.join('')) as { errors: ImportProblem[] }).errors.map((e) => e.code)).toEqual(['mapping_invalid']);
  });

  it('a dry run reports what would change and writes nothing', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const v1 = join(dir, 'v1.csv');
    writeFileSync(v1, csv([['姓名', '身份证号', '报考类别'], ['甲', validId(1), '普通'], ['乙', validId(2), '普通']]));
    const d = desk(ws);
    await ok<ImportReport>(d, 'import.run', { listPath: v1 });
    const v2 = join(dir, 'v2.csv');
    writeFileSync(v2, csv([['姓名', '身份证号', '报考类别'], ['甲改', validId(1), '普通'], ['丙', validId(3), '普通']]));
    const before = fingerprint(ws);
    const r = await ok<ImportReport>(d, 'import.run', { listPath: v2, dryRun: true });
    expect([r.added, r.updated, r.withdrawn]).toEqual([1, 1, 1]);
    expect(fingerprint(ws)).toEqual(before);
  });

  it('writes the error table as xlsx for the platform administrator', async () => {
    ws = newWorkspace();
    const path = join(tempDir(), 'errors.xlsx');
    const problems: ImportProblem[] = [
      { file: 'a.xlsx', sheet: 'Sheet1', row: 4, column: '身份证号', value: '430102200304050000', code: 'id_number_destroyed', message: '身份证号被 Excel 损坏' },
      { file: 'a.xlsx', code: 'missing_column', message: '缺少必填列' },
    ];
    const r = await ok<{ rows: number; path: string }>(desk(ws), 'import.errorsXlsx', { problems, path });
    expect(r).toEqual({ rows: 2, path });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('导入问题');
    expect(sheet?.getRow(1).values).toEqual([undefined, '文件', '工作表', '行', '列', '值', '问题代码', '说明']);
    expect(sheet?.getRow(2).values).toEqual([undefined, 'a.xlsx', 'Sheet1', 4, '身份证号', '430102200304050000', 'id_number_destroyed', '身份证号被 Excel 损坏']);
    const b64 = await ok<{ rows: number; base64: string }>(desk(ws), 'import.errorsXlsx', { problems });
    expect(Buffer.from(b64.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
  });
});

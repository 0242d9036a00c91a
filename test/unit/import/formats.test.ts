import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { importList } from '../../../electron/applicants/importService.js';
import type { Workspace } from '../../../electron/workspace/workspace.js';
import { csv, HEADER, newWorkspace, row, tempDir, validId, writeXlsx } from './helpers.js';

let ws: Workspace | null = null;
afterEach(() => ws?.close());

const applicants = (w: Workspace): { id_number: string; name: string; category: string; discharge_date: string }[] =>
  w.db.prepare('SELECT id_number, name, category, discharge_date FROM applicants ORDER BY row_no').all() as never;

describe('list formats registrars really have', () => {
  it('reads a GBK CSV with a title row, blank rows and trailing empty columns', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const rows = [['湖南示范职业技术学院2024年专升本报名汇总表', '', ''], [...HEADER, '', ''], row(1), [], row(2), row(3), ['', '', '', '']];
    const path = join(dir, '名单.csv');
    writeFileSync(path, iconv.encode(csv(rows), 'gbk'));
    const r = await importList(ws, { listPath: path });
    expect(r.format).toBe('csv-gb18030');
    expect(r.added).toBe(3);
    expect(applicants(ws).map((a) => a.name)).toEqual(['考生1', '考生2', '考生3']);
    expect(applicants(ws)[2]).toMatchObject({ category: 'veteran', discharge_date: '2023-09' });
  });

  it('reads UTF-8 CSV with and without BOM alike', async () => {
    const dir = tempDir();
    const body = csv([HEADER, row(1), row(2)]);
    writeFileSync(join(dir, 'a.csv'), '\ufeff' + body);
    writeFileSync(join(dir, 'b.csv'), body);
    ws = newWorkspace();
    const a = await importList(ws, { listPath: join(dir, 'a.csv') });
    const b = await importList(ws, { listPath: join(dir, 'b.csv') });
    expect([a.format, a.added]).toEqual(['csv-utf8', 2]);
    expect([b.format, b.added, b.unchanged]).toEqual(['csv-utf8', 0, 2]);
  });

  it("reads Excel's Unicode text (UTF-16LE with BOM, tab-separated)", async () => {
    ws = newWorkspace();
    const path = join(tempDir(), 'unicode.txt');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv([HEADER, row(1), row(2)], '\t'), 'utf16le')]));
    const r = await importList(ws, { listPath: path });
    expect(r.format).toBe('tsv-utf16le');
    expect(applicants(ws).map((a) => a.id_number)).toEqual([validId(1), validId(2)]);
  });

  it('picks the sheet with the header among several, with a merged title and a two-level merged header', async () => {
    ws = newWorkspace();
    const path = join(tempDir(), 'list.xlsx');
    // Row 2 has group cells (退役信息 spans two columns); their real names are in row 3.
    const top = ['序号', '姓名', '身份证号', '报考类别', '退役信息', null, '备注'];
    const sub = [null, null, null, null, '入伍时间', '退役时间', null];
    await writeXlsx(path, [
      { name: '填表说明', rows: [['请按要求填写'], ['身份证号请设为文本格式']] },
      {
        name: '考生名单',
        rows: [['2024年专升本考生名单'], top, sub, ['1', '张三', validId(1), '退役士兵', '2019-09', '2021.09', ''], [], ['2', '李四', validId(2), '普通', '', '', '']],
        merges: ['A1:G1', 'E2:F2', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:D3'],
      },
    ]);
    const r = await importList(ws, { listPath: path });
    expect(r.sheet).toBe('考生名单');
    expect(r.added).toBe(2);
    const one = ws.db.prepare('SELECT enlist_date, discharge_date, category FROM applicants WHERE id_number = ?').get(validId(1));
    expect(one).toEqual({ enlist_date: '2019-09', discharge_date: '2021-09', category: 'veteran' });
    expect(r.normalisations).toContainEqual({ row: 4, column: '退役时间', from: '2021.09', to: '2021-09' });
    expect(r.normalisations).toContainEqual({ row: 4, column: '报考类别', from: '退役士兵', to: '退役大学生士兵免试' });
  });

  it('lets the caller choose the sheet', async () => {
    ws = newWorkspace();
    const path = join(tempDir(), 'two.xlsx');
    await writeXlsx(path, [
      { name: '一班', rows: [HEADER, row(1)] },
      { name: '二班', rows: [HEADER, row(2), row(3)] },
    ]);
    const r = await importList(ws, { listPath: path, sheet: '二班' });
    expect([r.sheet, r.added]).toEqual(['二班', 2]);
  });

  it('normalises full-width digits, lowercase x, spaces, dates and short category names, listing every change', async () => {
    ws = newWorkspace();
    const idX = (() => {
      for (let n = 1; ; n++) if (validId(n).endsWith('X')) return validId(n);
    })();
    const fw = validId(5).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const h = ['姓名', '身份证号码', '考生类别', '退役时间', '入伍时间', '获奖时间'];
    const path = join(tempDir(), 'ugly.csv');
    writeFileSync(path, csv([h, [' 王五 ', idX.toLowerCase(), '退役士兵', '2021年9月', '201709', '45200'], ['赵六', fw, '普通', '2021-09', '2017.9', '']]));
    const r = await importList(ws, { listPath: path });
    expect(r.added).toBe(2);
    const got = ws.db.prepare('SELECT id_number, name, discharge_date, enlist_date, award_date FROM applicants ORDER BY row_no').all();
    expect(got).toEqual([
      { id_number: idX, name: '王五', discharge_date: '2021-09', enlist_date: '2017-09', award_date: '2023-10-01' },
      { id_number: validId(5), name: '赵六', discharge_date: '2021-09', enlist_date: '2017-09', award_date: '' },
    ]);
    expect(r.normalisations).toEqual([
      { row: 2, column: '姓名', from: ' 王五 ', to: '王五' },
      { row: 2, column: '身份证号码', from: idX.toLowerCase(), to: idX },
      { row: 2, column: '考生类别', from: '退役士兵', to: '退役大学生士兵免试' },
      { row: 2, column: '退役时间', from: '2021年9月', to: '2021-09' },
      { row: 2, column: '入伍时间', from: '201709', to: '2017-09' },
      { row: 2, column: '获奖时间', from: '45200', to: '2023-10-01' },
      { row: 3, column: '身份证号码', from: fw, to: validId(5) },
      { row: 3, column: '考生类别', from: '普通', to: '普通计划' },
      { row: 3, column: '入伍时间', from: '2017.9', to: '2017-09' },
    ]);
  });

  it('reports, but does not refuse, a wrong check digit', async () => {
    ws = newWorkspace();
    const good = validId(7);
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const path = join(tempDir(), 'check.csv');
    writeFileSync(path, csv([HEADER, row(7, { 身份证号: bad }), row(8)]));
    const r = await importList(ws, { listPath: path });
    expect(r.added).toBe(2);
    expect(r.warnings).toEqual([
      expect.objectContaining({ file: 'check.csv', row: 2, column: '身份证号', value: bad, code: 'id_number_invalid' }),
    ]);
  });

  it('skips a footer note and template rows where only 序号 is filled', async () => {
    ws = newWorkspace();
    const path = join(tempDir(), 'footer.csv');
    writeFileSync(path, csv([HEADER, row(1), ['2', '', '', '', '', '', '', '', '', ''], ['', '制表人：刘老师'], row(3)]));
    const r = await importList(ws, { listPath: path });
    expect(r.added).toBe(2);
    expect(r.warnings.map((w) => [w.code, w.row])).toEqual([['row_skipped', 4]]);
  });
});

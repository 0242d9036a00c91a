/**
 * Property: any valid list, written as xlsx or as a CSV in any of the encodings registrars have,
 * with title rows and blank rows sprinkled in, imports to exactly the applicants it describes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { importList } from '../../../electron/applicants/importService.js';
import { CATEGORIES } from '../../../shared/domain.js';
import { csv, newWorkspace, tempDir, validId, writeXlsx } from './helpers.js';


const hanzi = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));
// GB2312 covers only part of the CJK block; keep names encodable in GBK (what WPS writes).
const gbkName = fc.array(hanzi, { minLength: 2, maxLength: 4 }).map((a) => a.join('')).filter((s) => iconv.encode(s, 'gbk').length === s.length * 2 && iconv.decode(iconv.encode(s, 'gbk'), 'gbk') === s);
const person = fc.record({
  n: fc.integer({ min: 1, max: 20000 }),
  name: gbkName,
  category: fc.constantFrom(...CATEGORIES.map((c) => c.code)),
  spelling: fc.nat(),
  sex: fc.constantFrom('男' as const, '女' as const, '' as const),
  discharge: fc.option(fc.tuple(fc.integer({ min: 2015, max: 2024 }), fc.integer({ min: 1, max: 12 })), { nil: null }).map((d) => (d ? `${d[0]}-${String(d[1]).padStart(2, '0')}` : '')),
});
const sheet = fc.record({
  people: fc.uniqueArray(person, { minLength: 1, maxLength: 25, selector: (p) => p.n }),
  format: fc.constantFrom('xlsx', 'utf8', 'utf8bom', 'gbk', 'utf16'),
  titleRows: fc.integer({ min: 0, max: 3 }),
  blankEvery: fc.integer({ min: 2, max: 9 }),
});

describe('round trip', () => {
  it('random valid sheets import to the same applicants', async () => {
    await fc.assert(
      fc.asyncProperty(sheet, async ({ people, format, titleRows, blankEvery }) => {
        const header = ['序号', '考生姓名', '性别', '身份证号码', '报考类别', '退役时间'];
        const rows: string[][] = [];
        for (let i = 0; i < titleRows; i++) rows.push([`标题第${i + 1}行`]);
        rows.push(header);
        people.forEach((p, i) => {
          if (i % blankEvery === blankEvery - 1) rows.push([]);
          const info = CATEGORIES.find((c) => c.code === p.category)!;
          const spellings = [info.label, ...info.aliases];
          rows.push([String(i + 1), p.name, p.sex, validId(p.n), spellings[p.spelling % spellings.length]!, p.discharge.replace('-', '.')]);
        });
        const dir = tempDir();
        let path: string;
        if (format === 'xlsx') {
          path = join(dir, 'l.xlsx');
          await writeXlsx(path, [{ name: '名单', rows }]);
        } else {
          path = join(dir, format === 'utf16' ? 'l.txt' : 'l.csv');
          const text = csv(rows, format === 'utf16' ? '\t' : ',');
          const bytes = format === 'gbk' ? iconv.encode(text, 'gbk')
            : format === 'utf16' ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
              : Buffer.from((format === 'utf8bom' ? '\ufeff' : '') + text);
          writeFileSync(path, bytes);
        }
        const ws = newWorkspace();
        try {
          const r = await importList(ws, { listPath: path });
          expect(r.added).toBe(people.length);
          const got = ws.db.prepare('SELECT id_number, name, sex, category, discharge_date, row_no FROM applicants ORDER BY row_no').all();
          expect(got).toEqual(people.map((p, i) => ({ id_number: validId(p.n), name: p.name, sex: p.sex, category: p.category, discharge_date: p.discharge, row_no: i + 1 })));
        } finally {
          ws.close();
        }
      }),
      { numRuns: 25, seed: 20240204 },
    );
  });
});

/**
 * Every refused input leaves the workspace byte-for-byte as it was: the full data dump, the
 * desk.sqlite bytes and the blob tree are compared before and after.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportProblem } from '../../../shared/api/index.js';
import { DeskError } from '../../../shared/api/index.js';
import { checkDigit } from '../../../shared/idcard.js';
import { importList, type ImportOptions } from '../../../electron/applicants/importService.js';
import type { Workspace } from '../../../electron/workspace/workspace.js';
import { csv, fingerprint, HEADER, JPEG, makeZip, newWorkspace, PDF, row, tempDir, validId, writeXlsx } from './helpers.js';

let ws: Workspace;
let dir: string;
beforeEach(async () => {
  ws = newWorkspace();
  dir = tempDir();
  // A workspace with data already in it, so "unchanged" means something.
  const first = join(dir, 'first.csv');
  writeFileSync(first, csv([HEADER, row(1), row(2)]));
  const att = join(dir, 'att0');
  mkdirSync(att);
  writeFileSync(join(att, `${validId(1)}_毕业证.pdf`), PDF);
  await importList(ws, { listPath: first, attachmentsPath: att });
});
afterEach(() => ws.close());

async function refused(opts: ImportOptions): Promise<{ code: string; problems: ImportProblem[] }> {
  const before = fingerprint(ws);
  let err: unknown;
  try {
    await importList(ws, opts);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DeskError);
  expect(fingerprint(ws)).toEqual(before);
  const e = err as DeskError;
  return { code: e.code, problems: e.details as ImportProblem[] };
}

describe('refused inputs leave the workspace unchanged', () => {
  it('refuses ID numbers Excel stored as numbers, naming each row', async () => {
    const path = join(dir, 'numbers.xlsx');
    await writeXlsx(path, [{ name: 'Sheet1', rows: [['标题'], HEADER, row(3), [...row(4).slice(0, 3), 430102200304050000, ...row(4).slice(4)]] }]);
    const r = await refused({ listPath: path });
    expect(r.code).toBe('import_refused');
    expect(r.problems).toEqual([
      expect.objectContaining({ file: 'numbers.xlsx', sheet: 'Sheet1', row: 4, column: '身份证号', value: '430102200304050000', code: 'id_number_destroyed' }),
    ]);
  });

  it('refuses scientific notation and trailing-000 IDs from a CSV', async () => {
    const path = join(dir, 'sci.csv');
    // What Excel leaves of 430102200101011234 after the precision loss: the check digit no longer fits.
    const zeros = '430102200101011000';
    expect(checkDigit(zeros.slice(0, 17))).not.toBe('0');
    writeFileSync(path, csv([HEADER, row(3, { 身份证号: '4.30102199901011E+17' }), row(4, { 身份证号: zeros })]));
    const r = await refused({ listPath: path });
    expect(r.problems.map((p) => [p.row, p.code, p.value])).toEqual([
      [2, 'id_number_destroyed', '4.30102199901011E+17'],
      [3, 'id_number_destroyed', zeros],
    ]);
  });

  it('refuses a list missing a required column', async () => {
    const path = join(dir, 'noid.csv');
    const h = HEADER.filter((x) => x !== '身份证号');
    writeFileSync(path, csv([h, row(3).filter((_, i) => HEADER[i] !== '身份证号')]));
    const r = await refused({ listPath: path });
    expect(r.problems).toEqual([expect.objectContaining({ file: 'noid.csv', row: 1, column: '身份证号', code: 'missing_column' })]);
  });

  it('refuses an empty list and an empty file', async () => {
    const path = join(dir, 'empty.csv');
    writeFileSync(path, iconv.encode(csv([['2024年名单'], HEADER, []]), 'gbk'));
    expect((await refused({ listPath: path })).problems.map((p) => p.code)).toEqual(['empty_list']);
    const zero = join(dir, 'zero.csv');
    writeFileSync(zero, '');
    expect((await refused({ listPath: zero })).problems.map((p) => p.code)).toEqual(['empty_file']);
  });

  it('refuses files that are not what their extension says', async () => {
    const pdf = join(dir, '名单.xlsx');
    writeFileSync(pdf, PDF);
    const a = await refused({ listPath: pdf });
    expect(a.problems).toEqual([expect.objectContaining({ file: '名单.xlsx', code: 'not_what_extension_says' })]);
    expect(a.problems[0]?.message).toContain('PDF');
    const zipAsCsv = join(dir, 'list.csv');
    writeFileSync(zipAsCsv, makeZip([{ name: 'a.txt', data: Buffer.from('x') }]));
    expect((await refused({ listPath: zipAsCsv })).problems.map((p) => p.code)).toEqual(['not_what_extension_says']);
    const jpgAsCsv = join(dir, 'photo.csv');
    writeFileSync(jpgAsCsv, JPEG);
    expect((await refused({ listPath: jpgAsCsv })).problems.map((p) => p.code)).toEqual(['not_text']);
  });

  it('refuses password-protected workbooks, legacy .xls and broken zips', async () => {
    const ole = (extra: Buffer): Buffer => Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504), extra]);
    const enc = join(dir, 'locked.xlsx');
    writeFileSync(enc, ole(Buffer.from('EncryptedPackage', 'utf16le')));
    expect((await refused({ listPath: enc })).problems.map((p) => p.code)).toEqual(['workbook_encrypted']);
    const xls = join(dir, 'old.xls');
    writeFileSync(xls, ole(Buffer.from('Workbook', 'utf16le')));
    expect((await refused({ listPath: xls })).problems.map((p) => p.code)).toEqual(['xls_unsupported']);
    const broken = join(dir, 'broken.xlsx');
    writeFileSync(broken, Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(100, 7)]));
    expect((await refused({ listPath: broken })).problems.map((p) => p.code)).toEqual(['workbook_unreadable']);
    // Found by the hardening fuzz: a corrupt deflate stream used to hang exceljs's streaming reader.
    const stall = join(import.meta.dirname, '../../fixtures/fuzz/xlsx-stall-corrupt-deflate.xlsx');
    expect((await refused({ listPath: stall })).problems.map((p) => p.code)).toEqual(['workbook_unreadable']);
    const missing = join(dir, 'nope.xlsx');
    expect((await refused({ listPath: missing })).problems.map((p) => p.code)).toEqual(['file_unreadable']);
  });

  it('refuses duplicated ID numbers, naming both rows', async () => {
    const path = join(dir, 'dup.csv');
    writeFileSync(path, csv([HEADER, row(3), row(4), row(3), row(5, { 身份证号: validId(4) })]));
    const r = await refused({ listPath: path });
    expect(r.problems.map((p) => [p.row, p.code, p.value, p.message])).toEqual([
      [4, 'duplicate_id_number', validId(3), `身份证号 ${validId(3)} 重复：第 2 行与第 4 行是同一个身份证号。`],
      [5, 'duplicate_id_number', validId(4), `身份证号 ${validId(4)} 重复：第 3 行与第 5 行是同一个身份证号。`],
    ]);
  });

  it('refuses a zip with ../ entries, absolute paths or symlinks before extracting anything', async () => {
    const list = join(dir, 'ok.csv');
    writeFileSync(list, csv([HEADER, row(1), row(2), row(3)]));
    const cases: [string, Parameters<typeof makeZip>[0]][] = [
      ['../evil.pdf', [{ name: `${validId(3)}_毕业证.pdf`, data: PDF }, { name: `../${validId(3)}_退役证.pdf`, data: PDF }]],
      ['/etc/x.pdf', [{ name: `/tmp/${validId(3)}.pdf`, data: PDF }]],
      ['C:', [{ name: `C:\\Windows\\${validId(3)}.pdf`, data: PDF }]],
      ['link', [{ name: `${validId(3)}_link.pdf`, data: Buffer.from('/etc/passwd'), symlink: true }]],
    ];
    for (const [label, entries] of cases) {
      const zip = join(dir, `bad-${cases.findIndex((c) => c[0] === label)}.zip`);
      writeFileSync(zip, makeZip(entries));
      const r = await refused({ listPath: list, attachmentsPath: zip });
      expect(r.problems.map((p) => p.code), label).toEqual(['zip_unsafe_entry']);
    }
  });

  it('refuses a zip bomb by ratio and by declared total size', async () => {
    const list = join(dir, 'ok.csv');
    writeFileSync(list, csv([HEADER, row(1), row(2), row(3)]));
    const bomb = join(dir, 'bomb.zip');
    writeFileSync(bomb, makeZip([{ name: `${validId(3)}_毕业证.pdf`, data: Buffer.concat([PDF, Buffer.alloc(20 * 2 ** 20)]), deflate: true }]));
    expect((await refused({ listPath: list, attachmentsPath: bomb })).problems.map((p) => p.code)).toEqual(['zip_bomb']);
    const big = join(dir, 'big.zip');
    writeFileSync(big, makeZip([{ name: `${validId(3)}_a.pdf`, data: PDF }, { name: `${validId(3)}_b.jpg`, data: JPEG }]));
    const r = await refused({ listPath: list, attachmentsPath: big, zipLimits: { maxTotalBytes: PDF.length, maxRatio: 100, maxEntries: 10 } });
    expect(r.problems.map((p) => p.code)).toEqual(['zip_too_large']);
  });

  it('refuses a missing attachments folder', async () => {
    const list = join(dir, 'ok.csv');
    writeFileSync(list, csv([HEADER, row(1)]));
    const r = await refused({ listPath: list, attachmentsPath: join(dir, 'no-such-folder') });
    expect(r.problems.map((p) => p.code)).toEqual(['attachments_missing']);
  });

  it('a cancelled import leaves the workspace unchanged, blobs included', async () => {
    const list = join(dir, 'ok.csv');
    writeFileSync(list, csv([HEADER, row(1), row(2), row(3)]));
    const att = join(dir, 'att.zip');
    writeFileSync(att, makeZip([{ name: `${validId(3)}_毕业证.pdf`, data: Buffer.from('%PDF-1.4 new') }, { name: `${validId(2)}_照片.png`, data: Buffer.from('\x89PNG new') }]));
    let files = 0;
    const r = await refused({ listPath: list, attachmentsPath: att, isCancelled: () => files > 1, onProgress: (phase) => { if (phase === 'attachments') files++; } });
    expect(r.code).toBe('import_cancelled');
  });
});

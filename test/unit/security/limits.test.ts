/**
 * Issue 19, limits where input enters (shared/limits.ts): each attack of the issue against the
 * import, refused with a row-precise problem that names the cap, the workspace left unchanged.
 */
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, createDeflateRaw } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { importList } from '../../../electron/applicants/importService.js';
import type { Workspace } from '../../../electron/workspace/workspace.js';
import { DeskError, type ImportProblem } from '../../../shared/api/index.js';
import { LIMITS } from '../../../shared/limits.js';
import { csv, fingerprint, HEADER, JPEG, makeZip, newWorkspace, PDF, row, tempDir, validId } from '../import/helpers.js';

let ws: Workspace | null = null;
afterEach(() => ws?.close());

/** The refusal of an import: its problems (it must be refused). */
async function refusedWith(p: Promise<unknown>): Promise<ImportProblem[]> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(DeskError);
  expect((e as DeskError).code).toBe('import_refused');
  return (e as DeskError).details as ImportProblem[];
}

describe('limits at import (issue 19)', () => {
  it('attack: a 10 MB cell is refused at its row and column (it used to import and break the export)', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = join(dir, '名单.csv');
    writeFileSync(list, csv([HEADER, row(1), row(2, { 专科学校: '长'.repeat(10 * 2 ** 20) }), row(3)]));
    const before = fingerprint(ws);
    const problems = await refusedWith(importList(ws, { listPath: list }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ row: 3, column: '专科学校', code: 'cell_too_long' });
    expect(problems[0]!.message).toContain(String(LIMITS.import.maxCellChars));
    expect(problems[0]!.value!.length).toBeLessThan(100);
    expect(fingerprint(ws)).toEqual(before);
  });

  it('refuses a list over the row cap, naming the first row past it', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = join(dir, '名单.csv');
    const rows = [HEADER];
    for (let i = 1; i <= LIMITS.import.maxRows + 1; i++) rows.push(row(i, { 身份证号: validId(i) }));
    writeFileSync(list, csv(rows));
    const before = fingerprint(ws);
    const problems = await refusedWith(importList(ws, { listPath: list }));
    expect(problems).toEqual([expect.objectContaining({ code: 'too_many_rows', row: LIMITS.import.maxRows + 2 })]);
    expect(fingerprint(ws)).toEqual(before);
  });

  it('refuses names with bidi overrides, zero-width or control characters, row-precise', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = join(dir, '名单.csv');
    writeFileSync(list, csv([HEADER, row(1, { 姓名: '张\u202e三' }), row(2, { 姓名: '李\u200b四' }), row(3, { 姓名: '王\u0007五' }), row(4, { 姓名: '赵\u2066六' }), row(5)]));
    const before = fingerprint(ws);
    const problems = await refusedWith(importList(ws, { listPath: list }));
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, '姓名', 'hidden_characters'], [3, '姓名', 'hidden_characters'], [4, '姓名', 'hidden_characters'], [5, '姓名', 'hidden_characters'],
    ]);
    expect(problems[0]!.message).toContain('U+202E');
    expect(fingerprint(ws)).toEqual(before);
  });

  it('attack: an xlsx that inflates to 500 MB is refused from its directory, before a byte is inflated', async () => {
    ws = newWorkspace();
    const list = join(tempDir(), '名单.xlsx');
    writeFileSync(list, bombWorkbook(await bomb500()));
    const before = fingerprint(ws);
    const peak = process.resourceUsage().maxRSS;
    const problems = await refusedWith(importList(ws, { listPath: list }));
    expect(problems).toEqual([expect.objectContaining({ code: 'workbook_too_large' })]);
    expect(problems[0]!.message).toMatch(/100 MB|200 MB/);
    // It used to take 4.4 GB: the peak of this process grows by far less than the bomb's size.
    expect((process.resourceUsage().maxRSS - peak) * 1024).toBeLessThan(128 * 2 ** 20);
    expect(fingerprint(ws)).toEqual(before);
  });

  it('attack: the same bomb whose directory lies (1 KB) is stopped as soon as it inflates past what it declared', async () => {
    ws = newWorkspace();
    const list = join(tempDir(), '名单.xlsx');
    writeFileSync(list, bombWorkbook(await bomb500(), 1024));
    const peak = process.resourceUsage().maxRSS;
    const problems = await refusedWith(importList(ws, { listPath: list }));
    expect(problems).toEqual([expect.objectContaining({ code: 'workbook_too_large' })]);
    expect(problems[0]!.message).toContain('1024');
    expect((process.resourceUsage().maxRSS - peak) * 1024).toBeLessThan(128 * 2 ** 20);
  });
});

/** 500 MB of one letter, deflated as it is made (about half a megabyte; never 500 MB in memory). */
let bombBytes: Promise<{ body: Buffer; size: number; crc: number }> | null = null;
function bomb500(): Promise<{ body: Buffer; size: number; crc: number }> {
  bombBytes ??= (async () => {
    const chunk = Buffer.alloc(2 ** 20, 0x41);
    const d = createDeflateRaw({ level: 9 });
    const out: Buffer[] = [];
    d.on('data', (c: Buffer) => out.push(c));
    let crc = 0;
    for (let i = 0; i < 500; i++) {
      crc = crc32(chunk, crc);
      if (!d.write(chunk)) await once(d, 'drain');
    }
    d.end();
    await once(d, 'end');
    return { body: Buffer.concat(out), size: 500 * 2 ** 20, crc };
  })();
  return bombBytes;
}

/** A workbook whose shared strings are the bomb (declaring `declaredSize` when it lies). */
function bombWorkbook(deflated: { body: Buffer; size: number; crc: number }, declaredSize?: number): Buffer {
  return makeZip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'), deflate: true },
    { name: 'xl/sharedStrings.xml', data: Buffer.alloc(0), deflated, ...(declaredSize !== undefined ? { declaredSize } : {}) },
  ]);
}

describe('limits on attachments (issue 19)', () => {
  const listOf = (dir: string, n: number): string => {
    const list = join(dir, '名单.csv');
    writeFileSync(list, csv([HEADER, ...Array.from({ length: n }, (_, i) => row(i + 1))]));
    return list;
  };

  it('attack: a bomb of small entries (each under 1 MiB, 300 MB in all from a few hundred KB) is refused', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = listOf(dir, 3);
    const piece = Buffer.alloc(1024 * 1024 - 1, 0);
    const zip = join(dir, '附件.zip');
    writeFileSync(zip, makeZip(Array.from({ length: 300 }, (_, i) => ({ name: `${validId(1)}/扫描${i}.jpg`, data: piece, deflate: true }))));
    const before = fingerprint(ws);
    const problems = await refusedWith(importList(ws, { listPath: list, attachmentsPath: zip }));
    expect(problems[0]).toMatchObject({ code: 'zip_bomb' });
    expect(fingerprint(ws)).toEqual(before);
  });

  it('refuses an archive whose entries each pass but whose whole inflates far beyond its size', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = listOf(dir, 3);
    // 2,000 entries of 40 KB (under the per-entry floor), ~80 MB from well under 1 MB.
    const piece = Buffer.alloc(40 * 1024, 0);
    const zip = join(dir, '附件.zip');
    writeFileSync(zip, makeZip(Array.from({ length: 2000 }, (_, i) => ({ name: `无主/扫描${i}.jpg`, data: piece, deflate: true }))));
    const problems = await refusedWith(importList(ws, { listPath: list, attachmentsPath: zip }));
    expect(problems[0]).toMatchObject({ code: 'zip_bomb' });
    expect(problems[0]!.message).toContain('整体压缩比');
  });

  it('attack: more scans for one applicant than the cap (folder or zip) is refused before one is stored', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = listOf(dir, 2);
    const folder = join(dir, '附件');
    mkdirSync(join(folder, validId(1)), { recursive: true });
    const n = LIMITS.documents.maxPerApplicant + 1;
    for (let i = 0; i < n; i++) writeFileSync(join(folder, validId(1), `第${i}页.pdf`), Buffer.concat([PDF, Buffer.from(String(i))]));
    writeFileSync(join(folder, `${validId(2)}_毕业证.jpg`), JPEG);
    const before = fingerprint(ws);
    const problems = await refusedWith(importList(ws, { listPath: list, attachmentsPath: folder }));
    expect(problems).toEqual([expect.objectContaining({ code: 'too_many_documents', value: validId(1) })]);
    expect(problems[0]!.message).toContain(String(LIMITS.documents.maxPerApplicant));
    expect(fingerprint(ws)).toEqual(before);

    const zip = join(dir, '附件.zip');
    writeFileSync(zip, makeZip(Array.from({ length: n }, (_, i) => ({ name: `${validId(1)}/第${i}页.pdf`, data: Buffer.concat([PDF, Buffer.from(String(i))]) }))));
    expect(await refusedWith(importList(ws, { listPath: list, attachmentsPath: zip }))).toEqual([expect.objectContaining({ code: 'too_many_documents' })]);
    expect(fingerprint(ws)).toEqual(before);
    // The dry run (the wizard's check step) refuses both the same way, reading only names.
    for (const attachmentsPath of [folder, zip]) {
      expect(await refusedWith(importList(ws, { listPath: list, attachmentsPath, dryRun: true }))).toEqual([expect.objectContaining({ code: 'too_many_documents' })]);
    }
  });

  it('counts the scans an applicant has already: a second import cannot pass the cap in two steps', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = listOf(dir, 1);
    const half = Math.ceil(LIMITS.documents.maxPerApplicant / 2) + 1;
    const folderOf = (from: number): string => {
      const f = join(dir, `附件 ${from}`);
      mkdirSync(join(f, validId(1)), { recursive: true });
      for (let i = from; i < from + half; i++) writeFileSync(join(f, validId(1), `第${i}页.pdf`), Buffer.concat([PDF, Buffer.from(String(i))]));
      return f;
    };
    const first = folderOf(0);
    expect((await importList(ws, { listPath: list, attachmentsPath: first })).documents).toBe(half);
    // The same folder again adds nothing and passes; another half-cap of new scans does not.
    expect((await importList(ws, { listPath: list, attachmentsPath: first })).documents).toBe(0);
    const before = fingerprint(ws);
    expect(await refusedWith(importList(ws, { listPath: list, attachmentsPath: folderOf(1000) }))).toEqual([expect.objectContaining({ code: 'too_many_documents', value: validId(1) })]);
    expect(fingerprint(ws)).toEqual(before);
  });
});

describe('PDF page cap (issue 19)', () => {
  it('attack: OCR of a PDF with more pages than the cap reads only the first ones and says so', async () => {
    const { default: PDFDocument } = await import('pdfkit');
    const { readScan } = await import('../../../electron/ocr/engine.js');
    const doc = new PDFDocument({ size: 'A6', margin: 20 });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((r) => doc.on('end', () => r()));
    const pages = LIMITS.pdf.maxOcrPages + 10;
    for (let i = 1; i <= pages; i++) {
      if (i > 1) doc.addPage();
      doc.text(`Certificate page ${i} of ${pages}: text layer`);
    }
    doc.end();
    await done;
    // Every page has a text layer: no recogniser is needed (one that is asked for fails the test).
    const read = await readScan(() => Promise.reject(new Error('no OCR expected')), Buffer.concat(chunks), 'application/pdf');
    expect(read.pages).toHaveLength(LIMITS.pdf.maxOcrPages);
    expect(read.pages.at(-1)?.page).toBe(LIMITS.pdf.maxOcrPages);
    expect(read.problem).toContain(`共 ${pages} 页`);
    expect(read.problem).toContain(`前 ${LIMITS.pdf.maxOcrPages} 页`);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../shared/domain.js';
import { idProblems, isValidId, sexOf } from '../../../shared/idcard.js';
import { generateDemo, listTitle } from '../../../electron/demo/generate.js';
import { DEFECT_TYPES, LIST_HEADER, type DemoTruth, type TruthDocument } from '../../../electron/demo/model.js';
import { DEMO_COLLEGE } from '../../../electron/demo/pools.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'desk-demo-'));
const dirs = {
  full: path.join(root, 'full'),
  a: path.join(root, 'a'),
  b: path.join(root, 'b'),
  other: path.join(root, 'other'),
  big: path.join(root, 'big'),
};

interface ListRow {
  [header: string]: string | number | null;
}

async function readList(file: string): Promise<{ title: unknown; merged: boolean; header: unknown[]; rows: ListRow[]; idCells: ExcelJS.Cell[] }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.getWorksheet('考生名单');
  if (!sheet) throw new Error('no sheet 考生名单');
  const header = (sheet.getRow(2).values as unknown[]).slice(1);
  const rows: ListRow[] = [];
  const idCells: ExcelJS.Cell[] = [];
  const idCol = header.indexOf('身份证号') + 1;
  for (let r = 3; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const out: ListRow = {};
    header.forEach((h, i) => {
      const v = row.getCell(i + 1).value;
      out[String(h)] = v === null || v === undefined ? null : (v as string | number);
    });
    rows.push(out);
    if (idCol > 0) idCells.push(row.getCell(idCol));
  }
  const last = sheet.getCell(1, header.length);
  return { title: sheet.getCell(1, 1).value, merged: last.isMerged && last.master.address === 'A1', header, rows, idCells };
}

function readTruth(dir: string): DemoTruth {
  return JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as DemoTruth;
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Share of pixels that are not near-white, and of pixels that are seal red. */
async function inkOf(file: string): Promise<{ ink: number; red: number; width: number; height: number }> {
  const img = await loadImage(readFileSync(file));
  const scale = Math.min(1, 800 / Math.max(img.width, img.height));
  const w = Math.round(img.width * scale);
  const h = Math.round(img.height * scale);
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0, w, h);
  const data = ctx.getImageData(0, 0, w, h).data;
  let ink = 0;
  let red = 0;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i] ?? 0;
    const g = data[i + 1] ?? 0;
    const b = data[i + 2] ?? 0;
    if (r < 200 || g < 200 || b < 200) ink++;
    if (r > 170 && g < 110 && b < 110) red++;
  }
  return { ink: ink / (w * h), red, width: img.width, height: img.height };
}

let full: DemoTruth;
let fullList: Awaited<ReturnType<typeof readList>>;

beforeAll(async () => {
  // 100 applicants is the smallest list that carries every defect type.
  await generateDemo({ out: dirs.full, applicants: 100, seed: 5 });
  await generateDemo({ out: dirs.a, applicants: 30, seed: 9 });
  await generateDemo({ out: dirs.b, applicants: 30, seed: 9 });
  await generateDemo({ out: dirs.other, applicants: 30, seed: 10, listOnly: true });
  await generateDemo({ out: dirs.big, applicants: 300, seed: 1, listOnly: true });
  full = readTruth(dirs.full);
  fullList = await readList(path.join(dirs.full, 'applicants.xlsx'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('determinism', () => {
  it('the same seed gives byte-identical files, a different seed different data', async () => {
    const filesA = readdirSync(path.join(dirs.a, 'attachments')).sort();
    const filesB = readdirSync(path.join(dirs.b, 'attachments')).sort();
    expect(filesA.length).toBeGreaterThan(20);
    expect(filesB).toEqual(filesA);
    for (const f of filesA) {
      expect(sha(path.join(dirs.b, 'attachments', f)), f).toBe(sha(path.join(dirs.a, 'attachments', f)));
    }
    for (const f of ['applicants.xlsx', 'truth.json', 'broken/duplicate_id.xlsx', 'broken/excel_number_id.xlsx']) {
      expect(sha(path.join(dirs.b, f)), f).toBe(sha(path.join(dirs.a, f)));
    }
    const rowsA = (await readList(path.join(dirs.a, 'applicants.xlsx'))).rows;
    const rowsOther = (await readList(path.join(dirs.other, 'applicants.xlsx'))).rows;
    expect(rowsOther).toHaveLength(rowsA.length);
    expect(rowsOther.map((r) => r['身份证号'])).not.toEqual(rowsA.map((r) => r['身份证号']));
    expect(readTruth(dirs.other)).not.toEqual(readTruth(dirs.a));
  });
});

describe('applicants.xlsx', () => {
  it('has the merged title, the header in order and one row per applicant', () => {
    expect(fullList.title).toBe(listTitle(DEMO_COLLEGE));
    expect(fullList.merged).toBe(true);
    expect(fullList.header).toEqual([...LIST_HEADER]);
    expect(fullList.rows).toHaveLength(100);
    expect(fullList.rows.map((r) => r['序号'])).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('stores 身份证号 and 手机号 as text with official category labels', () => {
    for (const cell of fullList.idCells) {
      expect(typeof cell.value).toBe('string');
      expect(cell.numFmt).toBe('@');
    }
    const labels = new Set(CATEGORIES.map((c) => c.label));
    for (const row of fullList.rows) {
      expect(row['手机号']).toMatch(/^1[3589]\d{9}$/);
      expect(labels.has(String(row['报考类别']))).toBe(true);
    }
    expect(new Set(fullList.rows.map((r) => r['报考类别'])).size).toBe(5);
  });

  it('declares valid, unique IDs whose sex digit matches 性别, except the invalid_check_digit defects', () => {
    const bad = new Set(full.defects.filter((d) => d.type === 'invalid_check_digit').map((d) => d.idNumber));
    expect(bad.size).toBeGreaterThan(0);
    const ids = fullList.rows.map((r) => String(r['身份证号']));
    expect(new Set(ids).size).toBe(ids.length);
    for (const row of fullList.rows) {
      const id = String(row['身份证号']);
      if (bad.has(id)) expect(idProblems(id)).toEqual(['check_digit']);
      else expect(isValidId(id), id).toBe(true);
      expect(id.startsWith('43')).toBe(true);
      expect(sexOf(id)).toBe(row['性别']);
      const year = Number(id.slice(6, 10));
      expect(year).toBeGreaterThanOrEqual(1998);
      expect(year).toBeLessThanOrEqual(2004);
    }
  });

  it('fills category fields only where they apply', () => {
    for (const row of fullList.rows) {
      const veteran = row['报考类别'] === '退役大学生士兵免试';
      expect(row['退役证编号'] !== null, String(row['身份证号'])).toBe(veteran);
      if (veteran) {
        expect(String(row['退役证编号'])).toMatch(/^湘退字\d{4}第\d{6}号$/);
        expect(String(row['入伍时间'])).toMatch(/^20(19|20|21)-\d{2}$/);
      }
      const competition = row['报考类别'] === '竞赛获奖免试';
      expect(row['获奖赛事'] !== null).toBe(competition);
      if (competition) expect(String(row['获奖时间'])).toMatch(/^202[1-3]-\d{2}(-\d{2})?$/);
      const poverty = row['报考类别'] === '脱贫家庭毕业生计划';
      expect(row['脱贫证明出具单位'] !== null).toBe(poverty);
      if (poverty) expect(String(row['脱贫证明出具单位'])).toMatch(/乡村振兴局$/);
      const craftsman = row['报考类别'] === '湖湘工匠燎原计划';
      expect(row['燎原计划赛项'] !== null).toBe(craftsman);
      if (craftsman) {
        expect(String(row['燎原计划入学时间'])).toMatch(/^20(19|2[0-2])-09$/);
        expect(String(row['燎原计划毕业时间'])).toMatch(/^202[2-4]-(06|09|12)$/);
        expect(['省级', '国家级', '市级', '校级']).toContain(row['赛项级别']);
      }
      // 报考院校 and 报考专业 come together, or not at all (before 志愿填报).
      expect(row['报考院校'] === null).toBe(row['报考专业'] === null);
    }
    expect(fullList.rows.filter((r) => r['报考专业'] !== null).length).toBeGreaterThan(40);
  });
});

describe('attachments', () => {
  const attachmentsDir = (): string => path.join(dirs.full, 'attachments');

  it('holds exactly the files named in 附件, named <身份证号>_<kind label>', () => {
    const named = fullList.rows.flatMap((r) => (r['附件'] ? String(r['附件']).split('；') : []));
    expect(named.length).toBeGreaterThan(100);
    expect(readdirSync(attachmentsDir()).sort()).toEqual([...named].sort());
    for (const row of fullList.rows) {
      for (const f of row['附件'] ? String(row['附件']).split('；') : []) {
        expect(f).toMatch(new RegExp(`^${String(row['身份证号'])}_(退役证|部队证明|立功证书|获奖证书|毕业证|脱贫证明)(_\\d)?\\.(pdf|jpg|png)$`));
      }
    }
    expect(full.documents.map((d) => d.file).sort()).toEqual([...named].sort());
  });

  it('have the format truth.json states, by magic bytes', () => {
    const magic = { pdf: '25504446', jpeg: 'ffd8ff', png: '89504e47' } as const;
    for (const doc of full.documents) {
      const head = readFileSync(path.join(attachmentsDir(), doc.file)).subarray(0, 4).toString('hex');
      expect(head.startsWith(magic[doc.format]), doc.file).toBe(true);
    }
    const formats = new Set(full.documents.map((d) => d.format));
    expect([...formats].sort()).toEqual(['jpeg', 'pdf', 'png']);
  });

  it('PDFs open with the stated page count; corrupt ones do not open', () => {
    for (const doc of full.documents.filter((d) => d.format === 'pdf')) {
      const info = spawnSync('pdfinfo', [path.join(attachmentsDir(), doc.file)], { encoding: 'utf8' });
      if (doc.pages === 0) {
        expect(info.status, doc.file).not.toBe(0);
        continue;
      }
      expect(info.status, doc.file).toBe(0);
      expect(/Pages:\s+(\d+)/.exec(info.stdout)?.[1]).toBe(String(doc.pages));
    }
    expect(full.documents.some((d) => d.format === 'pdf' && d.pages === 2)).toBe(true);
  });

  it('text PDFs carry the name and ID printed on them; image-only PDFs have no text layer', () => {
    const textPdfs = full.documents.filter((d) => d.format === 'pdf' && d.pages > 0 && !d.imageOnly);
    const imagePdfs = full.documents.filter((d) => d.format === 'pdf' && d.imageOnly);
    expect(textPdfs.length).toBeGreaterThan(10);
    expect(imagePdfs.length).toBeGreaterThan(0);
    for (const doc of textPdfs) {
      const text = execFileSync('pdftotext', [path.join(attachmentsDir(), doc.file), '-'], { encoding: 'utf8' });
      expect(text, doc.file).toContain(doc.nameOnScan);
      expect(text, doc.file).toContain(doc.idOnScan);
    }
    for (const doc of imagePdfs) {
      const text = execFileSync('pdftotext', [path.join(attachmentsDir(), doc.file), '-'], { encoding: 'utf8' });
      expect(text.trim(), doc.file).toBe('');
    }
  });

  it('scan images really show ink and a red seal; blank scans are almost white', async () => {
    const images = full.documents.filter((d) => d.format !== 'pdf');
    const blank = new Set(full.defects.filter((d) => d.type === 'blank_scan').map((d) => d.document));
    let checked = 0;
    for (const doc of images) {
      const { ink, red, width, height } = await inkOf(path.join(attachmentsDir(), doc.file));
      if (blank.has(doc.file)) {
        expect(ink, doc.file).toBeLessThan(0.005);
        continue;
      }
      expect(ink, doc.file).toBeGreaterThan(0.03);
      expect(red, doc.file).toBeGreaterThan(300);
      const landscapeKind = doc.kind !== 'poverty_proof' && doc.kind !== 'unit_cert';
      if (doc.large) expect([width, height]).toEqual(doc.rotated === 90 ? [4000, 3000] : [3000, 4000]);
      else expect(width > height, doc.file).toBe(landscapeKind !== (doc.rotated === 90));
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
    expect(images.some((d) => d.rotated === 90)).toBe(true);
  });
});

describe('defects', () => {
  it('a full list carries every defect type on 10–20% of applicants', () => {
    const big = readTruth(dirs.big);
    expect(big.scansWritten).toBe(false);
    expect(existsSync(path.join(dirs.big, 'attachments'))).toBe(false);
    expect(new Set(big.defects.map((d) => d.type))).toEqual(new Set(DEFECT_TYPES));
    const share = new Set(big.defects.map((d) => d.idNumber)).size / big.applicants;
    expect(share).toBeGreaterThanOrEqual(0.1);
    expect(share).toBeLessThanOrEqual(0.2);
    expect(new Set(full.defects.map((d) => d.type))).toEqual(new Set(DEFECT_TYPES));
  });

  it('each defect is really in the files', () => {
    const rowOf = new Map(fullList.rows.map((r) => [String(r['身份证号']), r]));
    const docOf = new Map<string, TruthDocument>(full.documents.map((d) => [d.file, d]));
    const files = new Set(readdirSync(path.join(dirs.full, 'attachments')));
    const photos = readdirSync(path.join(dirs.full, 'photos'));
    const previousCsv = iconv.decode(readFileSync(path.join(dirs.full, 'lists', '上年专升本考生名单.csv')), 'gb18030');
    for (const defect of full.defects) {
      const row = rowOf.get(defect.idNumber);
      expect(row, defect.idNumber).toBeDefined();
      expect(fullList.rows.indexOf(row as ListRow) + 3).toBe(defect.rowNo);
      const doc = defect.document ? docOf.get(defect.document) : undefined;
      switch (defect.type) {
        case 'name_on_scan_differs':
          expect(doc?.nameOnScan).toBeTruthy();
          expect(doc?.nameOnScan).not.toBe(row?.['姓名']);
          break;
        case 'id_on_scan_differs':
          expect(doc?.idOnScan).toMatch(/^\d{17}[\dX]$/);
          expect(doc?.idOnScan).not.toBe(defect.idNumber);
          break;
        case 'missing_scan':
          expect(files.has(String(defect.document))).toBe(false);
          expect(String(row?.['附件'] ?? '')).not.toContain(String(defect.document));
          break;
        case 'discharge_after_cutoff':
          expect(String(row?.['退役时间']) > '2024-06').toBe(true);
          break;
        case 'duplicate_phone':
          expect(fullList.rows.filter((r) => r['手机号'] === row?.['手机号'])).toHaveLength(2);
          break;
        case 'duplicate_scan': {
          const twin = full.defects.find((d) => d.type === 'duplicate_scan' && d.idNumber !== defect.idNumber && d.detail.includes(String(defect.document)));
          expect(twin?.document).toBeDefined();
          expect(sha(path.join(dirs.full, 'attachments', String(defect.document)))).toBe(sha(path.join(dirs.full, 'attachments', String(twin?.document))));
          break;
        }
        case 'blank_scan':
        case 'corrupt_scan':
          expect(files.has(String(defect.document))).toBe(true);
          expect(doc?.nameOnScan).toBe('');
          break;
        case 'invalid_check_digit':
          expect(isValidId(defect.idNumber)).toBe(false);
          break;
        case 'medical_major_mismatch':
          expect(['临床医学', '护理学', '口腔医学', '中药学', '康复治疗学']).toContain(row?.['报考专业']);
          break;
        case 'craft_dates_invalid':
          expect(String(row?.['燎原计划毕业时间']) > '2024-07').toBe(true);
          break;
        case 'craft_level_invalid':
          expect(['市级', '校级']).toContain(row?.['赛项级别']);
          break;
        case 'previous_examinee':
          expect(previousCsv).toContain(defect.idNumber);
          break;
        case 'admitted_other_plan':
          expect(full.crossLists.admitted).toContain(defect.idNumber);
          break;
        case 'photo_missing':
          expect(photos.some((f) => f.includes(defect.idNumber))).toBe(false);
          break;
        case 'photo_duplicate':
          expect(photos.filter((f) => f.startsWith(defect.idNumber))).toHaveLength(2);
          break;
        case 'photo_wrong_type':
          expect(readFileSync(path.join(dirs.full, 'photos', `${defect.idNumber}.png`)).subarray(1, 4).toString()).toBe('PNG');
          break;
        case 'photo_wrong_pixels':
        case 'photo_too_large':
        case 'photo_not_portrait':
          expect(photos).toContain(defect.document);
          break;
      }
    }
  });
});

describe('photos/ and lists/', () => {
  it('holds one 480×640 JPEG per applicant named by the ID number, but for the photo defects', async () => {
    const photos = readdirSync(path.join(dirs.full, 'photos')).sort();
    expect(photos).toEqual(full.photos.map((p) => p.file).sort());
    const odd = new Set(full.defects.filter((d) => d.type.startsWith('photo_')).map((d) => d.idNumber));
    for (const p of full.photos.filter((x) => !odd.has(x.idNumber))) {
      const bytes = readFileSync(path.join(dirs.full, 'photos', p.file));
      expect(p.file).toBe(`${p.idNumber}.jpg`);
      expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
      const img = await loadImage(bytes);
      expect([img.width, img.height]).toEqual([480, 640]);
      expect(bytes.length).toBeLessThan(200 * 1024);
    }
    expect(photos.length).toBeGreaterThanOrEqual(full.applicants - 1);
  });

  it('lists the cross-check IDs: the defect applicants among strangers, GBK CSV and xlsx', async () => {
    const csv = iconv.decode(readFileSync(path.join(dirs.full, 'lists', '上年专升本考生名单.csv')), 'gb18030');
    expect(csv.split('\r\n')[0]).toBe('序号,身份证号,考试年份');
    for (const id of full.crossLists.previous) expect(csv).toContain(id);
    const applicants = new Set(fullList.rows.map((r) => String(r['身份证号'])));
    expect(full.crossLists.previous.filter((id) => applicants.has(id))).toEqual(full.defects.filter((d) => d.type === 'previous_examinee').map((d) => d.idNumber));
    expect(full.crossLists.previous.length).toBeGreaterThan(10);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(dirs.full, 'lists', '上半年已录取考生名单.xlsx'));
    const cells = (book.worksheets[0]?.getColumn(2).values ?? []).map(String);
    for (const id of full.crossLists.admitted) expect(cells).toContain(id);
  });
});

describe('broken lists', () => {
  it('duplicate_id.xlsx repeats one ID, excel_number_id.xlsx has numeric IDs, missing_column.xlsx has none', async () => {
    expect(full.broken.map((b) => b.file).sort()).toEqual(
      ['broken/duplicate_id.xlsx', 'broken/excel_number_id.xlsx', 'broken/missing_column.xlsx'],
    );
    for (const b of full.broken) expect(existsSync(path.join(dirs.full, b.file))).toBe(true);
    const dup = await readList(path.join(dirs.full, 'broken', 'duplicate_id.xlsx'));
    const ids = dup.rows.map((r) => r['身份证号']);
    expect(new Set(ids).size).toBe(ids.length - 1);

    const numeric = await readList(path.join(dirs.full, 'broken', 'excel_number_id.xlsx'));
    const numbers = numeric.idCells.filter((c) => typeof c.value === 'number');
    expect(numbers.length).toBeGreaterThan(0);
    // 18 digits do not survive a double (Excel shows 4.30102199901011E+17): the reader must refuse.
    for (const c of numbers) expect(Number.isSafeInteger(c.value)).toBe(false);
    const originals = fullList.rows.slice(0, numeric.rows.length).map((r) => String(r['身份证号']));
    expect(numeric.idCells.some((c, i) => typeof c.value === 'number' && BigInt(c.value) !== BigInt(originals[i] ?? '0'))).toBe(true);

    const missing = await readList(path.join(dirs.full, 'broken', 'missing_column.xlsx'));
    expect(missing.header).not.toContain('身份证号');
    expect(missing.header).toHaveLength(LIST_HEADER.length - 1);
    expect(missing.rows.length).toBeGreaterThan(0);
  });
});

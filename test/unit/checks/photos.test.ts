/**
 * 学籍照片核对: the portrait heuristic on generated pictures (portraits pass; a landscape scan, a
 * blank page, a photographed document and a cluttered snapshot do not), and the folder check
 * through the contract and the CLI with the xlsx report read back.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, loadImage, type Canvas } from '@napi-rs/canvas';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { planDemo } from '../../../electron/demo/model.js';
import { CanvasPainter } from '../../../electron/demo/painter.js';
import { addNoise, documentPhotoCanvas, portraitCanvas } from '../../../electron/demo/portrait.js';
import { Rng } from '../../../electron/demo/random.js';
import { drawSheet, LANDSCAPE, sheetFor } from '../../../electron/demo/sheets.js';
import type { PhotoCheckReport } from '../../../shared/api/checks.js';
import { portraitVerdict, type PortraitVerdict } from '../../../shared/checks/portrait.js';
import { deskOf, workspaceWith, type TestWorkspace } from '../../fixtures/workspace.js';

async function verdictOf(bytes: Buffer): Promise<PortraitVerdict> {
  const img = await loadImage(bytes);
  const w = 60;
  const h = Math.round((img.height * w) / img.width);
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0, w, h);
  return portraitVerdict({ width: w, height: h, data: ctx.getImageData(0, 0, w, h).data }, img);
}

const plan = planDemo({ applicants: 12, seed: 3 });
const applicant = plan.applicants.find((a) => plan.documents.some((d) => d.applicant === a.seq - 1)) ?? plan.applicants[0];

/** A certificate as a flat scan (landscape), the way the demo's attachments look. */
function landscapeScan(): Canvas {
  const a = applicant;
  const doc = plan.documents.find((d) => d.applicant === (a?.seq ?? 1) - 1);
  if (!a || !doc) throw new Error('demo plan without a document');
  const c = createCanvas(LANDSCAPE.width, LANDSCAPE.height);
  drawSheet(new CanvasPainter(c.getContext('2d'), LANDSCAPE.width, LANDSCAPE.height), { ...sheetFor(a, doc, 'front'), orientation: 'landscape' }, new Rng(1));
  return c;
}

function blank(w: number, h: number, colour = '#ffffff'): Canvas {
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, w, h);
  return c;
}

/** A portrait-shaped snapshot whose background is a cluttered room (noise in blotches). */
function clutteredSnapshot(): Canvas {
  const c = portraitCanvas(480, 640, new Rng(8), '男');
  const ctx = c.getContext('2d');
  const rng = new Rng(9);
  for (let i = 0; i < 160; i++) {
    ctx.fillStyle = `rgb(${rng.int(0, 255)},${rng.int(0, 255)},${rng.int(0, 255)})`;
    const x = rng.next() < 0.5 ? rng.int(0, 90) : rng.int(390, 470);
    ctx.fillRect(x, rng.int(0, 330), rng.int(10, 40), rng.int(10, 60));
  }
  return c;
}

describe('portrait heuristic', () => {
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])('a generated ID portrait passes (seed %i)', async (seed) => {
    const v = await verdictOf(await portraitCanvas(480, 640, new Rng(seed), seed % 2 ? '女' : '男').encode('jpeg', 85));
    expect(v.ok, JSON.stringify(v.measures)).toBe(true);
  });

  it('a portrait at another ID size (一寸 295×413) and as PNG passes too', async () => {
    expect((await verdictOf(await portraitCanvas(295, 413, new Rng(11), '女').encode('png'))).ok).toBe(true);
  });

  it.each<[string, () => Canvas, PortraitVerdict['problem']]>([
    ['a landscape certificate scan', landscapeScan, 'not_upright'],
    ['a blank white picture', () => blank(480, 640), 'no_figure'],
    ['a blank blue picture', () => blank(480, 640, '#438edb'), 'no_figure'],
    ['a photographed document at ID-photo size', () => documentPhotoCanvas(480, 640, applicant ?? plan.applicants[0]!, new Rng(2)), 'no_figure'],
    ['a snapshot on a cluttered background', clutteredSnapshot, 'busy_background'],
    ['a square picture', () => portraitCanvas(480, 480, new Rng(1), '男'), 'not_upright'],
  ])('%s is flagged', async (_, make, problem) => {
    const v = await verdictOf(await make().encode('jpeg', 85));
    expect(v.ok).toBe(false);
    expect(v.problem).toBe(problem);
    expect(v.why.length).toBeGreaterThan(4);
  });
});

describe('checks.photos', () => {
  let t: TestWorkspace;
  let folder: string;
  let report: PhotoCheckReport;

  beforeAll(async () => {
    t = await workspaceWith(9);
    folder = join(t.root, '学籍照片');
    mkdirSync(folder);
    const id = (i: number): string => t.ids[i] ?? '';
    const jpeg = async (c: Canvas, q = 85): Promise<Buffer> => c.encode('jpeg', q);
    writeFileSync(join(folder, `${id(0)}.jpg`), await jpeg(portraitCanvas(480, 640, new Rng(1), '男')));
    // 1: no photo at all.
    writeFileSync(join(folder, `${id(2)}.jpg`), await jpeg(portraitCanvas(480, 640, new Rng(2), '女')));
    copyFileSync(join(folder, `${id(2)}.jpg`), join(folder, `${id(2)}(1).jpg`));
    writeFileSync(join(folder, `${id(3)}.png`), await portraitCanvas(480, 640, new Rng(3), '男').encode('png'));
    writeFileSync(join(folder, `${id(4)}.jpg`), await jpeg(portraitCanvas(600, 800, new Rng(4), '女')));
    const noisy = portraitCanvas(480, 640, new Rng(5), '男');
    addNoise(noisy, new Rng(6), 140);
    writeFileSync(join(folder, `${id(5)}.jpg`), await jpeg(noisy, 97));
    writeFileSync(join(folder, `${id(6)}.jpg`), await jpeg(documentPhotoCanvas(480, 640, applicant ?? plan.applicants[0]!, new Rng(7))));
    writeFileSync(join(folder, `${id(7)}.jpg`), Buffer.from('not a picture at all'));
    // 8: a good photo whose name has full-width digits (an IME left on) and .JPG is still found.
    const fullWidth = (s: string): string => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    writeFileSync(join(folder, `${fullWidth(id(8))}.JPG`), await jpeg(portraitCanvas(480, 640, new Rng(8), '女')));
    writeFileSync(join(folder, '430102199001011237.jpg'), await jpeg(portraitCanvas(480, 640, new Rng(9), '男')));
    writeFileSync(join(folder, '说明.txt'), '照片说明');
    writeFileSync(join(folder, 'Thumbs.db'), 'windows');
    const r = await deskOf(t.ws)('checks.photos', { folder, reportPath: join(t.root, '照片核对报告.xlsx') });
    if (!r.ok) throw new Error(r.error.message);
    report = r.value;
  });
  afterAll(() => t?.close());

  const codesOf = (i: number): string[] => report.rows.find((r) => r.idNumber === t.ids[i])?.problems.map((p) => p.code) ?? [];

  it('reports each applicant\'s problems and the files nobody owns', () => {
    expect(report).toMatchObject({ applicants: 9, files: 11, ok: 2, rulesVersion: '2024.1' });
    expect(codesOf(0)).toEqual([]);
    expect(codesOf(1)).toEqual(['missing']);
    expect(codesOf(2)).toEqual(['duplicate']);
    expect(codesOf(3)).toEqual(['wrong_type']);
    expect(codesOf(4)).toEqual(['wrong_pixels']);
    expect(codesOf(5)).toEqual(['too_large']);
    expect(codesOf(6)).toEqual(['not_portrait']);
    expect(codesOf(7)).toEqual(['wrong_type']);
    expect(codesOf(8)).toEqual([]);
    const strays = report.rows.filter((r) => r.rowNo === null);
    expect(strays.map((r) => [r.files[0], r.problems[0]?.code])).toEqual([
      ['430102199001011237.jpg', 'not_on_list'],
      ['说明.txt', 'no_id_in_name'],
    ]);
    expect(report.rows.find((r) => r.idNumber === t.ids[4])?.problems[0]?.message).toContain('600×800');
    expect(report.rows.find((r) => r.idNumber === t.ids[3])?.problems[0]?.fix).toContain('JPG');
    expect(report.counts).toMatchObject({ missing: 1, duplicate: 1, wrong_type: 2, wrong_pixels: 1, too_large: 1, not_portrait: 1, not_on_list: 1, no_id_in_name: 1 });
  });

  it('writes an xlsx the registrar can fix from: one line per problem, ID numbers as text', async () => {
    expect(report.reportFile).toBe(join(t.root, '照片核对报告.xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(t.root, '照片核对报告.xlsx'));
    const sheet = book.getWorksheet('照片问题');
    expect(sheet?.getRow(2).values).toEqual([undefined, '名单行号', '身份证号', '姓名', '文件', '问题', '说明', '处理办法']);
    const lines = (sheet?.getRows(3, (sheet.rowCount ?? 2) - 2) ?? []).map((r) => r.values as unknown[]);
    expect(lines).toHaveLength(report.rows.reduce((n, r) => n + r.problems.length, 0));
    const missing = lines.find((l) => l[5] === '缺少照片');
    expect(missing?.[2]).toBe(t.ids[1]);
    expect(String(missing?.[7])).toContain(`${t.ids[1]}.jpg`);
    expect(book.getWorksheet('汇总')?.getRow(6).values).toEqual([undefined, '照片合格的考生', 2]);
  });

  it('refuses a folder that is not there and a report that would overwrite a file', async () => {
    const call = deskOf(t.ws);
    const none = await call('checks.photos', { folder: join(t.root, '没有这个文件夹') });
    expect(none.ok ? '' : none.error.code).toBe('not_found');
    const again = await call('checks.photos', { folder, reportPath: join(t.root, '照片核对报告.xlsx') });
    expect(again.ok ? '' : again.error.code).toBe('exists');
    const notXlsx = await call('checks.photos', { folder, reportPath: join(t.root, 'r.csv') });
    expect(notXlsx.ok ? '' : notXlsx.error.code).toBe('invalid_args');
  });

  it('check-photos through the CLI prints each problem with what to do', async () => {
    const out: string[] = [];
    // The CLI opens the workspace itself (last test: the fixture's close tolerates a closed one).
    t.ws.close();
    expect(await runCli(['check-photos', '--workspace', t.ws.dir, '--folder', folder], (s) => out.push(s), (s) => out.push(s))).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('照片 11 个，考生 9 人，照片合格 2 人');
    expect(text).toMatch(/缺少照片：文件夹中没有此考生的照片 → 补充照片/);
  });
});

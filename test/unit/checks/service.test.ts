import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import PDFDocument from 'pdfkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { allResults, getResults, importPrevious, recheckApplicant, runAllChecks } from '../../../electron/checks/index.js';
import { computeFacts, pdfStructure } from '../../../electron/documents/index.js';
import { createDesk } from '../../../electron/app/desk.js';
import { configFromEnv, configure, resetConfig } from '../../../electron/platform/config.js';
import { LATEST_VERSION } from '../../../electron/workspace/migrations/index.js';
import { openWorkspace, schemaVersion, type Workspace } from '../../../electron/workspace/workspace.js';
import type { CheckResult } from '../../../shared/checks/types.js';
import { checkDigit } from '../../../shared/idcard.js';

const idOf = (first17: string): string => first17 + (checkDigit(first17) ?? '');
const A = idOf('43010220020315124');
const B = idOf('43010220010101222');
const C = idOf('43052120000101011');

let dir: string;
let ws: Workspace;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'desk-'));
  ws = openWorkspace(join(dir, 'ws'), { create: true, college: '测试学院' });
});
afterEach(() => {
  ws.close();
  rmSync(dir, { recursive: true, force: true });
});

function addApplicant(id: string, over: Record<string, unknown> = {}): void {
  ws.db.prepare(
    `INSERT INTO applicants (id_number, row_no, name, sex, phone, category, school, major, grad_year, discharge_cert_no, enlist_date,
       discharge_date, merit, import_id, updated_at)
     VALUES (@id_number, @row_no, @name, @sex, @phone, @category, '学院', '软件技术', 2024, @discharge_cert_no, @enlist_date, @discharge_date, @merit, 'test', 'now')`,
  ).run({
    id_number: id, row_no: 3 + Number(ws.db.prepare('SELECT COUNT(*) FROM applicants').pluck().get()), name: '考生', sex: Number(id[16]) % 2 ? '男' : '女',
    phone: `139${id.slice(-8, -1)}0`, category: 'general', discharge_cert_no: '', enlist_date: '', discharge_date: '', merit: '', ...over,
  });
}

function addDocument(id: string, kind: string, bytes: Buffer, name = `${id}_${kind}`): number {
  const b = ws.blobs.putBuffer(bytes);
  ws.db.prepare("INSERT OR IGNORE INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, 'application/octet-stream', 'now')").run(b.sha256, b.size);
  return Number(ws.db.prepare("INSERT INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, ?, ?, ?, 'test')").run(id, kind, b.sha256, name).lastInsertRowid);
}

/** A scan-like page: white paper with lines of dark "text" at seeded places. */
async function page(seed: number, format: 'png' | 'jpeg' = 'png', w = 1200, h = 850): Promise<Buffer> {
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fdfdfb';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#202020';
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let y = 60; y < h - 60; y += 40) ctx.fillRect(60 + rnd() * 100, y, 300 + rnd() * 600, 12);
  return format === 'png' ? c.encode('png') : c.encode('jpeg', 85);
}

async function blank(): Promise<Buffer> {
  const c = createCanvas(1200, 850);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fdfdfc';
  ctx.fillRect(0, 0, 1200, 850);
  ctx.fillStyle = '#e4e4e0';
  for (let i = 0; i < 12; i++) ctx.fillRect(i * 97, i * 61, 2, 2);
  return c.encode('jpeg', 82);
}

function pdf(): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false });
  doc.addPage().fontSize(20).text('diploma');
  doc.addPage().text('back');
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.end();
  });
}

const ids = (r: CheckResult[]): string[] => r.map((x) => x.checkId).sort();

describe('migration 2', () => {
  it('a fresh workspace migrates to the latest version with the check tables, all STRICT', () => {
    expect(schemaVersion(ws.db)).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(2);
    const tables = ws.db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main'").all() as { name: string; strict: number }[];
    for (const t of ['check_results', 'document_facts', 'previous_examinees', 'check_runs']) {
      expect(tables.find((x) => x.name === t), t).toEqual({ name: t, strict: 1 });
    }
    const cols = (ws.db.prepare("SELECT name FROM pragma_table_info('check_results')").pluck().all() as string[]);
    expect(cols).toEqual(expect.arrayContaining(['id_number', 'check_id', 'severity', 'message', 'message_en', 'field', 'document_id', 'suggested_reason']));
    expect(() => ws.db.prepare("INSERT INTO check_results (id_number, check_id, severity, message, message_en) VALUES ('x', 'c', 'fatal', '', '')").run()).toThrow();
  });
});

describe('scan facts', () => {
  it('tells a readable page, a blank page, a corrupt PDF, a truncated PNG and a non-image apart', async () => {
    const good = await computeFacts('a', await page(1));
    expect(good).toMatchObject({ type: 'png', width: 1200, height: 850, readable: true });
    expect(good.ink).toBeGreaterThan(0.02);
    expect(good.dhash).toMatch(/^[0-9a-f]{16}$/);
    const white = await computeFacts('b', await blank());
    expect(white.readable).toBe(true);
    expect(white.ink).toBeLessThan(0.001);
    const whole = await pdf();
    expect(pdfStructure(whole)).toEqual({ ok: true, problem: '', pages: 2 });
    const cut = Buffer.concat([whole.subarray(0, 900), Buffer.alloc(2048, 7)]);
    expect((await computeFacts('c', cut)).readable).toBe(false);
    // Bytes inserted by a broken transfer: the cross-reference offsets no longer land anywhere.
    expect(pdfStructure(Buffer.concat([whole.subarray(0, 500), Buffer.alloc(100, 32), whole.subarray(500)])).ok).toBe(false);
    expect(pdfStructure(whole.subarray(0, whole.length - 10)).ok).toBe(false);
    const png = await page(2);
    const truncated = await computeFacts('d', png.subarray(0, 400));
    expect(truncated).toMatchObject({ type: 'png', readable: false });
    expect((await computeFacts('e', Buffer.from('hello, not a scan'))).type).toBe('unknown');
    expect((await computeFacts('f', null)).type).toBe('missing');
  });
});

describe('running the checks', () => {
  it('stores results, finds duplicates across applicants and rechecks one applicant like a full run', async () => {
    addApplicant(A, { phone: '13912345678' });
    addApplicant(B, { phone: '13912345678' });
    addApplicant(C, { category: 'veteran', discharge_cert_no: '湘退字2024第000001号', enlist_date: '2021-09', discharge_date: '2024-09', merit: '无' });
    const shared = await page(3, 'jpeg');
    addDocument(A, 'diploma', shared);
    addDocument(B, 'diploma', shared);
    addDocument(C, 'discharge_cert', await blank());
    addDocument(C, 'diploma', await pdf());
    const run = await runAllChecks(ws);
    expect(run).toMatchObject({ applicants: 3, factsComputed: 3 });
    const all = allResults(ws);
    expect(ids(all.get(A) ?? [])).toEqual(['duplicate_phone', 'duplicate_scan']);
    expect(ids(all.get(B) ?? [])).toEqual(['duplicate_phone', 'duplicate_scan']);
    expect(ids(all.get(C) ?? [])).toEqual(['doc_blank', 'veteran_discharge_window']);
    expect(all.get(A)?.find((r) => r.checkId === 'duplicate_phone')).toMatchObject({ severity: 'error', field: 'phone', peers: [B], suggestedReason: 'other' });

    // Another producer's namespaced rows (the OCR queue's) survive full runs and rechecks.
    ws.db.prepare("INSERT INTO check_results (id_number, check_id, severity, message, message_en) VALUES (?, 'ocr.name', 'warning', '姓名不符', 'name differs')").run(A);

    // Facts are cached by content: a second run examines nothing.
    expect((await runAllChecks(ws)).factsComputed).toBe(0);

    // B changes phone: rechecking B alone also clears A's duplicate_phone.
    ws.db.prepare('UPDATE applicants SET phone = ? WHERE id_number = ?').run('13700000000', B);
    const mine = await recheckApplicant(ws, B);
    expect(ids(mine)).toEqual(['duplicate_scan']);
    const afterRecheck = allResults(ws);
    expect(ids(afterRecheck.get(A) ?? [])).toEqual(['duplicate_scan', 'ocr.name']);
    await runAllChecks(ws);
    expect(allResults(ws)).toEqual(afterRecheck);
    expect(ids(afterRecheck.get(A) ?? [])).toEqual(['duplicate_scan', 'ocr.name']);
  });

  it('recomputes when the examinee list changes and reads it from GBK CSV or xlsx', async () => {
    addApplicant(A);
    addApplicant(B);
    await runAllChecks(ws);
    const csv = join(dir, 'prev.csv');
    writeFileSync(csv, iconv.encode(`序号,姓名,身份证号\n1,张三,${A.toLowerCase()}\n2,李四,4.30102199901011E+17\n3,王五,430102200201011230\n`, 'gb18030'));
    const r = await importPrevious(ws, csv);
    expect(r.listed).toBe(2);
    expect(r.matched).toBe(1);
    expect(r.rejected.map((x) => x.value)).toEqual(['4.30102199901011E+17']);
    expect(r.invalid.map((x) => x.value)).toEqual(['430102200201011230']);
    expect(ids(await getResults(ws, A))).toEqual(['previous_exam']);
    expect((await getResults(ws, A))[0]?.suggestedReason).toBe('previous_exam');

    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('上年考生');
    sheet.addRow(['2023年专升本考生名单']);
    sheet.addRow(['身份证号']);
    sheet.addRow([B]);
    const xlsx = join(dir, 'prev.xlsx');
    await wb.xlsx.writeFile(xlsx);
    expect((await importPrevious(ws, xlsx)).matched).toBe(1);
    expect(ids(await getResults(ws, A))).toEqual([]);
    expect(ids(await getResults(ws, B))).toEqual(['previous_exam']);
  });

  it('reruns when the rules file changes', async () => {
    addApplicant(C, { category: 'veteran', discharge_cert_no: '湘退字2024第000001号', enlist_date: '2021-09', discharge_date: '2024-09', merit: '无' });
    addDocument(C, 'discharge_cert', await page(5));
    addDocument(C, 'diploma', await page(6));
    await runAllChecks(ws);
    expect(ids(await getResults(ws, C))).toEqual(['veteran_discharge_window']);
    const rules = JSON.parse(readFileSync('resources/rules/2024.json', 'utf8')) as { version: string; veteran: { dischargeTo: string } };
    rules.version = '2024.2';
    rules.veteran.dischargeTo = '2024-12';
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', '2024.json'), JSON.stringify(rules));
    // Configuration is passed in: a resources folder searched before the bundled one.
    configure({ ...configFromEnv(process.env), resourceDirs: [dir] });
    try {
      expect(ids(await getResults(ws, C))).toEqual([]);
      expect(ws.db.prepare('SELECT rules_version FROM check_runs ORDER BY id DESC LIMIT 1').pluck().get()).toBe('2024.2');
    } finally {
      resetConfig();
    }
  });

  it('reruns stale results when read (new data without a run)', async () => {
    addApplicant(A);
    await runAllChecks(ws);
    ws.db.prepare("INSERT INTO imports (id, file, file_sha256, at, added, updated, documents, report) VALUES ('i2', 'x.xlsx', 'x', '2099-01-01', 0, 0, 0, '{}')").run();
    ws.db.prepare("UPDATE applicants SET phone = '123' WHERE id_number = ?").run(A);
    expect(ids(await getResults(ws, A))).toEqual(['phone_format']);
  });
});

describe('API and CLI', () => {
  it('checks.get / checks.summary through the dispatcher, check and import-previous through the CLI', async () => {
    addApplicant(A, { phone: '13912345678' });
    addApplicant(B, { phone: '13912345678' });
    ws.close();
    const desk = createDesk(join(dir, 'ws'));
    try {
      const got = await desk.dispatch('checks.get', { idNumber: A });
      expect(got.ok && (got.value as CheckResult[]).map((r) => r.checkId)).toEqual(['duplicate_phone']);
      const summary = await desk.dispatch('checks.summary', {});
      expect(summary.ok && (summary.value as { byCheck: Record<string, { applicants: number }> }).byCheck.duplicate_phone?.applicants).toBe(2);
      const bad = await desk.dispatch('checks.get', { idNumber: '430102200201011230' });
      expect(bad.ok ? '' : bad.error.code).toBe('not_found');
      const one = await desk.dispatch('checks.run', { idNumber: A });
      expect(one.ok && (one.value as { results: number }).results).toBe(1);
    } finally {
      desk.close();
    }
    const out: string[] = [];
    expect(await runCli(['check', '--workspace', join(dir, 'ws')], (s) => out.push(s), (s) => out.push(s))).toBe(0);
    expect(out.join('\n')).toMatch(/duplicate_phone\s+2 人/);
    const csv = join(dir, 'prev.csv');
    writeFileSync(csv, `${B}\n`);
    const json: string[] = [];
    expect(await runCli(['import-previous', '--workspace', join(dir, 'ws'), '--list', csv, '--json'], (s) => json.push(s))).toBe(0);
    expect(JSON.parse(json.join('')).value).toMatchObject({ listed: 1, matched: 1 });
    const after: string[] = [];
    expect(await runCli(['check', '--workspace', join(dir, 'ws'), '--json'], (s) => after.push(s))).toBe(0);
    const report = JSON.parse(after.join('')).value as { applicants: { idNumber: string; results: CheckResult[] }[] };
    expect(report.applicants.find((a) => a.idNumber === B)?.results.map((r) => r.checkId).sort()).toEqual(['duplicate_phone', 'previous_exam']);
  });
});

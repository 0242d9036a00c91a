/**
 * 学籍照片核对: the college's photo folder (what it will import into the platform by 1月19日)
 * against the applicant list — one photo per ID number, file type, pixel size and file size per
 * the year's rules file, and whether each picture is an ID portrait at all — with an xlsx report
 * the registrar can work through. The folder is read, never changed.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import ExcelJS from 'exceljs';
import { DeskError, type PhotoCheckReport } from '../../shared/api/index.js';
import { PHOTO_PROBLEM_LABELS, photoReport, type PhotoFile, type PhotoProblemCode } from '../../shared/checks/photos.js';
import { portraitVerdict } from '../../shared/checks/portrait.js';
import { sniffType } from '../../shared/import/sniff.js';
import { listApplicantRecords } from '../applicants/index.js';
import type { Workspace } from '../workspace/index.js';
import { loadRules } from './rules.js';

/** Files a folder on Windows or macOS holds that nobody put there. */
const SYSTEM_FILES = /^(thumbs\.db|desktop\.ini|\.ds_store)$|^\.|^~\$/i;

/** Width of the copy the portrait test looks at: a head is a dozen pixels wide, plenty. */
const SAMPLE_WIDTH = 60;

async function examine(path: string): Promise<PhotoFile> {
  const bytes = readFileSync(path);
  const sniffed = sniffType(bytes.subarray(0, 16));
  const type: PhotoFile['type'] = sniffed.ok && sniffed.mime === 'image/jpeg' ? 'jpeg' : sniffed.ok && sniffed.mime === 'image/png' ? 'png' : 'other';
  const base = { name: basename(path), size: bytes.length, type };
  if (type === 'other') return { ...base, width: null, height: null, portrait: null };
  try {
    const img = await loadImage(bytes);
    if (!img.width || !img.height) return { ...base, width: null, height: null, portrait: null };
    const w = Math.min(SAMPLE_WIDTH, img.width);
    const h = Math.max(1, Math.round((img.height * w) / img.width));
    const canvas = createCanvas(w, h);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0, w, h);
    const portrait = portraitVerdict({ width: w, height: h, data: ctx.getImageData(0, 0, w, h).data }, { width: img.width, height: img.height });
    return { ...base, width: img.width, height: img.height, portrait };
  } catch {
    return { ...base, width: null, height: null, portrait: null };
  }
}

/** Checks the folder against the current list; writes the xlsx report when `reportPath` is given. */
export async function checkPhotos(ws: Workspace, folder: string, reportPath?: string): Promise<PhotoCheckReport> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new DeskError('not_found', `照片文件夹不存在：${folder}`);
  if (reportPath && existsSync(reportPath)) throw new DeskError('exists', `报告文件已存在，不会覆盖：${reportPath}`);
  const started = performance.now();
  const { rules } = loadRules();
  const names = readdirSync(folder, { withFileTypes: true }).filter((e) => e.isFile() && !SYSTEM_FILES.test(e.name)).map((e) => e.name).sort();
  const files: PhotoFile[] = [];
  for (const n of names) files.push(await examine(join(folder, n)));
  const list = listApplicantRecords(ws.db).map((a) => ({ idNumber: a.declared.idNumber, name: a.declared.name, rowNo: a.rowNo }));
  const rows = photoReport(list, files, rules.photos);
  const counts = Object.fromEntries(Object.keys(PHOTO_PROBLEM_LABELS).map((k) => [k, 0])) as Record<PhotoProblemCode, number>;
  for (const r of rows) for (const p of r.problems) counts[p.code]++;
  const withProblems = rows.filter((r) => r.problems.length > 0);
  const report: PhotoCheckReport = {
    folder,
    rulesVersion: rules.version,
    spec: rules.photos,
    applicants: list.length,
    files: files.length,
    ok: rows.filter((r) => r.rowNo !== null && r.problems.length === 0).length,
    counts,
    rows: withProblems,
    reportFile: null,
    ms: 0,
  };
  if (reportPath) {
    writeFileSync(reportPath, await reportWorkbook(ws.college, report));
    report.reportFile = reportPath;
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** The report as the registrar works through it: one line per problem, then a summary sheet. */
async function reportWorkbook(college: string, r: PhotoCheckReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '资格审核台';
  const sheet = book.addWorksheet('照片问题', {
    views: [{ state: 'frozen', ySplit: 2 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '2:2' },
  });
  const header = ['名单行号', '身份证号', '姓名', '文件', '问题', '说明', '处理办法'];
  sheet.columns = [{ width: 9 }, { width: 21, style: { numFmt: '@' } }, { width: 10 }, { width: 34 }, { width: 20 }, { width: 44 }, { width: 44 }];
  sheet.mergeCells(1, 1, 1, header.length);
  const title = sheet.getCell(1, 1);
  title.value = `${college}学籍照片核对报告（${r.applicants} 名考生，${r.files} 个文件，合格 ${r.ok} 人）`;
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center' };
  const head = sheet.getRow(2);
  header.forEach((h, i) => {
    const c = head.getCell(i + 1);
    c.value = h;
    c.font = { bold: true };
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  });
  for (const row of r.rows) {
    for (const p of row.problems) {
      const line = sheet.addRow([row.rowNo ?? '', row.idNumber, row.name, p.file, PHOTO_PROBLEM_LABELS[p.code], p.message, p.fix]);
      // Text, so Excel never turns an ID number into 4.30102E+17.
      line.getCell(2).numFmt = '@';
      line.alignment = { vertical: 'top', wrapText: true };
    }
  }
  const summary = book.addWorksheet('汇总');
  summary.columns = [{ width: 28 }, { width: 12 }];
  summary.addRow(['照片文件夹', r.folder]);
  summary.addRow(['规则版本', r.rulesVersion]);
  summary.addRow(['要求', `${r.spec.types.join('/').toUpperCase()}，${r.spec.minWidth === r.spec.maxWidth ? r.spec.minWidth : `${r.spec.minWidth}–${r.spec.maxWidth}`}×${r.spec.minHeight === r.spec.maxHeight ? r.spec.minHeight : `${r.spec.minHeight}–${r.spec.maxHeight}`} 像素，${Math.round(r.spec.minBytes / 1024)}–${Math.round(r.spec.maxBytes / 1024)} KB`]);
  summary.addRow(['考生', r.applicants]);
  summary.addRow(['文件', r.files]);
  summary.addRow(['照片合格的考生', r.ok]);
  for (const [code, n] of Object.entries(r.counts) as [PhotoProblemCode, number][]) summary.addRow([PHOTO_PROBLEM_LABELS[code], n]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

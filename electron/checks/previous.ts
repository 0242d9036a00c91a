/**
 * 上年专升本考生名单: the province's list of last year's examinees. A match disqualifies
 * (shared/checks: previous_exam). Imported from xlsx or CSV (UTF-8 or GBK), replacing the last one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import iconv from 'iconv-lite';
import { DeskError } from '../../shared/api/index.js';
import type { PreviousImportReport } from '../../shared/api/checks.js';
import { idProblems } from '../../shared/idcard.js';
import { normaliseIdNumber } from '../../shared/import/normalise.js';
import { listApplicantRecords } from '../applicants/index.js';
import type { Db } from '../workspace/index.js';
import type { Workspace } from '../workspace/index.js';
import { runAllChecks } from './run.js';

export function previousExaminees(db: Db): Set<string> {
  return new Set(db.prepare('SELECT id_number FROM previous_examinees').pluck().all() as string[]);
}

export function isPreviousExaminee(db: Db, idNumber: string): boolean {
  return db.prepare('SELECT 1 FROM previous_examinees WHERE id_number = ?').get(idNumber) !== undefined;
}

/** Changes whenever the list is replaced: part of the stamp of current check results. */
export function previousListStamp(db: Db): string {
  const prev = db.prepare('SELECT COUNT(*) AS n, MAX(imported_at) AS at FROM previous_examinees').get() as { n: number; at: string | null };
  return `${prev.n}:${prev.at ?? ''}`;
}

/** Every 18-character ID-number-looking value in a sheet's cells or a text file's fields. */
async function idCandidates(path: string): Promise<string[]> {
  const bytes = readFileSync(path);
  const values: string[] = [];
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304) {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    wb.eachSheet((sheet) => {
      sheet.eachRow((row) => {
        row.eachCell((cell) => {
          values.push(typeof cell.value === 'number' ? String(cell.value) : cell.text);
        });
      });
    });
  } else {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // Not UTF-8: what Excel and WPS on Chinese Windows save as CSV.
      text = iconv.decode(bytes, 'gb18030');
    }
    for (const line of text.split(/\r?\n/)) values.push(...line.split(/[,\t;]/));
  }
  return values.map((v) => v.replace(/^\uFEFF/, '').replace(/^="?|"$/g, '').replace(/^"|"$/g, '').trim()).filter(Boolean);
}

/** Imports the province's list of last year's examinees (replacing the previous one) and rechecks. */
export async function importPrevious(ws: Workspace, listPath: string): Promise<PreviousImportReport> {
  if (!existsSync(listPath)) throw new DeskError('not_found', `名单文件不存在：${listPath}`);
  const file = basename(listPath);
  const ids = new Set<string>();
  const rejected: PreviousImportReport['rejected'] = [];
  const invalid: PreviousImportReport['invalid'] = [];
  for (const raw of await idCandidates(listPath)) {
    if (/^\d(\.\d+)?E\+\d+$/i.test(raw)) {
      rejected.push({ value: raw, problem: '身份证号被 Excel 存成了数字，后几位已丢失' });
      continue;
    }
    const id = normaliseIdNumber(raw);
    if (!/^\d{17}[\dX]$/.test(id)) continue; // headers, names, serial numbers
    const problems = idProblems(id);
    if (problems.length) invalid.push({ value: raw, problem: `身份证号未通过校验（${problems.join(', ')}），按原样导入` });
    ids.add(id);
  }
  if (ids.size === 0) {
    throw new DeskError('import_refused', `${file} 中没有找到身份证号。`, rejected.slice(0, 50).map((r) => ({ file, value: r.value, message: r.problem })));
  }
  const now = new Date().toISOString();
  const ins = ws.db.prepare('INSERT INTO previous_examinees (id_number, source, imported_at) VALUES (?, ?, ?)');
  ws.db.transaction(() => {
    ws.db.prepare('DELETE FROM previous_examinees').run();
    for (const id of ids) ins.run(id, file, now);
  }).immediate();
  const matched = listApplicantRecords(ws.db).filter((a) => ids.has(a.declared.idNumber)).length;
  await runAllChecks(ws);
  return { file, listed: ids.size, matched, rejected, invalid };
}


/**
 * Copies the checks' data from an attached database (a clone for another PC): the findings and the
 * run that made them (the clone shows the same findings at once) and the cross-check lists.
 */
export function copyChecksFrom(db: Db, alias: string): void {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`invalid alias ${alias}`);
  db.exec(`INSERT INTO main.previous_examinees SELECT * FROM ${alias}.previous_examinees;
    INSERT INTO main.check_results SELECT * FROM ${alias}.check_results;
    INSERT INTO main.check_runs SELECT * FROM ${alias}.check_runs;`);
}

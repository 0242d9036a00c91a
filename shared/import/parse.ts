/**
 * Turns a sheet (rows of raw cells) into normalised applicants, or a row-precise list of errors.
 * Pure: the file readers in electron/import produce the Sheet.
 */
import type { ImportProblem } from '../api/core.js';
import { FIELD_LABELS, type ApplicantDeclared, type DeclaredField } from '../domain.js';
import { idProblems } from '../idcard.js';
import { headerScore, mapHeaders, type HeaderTarget } from './headers.js';
import {
  cleanText,
  looksExcelDestroyedId,
  normaliseCategory,
  normaliseDate,
  normaliseIdNumber,
  normaliseSex,
} from './normalise.js';

export interface RawCell {
  text: string;
  /** The spreadsheet stored a number (how Excel destroys 18-digit IDs). */
  numeric?: boolean;
}

export interface SheetRow {
  /** 1-based row number as the registrar sees it in Excel/WPS. */
  row: number;
  cells: RawCell[];
}

export interface Sheet {
  file: string;
  sheet?: string;
  rows: SheetRow[];
}

export interface ParsedApplicant {
  declared: ApplicantDeclared;
  rowNo: number;
  sheetRow: number;
  attachments: string[];
}

export interface Normalisation {
  row: number;
  column: string;
  from: string;
  to: string;
}

export interface ParseResult {
  applicants: ParsedApplicant[];
  errors: ImportProblem[];
  warnings: ImportProblem[];
  normalisations: Normalisation[];
}


/** Header row = the first row (within the first 10) with at least 3 known headers. */
export function findHeaderRow(rows: readonly SheetRow[]): number {
  let best = -1;
  let bestScore = 2;
  for (let i = 0; i < Math.min(rows.length, 10); i++) {
    const score = headerScore(rows[i]?.cells.map((c) => c.text) ?? []);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

export function parseApplicantSheet(sheet: Sheet, overrides?: Map<number, HeaderTarget>): ParseResult {
  const errors: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  const normalisations: Normalisation[] = [];
  const base = { file: sheet.file, ...(sheet.sheet ? { sheet: sheet.sheet } : {}) };

  const headerIndex = findHeaderRow(sheet.rows);
  if (headerIndex < 0) {
    errors.push({ ...base, code: 'no_header', message: '找不到表头行：前 10 行中没有一行包含“姓名”“身份证号”“报考类别”等列名。' });
    return { applicants: [], errors, warnings, normalisations };
  }
  const headerRow = sheet.rows[headerIndex]!;
  const headerTexts = headerRow.cells.map((c) => c.text);
  const mapping = mapHeaders(headerTexts);
  if (overrides) for (const [i, t] of overrides) mapping.columns.set(i, t);
  const mappedFields = new Set(mapping.columns.values());
  const missing = mapping.missing.filter((f) => !mappedFields.has(f));
  if (missing.length > 0) {
    for (const f of missing) {
      errors.push({
        ...base,
        row: headerRow.row,
        column: FIELD_LABELS[f],
        code: 'missing_column',
        message: `缺少必填列“${FIELD_LABELS[f]}”（表头在第 ${headerRow.row} 行）。`,
      });
    }
    return { applicants: [], errors, warnings, normalisations };
  }

  const applicants: ParsedApplicant[] = [];
  const seen = new Map<string, number>();
  for (const r of sheet.rows.slice(headerIndex + 1)) {
    if (r.cells.every((c) => c.text.trim() === '')) continue;
    const declared: ApplicantDeclared = {
      idNumber: '', name: '', sex: '', phone: '', category: 'general', school: '', major: '', gradYear: null,
      dischargeCertNo: '', enlistDate: '', dischargeDate: '', merit: '', competition: '', award: '',
      awardLevel: '', awardDate: '', hukou: '', povertyIssuer: '',
    };
    let rowNo = applicants.length + 1;
    let attachments: string[] = [];
    let rowOk = true;
    const fail = (column: string, value: string, code: string, message: string): void => {
      errors.push({ ...base, row: r.row, column, value, code, message });
      rowOk = false;
    };
    for (const [index, target] of mapping.columns) {
      const cell = r.cells[index] ?? { text: '' };
      const raw = cell.text;
      const column = headerTexts[index] ?? '';
      const note = (to: string): void => {
        if (to !== raw) normalisations.push({ row: r.row, column, from: raw, to });
      };
      if (target === 'rowNo') {
        const n = Number(cleanText(raw));
        if (Number.isInteger(n) && n > 0) rowNo = n;
        continue;
      }
      if (target === 'attachments') {
        attachments = raw.split(/[;；,，\n]/).map((s) => s.trim()).filter(Boolean);
        continue;
      }
      switch (target) {
        case 'idNumber': {
          if (cell.numeric || looksExcelDestroyedId(raw)) {
            fail(column, raw, 'id_number_destroyed', `身份证号被 Excel 按数字格式保存而损坏（${raw}）：请把该列设为“文本”格式后重新导出，不能自动修复。`);
            break;
          }
          const v = normaliseIdNumber(raw);
          note(v);
          if (!v) fail(column, raw, 'required', '身份证号不能为空。');
          else if (!/^\d{17}[\dX]$/.test(v)) fail(column, raw, 'id_number_format', `身份证号应为 18 位（17 位数字 + 数字或 X），实际为“${raw}”。`);
          else {
            const problems = idProblems(v);
            if (problems.length > 0) {
              warnings.push({ ...base, row: r.row, column, value: v, code: 'id_number_invalid', message: `身份证号校验未通过（${problems.join(', ')}）：已导入，审核时会标出。` });
            }
          }
          declared.idNumber = v;
          break;
        }
        case 'category': {
          const c = normaliseCategory(raw);
          if (!c) fail(column, raw, 'category_unknown', `无法识别的报考类别“${raw}”（应为 退役大学生士兵免试、竞赛获奖免试、湖湘工匠燎原计划、脱贫家庭毕业生计划 或 普通计划）。`);
          else {
            declared.category = c;
            if (c !== raw) normalisations.push({ row: r.row, column, from: raw, to: c });
          }
          break;
        }
        case 'sex': {
          const s = normaliseSex(raw);
          if (s === null) fail(column, raw, 'sex_unknown', `性别应为“男”或“女”，实际为“${raw}”。`);
          else declared.sex = s;
          break;
        }
        case 'gradYear': {
          const v = cleanText(raw);
          if (!v) break;
          const m = /^(\d{4})/.exec(v);
          if (!m) fail(column, raw, 'year_format', `毕业年份应为四位年份，实际为“${raw}”。`);
          else declared.gradYear = Number(m[1]);
          break;
        }
        case 'enlistDate':
        case 'dischargeDate':
        case 'awardDate': {
          const v = normaliseDate(raw);
          if (v === null) fail(column, raw, 'date_format', `无法识别的日期“${raw}”（应为 2021-09、2021.09、2021年9月 或 202109 等）。`);
          else {
            note(v);
            declared[target] = v;
          }
          break;
        }
        case 'phone': {
          const v = cleanText(raw).replace(/[\s-]/g, '');
          note(v);
          declared.phone = v;
          break;
        }
        default: {
          const v = cleanText(raw);
          note(v);
          declared[target] = v;
        }
      }
    }
    if (!declared.name) fail(FIELD_LABELS.name, '', 'required', '姓名不能为空。');
    if (!rowOk) continue;
    const prev = seen.get(declared.idNumber);
    if (prev !== undefined) {
      errors.push({
        ...base, row: r.row, column: FIELD_LABELS.idNumber, value: declared.idNumber, code: 'duplicate_id_number',
        message: `身份证号 ${declared.idNumber} 重复：第 ${prev} 行与第 ${r.row} 行。`,
      });
      continue;
    }
    seen.set(declared.idNumber, r.row);
    applicants.push({ declared, rowNo, sheetRow: r.row, attachments });
  }
  if (applicants.length === 0 && errors.length === 0) {
    errors.push({ ...base, code: 'empty_list', message: '名单中没有考生数据（表头下方没有任何数据行）。' });
  }
  return { applicants, errors, warnings, normalisations };
}

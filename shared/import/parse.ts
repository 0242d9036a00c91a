/**
 * Turns a sheet (rows of raw cells) into normalised applicants, or a row-precise list of errors.
 * Pure: the file readers in electron/applicants produce the Sheet.
 */
import type { ImportProblem } from '../api/index.js';
import type { ColumnMapping } from '../api/applicants.js';
import { CATEGORIES, EMPTY_DECLARED, FIELD_LABELS, type ApplicantDeclared } from '../domain.js';
import { ID_PROBLEM_LABELS, idProblems } from '../idcard.js';
import { codePoint, HIDDEN_LABELS, hiddenCharacters, LIMITS } from '../limits.js';
import { headerScore, knownTarget, mapHeaders, type HeaderMapping } from './headers.js';
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
  /** 考生号, when the list has such a column (attachments may be named by it). */
  examNo: string;
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

/** Header row = the row (within the first 10) with the most known headers, at least 3. */
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

const looksLikeData = (r: SheetRow): boolean => r.cells.some((c) => c.numeric || /\d{6,}/.test(c.text));

export interface HeaderBlock {
  /** Index into rows of the (main) header row. */
  index: number;
  /** 1-based sheet row of the header, as shown to the user. */
  row: number;
  /** Header text per column, merged from a two-level header when there is one. */
  texts: string[];
  /** Index into rows of the first data row. */
  dataStart: number;
}

/**
 * Finds the header, including two-level headers made of merged cells: a group cell such as
 * 退役信息 spans several columns whose real names (入伍时间, 退役时间…) sit in the row below, and
 * vertically merged cells leave the other row empty. Known names from the neighbouring row fill the
 * header's empty or unknown cells.
 */
export function findHeader(rows: readonly SheetRow[]): HeaderBlock | null {
  const index = findHeaderRow(rows);
  if (index < 0) return null;
  const main = rows[index]!;
  const texts = main.cells.map((c) => c.text);
  let dataStart = index + 1;
  const fill = (other: SheetRow): void => {
    other.cells.forEach((c, i) => {
      const here = texts[i] ?? '';
      if (knownTarget(c.text) && !knownTarget(here)) texts[i] = c.text;
    });
  };
  const above = rows[index - 1];
  if (above && above.row === main.row - 1 && headerScore(above.cells.map((c) => c.text)) > 0) fill(above);
  const below = rows[index + 1];
  if (below && below.row === main.row + 1 && headerScore(below.cells.map((c) => c.text)) > 0 && !looksLikeData(below)) {
    fill(below);
    dataStart = index + 2;
  }
  for (let i = 0; i < texts.length; i++) texts[i] ??= '';
  return { index, row: main.row, texts, dataStart };
}

export interface ParseOptions {
  /** Header text → target, as confirmed by the user (or remembered from an earlier import). */
  mapping?: ColumnMapping | undefined;
}

/** The header and its mapping, or the errors that make the list unimportable. */
export function mapSheet(sheet: Sheet, opts: ParseOptions = {}): { header: HeaderBlock; mapping: HeaderMapping } | { errors: ImportProblem[] } {
  const base = { file: sheet.file, ...(sheet.sheet ? { sheet: sheet.sheet } : {}) };
  const header = findHeader(sheet.rows);
  if (!header) {
    return { errors: [{ ...base, code: 'no_header', message: '找不到表头行：前 10 行中没有一行包含“姓名”“身份证号”“报考类别”等列名。' }] };
  }
  const mapping = mapHeaders(header.texts, opts.mapping);
  if (mapping.missing.length > 0) {
    return {
      errors: mapping.missing.map((f) => ({
        ...base,
        row: header.row,
        column: FIELD_LABELS[f],
        code: 'missing_column',
        message: `缺少必填列“${FIELD_LABELS[f]}”（表头在第 ${header.row} 行）：请检查列名，或在导入时指定列对应关系。`,
      })),
    };
  }
  return { header, mapping };
}

function noteChange(list: Normalisation[], row: number, column: string, from: string, to: string): void {
  if (to !== from) list.push({ row, column, from, to });
}

export function parseApplicantSheet(sheet: Sheet, opts: ParseOptions = {}): ParseResult {
  const errors: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  const normalisations: Normalisation[] = [];
  const base = { file: sheet.file, ...(sheet.sheet ? { sheet: sheet.sheet } : {}) };

  const mapped = mapSheet(sheet, opts);
  if ('errors' in mapped) return { applicants: [], errors: mapped.errors, warnings, normalisations };
  const { header, mapping } = mapped;
  const headerTexts = header.texts;
  for (const a of mapping.ambiguous) {
    const first = [...mapping.columns].find(([, t]) => t === a.target)?.[0];
    warnings.push({
      ...base, row: header.row, column: a.header, code: 'column_ambiguous',
      message: `列“${a.header}”与前面的列含义相同，已使用列“${first === undefined ? '' : headerTexts[first]}”；如需改用此列，请指定列对应关系。`,
    });
  }
  const contentColumns = [...mapping.columns].filter(([, t]) => t !== 'rowNo').map(([i]) => i);
  const columnOf = (target: string): number => [...mapping.columns].find(([, t]) => t === target)?.[0] ?? -1;
  const idCol = columnOf('idNumber');
  const catCol = columnOf('category');

  const applicants: ParsedApplicant[] = [];
  const seen = new Map<string, number>();
  const data = sheet.rows.slice(header.dataStart);
  const over = data[LIMITS.import.maxRows];
  if (over) {
    // Refused before any row is judged: the rows past the cap are not a college's list.
    errors.push({
      ...base, row: over.row, code: 'too_many_rows',
      message: `名单超过 ${LIMITS.import.maxRows} 行数据（从第 ${over.row} 行起超出上限）：请检查是否选错了文件，或分成几个名单导入。`,
    });
    return { applicants, errors, warnings, normalisations };
  }
  for (const r of data) {
    // Blank rows, and template rows where only 序号 was filled in, carry no applicant.
    const filled = contentColumns.filter((i) => (r.cells[i]?.text ?? '').trim() !== '');
    if (filled.length === 0) continue;
    if (filled.length === 1 && !filled.includes(idCol) && !filled.includes(catCol)) {
      // A footer such as 制表人：… or 注：… below the table.
      const text = r.cells[filled[0]!]?.text ?? '';
      warnings.push({ ...base, row: r.row, value: text, code: 'row_skipped', message: `第 ${r.row} 行只有一个单元格有内容，看起来是表格下方的备注，已跳过。` });
      continue;
    }
    const declared: ApplicantDeclared = { ...EMPTY_DECLARED };
    let rowNo = applicants.length + 1;
    let attachments: string[] = [];
    let examNo = '';
    let rowOk = true;
    /** A cell refused for its length or hidden characters is not also reported as empty. */
    let nameRefused = false;
    const fail = (column: string, value: string, code: string, message: string): void => {
      errors.push({ ...base, row: r.row, column, value, code, message });
      rowOk = false;
    };
    for (const [index, target] of mapping.columns) {
      const cell = r.cells[index] ?? { text: '' };
      const raw = cell.text;
      const column = headerTexts[index] ?? '';
      // A plain function, not a closure per cell: 10,000 rows × 20 columns made closures the hot spot.
      const note = noteChange;
      if (raw.length > LIMITS.import.maxCellChars) {
        // A cell of megabytes imports and then breaks every table it is printed in: refused here.
        fail(column, `${raw.slice(0, 60)}…`, 'cell_too_long', `单元格过长（${raw.length} 个字符，上限 ${LIMITS.import.maxCellChars}）。`);
        nameRefused ||= target === 'name';
        continue;
      }
      const hidden = target === 'rowNo' ? null : hiddenCharacters(raw);
      if (hidden) {
        fail(column, raw.slice(0, 200), 'hidden_characters', `含有看不见的${HIDDEN_LABELS[hidden.kind]}（${codePoint(hidden.char)}），它会让名字显示得与实际不同：请在表格中删除后重新导入。`);
        nameRefused ||= target === 'name';
        continue;
      }
      if (target === 'rowNo') {
        const n = Number(cleanText(raw));
        if (Number.isInteger(n) && n > 0) rowNo = n;
        continue;
      }
      if (target === 'examNo') {
        examNo = cleanText(raw).replace(/\s/g, '');
        note(normalisations, r.row, column, raw, examNo);
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
          note(normalisations, r.row, column, raw, v);
          if (!v) fail(column, raw, 'required', '身份证号不能为空。');
          else if (!/^\d{17}[\dX]$/.test(v)) fail(column, raw, 'id_number_format', `身份证号应为 18 位（17 位数字 + 数字或 X），实际为“${raw}”。`);
          else {
            const problems = idProblems(v);
            if (problems.length > 0) {
              warnings.push({ ...base, row: r.row, column, value: v, code: 'id_number_invalid', message: `身份证号校验未通过（${problems.map((p) => ID_PROBLEM_LABELS[p]).join('、')}）：已导入，审核时会标出。` });
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
            const label = CATEGORIES.find((x) => x.code === c)?.label ?? c;
            if (label !== raw) normalisations.push({ row: r.row, column, from: raw, to: label });
          }
          break;
        }
        case 'sex': {
          const s = normaliseSex(raw);
          if (s === null) fail(column, raw, 'sex_unknown', `性别应为“男”或“女”，实际为“${raw}”。`);
          else {
            declared.sex = s;
            note(normalisations, r.row, column, raw, s);
          }
          break;
        }
        case 'gradYear': {
          const v = cleanText(raw);
          if (!v) break;
          const m = /^(\d{4})/.exec(v);
          if (!m) fail(column, raw, 'year_format', `毕业年份应为四位年份，实际为“${raw}”。`);
          else {
            declared.gradYear = Number(m[1]);
            note(normalisations, r.row, column, raw, m[1]!);
          }
          break;
        }
        case 'enlistDate':
        case 'dischargeDate':
        case 'awardDate':
        case 'craftEnrollDate':
        case 'craftGradDate': {
          const v = normaliseDate(raw);
          if (v === null) fail(column, raw, 'date_format', `无法识别的日期“${raw}”（应为 2021-09、2021.09、2021年9月 或 202109 等）。`);
          else {
            note(normalisations, r.row, column, raw, v);
            declared[target] = v;
          }
          break;
        }
        case 'phone': {
          const v = cleanText(raw).replace(/[\s-]/g, '');
          note(normalisations, r.row, column, raw, v);
          declared.phone = v;
          break;
        }
        default: {
          const v = cleanText(raw);
          note(normalisations, r.row, column, raw, v);
          declared[target] = v;
        }
      }
    }
    if (!declared.name && !nameRefused) fail(headerTexts[columnOf('name')] ?? FIELD_LABELS.name, '', 'required', '姓名不能为空。');
    if (!rowOk) continue;
    const prev = seen.get(declared.idNumber);
    if (prev !== undefined) {
      errors.push({
        ...base, row: r.row, column: headerTexts[idCol] ?? FIELD_LABELS.idNumber, value: declared.idNumber, code: 'duplicate_id_number',
        message: `身份证号 ${declared.idNumber} 重复：第 ${prev} 行与第 ${r.row} 行是同一个身份证号。`,
      });
      continue;
    }
    seen.set(declared.idNumber, r.row);
    applicants.push({ declared, rowNo, sheetRow: r.row, attachments, examNo });
  }
  if (applicants.length === 0 && errors.length === 0) {
    errors.push({ ...base, code: 'empty_list', message: '名单中没有考生数据（表头下方没有任何数据行）。' });
  }
  return { applicants, errors, warnings, normalisations };
}

/**
 * Reads an applicant list file into a Sheet of raw cells. The format is decided by the file's
 * bytes, not its extension.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import ExcelJS from 'exceljs';
import { DeskError } from '../../shared/api/index.js';
import type { RawCell, Sheet, SheetRow } from '../../shared/import/parse.js';
import { findHeaderRow } from '../../shared/import/parse.js';

export async function readListFile(path: string): Promise<Sheet> {
  const name = basename(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DeskError('file_unreadable', `无法读取名单文件 ${name}：${(e as Error).message}`, [
      { file: name, code: 'file_unreadable', message: (e as Error).message },
    ]);
  }
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const isOle = bytes.length >= 8 && bytes.readUInt32BE(0) === 0xd0cf11e0;
  if (isOle) {
    throw refused(name, 'workbook_encrypted_or_xls', '该文件是加密的工作簿或旧版 .xls 格式：请在 Excel/WPS 中取消密码并另存为 .xlsx 后再导入。');
  }
  if (isZip) return readXlsx(name, bytes);
  if (/\.xlsx$/i.test(name)) {
    throw refused(name, 'not_xlsx', '文件扩展名为 .xlsx，但内容不是 Excel 工作簿。');
  }
  return readCsv(name, bytes);
}

function refused(file: string, code: string, message: string): DeskError {
  return new DeskError('import_refused', `${file}：${message}`, [{ file, code, message }]);
}

async function readXlsx(name: string, bytes: Buffer): Promise<Sheet> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw refused(name, 'workbook_unreadable', `无法读取工作簿（${(e as Error).message}）。`);
  }
  let best: Sheet | null = null;
  for (const ws of wb.worksheets) {
    const rows: SheetRow[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: RawCell[] = [];
      for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c)));
      rows.push({ row: rowNumber, cells });
    });
    const sheet: Sheet = { file: name, sheet: ws.name, rows };
    if (findHeaderRow(rows) >= 0) return sheet;
    best ??= sheet;
  }
  return best ?? { file: name, rows: [] };
}

function cellText(cell: ExcelJS.Cell): RawCell {
  const v = cell.value;
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'number') return { text: String(v), numeric: true };
  if (typeof v === 'string') return { text: v };
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) {
    const d = v;
    return { text: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}` };
  }
  if (typeof v === 'object') {
    if ('richText' in v) return { text: v.richText.map((r) => r.text).join('') };
    if ('result' in v) return { text: v.result === undefined || v.result === null ? '' : String(v.result), numeric: typeof v.result === 'number' };
    if ('text' in v) return { text: String(v.text) };
  }
  return { text: cell.text ?? '' };
}

/** CSV in UTF-8 (the real-world import work adds GBK/GB18030 and UTF-16 detection). */
function readCsv(name: string, bytes: Buffer): Sheet {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) throw refused(name, 'not_text', '文件不是文本表格（包含二进制内容）。');
  const rows: SheetRow[] = parseCsv(text).map((cells, i) => ({ row: i + 1, cells: cells.map((t) => ({ text: t })) }));
  return { file: name, rows };
}

/** RFC 4180 CSV with quoted fields; separator detected between comma, tab and semicolon. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const sep = [',', '\t', ';'].reduce((a, b) => (firstLine.split(b).length > firstLine.split(a).length ? b : a));
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * applicants.xlsx as a college office keeps it: a merged title row, the Chinese header, then data;
 * 身份证号 and 手机号 as text. Also the broken variants used by import-refusal tests.
 */
import ExcelJS from 'exceljs';
import { LIST_HEADER } from './model.js';

export const LIST_SHEET = '考生名单';

/** Fixed workbook dates: with the zip entry times below they make the file byte-identical per seed. */
const BOOK_DATE = new Date(Date.UTC(2024, 0, 20, 9, 0, 0));

export interface ListOptions {
  title: string;
  header?: readonly string[];
  /** Store 身份证号 as numbers, as Excel does to a pasted column (the last digits are lost). */
  idAsNumber?: boolean;
}

const TEXT_COLUMNS = new Set(['身份证号', '手机号']);
const WIDTHS: Readonly<Record<string, number>> = {
  序号: 6, 姓名: 10, 性别: 6, 身份证号: 21, 手机号: 14, 报考类别: 18, 专科学校: 24, 专科专业: 18,
  毕业年份: 9, 退役证编号: 22, 入伍时间: 10, 退役时间: 10, 立功情况: 9, 获奖赛事: 30, 奖项: 26,
  获奖等级: 9, 获奖时间: 12, 户籍所在地: 36, 脱贫证明出具单位: 22, 报考院校: 16, 报考专业: 20,
  燎原计划入学时间: 12, 燎原计划毕业时间: 12, 燎原计划赛项: 40, 赛项级别: 9, 附件: 60,
};

export async function listWorkbook(rows: readonly (readonly (string | number)[])[], opts: ListOptions): Promise<Buffer> {
  const header = opts.header ?? LIST_HEADER;
  const book = new ExcelJS.Workbook();
  book.creator = '资格审核台';
  book.lastModifiedBy = '资格审核台';
  book.created = BOOK_DATE;
  book.modified = BOOK_DATE;
  const sheet = book.addWorksheet(LIST_SHEET, {
    views: [{ state: 'frozen', ySplit: 2 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = header.map((h) => ({ key: h, width: WIDTHS[h] ?? 12 }));

  sheet.mergeCells(1, 1, 1, header.length);
  const title = sheet.getCell(1, 1);
  title.value = opts.title;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.getRow(1).height = 30;

  const headRow = sheet.getRow(2);
  header.forEach((h, i) => {
    const cell = headRow.getCell(i + 1);
    cell.value = h;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = { bottom: { style: 'thin' } };
  });

  rows.forEach((values, r) => {
    const row = sheet.getRow(r + 3);
    values.forEach((value, c) => {
      const column = header[c] ?? '';
      const cell = row.getCell(c + 1);
      if (column === '身份证号' && opts.idAsNumber && /^\d{18}$/.test(String(value))) {
        // What Excel keeps of an 18-digit number: 15 significant digits, shown as 4.30102E+17.
        cell.value = Number(value);
        return;
      }
      if (TEXT_COLUMNS.has(column)) {
        cell.numFmt = '@';
        cell.value = String(value);
        return;
      }
      cell.value = value === '' ? null : value;
    });
  });

  const data = await book.xlsx.writeBuffer();
  return fixZipTimes(Buffer.from(data as ArrayBuffer));
}

/**
 * JSZip (inside exceljs) stamps every entry with the current time; set all to one fixed DOS time
 * so the same data gives the same bytes. Only header fields outside the CRC are touched.
 */
export function fixZipTimes(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) return out;
  const entries = out.readUInt16LE(eocd + 10);
  let at = out.readUInt32LE(eocd + 16);
  // 2024-01-20 09:00:00 in MS-DOS format.
  const dosTime = (9 << 11) | (0 << 5) | 0;
  const dosDate = ((2024 - 1980) << 9) | (1 << 5) | 20;
  for (let i = 0; i < entries; i++) {
    if (out.readUInt32LE(at) !== 0x02014b50) break;
    out.writeUInt16LE(dosTime, at + 12);
    out.writeUInt16LE(dosDate, at + 14);
    const local = out.readUInt32LE(at + 42);
    if (out.readUInt32LE(local) === 0x04034b50) {
      out.writeUInt16LE(dosTime, local + 10);
      out.writeUInt16LE(dosDate, local + 12);
    }
    at += 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  return out;
}

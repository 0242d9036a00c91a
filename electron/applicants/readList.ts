/**
 * Reads an applicant list file into a Sheet of raw cells. The format is decided by the file's
 * bytes, never by its extension alone: .xlsx (streamed, so a 10,000-row list never sits in memory
 * twice), CSV/TSV in UTF-8 (with or without BOM), GBK/GB18030 (what WPS and Excel on Chinese
 * Windows write) and UTF-16 (Excel's "Unicode text"). A file whose bytes contradict its extension,
 * an encrypted workbook and a legacy .xls are refused with a message the registrar can act on.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { DeskError } from '../../shared/api/index.js';
import type { RawCell, Sheet, SheetRow } from '../../shared/import/parse.js';
import { findHeaderRow } from '../../shared/import/parse.js';
import { LIMITS } from '../../shared/limits.js';

export interface ListFile {
  sheet: Sheet;
  /** Every worksheet name (one entry, the file name, for text files). */
  sheets: string[];
  /** e.g. 'xlsx', 'csv-utf8', 'csv-gb18030', 'tsv-utf16le'. */
  format: string;
}

export interface ReadListOptions {
  /** Worksheet to read; default: the first one with a header row. */
  sheet?: string | undefined;
  /** Called every few hundred rows (progress, and a chance to cancel by throwing). */
  onRows?: (rows: number) => void;
}

export function refused(file: string, code: string, message: string): DeskError {
  return new DeskError('import_refused', `${file}：${message}`, [{ file, code, message }]);
}

function head(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

const TEXT_EXT = new Set(['.csv', '.txt', '.tsv']);

export async function readList(path: string, opts: ReadListOptions = {}): Promise<ListFile> {
  const name = basename(path);
  const ext = extname(name).toLowerCase();
  let start: Buffer;
  try {
    start = head(path, 8);
  } catch (e) {
    const message = `无法读取名单文件：${(e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (e as Error).message}`;
    throw new DeskError('import_refused', `${name}：${message}`, [{ file: name, code: 'file_unreadable', message }]);
  }
  if (start.length === 0) throw refused(name, 'empty_file', '文件是空的（0 字节），没有考生数据。');
  const isZip = start.length >= 4 && start.readUInt32BE(0) === 0x504b0304;
  const isOle = start.length >= 8 && start.readUInt32BE(0) === 0xd0cf11e0 && start.readUInt32BE(4) === 0xa1b11ae1;
  if (isOle) {
    // Excel and WPS save a password-protected .xlsx as an OLE container holding "EncryptedPackage".
    const all = readFileSync(path);
    if (all.includes(Buffer.from('EncryptedPackage', 'utf16le'))) {
      throw refused(name, 'workbook_encrypted', '工作簿设置了打开密码，无法读取：请在 Excel/WPS 中取消密码（文件 → 信息 → 保护工作簿）并另存为 .xlsx 后再导入。');
    }
    throw refused(name, 'xls_unsupported', '该文件是旧版 Excel 97-2003 (.xls) 格式：请在 Excel/WPS 中另存为 .xlsx 或 CSV 后再导入。');
  }
  if (isZip) {
    if (TEXT_EXT.has(ext)) throw refused(name, 'not_what_extension_says', `文件扩展名为 ${ext}，但内容是 Excel 工作簿（或其他压缩包）：请把扩展名改为 .xlsx，或另存为 CSV。`);
    return readXlsx(path, name, opts);
  }
  if (ext === '.xlsx' || ext === '.xls') {
    throw refused(name, 'not_what_extension_says', `文件扩展名为 ${ext}，但内容不是 Excel 工作簿${describeBinary(start)}。`);
  }
  // A text list is read whole: its size is capped like an inflated workbook's.
  const size = statSync(path).size;
  if (size > LIMITS.xlsx.maxUncompressedBytes) {
    throw refused(name, 'list_too_large', `名单文件过大（${mb(size)} MB，上限 ${mb(LIMITS.xlsx.maxUncompressedBytes)} MB）：请检查是否选错了文件。`);
  }
  return readText(name, readFileSync(path), opts);
}

function describeBinary(b: Buffer): string {
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return '（是 PDF 文件）';
  if (b[0] === 0xff && b[1] === 0xd8) return '（是 JPEG 图片）';
  if (b[0] === 0x89 && b.subarray(1, 4).toString('latin1') === 'PNG') return '（是 PNG 图片）';
  return '';
}

const mb = (n: number): number => Math.round(n / 2 ** 20);

/**
 * Inflates every entry once before exceljs sees the file: exceljs's streaming reader never settles
 * on a corrupt deflate stream (it hangs), and this refuses a zip bomb posing as a workbook before
 * exceljs holds any of it (its shared strings stay in memory): the parts' number, each part's and
 * the total inflated size are capped (LIMITS.xlsx), from the directory first and then from the
 * bytes actually inflated (yauzl fails an entry that inflates beyond what it declared).
 */
async function checkZip(path: string, name: string): Promise<void> {
  const fail = (why: string): DeskError => refused(name, 'workbook_unreadable', `无法读取工作簿，文件已损坏（${why}）：请在 Excel/WPS 中打开后重新另存为 .xlsx。`);
  const tooLarge = (what: string): DeskError => refused(name, 'workbook_too_large', `工作簿${what}，疑似“压缩炸弹”，拒绝导入：考生名单解压后不会这么大。`);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true, autoClose: false }, (err, z) => (err || !z ? reject(fail(err?.message ?? 'zip')) : resolve(z))),
  );
  const { maxUncompressedBytes, maxEntryBytes, maxEntries } = LIMITS.xlsx;
  try {
    if (zip.entryCount > maxEntries) throw tooLarge(`有 ${zip.entryCount} 个部件（上限 ${maxEntries}）`);
    // The whole directory first: a workbook that says it inflates past a cap is refused before
    // one byte of it is inflated.
    const entries = await new Promise<yauzl.Entry[]>((resolve, reject) => {
      const all: yauzl.Entry[] = [];
      let total = 0;
      zip.on('error', (e: Error) => reject(fail(e.message)));
      zip.on('end', () => resolve(all));
      zip.on('entry', (e: yauzl.Entry) => {
        total += e.uncompressedSize;
        if (all.push(e) > maxEntries) return reject(tooLarge(`有超过 ${maxEntries} 个部件`));
        if (total > maxUncompressedBytes) return reject(tooLarge(`解压后超过 ${mb(maxUncompressedBytes)} MB`));
        if (e.uncompressedSize > maxEntryBytes) return reject(tooLarge(`中的“${e.fileName.slice(0, 80)}”解压后有 ${mb(e.uncompressedSize)} MB（上限 ${mb(maxEntryBytes)} MB）`));
        zip.readEntry();
      });
      zip.readEntry();
    });
    // Then every part, streamed and dropped: yauzl fails one that inflates to more than it declared.
    for (const e of entries) {
      if (e.fileName.endsWith('/')) continue;
      await new Promise<void>((resolve, reject) => {
        zip.openReadStream(e, (err, stream) => {
          if (err || !stream) return reject(fail(err?.message ?? e.fileName));
          stream.on('error', (x: Error) => reject(/too many bytes/.test(x.message)
            ? tooLarge(`中的“${e.fileName.slice(0, 80)}”解压后比它声明的 ${e.uncompressedSize} 字节更大`)
            : fail(`${e.fileName}: ${x.message}`)));
          stream.on('end', () => resolve());
          stream.resume();
        });
      });
    }
  } finally {
    zip.close();
  }
}

async function readXlsx(path: string, name: string, opts: ReadListOptions): Promise<ListFile> {
  await checkZip(path, name);
  const sheets: string[] = [];
  let chosen: Sheet | null = null;
  let fallback: Sheet | null = null;
  let total = 0;
  // exceljs is loaded on first use, so commands that read no workbook start without it.
  const { default: Excel } = await import('exceljs');
  try {
    const reader = new Excel.stream.xlsx.WorkbookReader(path, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
    });
    for await (const ws of reader) {
      const wsName = (ws as unknown as { name: string }).name;
      sheets.push(wsName);
      // Once a sheet is chosen the others are still walked, only to list their names.
      const wanted = chosen === null && (opts.sheet === undefined || opts.sheet === wsName);
      const rows: SheetRow[] = [];
      for await (const row of ws) {
        if (!wanted) continue;
        const cells: RawCell[] = [];
        // A list has a few dozen columns; one cell at column XFD would otherwise make 16,384 per row.
        const width = Math.min(row.cellCount, LIMITS.import.maxColumns);
        for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c)));
        while (cells.length > 0 && cells[cells.length - 1]!.text === '') cells.pop();
        // Far more rows than a list may have are not kept (parse names the first row over the cap);
        // the reader still runs to the end, which the inflated-size cap bounds.
        if (cells.length > 0 && rows.length <= LIMITS.import.maxRows + 20) rows.push({ row: row.number, cells });
        if (++total % 500 === 0) opts.onRows?.(total);
      }
      if (!wanted) continue;
      const sheet: Sheet = { file: name, sheet: wsName, rows };
      if (opts.sheet !== undefined || findHeaderRow(rows) >= 0) chosen = sheet;
      else fallback ??= sheet;
    }
  } catch (e) {
    if (e instanceof DeskError) throw e;
    throw refused(name, 'workbook_unreadable', `无法读取工作簿，文件可能已损坏（${(e as Error).message}）：请在 Excel/WPS 中打开后重新另存为 .xlsx。`);
  }
  if (sheets.length === 0) throw refused(name, 'workbook_unreadable', '文件是压缩包，但其中没有工作表：它不是 Excel 工作簿。');
  if (opts.sheet !== undefined && !chosen) {
    throw refused(name, 'sheet_missing', `工作簿中没有名为“${opts.sheet}”的工作表（有：${sheets.join('、')}）。`);
  }
  const sheet = chosen ?? fallback ?? { file: name, sheet: sheets[0]!, rows: [] };
  return { sheet, sheets, format: 'xlsx' };
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
    if ('error' in v) return { text: String(v.error) };
  }
  return { text: '' };
}

/** Decodes a text table: BOMs first, then strict UTF-8, then UTF-16 without BOM, then GB18030. */
export function decodeText(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: bytes.subarray(2).toString('utf16le'), encoding: 'utf16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf16be'), encoding: 'utf16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf8' };
  } catch {
    // Not UTF-8: fall through to the encodings Chinese Windows writes.
  }
  // UTF-16LE without BOM: ASCII characters leave a zero in every odd byte.
  const sample = bytes.subarray(0, 2000);
  let oddZeros = 0;
  for (let i = 1; i < sample.length; i += 2) if (sample[i] === 0) oddZeros++;
  if (sample.length >= 4 && oddZeros > sample.length / 8) return { text: bytes.toString('utf16le'), encoding: 'utf16le' };
  // GB18030 is a superset of GBK and GB2312, so one decoder covers all three.
  return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gb18030' };
}

function readText(name: string, bytes: Buffer, opts: ReadListOptions): ListFile {
  const { text, encoding } = decodeText(bytes);
  // Binary content (an image or PDF renamed .csv) decodes to control characters.
  const probe = text.slice(0, 4000);
  let control = 0;
  for (let i = 0; i < probe.length; i++) {
    const c = probe.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) control++;
  }
  if (probe.includes('\u0000') || control > probe.length / 50) {
    throw refused(name, 'not_text', `文件不是文本表格（内容是二进制数据${describeBinary(bytes.subarray(0, 8))}）：请导入 .xlsx 或 CSV 文件。`);
  }
  const { rows: table, sep } = parseCsv(text);
  const rows: SheetRow[] = [];
  table.forEach((cells, i) => {
    // ="430…" is how some exporters keep an ID number from being read as a number.
    const trimmed = cells.map((t) => ({ text: /^="(.*)"$/s.exec(t)?.[1] ?? t }));
    while (trimmed.length > 0 && trimmed[trimmed.length - 1]!.text === '') trimmed.pop();
    if (trimmed.length > 0) rows.push({ row: i + 1, cells: trimmed });
  });
  opts.onRows?.(rows.length);
  return { sheet: { file: name, rows }, sheets: [name], format: `${sep === '\t' ? 'tsv' : 'csv'}-${encoding}` };
}

/**
 * RFC 4180 CSV with quoted fields; the separator (comma, tab or semicolon) is the one that splits
 * the most lines of the first few, so a title row above the header does not mislead it.
 */
export function parseCsv(text: string): { rows: string[][]; sep: string } {
  const lines = text.split(/\r?\n/, 12);
  const count = (sep: string): number => lines.reduce((n, l) => n + l.split(sep).length - 1, 0);
  const sep = [',', '\t', ';'].reduce((a, b) => (count(b) > count(a) ? b : a));
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
  return { rows, sep };
}

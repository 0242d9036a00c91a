/**
 * Builders of ugly import inputs (spreadsheets, encodings, zips) and a fingerprint of a whole
 * workspace, so a test can prove a refused import changed nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { checkDigit } from '../../../shared/idcard.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'desk-'));
}

export function newWorkspace(): Workspace {
  return openWorkspace(join(tempDir(), 'ws'), { create: true, college: '测试学院' });
}

/** A valid Hunan ID number for sequence number n (born 2003-xx-xx, check digit computed). */
export function validId(n: number): string {
  const first17 = `430102${2000 + (n % 5)}${String((n % 12) + 1).padStart(2, '0')}${String((n % 28) + 1).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}

export const HEADER = ['序号', '姓名', '性别', '身份证号', '手机号', '报考类别', '专科学校', '专科专业', '毕业年份', '退役时间'];

export function row(n: number, over: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    序号: String(n), 姓名: `考生${n}`, 性别: n % 2 ? '男' : '女', 身份证号: validId(n), 手机号: `138${String(n).padStart(8, '0')}`,
    报考类别: n % 3 === 0 ? '退役大学生士兵免试' : '普通计划', 专科学校: '湖南示范职业技术学院', 专科专业: '软件技术', 毕业年份: '2024',
    退役时间: n % 3 === 0 ? '2023-09' : '',
  };
  return HEADER.map((h) => over[h] ?? base[h] ?? '');
}

export interface XlsxSheet {
  name: string;
  rows: (string | number | null)[][];
  /** Rows to merge, e.g. 'A1:J1' for a title. */
  merges?: string[];
}

export async function writeXlsx(path: string, sheets: XlsxSheet[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const r of s.rows) ws.addRow(r);
    for (const m of s.merges ?? []) ws.mergeCells(m);
  }
  await wb.xlsx.writeFile(path);
}

export function csv(rows: string[][], sep = ','): string {
  return rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(sep)).join('\r\n') + '\r\n';
}

export interface ZipEntry {
  name: string | Buffer;
  data: Buffer;
  deflate?: boolean;
  symlink?: boolean;
  /** Set the UTF-8 name flag (bit 11). */
  utf8?: boolean;
  /** Bytes already deflated (with the inflated size and CRC): a bomb built without holding it. */
  deflated?: { body: Buffer; size: number; crc: number };
  /** The inflated size the headers claim, when it should lie. */
  declaredSize?: number;
}

/** A minimal zip writer, so tests can craft entries a normal tool refuses to make. */
export function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name;
    const body = e.deflated ? e.deflated.body : e.deflate ? deflateRawSync(e.data) : e.data;
    const crc = e.deflated ? e.deflated.crc : crc32(e.data);
    const size = e.declaredSize ?? (e.deflated ? e.deflated.size : e.data.length);
    const flag = e.utf8 ? 0x800 : 0;
    const method = e.deflate || e.deflated ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flag, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode bits count
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flag, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.symlink ? 0o120777 : 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from('JFIF\0 test jpeg body')]);
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png body')]);
export const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic')]);

/**
 * Fingerprint of a workspace: every row of every table (a full data dump), the desk.sqlite bytes
 * and the blob tree. Equal fingerprints = the workspace is unchanged.
 */
export function fingerprint(ws: Workspace): { dump: string; dbBytes: string; blobs: string[] } {
  const tables = ws.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  const h = createHash('sha256');
  for (const { name } of tables) {
    h.update(`#${name}\n`);
    // Sorted as text: some tables are WITHOUT ROWID.
    const rows = ws.db.prepare(`SELECT * FROM "${name}"`).all().map((r) => JSON.stringify(r)).sort();
    for (const r of rows) h.update(r + '\n');
  }
  // Make the bytes on disk current, so the comparison sees every committed change.
  ws.db.pragma('wal_checkpoint(TRUNCATE)');
  const dbBytes = createHash('sha256').update(readFileSync(join(ws.dir, 'desk.sqlite'))).digest('hex');
  const blobs: string[] = [];
  const root = join(ws.dir, 'blobs');
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) {
        blobs.push(relative(root, p) + '/');
        walk(p);
      } else blobs.push(relative(root, p));
    }
  };
  if (existsSync(root)) walk(root);
  return { dump: h.digest('hex'), dbBytes, blobs: blobs.filter((b) => b !== 'tmp/').sort() };
}

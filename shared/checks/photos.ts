/**
 * The college's photo folder against the list (学籍照片核对): before review the college imports
 * each applicant's standard photo into the platform, one file per applicant named by the ID
 * number. This turns what the desk found in the folder into one report row per applicant (and one
 * per file nobody owns), each problem with what to do about it. Pure: the service reads the folder.
 */
import { idNumberInName } from '../import/sniff.js';
import type { PortraitVerdict } from './portrait.js';
import type { Rules } from './rules.js';

export type PhotoSpec = Rules['photos'];

/** What the service learnt about one file of the folder. */
export interface PhotoFile {
  /** File name (no folder). */
  name: string;
  size: number;
  /** By magic bytes. */
  type: 'jpeg' | 'png' | 'other';
  /** Pixel size; null when the image does not decode. */
  width: number | null;
  height: number | null;
  /** null when the image does not decode. */
  portrait: PortraitVerdict | null;
}

export type PhotoProblemCode =
  | 'missing'
  | 'duplicate'
  | 'wrong_type'
  | 'unreadable'
  | 'wrong_pixels'
  | 'too_large'
  | 'too_small'
  | 'not_portrait'
  | 'not_on_list'
  | 'no_id_in_name';

export const PHOTO_PROBLEM_LABELS: Readonly<Record<PhotoProblemCode, string>> = {
  missing: '缺少照片',
  duplicate: '同一身份证号有多张照片',
  wrong_type: '文件类型不符',
  unreadable: '图片无法打开',
  wrong_pixels: '像素尺寸不符',
  too_large: '文件过大',
  too_small: '文件过小',
  not_portrait: '不是证件照',
  not_on_list: '名单中没有此身份证号',
  no_id_in_name: '文件名不是身份证号',
};

export interface PhotoProblem {
  code: PhotoProblemCode;
  /** The file concerned ('' for a missing photo). */
  file: string;
  message: string;
  /** What the registrar does about it. */
  fix: string;
}

export interface PhotoRow {
  /** Spreadsheet row of the applicant; null for a file that belongs to nobody on the list. */
  rowNo: number | null;
  idNumber: string;
  name: string;
  files: string[];
  problems: PhotoProblem[];
}

export interface PhotoListEntry {
  idNumber: string;
  name: string;
  rowNo: number;
}

const EXT = /\.([A-Za-z0-9]+)$/;
const kb = (n: number): string => `${Math.round(n / 102.4) / 10} KB`;

function typeName(t: PhotoFile['type']): string {
  return t === 'jpeg' ? 'JPG' : t === 'png' ? 'PNG' : '非图片';
}

/** The problems of one file taken on its own (type, decoding, pixels, bytes, portrait). */
export function fileProblems(f: PhotoFile, spec: PhotoSpec): PhotoProblem[] {
  const out: PhotoProblem[] = [];
  const p = (code: PhotoProblemCode, message: string, fix: string): void => {
    out.push({ code, file: f.name, message, fix });
  };
  const wanted = spec.types.map((t) => typeName(t)).join('/');
  const ext = EXT.exec(f.name)?.[1]?.toLowerCase() ?? '';
  if (f.type === 'other' || !(spec.types as readonly string[]).includes(f.type)) {
    p('wrong_type', `文件是 ${typeName(f.type)} 格式，应为 ${wanted}`, `另存为 ${wanted} 格式（.${spec.extensions[0] ?? 'jpg'}），不要只改扩展名`);
  } else if (!spec.extensions.includes(ext)) {
    p('wrong_type', `扩展名 .${ext || '（无）'} 不符，应为 .${spec.extensions.join(' 或 .')}`, `把文件改名为 身份证号.${spec.extensions[0] ?? 'jpg'}`);
  }
  // Not a picture at all: its size and shape say nothing more.
  if (f.type === 'other') return out;
  if (f.width === null || f.height === null) {
    p('unreadable', '图片无法打开（文件损坏或不完整）', '重新导出或重新拍摄照片');
    return out;
  }
  if (f.width !== null && f.height !== null) {
    const { minWidth, maxWidth, minHeight, maxHeight } = spec;
    if (f.width < minWidth || f.width > maxWidth || f.height < minHeight || f.height > maxHeight) {
      const want = minWidth === maxWidth && minHeight === maxHeight ? `${minWidth}×${minHeight}` : `宽 ${minWidth}–${maxWidth}、高 ${minHeight}–${maxHeight}`;
      p('wrong_pixels', `像素为 ${f.width}×${f.height}，应为 ${want}（宽×高）`, `裁剪或缩放到 ${want} 像素后保存`);
    }
  }
  if (f.size > spec.maxBytes) p('too_large', `文件 ${kb(f.size)}，超过 ${kb(spec.maxBytes)}`, '降低保存质量（如 JPG 质量 80）后重新保存');
  if (f.size < spec.minBytes) p('too_small', `文件 ${kb(f.size)}，小于 ${kb(spec.minBytes)}，可能压缩过度看不清`, '用原始照片重新导出，不要过度压缩');
  if (f.portrait && !f.portrait.ok) p('not_portrait', f.portrait.why, '换成本人正面免冠、纯色背景的证件照');
  return out;
}

/**
 * One row per applicant on the list (in list order) and one per file that belongs to nobody,
 * each with its problems; applicants with a single good photo get a row without problems.
 */
export function photoReport(list: readonly PhotoListEntry[], files: readonly PhotoFile[], spec: PhotoSpec): PhotoRow[] {
  const byId = new Map<string, PhotoFile[]>();
  const orphans: PhotoRow[] = [];
  for (const f of files) {
    const id = idNumberInName(f.name.replace(EXT, ''));
    if (!id) {
      orphans.push({ rowNo: null, idNumber: '', name: '', files: [f.name], problems: [{ code: 'no_id_in_name', file: f.name, message: '文件名中没有 18 位身份证号', fix: '以考生身份证号命名（如 430102200301011234.jpg），或移出此文件夹' }] });
      continue;
    }
    const list2 = byId.get(id);
    if (list2) list2.push(f);
    else byId.set(id, [f]);
  }
  const rows: PhotoRow[] = [];
  const listed = new Set<string>();
  for (const a of list) {
    listed.add(a.idNumber);
    const mine = (byId.get(a.idNumber) ?? []).sort((x, y) => x.name.localeCompare(y.name));
    const problems: PhotoProblem[] = [];
    if (mine.length === 0) {
      const ext = spec.extensions[0] ?? 'jpg';
      problems.push({ code: 'missing', file: '', message: '文件夹中没有此考生的照片', fix: `补充照片，命名为 ${a.idNumber}.${ext}` });
    }
    if (mine.length > 1) {
      problems.push({ code: 'duplicate', file: mine.map((f) => f.name).join('、'), message: `有 ${mine.length} 张照片：${mine.map((f) => f.name).join('、')}`, fix: '只保留一张，删除其余' });
    }
    for (const f of mine) problems.push(...fileProblems(f, spec));
    rows.push({ rowNo: a.rowNo, idNumber: a.idNumber, name: a.name, files: mine.map((f) => f.name), problems });
  }
  for (const [id, mine] of byId) {
    if (listed.has(id)) continue;
    for (const f of mine) {
      orphans.push({ rowNo: null, idNumber: id, name: '', files: [f.name], problems: [{ code: 'not_on_list', file: f.name, message: `身份证号 ${id} 不在考生名单中`, fix: '核对文件名中的身份证号是否抄错；不是本校考生的照片移出此文件夹' }] });
    }
  }
  return [...rows, ...orphans.sort((x, y) => (x.files[0] ?? '').localeCompare(y.files[0] ?? ''))];
}

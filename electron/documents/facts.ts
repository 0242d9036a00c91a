/**
 * What a scan's bytes say (document_facts): type, pixel size, how much ink, an 8×8 difference
 * hash for near-duplicates, pages and structural damage. Keyed by content, so a file is examined
 * once however often it is imported. The checks area reads facts through these functions.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { bands } from '../../shared/checks/runner.js';
import type { CheckDocument, DocumentFacts } from '../../shared/checks/types.js';
import type { DocumentKind } from '../../shared/domain.js';
import { sniffType } from '../../shared/import/sniff.js';
import type { Db } from '../workspace/index.js';
import type { Workspace } from '../workspace/index.js';

/** Bump when computeFacts changes, so cached facts are recomputed. */
export const FACTS_VERSION = 1;

const MIME_TYPE: Record<string, DocumentFacts['type']> = {
  'application/pdf': 'pdf', 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp', 'image/bmp': 'bmp', 'image/tiff': 'tiff',
};

/**
 * A cheap structural test of a PDF: header, a final %%EOF, and a startxref offset that lands on
 * an xref table or stream object. A file cut short (an interrupted upload) fails all but the first.
 */
export function pdfStructure(bytes: Buffer): { ok: boolean; problem: string; pages: number | null } {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return { ok: false, problem: '缺少 %PDF- 文件头', pages: null };
  const tail = bytes.subarray(Math.max(0, bytes.length - 2048)).toString('latin1');
  if (!/%%EOF\s*$/.test(tail)) return { ok: false, problem: '文件不完整（没有 %%EOF 结尾）', pages: null };
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) return { ok: false, problem: '缺少交叉引用表位置（startxref）', pages: null };
  const at = Number(m[1]);
  const there = at < bytes.length ? bytes.subarray(at, at + 32).toString('latin1') : '';
  if (!/^(xref|\d+\s+\d+\s+obj)/.test(there)) return { ok: false, problem: '交叉引用表位置错误（文件已损坏）', pages: null };
  const text = bytes.toString('latin1');
  const pages = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  return { ok: true, problem: '', pages: pages > 0 ? pages : null };
}

/** Longest side of the decode the blank test and dHash look at. */
const SAMPLE = 256;

/**
 * Facts of one image: pixel size, how much of it is ink (pixels far from the page's median
 * luminance, on a downscaled copy) and an 8×8 difference hash.
 */
async function imageFacts(bytes: Buffer): Promise<Pick<DocumentFacts, 'width' | 'height' | 'ink' | 'dhash' | 'readable' | 'problem'>> {
  let img;
  try {
    img = await loadImage(bytes);
  } catch (e) {
    return { width: null, height: null, ink: null, dhash: null, readable: false, problem: `图片无法解码（${(e as Error).message}）` };
  }
  const { width, height } = img;
  if (!width || !height) return { width: null, height: null, ink: null, dhash: null, readable: false, problem: '图片无法解码' };
  const scale = Math.min(1, SAMPLE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(img, 0, 0, w, h);
  const data = ctx.getImageData(0, 0, w, h).data;
  const lum = new Uint8Array(w * h);
  const hist = new Uint32Array(256);
  for (let i = 0; i < lum.length; i++) {
    const v = Math.round(0.299 * (data[i * 4] ?? 0) + 0.587 * (data[i * 4 + 1] ?? 0) + 0.114 * (data[i * 4 + 2] ?? 0));
    lum[i] = v;
    hist[v] = (hist[v] ?? 0) + 1;
  }
  let median = 0;
  for (let acc = 0; median < 255; median++) {
    acc += hist[median] ?? 0;
    if (acc * 2 >= lum.length) break;
  }
  let inked = 0;
  for (const v of lum) if (Math.abs(v - median) > 48) inked++;

  // Cell means by box averaging over the sample: a canvas downscale to 9×8 samples rather than
  // averages, and on mostly white paper that turns the gradient bits into noise.
  const sums = new Float64Array(72);
  const counts = new Float64Array(72);
  for (let y = 0; y < h; y++) {
    const row = Math.min(7, Math.floor((y * 8) / h)) * 9;
    for (let x = 0; x < w; x++) {
      const k = row + Math.min(8, Math.floor((x * 9) / w));
      sums[k] = (sums[k] ?? 0) + (lum[y * w + x] ?? 0);
      counts[k] = (counts[k] ?? 0) + 1;
    }
  }
  const g = (x: number, y: number): number => (sums[y * 9 + x] ?? 0) / Math.max(1, counts[y * 9 + x] ?? 0);
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) byte = (byte << 1) | (g(x, y) > g(x + 1, y) ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return { width, height, ink: inked / lum.length, dhash: hex, readable: true, problem: '' };
}

export async function computeFacts(sha256: string, bytes: Buffer | null): Promise<DocumentFacts> {
  const base: DocumentFacts = { sha256, size: bytes?.length ?? 0, type: 'missing', width: null, height: null, ink: null, dhash: null, readable: false, pages: null, problem: '' };
  if (!bytes) return { ...base, problem: '文件在工作区中缺失' };
  const sniffed = sniffType(bytes.subarray(0, 64));
  if (!sniffed.ok) return { ...base, type: sniffed.kind === 'empty' ? 'empty' : 'unknown', problem: sniffed.kind === 'empty' ? '空文件' : '未知文件类型' };
  const type = MIME_TYPE[sniffed.mime] ?? 'unknown';
  if (type === 'pdf') {
    const s = pdfStructure(bytes);
    return { ...base, type, readable: s.ok, problem: s.problem, pages: s.pages };
  }
  const cut = truncatedImage(type, bytes);
  if (cut) return { ...base, type, pages: 1, problem: cut };
  return { ...base, type, pages: 1, ...(await imageFacts(bytes)) };
}

/**
 * Skia decodes a cut-off PNG or JPEG without complaint (the missing rows come out white), so an
 * interrupted upload would pass as a blank page. The end markers tell.
 */
export function truncatedImage(type: DocumentFacts['type'], bytes: Buffer): string {
  if (type === 'png' && bytes.subarray(Math.max(0, bytes.length - 12)).indexOf('IEND', 0, 'latin1') < 0) return '图片不完整（缺少 PNG 结束块）';
  // Some phones append their own data after the JPEG's end marker, so look a little further back.
  if (type === 'jpeg' && bytes.subarray(Math.max(0, bytes.length - 65536)).indexOf(Buffer.from([0xff, 0xd9])) < 0) return '图片不完整（缺少 JPEG 结束标记）';
  return '';
}

interface FactsRow {
  sha256: string; size: number; type: DocumentFacts['type']; width: number | null; height: number | null; ink: number | null;
  dhash: string | null; readable: number; pages: number | null; problem: string;
}

const fromRow = (r: FactsRow): DocumentFacts => ({ ...r, readable: r.readable === 1 });

/** Computes and stores the facts of every listed blob that has none (or stale ones). */
export async function ensureFacts(ws: Workspace, sha256s: Iterable<string>): Promise<number> {
  const have = ws.db.prepare('SELECT 1 FROM document_facts WHERE sha256 = ? AND facts_version = ?');
  const todo = [...new Set(sha256s)].filter((s) => !have.get(s, FACTS_VERSION));
  if (todo.length === 0) return 0;
  const ins = ws.db.prepare(
    `INSERT OR REPLACE INTO document_facts (sha256, size, type, width, height, ink, dhash, band0, band1, band2, band3, readable, pages, problem, facts_version, computed_at)
     VALUES (@sha256, @size, @type, @width, @height, @ink, @dhash, @band0, @band1, @band2, @band3, @readable, @pages, @problem, @facts_version, @computed_at)`,
  );
  const now = new Date().toISOString();
  const rows: Record<string, unknown>[] = [];
  for (const sha of todo) {
    const bytes = ws.blobs.has(sha) ? ws.blobs.read(sha) : null;
    const f = await computeFacts(sha, bytes);
    const b = f.dhash ? bands(f.dhash) : [null, null, null, null];
    rows.push({ ...f, readable: f.readable ? 1 : 0, band0: b[0], band1: b[1], band2: b[2], band3: b[3], facts_version: FACTS_VERSION, computed_at: now });
  }
  ws.db.transaction(() => {
    for (const r of rows) ins.run(r);
  }).immediate();
  return rows.length;
}

/** Scans named by a document that have no current facts yet. */
export function scansWithoutFacts(db: Db): string[] {
  return db
    .prepare(
      `SELECT DISTINCT d.sha256 FROM documents d LEFT JOIN document_facts f ON f.sha256 = d.sha256 AND f.facts_version = ${FACTS_VERSION}
       WHERE f.sha256 IS NULL`,
    )
    .pluck()
    .all() as string[];
}

interface DocRow {
  id: number; id_number: string; kind: DocumentKind; original_name: string; sha256: string;
  f_sha: string | null; size: number | null; type: DocumentFacts['type'] | null; width: number | null; height: number | null;
  ink: number | null; dhash: string | null; readable: number | null; pages: number | null; problem: string | null;
}

const DOC_SELECT = `SELECT d.id, d.id_number, d.kind, d.original_name, d.sha256, f.sha256 AS f_sha, f.size, f.type, f.width, f.height,
  f.ink, f.dhash, f.readable, f.pages, f.problem
  FROM documents d LEFT JOIN document_facts f ON f.sha256 = d.sha256 AND f.facts_version = ${FACTS_VERSION}`;

function toCheckDocument(r: DocRow): CheckDocument {
  const facts = r.f_sha === null ? null : fromRow({
    sha256: r.f_sha, size: r.size ?? 0, type: r.type ?? 'unknown', width: r.width, height: r.height, ink: r.ink,
    dhash: r.dhash, readable: r.readable ?? 0, pages: r.pages, problem: r.problem ?? '',
  });
  return { id: r.id, kind: r.kind, originalName: r.original_name, sha256: r.sha256, facts };
}

/** Every applicant's documents with their facts (null where not examined yet), by ID number. */
export function documentsWithFacts(db: Db): Map<string, CheckDocument[]> {
  const docs = new Map<string, CheckDocument[]>();
  for (const r of db.prepare(DOC_SELECT).all() as DocRow[]) {
    const list = docs.get(r.id_number);
    if (list) list.push(toCheckDocument(r));
    else docs.set(r.id_number, [toCheckDocument(r)]);
  }
  return docs;
}

/** A reader of one applicant's documents with facts, prepared once for many applicants. */
export function documentsWithFactsReader(db: Db): (idNumber: string) => CheckDocument[] {
  const q = db.prepare(`${DOC_SELECT} WHERE d.id_number = ?`);
  return (idNumber) => (q.all(idNumber) as DocRow[]).map(toCheckDocument);
}

/** A lookup of the other applicants holding the same scan or a near-identical one of the same kind. */
export function scanPeerLookups(db: Db): {
  sameScan(sha256: string, except: string): string[];
  similar(d: { sha256: string; kind: string; dhash: string }, except: string): { idNumber: string; dhash: string }[];
} {
  const sha = db.prepare('SELECT DISTINCT id_number FROM documents WHERE sha256 = ? AND id_number <> ?').pluck();
  const near = db.prepare(
    `SELECT DISTINCT d.id_number AS idNumber, f.dhash FROM document_facts f JOIN documents d ON d.sha256 = f.sha256
     WHERE (f.band0 = @b0 OR f.band1 = @b1 OR f.band2 = @b2 OR f.band3 = @b3) AND f.facts_version = ${FACTS_VERSION}
       AND f.sha256 <> @sha AND d.kind = @kind AND d.id_number <> @id`,
  );
  return {
    sameScan: (sha256, except) => sha.all(sha256, except) as string[],
    similar: (d, except) => {
      const [b0, b1, b2, b3] = bands(d.dhash);
      return near.all({ b0, b1, b2, b3, sha: d.sha256, kind: d.kind, id: except }) as { idNumber: string; dhash: string }[];
    },
  };
}

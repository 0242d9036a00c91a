/**
 * Eligibility checks on the electron side: examines each scan's bytes once (facts cached by
 * sha256), feeds declared data + facts + peers into the pure catalogue (shared/checks) and keeps
 * the results in check_results. Results are recomputed after every import, when the rules file
 * or the previous-examinee list changes (a stamp tells), and per applicant on demand.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import iconv from 'iconv-lite';
import { DeskError } from '../../shared/api/index.js';
import type { CheckReport, CheckRunReport, CheckSummaryView, PreviousImportReport } from '../../shared/api/checks.js';
import { CHECKS } from '../../shared/checks/catalogue.js';
import { parseRules, type Rules } from '../../shared/checks/rules.js';
import { bands, checkApplicant, findPeers, hamming64, summarise, type PopulationRow } from '../../shared/checks/runner.js';
import type { CheckDocument, CheckResult, DocumentFacts, Peers, Severity } from '../../shared/checks/types.js';
import type { ApplicantDeclared, DocumentKind } from '../../shared/domain.js';
import { idProblems, maskId } from '../../shared/idcard.js';
import { normaliseIdNumber } from '../../shared/import/normalise.js';
import { sniffType } from '../../shared/import/sniff.js';
import type { Db } from '../workspace/sqlite.js';
import type { Workspace } from '../workspace/workspace.js';
import { toDeclared } from '../review/decisions.js';

/** Bump when computeFacts changes, so cached facts are recomputed. */
export const FACTS_VERSION = 1;
export const RULES_YEAR = 2024;

// —— rules ——

export interface LoadedRules {
  rules: Rules;
  sha256: string;
  file: string;
}

function rulesDirs(): string[] {
  const list: string[] = [];
  if (process.env.DESK_RULES_DIR) list.push(process.env.DESK_RULES_DIR);
  // Electron's packaged resources folder; absent under plain Node.
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged) list.push(join(packaged, 'rules'), join(packaged, 'resources', 'rules'));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    list.push(join(dir, 'resources', 'rules'));
    dir = dirname(dir);
  }
  list.push(resolve('resources', 'rules'));
  return list;
}

const rulesCache = new Map<string, LoadedRules>();

/** The rules of a year, read from resources/rules/<year>.json (re-read when the file changes). */
export function loadRules(year = RULES_YEAR): LoadedRules {
  const file = rulesDirs().map((d) => join(d, `${year}.json`)).find((f) => existsSync(f));
  if (!file) throw new DeskError('rules_missing', `找不到 ${year} 年审核规则文件（resources/rules/${year}.json）。`);
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const cached = rulesCache.get(file);
  if (cached?.sha256 === sha256) return cached;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new DeskError('rules_invalid', `规则文件不是有效的 JSON：${file}（${(e as Error).message}）`);
  }
  let rules: Rules;
  try {
    rules = parseRules(json);
  } catch (e) {
    throw new DeskError('rules_invalid', `${(e as Error).message}（${file}）`);
  }
  const loaded = { rules, sha256, file };
  rulesCache.set(file, loaded);
  return loaded;
}

// —— scan facts ——

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
  })();
  return rows.length;
}

// —— running the checks ——

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

/** What the stored results must have been computed from to be current. */
function currentStamp(db: Db, rulesSha: string): string {
  const imp = db.prepare('SELECT id FROM imports ORDER BY at DESC, rowid DESC LIMIT 1').get() as { id: string } | undefined;
  const prev = db.prepare('SELECT COUNT(*) AS n, MAX(imported_at) AS at FROM previous_examinees').get() as { n: number; at: string | null };
  return `${rulesSha}|${imp?.id ?? ''}|${prev.n}:${prev.at ?? ''}|f${FACTS_VERSION}`;
}

/**
 * Rows this service owns: catalogue ids have no dot. Other producers write namespaced ids into the
 * same table (the OCR queue's 'ocr.…'), and a rerun of the catalogue must leave those alone.
 */
const OWN_ROWS = "instr(check_id, '.') = 0";

const insertSql = `INSERT INTO check_results (id_number, check_id, severity, message, message_en, field, document_id, suggested_reason, peers)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The one prepared INSERT, reused across applicants (preparing it per applicant cost more than the inserts). */
type Statement = { run(...params: unknown[]): unknown };

function insertResults(ins: Statement, idNumber: string, results: readonly CheckResult[]): void {
  for (const r of results) {
    ins.run(idNumber, r.checkId, r.severity, r.message, r.messageEn, r.field ?? null, r.documentId ?? null, r.suggestedReason ?? null, r.peers?.length ? JSON.stringify(r.peers) : '');
  }
}

/** Every check over every current applicant; replaces all stored results in one transaction. */
export async function runAllChecks(ws: Workspace, loaded: LoadedRules = loadRules()): Promise<CheckRunReport> {
  const started = performance.now();
  const { db } = ws;
  const unexamined = db.prepare(
    `SELECT DISTINCT d.sha256 FROM documents d LEFT JOIN document_facts f ON f.sha256 = d.sha256 AND f.facts_version = ${FACTS_VERSION}
     WHERE f.sha256 IS NULL`,
  ).pluck().all() as string[];
  const factsComputed = await ensureFacts(ws, unexamined);
  const applicants = (db.prepare('SELECT * FROM applicants WHERE withdrawn = 0 ORDER BY row_no').all() as Parameters<typeof toDeclared>[0][]).map(toDeclared);
  const docs = new Map<string, CheckDocument[]>();
  for (const r of db.prepare(DOC_SELECT).all() as DocRow[]) {
    const list = docs.get(r.id_number);
    if (list) list.push(toCheckDocument(r));
    else docs.set(r.id_number, [toCheckDocument(r)]);
  }
  const previous = new Set(db.prepare('SELECT id_number FROM previous_examinees').pluck().all() as string[]);
  const population: PopulationRow[] = applicants.map((a) => ({
    idNumber: a.idNumber,
    phone: a.phone,
    documents: (docs.get(a.idNumber) ?? []).map((d) => ({ id: d.id, sha256: d.sha256, dhash: d.facts?.dhash ?? null, kind: d.kind })),
  }));
  const peers = findPeers(population, previous, loaded.rules.scans.similarMaxDistance);
  const all = applicants.map((declared) => ({
    idNumber: declared.idNumber,
    results: checkApplicant({ declared, documents: docs.get(declared.idNumber) ?? [], peers: peers.get(declared.idNumber) ?? emptyPeers() }, loaded.rules),
  }));
  let results = 0;
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const stamp = currentStamp(db, loaded.sha256);
  const ins = db.prepare(insertSql);
  db.transaction(() => {
    db.prepare(`DELETE FROM check_results WHERE ${OWN_ROWS}`).run();
    for (const a of all) {
      insertResults(ins, a.idNumber, a.results);
      results += a.results.length;
      for (const r of a.results) bySeverity[r.severity]++;
    }
    db.prepare('INSERT INTO check_runs (at, rules_version, rules_sha256, stamp, applicants, ms) VALUES (?, ?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), loaded.rules.version, loaded.sha256, stamp, all.length, Math.round(performance.now() - started));
  })();
  return { applicants: all.length, results, factsComputed, ms: Math.round(performance.now() - started), rulesVersion: loaded.rules.version, bySeverity };
}

function emptyPeers(): Peers {
  return { samePhone: [], sameId17: [], sameScan: [], similarScan: [], previousExaminee: false };
}

/**
 * After an import: recompute everything. The import has already committed, so a failure here must
 * not report the import as failed; the stale stamp makes the next read retry (and show the error).
 */
export async function refreshChecksAfterImport(ws: Workspace): Promise<void> {
  try {
    await runAllChecks(ws);
  } catch (e) {
    process.stderr.write(`资格检查未能完成，将在下次查看时重试：${(e as Error).message}\n`);
  }
}

/** Runs everything when the stored results are stale (rules file, list or examinee list changed). */
export async function ensureFresh(ws: Workspace): Promise<void> {
  const loaded = loadRules();
  const last = ws.db.prepare('SELECT stamp FROM check_runs ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
  if (last !== currentStamp(ws.db, loaded.sha256)) await runAllChecks(ws, loaded);
}

/** Prepared lookups of one applicant's peers through indexes (the incremental path). */
function peerLookups(db: Db): (declared: ApplicantDeclared, docs: readonly CheckDocument[], maxDistance: number) => Peers {
  const phone = db.prepare('SELECT id_number FROM applicants WHERE phone = ? AND withdrawn = 0 AND id_number <> ?').pluck();
  const id17 = db.prepare("SELECT id_number FROM applicants WHERE id_number >= ? AND id_number <= ? || 'X' AND length(id_number) >= 17 AND withdrawn = 0 AND id_number <> ?").pluck();
  const sha = db.prepare('SELECT DISTINCT d.id_number FROM documents d JOIN applicants a ON a.id_number = d.id_number WHERE d.sha256 = ? AND a.withdrawn = 0 AND d.id_number <> ?').pluck();
  const near = db.prepare(
    `SELECT DISTINCT d.id_number, f.dhash FROM document_facts f JOIN documents d ON d.sha256 = f.sha256 JOIN applicants a ON a.id_number = d.id_number
     WHERE (f.band0 = @b0 OR f.band1 = @b1 OR f.band2 = @b2 OR f.band3 = @b3) AND f.facts_version = ${FACTS_VERSION}
       AND f.sha256 <> @sha AND d.kind = @kind AND a.withdrawn = 0 AND d.id_number <> @id`,
  );
  const prev = db.prepare('SELECT 1 FROM previous_examinees WHERE id_number = ?').pluck();
  return (declared, docs, maxDistance) => {
    const id = declared.idNumber;
    const sameScan: Peers['sameScan'] = [];
    const similarScan: Peers['similarScan'] = [];
    for (const d of docs) {
      const same = sha.all(d.sha256, id) as string[];
      if (same.length) sameScan.push({ documentId: d.id, others: same });
      const h = d.facts?.dhash;
      if (!h) continue;
      const [b0, b1, b2, b3] = bands(h);
      const rows = near.all({ b0, b1, b2, b3, sha: d.sha256, kind: d.kind, id }) as { id_number: string; dhash: string }[];
      const others = [...new Set(rows.filter((r) => hamming64(r.dhash, h) <= maxDistance).map((r) => r.id_number))].sort();
      if (others.length) similarScan.push({ documentId: d.id, others });
    }
    return {
      samePhone: declared.phone.trim() ? (phone.all(declared.phone.trim(), id) as string[]) : [],
      sameId17: id.length >= 17 ? (id17.all(id.slice(0, 17), id.slice(0, 17), id) as string[]) : [],
      sameScan,
      similarScan,
      previousExaminee: prev.get(id) !== undefined,
    };
  };
}

/**
 * Recheck of one applicant: its own results, plus those of every applicant it collides with now
 * or collided with before (a changed phone number clears the old partner's duplicate too).
 */
export async function recheckApplicant(ws: Workspace, idNumber: string, loaded: LoadedRules = loadRules()): Promise<CheckResult[]> {
  const { db } = ws;
  const docsOf = db.prepare(`${DOC_SELECT} WHERE d.id_number = ?`);
  const own = docsOf.all(idNumber) as DocRow[];
  if (own.some((r) => r.f_sha === null)) await ensureFacts(ws, own.map((r) => r.sha256));
  const applicant = db.prepare('SELECT * FROM applicants WHERE id_number = ?');
  const oldPeers = db.prepare(`SELECT peers FROM check_results WHERE id_number = ? AND peers <> '' AND ${OWN_ROWS}`).pluck();
  const lookup = peerLookups(db);
  const compute = (id: string): { results: CheckResult[]; withdrawn: boolean } | null => {
    const row = applicant.get(id) as (Parameters<typeof toDeclared>[0] & { withdrawn: number }) | undefined;
    if (!row) return null;
    if (row.withdrawn) return { results: [], withdrawn: true };
    const declared = toDeclared(row);
    const documents = (docsOf.all(id) as DocRow[]).map(toCheckDocument);
    const peers = lookup(declared, documents, loaded.rules.scans.similarMaxDistance);
    return { results: checkApplicant({ declared, documents, peers }, loaded.rules), withdrawn: false };
  };
  const mine = compute(idNumber);
  if (!mine) throw new DeskError('not_found', `没有身份证号为 ${idNumber} 的考生。`);
  const affected = new Set<string>();
  for (const p of oldPeers.all(idNumber) as string[]) for (const x of JSON.parse(p) as string[]) affected.add(x);
  for (const r of mine.results) for (const x of r.peers ?? []) affected.add(x);
  affected.delete(idNumber);
  const others = [...affected].map((id) => ({ id, r: compute(id) }));
  const del = db.prepare(`DELETE FROM check_results WHERE id_number = ? AND ${OWN_ROWS}`);
  const ins = db.prepare(insertSql);
  db.transaction(() => {
    del.run(idNumber);
    insertResults(ins, idNumber, mine.results);
    for (const o of others) {
      if (!o.r) continue;
      del.run(o.id);
      insertResults(ins, o.id, o.r.results);
    }
  })();
  return mine.results;
}

// —— reading results ——

interface ResultRow {
  id_number: string; check_id: string; severity: Severity; message: string; message_en: string; field: string | null;
  document_id: number | null; suggested_reason: string | null; peers: string;
}

function toResult(r: ResultRow): CheckResult {
  return {
    checkId: r.check_id,
    severity: r.severity,
    message: r.message,
    messageEn: r.message_en,
    ...(r.field === null ? {} : { field: r.field as keyof ApplicantDeclared }),
    ...(r.document_id === null ? {} : { documentId: r.document_id }),
    ...(r.suggested_reason === null ? {} : { suggestedReason: r.suggested_reason }),
    ...(r.peers ? { peers: JSON.parse(r.peers) as string[] } : {}),
  };
}

const SEVERITY_ORDER = "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END";

export async function getResults(ws: Workspace, idNumber: string): Promise<CheckResult[]> {
  await ensureFresh(ws);
  const id = normaliseIdNumber(idNumber);
  const known = ws.db.prepare('SELECT 1 FROM applicants WHERE id_number = ?').get(id);
  if (!known) throw new DeskError('not_found', `没有身份证号为 ${id} 的考生。`);
  return (ws.db.prepare(`SELECT * FROM check_results WHERE id_number = ? ORDER BY ${SEVERITY_ORDER}, id`).all(id) as ResultRow[]).map(toResult);
}

/** Every applicant's results, grouped (CLI `check` and the demo evaluation). */
export function allResults(ws: Workspace): Map<string, CheckResult[]> {
  const out = new Map<string, CheckResult[]>();
  const rows = ws.db.prepare(`SELECT r.* FROM check_results r JOIN applicants a ON a.id_number = r.id_number ORDER BY a.row_no, ${SEVERITY_ORDER}, r.id`).all() as ResultRow[];
  for (const r of rows) {
    const list = out.get(r.id_number);
    if (list) list.push(toResult(r));
    else out.set(r.id_number, [toResult(r)]);
  }
  return out;
}

export async function checkSummary(ws: Workspace): Promise<CheckSummaryView> {
  await ensureFresh(ws);
  const byApplicant = allResults(ws);
  const ids = ws.db.prepare('SELECT id_number FROM applicants WHERE withdrawn = 0').pluck().all() as string[];
  const s = summarise(ids.map((id) => ({ idNumber: id, results: byApplicant.get(id) ?? [] })));
  return {
    ...s,
    rulesVersion: loadRules().rules.version,
    titles: Object.fromEntries(CHECKS.map((c) => [c.id, { title: c.title, titleEn: c.titleEn, severity: c.severity }])),
  };
}

export async function checkReport(ws: Workspace, opts: { rerun: boolean; severity?: Severity | undefined }): Promise<CheckReport> {
  if (opts.rerun) await runAllChecks(ws);
  const summary = await checkSummary(ws);
  const byApplicant = allResults(ws);
  const rows = ws.db.prepare('SELECT id_number, name, row_no FROM applicants WHERE withdrawn = 0 ORDER BY row_no').all() as { id_number: string; name: string; row_no: number }[];
  const applicants: CheckReport['applicants'] = [];
  for (const r of rows) {
    const results = (byApplicant.get(r.id_number) ?? []).filter((x) => !opts.severity || x.severity === opts.severity);
    if (results.length) applicants.push({ idNumber: r.id_number, idMasked: maskId(r.id_number), name: r.name, rowNo: r.row_no, results });
  }
  return { summary, applicants };
}

// —— previous-year examinees ——

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
  })();
  const matched = ws.db.prepare('SELECT COUNT(*) FROM previous_examinees p JOIN applicants a ON a.id_number = p.id_number WHERE a.withdrawn = 0').pluck().get() as number;
  await runAllChecks(ws);
  return { file, listed: ids.size, matched, rejected, invalid };
}

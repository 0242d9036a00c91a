/**
 * Cross-check lists (比对名单): the province's list of last year's examinees (上年已参加专升本考试)
 * and of applicants already admitted in the first half through another plan (上半年已被其他计划
 * 录取). A match disqualifies (shared/checks: previous_exam, admitted_other_plan). Each import is a
 * `crosslist` event of the log (kind, file name, ID numbers), so the list travels to every PC with
 * the decisions; the list in force per kind is the latest such event. Read from xlsx or CSV
 * (UTF-8 or GBK).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import iconv from 'iconv-lite';
import { DeskError } from '../../shared/api/index.js';
import type { CrossListImportReport, CrossListStatus } from '../../shared/api/checks.js';
import { CROSS_LIST_KINDS, CROSS_LISTS, crossListPayload, readCrossListPayload, type CrossListKind } from '../../shared/checks/lists.js';
import type { CrossLists } from '../../shared/checks/runner.js';
import { idProblems } from '../../shared/idcard.js';
import { normaliseIdNumber } from '../../shared/import/normalise.js';
import { actor, hasAccounts } from '../accounts/index.js';
import { listApplicantRecords } from '../applicants/index.js';
import { deviceId as thisDevice } from '../platform/index.js';
import type { SyncEvent } from '../../shared/sync/events.js';
import { appendEvents, eventById, latestEventIdWhere } from '../sync/index.js';
import type { Db } from '../workspace/index.js';
import type { Workspace } from '../workspace/index.js';
import { runAllChecks } from './run.js';

interface ListInForce {
  /** Event id, or 'table' for the list a desk before issue 17 kept in previous_examinees. */
  source: string;
  file: string;
  by: string;
  at: string;
  ids: ReadonlySet<string>;
}

/** Parsed lists by event id: events never change, and a list can hold a province's worth of IDs. */
const parsed = new Map<string, ListInForce>();

/**
 * Before issue 17 the previous-year list was a table of this PC only. Until sync turns it into an
 * event (ensureCrossListBaseline) or a list of that kind is imported, the table still counts.
 */
function legacyPrevious(db: Db): ListInForce | null {
  const rows = db.prepare('SELECT id_number, source, imported_at FROM previous_examinees').all() as { id_number: string; source: string; imported_at: string }[];
  const first = rows[0];
  if (!first) return null;
  return { source: 'table', file: first.source, by: '', at: first.imported_at, ids: new Set(rows.map((r) => r.id_number)) };
}

function listInForce(db: Db, kind: CrossListKind): ListInForce | null {
  const id = latestEventIdWhere(db, 'crosslist', 'list', kind);
  if (id === null) return kind === 'previous' ? legacyPrevious(db) : null;
  const cached = parsed.get(id);
  if (cached) return cached;
  const e = eventById(db, id);
  const p = e ? readCrossListPayload(e.payload) : null;
  if (!e || !p) return null;
  const list: ListInForce = { source: id, file: p.file, by: e.reviewer, at: e.at, ids: new Set(p.ids) };
  // A handful of kinds, each replaced rarely: keep the last few lists parsed.
  if (parsed.size >= 8) parsed.delete(parsed.keys().next().value ?? '');
  parsed.set(id, list);
  return list;
}

/** Every list in force, by kind (the checks run reads this). */
export function crossLists(db: Db): CrossLists {
  const out: CrossLists = {};
  for (const k of CROSS_LIST_KINDS) {
    const l = listInForce(db, k);
    if (l) out[k] = l.ids;
  }
  return out;
}

/** The lists one ID number is on (the incremental recheck). */
export function listsWith(db: Db, idNumber: string): CrossListKind[] {
  return CROSS_LIST_KINDS.filter((k) => listInForce(db, k)?.ids.has(idNumber) === true);
}

/** Changes whenever a list is replaced (here or by a synced event): part of the stamp of current results. */
export function crossListStamp(db: Db): string {
  return CROSS_LIST_KINDS.map((k) => {
    const id = latestEventIdWhere(db, 'crosslist', 'list', k);
    if (id !== null || k !== 'previous') return id ?? '';
    const t = db.prepare('SELECT COUNT(*) AS n, MAX(imported_at) AS at FROM previous_examinees').get() as { n: number; at: string | null };
    return `table:${t.n}:${t.at ?? ''}`;
  }).join(',');
}

/** What each list in force is (the desk shows it next to the import button). */
export function crossListStatus(ws: Workspace): CrossListStatus[] {
  const applicants = new Set(listApplicantRecords(ws.db).map((a) => a.declared.idNumber));
  return CROSS_LIST_KINDS.map((kind) => {
    const l = listInForce(ws.db, kind);
    const info = CROSS_LISTS[kind];
    if (!l) return { kind, label: info.label, imported: false, file: '', by: '', at: '', listed: 0, matched: 0, synced: false };
    let matched = 0;
    for (const id of l.ids) if (applicants.has(id)) matched++;
    return { kind, label: info.label, imported: true, file: l.file, by: l.by, at: l.at, listed: l.ids.size, matched, synced: l.source !== 'table' };
  });
}

/** Whether this desk can read a `crosslist` event (one from a newer desk may carry a kind it does not know). */
export function readableCrossList(e: SyncEvent): boolean {
  return readCrossListPayload(e.payload) !== null;
}

/**
 * The previous-year list a desk before issue 17 kept in its table becomes an event, so it travels
 * with the next bundle like any list imported since (sync calls this before a bundle is cut and a
 * merge applied). A list already imported as an event since is newer: the table's copy is dropped.
 */
export function ensureCrossListBaseline(ws: Workspace, deviceId: string): SyncEvent | null {
  const legacy = legacyPrevious(ws.db);
  if (!legacy) return null;
  let made: SyncEvent | null = null;
  ws.db.transaction(() => {
    if (latestEventIdWhere(ws.db, 'crosslist', 'list', 'previous') === null) {
      const [e] = appendEvents(ws, deviceId, [{ kind: 'crosslist', reviewer: '名单基线', payload: crossListPayload({ list: 'previous', file: legacy.file, ids: [...legacy.ids].sort() }) }]);
      made = e ?? null;
    }
    ws.db.prepare('DELETE FROM previous_examinees').run();
  })();
  return made;
}

/**
 * Copies the checks' data from an attached database (a clone for another PC): the findings and the
 * run that made them (the clone shows the same findings at once) and a pre-issue-17 previous-year
 * table (lists since are events, which the clone gets with the log).
 */
export function copyChecksFrom(db: Db, alias: string): void {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`invalid alias ${alias}`);
  db.exec(`INSERT INTO main.previous_examinees SELECT * FROM ${alias}.previous_examinees;
    INSERT INTO main.check_results SELECT * FROM ${alias}.check_results;
    INSERT INTO main.check_runs SELECT * FROM ${alias}.check_runs;`);
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

/** Who imports: the signed-in supervisor or admin, or the typed name on a desk without accounts. */
function importer(ws: Workspace, by: string | undefined): string {
  if (!hasAccounts(ws)) return by?.trim() || '未署名';
  return actor(ws, ['admin', 'supervisor'], undefined, by).name;
}

export interface CrossListImportOptions {
  /** The operator's name on a desk without accounts (must match the signed-in account otherwise). */
  by?: string | undefined;
  /** This installation's id (recorded in the event); the platform's when not given. */
  deviceId?: string | undefined;
}

/**
 * Imports a list of one kind, replacing the one in force (as a new event of the log), and rechecks.
 * Values Excel turned into numbers are refused one by one; a file without any ID number is refused.
 */
export async function importCrossList(ws: Workspace, kind: CrossListKind, listPath: string, opts: CrossListImportOptions = {}): Promise<CrossListImportReport> {
  if (!existsSync(listPath)) throw new DeskError('not_found', `名单文件不存在：${listPath}`);
  const file = basename(listPath);
  const ids = new Set<string>();
  const rejected: CrossListImportReport['rejected'] = [];
  const invalid: CrossListImportReport['invalid'] = [];
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
  const reviewer = importer(ws, opts.by);
  appendEvents(ws, opts.deviceId ?? thisDevice(), [{ kind: 'crosslist', reviewer, payload: crossListPayload({ list: kind, file, ids: [...ids].sort() }) }]);
  const matched = listApplicantRecords(ws.db).filter((a) => ids.has(a.declared.idNumber)).length;
  await runAllChecks(ws);
  return { kind, label: CROSS_LISTS[kind].label, file, listed: ids.size, matched, rejected, invalid };
}

/** The previous-year list (kept for `import-previous` and the `previous.import` call). */
export function importPrevious(ws: Workspace, listPath: string, opts: CrossListImportOptions = {}): Promise<CrossListImportReport> {
  return importCrossList(ws, 'previous', listPath, opts);
}

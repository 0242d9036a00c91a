/**
 * The `list` event (名单版本): one import of the applicant list, as data of the synced log. It
 * carries every row the import changed — the full declared data of each added, corrected,
 * re-listed or withdrawn applicant — and the documents the import attached, so that applying the
 * list events of a college in any order gives every PC the same list: for each applicant the
 * version with the greatest HLC is in force (shared by every PC: a row's HLC is its event's).
 *
 * A baseline event turns a list imported before list events existed into data: all rows with the
 * time each last changed (`hlc`) and their earlier change history (`past`), so it sorts where it
 * happened and the history travels too. Pure: types and the reader that refuses what this version
 * cannot apply faithfully.
 */
import { CATEGORY_CODES, EMPTY_DECLARED, type ApplicantDeclared } from '../domain.js';
import type { JsonValue } from './events.js';

export const LIST_PAYLOAD_VERSION = 1;

/** One change of one field, as applicant_changes keeps it: field, old, new, hlc, at, importId. */
export type PastChange = [string, string, string, string, string, string];

export interface ListRow {
  declared: ApplicantDeclared;
  rowNo: number;
  withdrawn: boolean;
  /** Baseline rows only: when this row's data last changed (else the event's HLC). */
  hlc?: string;
  /** Baseline rows only: the change history before list events. */
  past?: PastChange[];
  /** Baseline rows only: the import that last wrote the row, and when. */
  importId?: string;
  at?: string;
}

/** A scan the import attached to an applicant (the bytes travel separately, by sha256). */
export interface ListDocument {
  idNumber: string;
  kind: string;
  sha256: string;
  originalName: string;
  size: number;
  mime: string;
}

/** An import as the history shows it (file name and counts), for imports made before list events. */
export interface ListImport {
  id: string;
  file: string;
  fileSha256: string;
  at: string;
  added: number;
  updated: number;
  documents: number;
  report: string;
}

export interface ListPayload {
  v: number;
  importId: string;
  file: string;
  fileSha256: string;
  /** Wall-clock time of the import on the PC that made it (for people). */
  at: string;
  baseline: boolean;
  rows: ListRow[];
  documents: ListDocument[];
  /** The import's own summary (added, updated…), shown in the imports history. */
  summary: { [k: string]: JsonValue };
  /** Baseline only: the imports made before list events. */
  imports?: ListImport[];
}

const DECLARED_KEYS = Object.keys(EMPTY_DECLARED) as (keyof ApplicantDeclared)[];

function declaredToJson(d: ApplicantDeclared): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = {};
  for (const k of DECLARED_KEYS) out[k] = d[k];
  return out;
}

export function listPayload(p: ListPayload): { [k: string]: JsonValue } {
  const rows: JsonValue[] = p.rows.map((r) => {
    const row: { [k: string]: JsonValue } = { declared: declaredToJson(r.declared), rowNo: r.rowNo, withdrawn: r.withdrawn };
    if (r.hlc !== undefined) row.hlc = r.hlc;
    if (r.past !== undefined) row.past = r.past;
    if (r.importId !== undefined) row.importId = r.importId;
    if (r.at !== undefined) row.at = r.at;
    return row;
  });
  const documents: JsonValue[] = p.documents.map((d) => ({ ...d }));
  const out: { [k: string]: JsonValue } = {
    v: p.v, importId: p.importId, file: p.file, fileSha256: p.fileSha256, at: p.at, baseline: p.baseline, rows, documents, summary: p.summary,
  };
  if (p.imports) out.imports = p.imports.map((i) => ({ ...i }));
  return out;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

function readDeclared(v: unknown): ApplicantDeclared | null {
  if (!isObj(v)) return null;
  const out: Record<string, unknown> = { ...EMPTY_DECLARED };
  for (const k of DECLARED_KEYS) {
    const x = v[k];
    if (x === undefined) continue; // a field this version has and the sender's had not: empty
    if (k === 'gradYear') {
      if (x !== null && (typeof x !== 'number' || !Number.isInteger(x))) return null;
    } else if (!isStr(x)) return null;
    out[k] = x;
  }
  if (!isStr(out.idNumber) || out.idNumber === '' || !(CATEGORY_CODES as readonly unknown[]).includes(out.category)) return null;
  if (!['男', '女', ''].includes(out.sex as string)) return null;
  return out as unknown as ApplicantDeclared;
}

/**
 * The list carried by an event, or null when this version cannot apply it faithfully (a newer
 * payload version, a category it does not know): the merge refuses such a bundle by name.
 */
export function readListPayload(payload: { [k: string]: JsonValue }): ListPayload | null {
  const p = payload as Record<string, unknown>;
  if (p.v !== LIST_PAYLOAD_VERSION || !isStr(p.importId) || !isStr(p.file) || !isStr(p.fileSha256) || !isStr(p.at)) return null;
  if (!Array.isArray(p.rows) || !Array.isArray(p.documents) || !isObj(p.summary)) return null;
  const rows: ListRow[] = [];
  for (const r of p.rows) {
    if (!isObj(r) || typeof r.rowNo !== 'number' || typeof r.withdrawn !== 'boolean') return null;
    const declared = readDeclared(r.declared);
    if (!declared) return null;
    const row: ListRow = { declared, rowNo: r.rowNo, withdrawn: r.withdrawn };
    if (r.hlc !== undefined) {
      if (!isStr(r.hlc)) return null;
      row.hlc = r.hlc;
    }
    if (r.past !== undefined) {
      if (!Array.isArray(r.past) || !r.past.every((c) => Array.isArray(c) && c.length === 6 && c.every(isStr))) return null;
      row.past = r.past as PastChange[];
    }
    if (r.importId !== undefined || r.at !== undefined) {
      if (!isStr(r.importId) || !isStr(r.at)) return null;
      row.importId = r.importId;
      row.at = r.at;
    }
    rows.push(row);
  }
  const documents: ListDocument[] = [];
  for (const d of p.documents) {
    if (!isObj(d) || !isStr(d.idNumber) || !isStr(d.kind) || !isStr(d.sha256) || !/^[0-9a-f]{64}$/.test(d.sha256) || !isStr(d.originalName)) return null;
    if (typeof d.size !== 'number' || !isStr(d.mime)) return null;
    documents.push({ idNumber: d.idNumber, kind: d.kind, sha256: d.sha256, originalName: d.originalName, size: d.size, mime: d.mime });
  }
  let imports: ListImport[] | undefined;
  if (p.imports !== undefined) {
    if (!Array.isArray(p.imports)) return null;
    imports = [];
    for (const i of p.imports) {
      if (!isObj(i) || !isStr(i.id) || !isStr(i.file) || !isStr(i.fileSha256) || !isStr(i.at) || !isStr(i.report)) return null;
      if (typeof i.added !== 'number' || typeof i.updated !== 'number' || typeof i.documents !== 'number') return null;
      imports.push({ id: i.id, file: i.file, fileSha256: i.fileSha256, at: i.at, added: i.added, updated: i.updated, documents: i.documents, report: i.report });
    }
  }
  return {
    v: p.v, importId: p.importId, file: p.file, fileSha256: p.fileSha256, at: p.at, baseline: p.baseline === true, rows, documents,
    summary: p.summary as { [k: string]: JsonValue }, ...(imports ? { imports } : {}),
  };
}

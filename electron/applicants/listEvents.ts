/**
 * The list as data of the log (名单版本): every import is a `list` event (shared/sync/list.ts)
 * and the applicants table is the projection of all list events this PC has, whichever PC made
 * them and in whatever order they arrived. Each event's rows become versions in
 * applicant_versions; for each applicant the version with the greatest HLC is in force, and the
 * change history (applicant_changes) is the difference between consecutive versions, each stamped
 * with the HLC of the version that made it. So the list, its history and "changed since decided"
 * are the same on every PC that has the same events.
 *
 * Versions usually arrive newest-last (a local import, a peer's later import) and are applied by
 * one diff against the row; one that arrives out of order (a PC a week late) makes that
 * applicant's history be recomputed from all of its versions.
 */
import { randomUUID } from 'node:crypto';
import { readListPayload, listPayload, type ListDocument, type ListPayload, type ListRow, type PastChange } from '../../shared/sync/list.js';
import type { SyncEvent } from '../../shared/sync/events.js';
import type { ApplicantDeclared } from '../../shared/domain.js';
import { whoAmI } from '../accounts/index.js';
import { documentsForBaseline, recordListedDocuments } from '../documents/index.js';
import { appendEvents } from '../sync/index.js';
import type { Db, Workspace } from '../workspace/index.js';
import { COLUMNS, toDeclared, type ApplicantRow } from './store.js';

const asText = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
/** The HLC form of a wall-clock time, for data written before it had an HLC (node unknown: zeros). */
const legacyHlc = (iso: string): string => `${iso}-0000-0000000000000000`;

interface Version {
  idNumber: string;
  hlc: string;
  eventId: string;
  importId: string;
  at: string;
  rowNo: number;
  declared: ApplicantDeclared;
  withdrawn: boolean;
  past: PastChange[];
}

interface VersionRow {
  id_number: string;
  hlc: string;
  event_id: string;
  import_id: string;
  at: string;
  row_no: number;
  declared: string;
  withdrawn: number;
  past: string;
}

const fromRow = (r: VersionRow): Version => ({
  idNumber: r.id_number, hlc: r.hlc, eventId: r.event_id, importId: r.import_id, at: r.at, rowNo: r.row_no,
  declared: JSON.parse(r.declared) as ApplicantDeclared, withdrawn: r.withdrawn === 1, past: JSON.parse(r.past) as PastChange[],
});

const byHlc = (a: Version, b: Version): number => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/**
 * One change, whichever import is named with it: a baseline's history and the difference between
 * two PCs' baselines can describe the same change (same field, values and HLC) by different imports.
 */
const changeKey = (c: PastChange): string => JSON.stringify([c[0], c[1], c[2], c[3]]);

/** What changed from one version to the next: one row per field, plus leaving or re-joining the list. */
function diff(prev: { declared: ApplicantDeclared; withdrawn: boolean }, v: Version): PastChange[] {
  const out: PastChange[] = [];
  for (const [k] of COLUMNS) {
    if (prev.declared[k] !== v.declared[k]) out.push([k, asText(prev.declared[k]), asText(v.declared[k]), v.hlc, v.at, v.importId]);
  }
  if (prev.withdrawn !== v.withdrawn) out.push(['withdrawn', prev.withdrawn ? '1' : '0', v.withdrawn ? '1' : '0', v.hlc, v.at, v.importId]);
  return out;
}

interface Statements {
  version: { run(...p: unknown[]): { changes: number } };
  upsert: { run(...p: unknown[]): unknown };
  change: { run(...p: unknown[]): unknown };
}

function statements(db: Db): Statements {
  const cols = COLUMNS.map(([, c]) => c);
  return {
    version: db.prepare(
      'INSERT OR IGNORE INTO applicant_versions (id_number, hlc, event_id, import_id, at, row_no, declared, withdrawn, past) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    upsert: db.prepare(
      `INSERT INTO applicants (${cols.join(', ')}, row_no, import_id, updated_at, withdrawn, version_hlc, id_number)
       VALUES (${cols.map(() => '?').join(', ')}, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id_number) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}, row_no = excluded.row_no,
         import_id = excluded.import_id, updated_at = excluded.updated_at, withdrawn = excluded.withdrawn, version_hlc = excluded.version_hlc`,
    ),
    change: db.prepare('INSERT INTO applicant_changes (id_number, import_id, at, field, old_value, new_value, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)'),
  };
}

function writeRow(s: Statements, v: Version): void {
  s.upsert.run(...COLUMNS.map(([k]) => v.declared[k]), v.rowNo, v.importId, v.at, v.withdrawn ? 1 : 0, v.hlc, v.idNumber);
}

function writeChanges(s: Statements, id: string, changes: readonly PastChange[]): void {
  for (const [field, from, to, hlc, at, importId] of changes) s.change.run(id, importId, at, field, from, to, hlc);
}

/** The applicant's row and history recomputed from all of its versions (a version arrived out of order). */
function refold(db: Db, s: Statements, id: string): void {
  const versions = (db.prepare('SELECT * FROM applicant_versions WHERE id_number = ?').all(id) as VersionRow[]).map(fromRow).sort(byHlc);
  const last = versions.at(-1);
  if (!last) return;
  const changes: PastChange[] = [];
  const seen = new Set<string>();
  const add = (c: PastChange): void => {
    const key = changeKey(c);
    if (!seen.has(key)) {
      seen.add(key);
      changes.push(c);
    }
  };
  let prev: Version | null = null;
  for (const v of versions) {
    for (const p of v.past) add(p);
    if (prev) for (const c of diff(prev, v)) add(c);
    prev = v;
  }
  db.prepare('DELETE FROM applicant_changes WHERE id_number = ?').run(id);
  writeRow(s, last);
  writeChanges(s, id, changes);
}

function versionsOf(e: SyncEvent, p: ListPayload): Version[] {
  return p.rows.map((r: ListRow) => ({
    idNumber: r.declared.idNumber, hlc: r.hlc ?? e.hlc, eventId: e.id, importId: r.importId ?? p.importId, at: r.at ?? p.at,
    rowNo: r.rowNo, declared: r.declared, withdrawn: r.withdrawn, past: r.past ?? [],
  }));
}

/**
 * Applies list events (made here or arrived from another PC) to the list. Runs inside the caller's
 * transaction (an import, a sync merge). The events were read by readListPayload before (the
 * merge refuses a bundle whose list it cannot apply). Returns the applicants whose row changed
 * and how many documents became visible.
 */
export function applyListEvents(ws: Workspace, events: readonly SyncEvent[]): { applicants: string[]; documents: number } {
  const { db } = ws;
  const s = statements(db);
  const insImport = db.prepare('INSERT OR IGNORE INTO imports (id, file, file_sha256, at, added, updated, documents, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const fresh = new Map<string, Version[]>();
  const docs: { doc: ListDocument; importId: string }[] = [];
  for (const e of events) {
    const p = readListPayload(e.payload);
    if (!p) throw new Error(`list event ${e.id} cannot be applied by this version`);
    for (const i of p.imports ?? []) insImport.run(i.id, i.file, i.fileSha256, i.at, i.added, i.updated, i.documents, i.report);
    if (!p.baseline) {
      const n = (k: string): number => (typeof p.summary[k] === 'number' ? (p.summary[k] as number) : 0);
      insImport.run(p.importId, p.file, p.fileSha256, p.at, n('added'), n('updated'), n('documents'), JSON.stringify(p.summary));
    }
    for (const v of versionsOf(e, p)) {
      const res = s.version.run(v.idNumber, v.hlc, v.eventId, v.importId, v.at, v.rowNo, JSON.stringify(v.declared), v.withdrawn ? 1 : 0, JSON.stringify(v.past));
      if (res.changes === 0) continue; // already here
      const list = fresh.get(v.idNumber);
      if (list) list.push(v);
      else fresh.set(v.idNumber, [v]);
    }
    for (const d of p.documents) docs.push({ doc: d, importId: p.importId });
  }
  // One read of the rows a large import touches, instead of one query per row.
  const rows = fresh.size > 500
    ? new Map((db.prepare('SELECT * FROM applicants').all() as (ApplicantRow & { version_hlc: string })[]).map((r) => [r.id_number, r]))
    : null;
  const one = db.prepare('SELECT * FROM applicants WHERE id_number = ?');
  const current = { get: (id: string): unknown => (rows ? rows.get(id) : one.get(id)) };
  const hasChange = db.prepare('SELECT 1 FROM applicant_changes WHERE id_number = ? AND field = ? AND old_value = ? AND new_value = ? AND hlc = ?').pluck();
  const changed: string[] = [];
  for (const [id, versions] of fresh) {
    versions.sort(byHlc);
    const row = current.get(id) as (ApplicantRow & { version_hlc: string; import_id: string; updated_at: string }) | undefined;
    const first = versions[0];
    if (!first) continue;
    if (row && row.version_hlc === '') {
      // A row from before list events: only its own baseline covers it (the merge makes that
      // baseline before applying anything else), and the baseline says what the row says.
      const last = versions.at(-1);
      if (last) db.prepare('UPDATE applicants SET version_hlc = ?, import_id = ?, updated_at = ? WHERE id_number = ?').run(last.hlc, last.importId, last.at, id);
      continue;
    }
    if (row && first.hlc < row.version_hlc) {
      refold(db, s, id);
      changed.push(id);
      continue;
    }
    let prev = row ? { declared: toDeclared(row), withdrawn: row.withdrawn === 1 } : null;
    for (const v of versions) {
      // Another PC's baseline may carry history this PC has already (both were cloned from one).
      const past = new Set(v.past.map(changeKey));
      const rows = [...v.past, ...(prev ? diff(prev, v).filter((c) => !past.has(changeKey(c))) : [])];
      writeChanges(s, id, rows.filter((c) => hasChange.get(id, c[0], c[1], c[2], c[3]) === undefined));
      prev = v;
    }
    const last = versions.at(-1);
    if (last) writeRow(s, last);
    changed.push(id);
  }
  const known = db.prepare('SELECT 1 FROM applicants WHERE id_number = ?').pluck();
  let documents = 0;
  for (const { doc, importId } of docs) documents += recordListedDocuments(db, [doc], importId, (id) => known.get(id) !== undefined);
  return { applicants: changed, documents };
}

/** The reviewer a list event names: whoever is signed in, else the desk itself. */
export function importerName(ws: Workspace): string {
  return whoAmI(ws)?.name ?? '名单导入';
}

/**
 * A list imported before list events existed becomes one baseline event, so it travels like any
 * later import: every row with the time it last changed and its history, every document, every
 * import. Made once, before this PC applies or sends list events (a row of another PC's import
 * applied on top would otherwise be sent as if this PC had seen it first). Inside the caller's
 * transaction; returns the event, or null when every row already comes from list events.
 */
export function ensureListBaseline(ws: Workspace, deviceId: string): SyncEvent | null {
  const { db } = ws;
  const legacy = db.prepare("SELECT * FROM applicants WHERE version_hlc = '' ORDER BY row_no, id_number").all() as (ApplicantRow & {
    import_id: string; updated_at: string;
  })[];
  if (legacy.length === 0) return null;
  const ids = new Set(legacy.map((r) => r.id_number));
  const past = new Map<string, PastChange[]>();
  for (const c of db.prepare("SELECT id_number, field, old_value, new_value, hlc, at, import_id FROM applicant_changes WHERE hlc <> '' ORDER BY id").all() as {
    id_number: string; field: string; old_value: string; new_value: string; hlc: string; at: string; import_id: string;
  }[]) {
    if (!ids.has(c.id_number)) continue;
    const list = past.get(c.id_number) ?? [];
    list.push([c.field, c.old_value, c.new_value, c.hlc, c.at, c.import_id]);
    past.set(c.id_number, list);
  }
  const rows: ListRow[] = legacy.map((r) => {
    const history = past.get(r.id_number) ?? [];
    let hlc = legacyHlc(r.updated_at);
    for (const c of history) if (c[3] > hlc) hlc = c[3];
    return { declared: toDeclared(r), rowNo: r.row_no, withdrawn: r.withdrawn === 1, hlc, past: history, importId: r.import_id, at: r.updated_at };
  });
  const imports = (db.prepare('SELECT id, file, file_sha256, at, added, updated, documents, report FROM imports ORDER BY at, rowid').all() as {
    id: string; file: string; file_sha256: string; at: string; added: number; updated: number; documents: number; report: string;
  }[]).map((i) => ({ id: i.id, file: i.file, fileSha256: i.file_sha256, at: i.at, added: i.added, updated: i.updated, documents: i.documents, report: i.report }));
  const payload: ListPayload = {
    v: 1, importId: `baseline-${randomUUID()}`, file: '', fileSha256: '', at: new Date().toISOString(), baseline: true, rows,
    documents: documentsForBaseline(db, ids), summary: { baseline: legacy.length }, imports,
  };
  const [e] = appendEvents(ws, deviceId, [{ kind: 'list', reviewer: '名单基线', payload: listPayload(payload) }]);
  if (!e) return null;
  applyListEvents(ws, [e]);
  return e;
}

/** The list event of one import: the rows it changed and the documents it attached. */
export function importEventPayload(p: Omit<ListPayload, 'v' | 'baseline'>): ReturnType<typeof listPayload> {
  return listPayload({ ...p, v: 1, baseline: false });
}

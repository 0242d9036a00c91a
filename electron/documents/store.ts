/**
 * The documents area's tables: `blobs` (scans stored once by content) and `documents` (which
 * applicant uploaded which scan, as which kind). Adapters serve scans only through
 * documentBlob, by id: the renderer never sees or sends a file path. Every other area reads and
 * writes these tables through the functions here.
 */
import type { DocumentInfo } from '../../shared/api/index.js';
import type { DocumentKind } from '../../shared/domain.js';
import type { Db } from '../workspace/index.js';
import type { Workspace } from '../workspace/index.js';

export interface DocumentBlob {
  path: string;
  mime: string;
  size: number;
}

export function documentBlob(ws: Workspace, id: number): DocumentBlob | null {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row = ws.db
    .prepare('SELECT b.sha256, b.mime, b.size FROM documents d JOIN blobs b ON b.sha256 = d.sha256 WHERE d.id = ?')
    .get(id) as { sha256: string; mime: string; size: number } | undefined;
  if (!row) return null;
  return { path: ws.blobs.pathOf(row.sha256), mime: row.mime, size: row.size };
}

/** One document row with its scan's type, as the checks, OCR and sync read it. */
export interface DocumentRecord {
  id: number;
  idNumber: string;
  kind: DocumentKind;
  sha256: string;
  originalName: string;
  mime: string;
  size: number;
}

const RECORD = `SELECT d.id, d.id_number AS idNumber, d.kind, d.sha256, d.original_name AS originalName, b.mime, b.size
  FROM documents d JOIN blobs b ON b.sha256 = d.sha256`;

/** An applicant's scans as the review shows them (grouped by kind, then by file name). */
export function documentsOf(db: Db, idNumber: string): DocumentInfo[] {
  return (db.prepare(`${RECORD} WHERE d.id_number = ? ORDER BY d.kind, d.original_name`).all(idNumber) as DocumentRecord[]).map(
    (d): DocumentInfo => ({ id: d.id, kind: d.kind, mime: d.mime, originalName: d.originalName, size: d.size, sha256: d.sha256 }),
  );
}

export function documentById(db: Db, id: number): DocumentRecord | null {
  return (db.prepare(`${RECORD} WHERE d.id = ?`).get(id) as DocumentRecord | undefined) ?? null;
}

/** Every document row, in a stable order (by applicant, then id). */
export function allDocuments(db: Db): DocumentRecord[] {
  return db.prepare(`${RECORD} ORDER BY d.id_number, d.id`).all() as DocumentRecord[];
}

/** Documents of one applicant, in id order. */
export function documentRecordsOf(db: Db, idNumber: string): DocumentRecord[] {
  return db.prepare(`${RECORD} WHERE d.id_number = ? ORDER BY d.id`).all(idNumber) as DocumentRecord[];
}

/** Every document that names this scan (the same file uploaded by several applicants). */
export function documentsWithScan(db: Db, sha256: string): DocumentRecord[] {
  return db.prepare(`${RECORD} WHERE d.sha256 = ? ORDER BY d.id`).all(sha256) as DocumentRecord[];
}

/** Scans with a committed row: durable on disk (the import's barrier ran before the row). */
export function knownBlobs(db: Db): Set<string> {
  return new Set(db.prepare('SELECT sha256 FROM blobs').pluck().all() as string[]);
}

/** Size and type of a recorded scan. */
export function blobMeta(db: Db, sha256: string): { size: number; mime: string } | null {
  return (db.prepare('SELECT size, mime FROM blobs WHERE sha256 = ?').get(sha256) as { size: number; mime: string } | undefined) ?? null;
}

/** Scans with a committed row, in hash order. */
export function blobList(db: Db): string[] {
  return db.prepare('SELECT sha256 FROM blobs ORDER BY sha256').pluck().all() as string[];
}

export interface NewDocument {
  idNumber: string;
  kind: string;
  sha256: string;
  originalName: string;
  size: number;
  mime: string;
}

/**
 * Records scans and the documents that name them. Called inside the caller's transaction (an
 * import or a sync merge), so rows and the rest of that change commit together. Returns how
 * many documents were new (a scan already recorded for the applicant is not added twice).
 */
export function insertDocuments(db: Db, docs: Iterable<NewDocument>, source: string, now: string): number {
  const insBlob = db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, ?, ?)');
  const insDoc = db.prepare('INSERT OR IGNORE INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, ?, ?, ?, ?)');
  let added = 0;
  for (const d of docs) {
    insBlob.run(d.sha256, d.size, d.mime, now);
    added += insDoc.run(d.idNumber, d.kind, d.sha256, d.originalName, source).changes;
  }
  return added;
}

/** How many of these documents are not recorded yet (what an import is about to add). */
export function countNewDocuments(db: Db, docs: Iterable<{ idNumber: string; sha256: string }>): number {
  const has = db.prepare('SELECT 1 FROM documents WHERE id_number = ? AND sha256 = ?').pluck();
  const seen = new Set<string>();
  let n = 0;
  for (const d of docs) {
    const key = `${d.idNumber}\u0000${d.sha256}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (has.get(d.idNumber, d.sha256) === undefined) n++;
  }
  return n;
}

/**
 * Applicants that would hold more than `max` documents once these are added (a scan an applicant
 * has already is not counted twice), each with that number: what an import refuses.
 */
export function documentsOverCap(db: Db, docs: Iterable<{ idNumber: string; sha256: string }>, max: number): { idNumber: string; count: number }[] {
  const adding = new Map<string, Set<string>>();
  for (const d of docs) {
    const set = adding.get(d.idNumber) ?? new Set<string>();
    set.add(d.sha256);
    adding.set(d.idNumber, set);
  }
  const existing = db.prepare('SELECT sha256 FROM documents WHERE id_number = ? UNION SELECT sha256 FROM documents_pending WHERE id_number = ?').pluck();
  const over: { idNumber: string; count: number }[] = [];
  for (const [idNumber, shas] of adding) {
    const all = new Set([...(existing.all(idNumber, idNumber) as string[]), ...shas]);
    if (all.size > max) over.push({ idNumber, count: all.size });
  }
  return over;
}

/** Records scans that arrived without a document row yet (a sync bundle carries both). */
export function insertBlobs(db: Db, blobs: Iterable<{ sha256: string; size: number; mime: string }>, now: string): void {
  const insBlob = db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, ?, ?)');
  for (const b of blobs) insBlob.run(b.sha256, b.size, b.mime, now);
}

/** Adds document rows for scans already recorded (sync), skipping applicants the caller does not know. */
export function insertDocumentRows(db: Db, docs: Iterable<{ idNumber: string; kind: string; sha256: string; originalName: string }>, source: string): number {
  const insDoc = db.prepare('INSERT OR IGNORE INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, ?, ?, ?, ?)');
  let added = 0;
  for (const d of docs) added += insDoc.run(d.idNumber, d.kind, d.sha256, d.originalName, source).changes;
  return added;
}

export function countDocuments(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n;
}

/**
 * Copies the scan rows and document rows from an attached database (a clone for another PC).
 * Without the scans the documents wait in documents_pending until their scans arrive by sync.
 */
export function copyDocumentsFrom(db: Db, alias: string, opts: { scans: boolean } = { scans: true }): void {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`invalid alias ${alias}`);
  // What the scans' bytes say (by content): the clone need not compute it again.
  db.exec(`INSERT INTO main.document_facts SELECT * FROM ${alias}.document_facts;`);
  if (opts.scans) {
    db.exec(`INSERT INTO main.blobs SELECT * FROM ${alias}.blobs;
      INSERT INTO main.documents SELECT * FROM ${alias}.documents;
      INSERT INTO main.documents_pending SELECT * FROM ${alias}.documents_pending;`);
  } else {
    db.exec(`INSERT OR IGNORE INTO main.documents_pending (id_number, sha256, kind, original_name, size, mime, import_id)
        SELECT d.id_number, d.sha256, d.kind, d.original_name, b.size, b.mime, d.import_id FROM ${alias}.documents d JOIN ${alias}.blobs b ON b.sha256 = d.sha256;
      INSERT OR IGNORE INTO main.documents_pending SELECT * FROM ${alias}.documents_pending;`);
  }
}

/**
 * Documents a list event names (electron/applicants/listEvents.ts): recorded at once when their
 * scan is here, otherwise kept in documents_pending until a sync brings the scan. Inside the
 * caller's transaction. Returns how many documents became visible now.
 */
export function recordListedDocuments(db: Db, docs: Iterable<NewDocument>, source: string, isKnown: (idNumber: string) => boolean): number {
  const hasBlob = db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').pluck();
  const insDoc = db.prepare('INSERT OR IGNORE INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, ?, ?, ?, ?)');
  const insPending = db.prepare(
    'INSERT OR IGNORE INTO documents_pending (id_number, sha256, kind, original_name, size, mime, import_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  let added = 0;
  for (const d of docs) {
    if (hasBlob.get(d.sha256) !== undefined && isKnown(d.idNumber)) added += insDoc.run(d.idNumber, d.kind, d.sha256, d.originalName, source).changes;
    else insPending.run(d.idNumber, d.sha256, d.kind, d.originalName, d.size, d.mime, source);
  }
  return added;
}

/**
 * Pending documents whose scan has arrived (and whose applicant is on this PC's list) become
 * documents. Inside the caller's transaction.
 */
export function promotePendingDocuments(db: Db, isKnown: (idNumber: string) => boolean): number {
  const ready = db.prepare('SELECT p.* FROM documents_pending p JOIN blobs b ON b.sha256 = p.sha256').all() as {
    id_number: string; sha256: string; kind: string; original_name: string; import_id: string;
  }[];
  if (ready.length === 0) return 0;
  const insDoc = db.prepare('INSERT OR IGNORE INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, ?, ?, ?, ?)');
  const del = db.prepare('DELETE FROM documents_pending WHERE id_number = ? AND sha256 = ?');
  let added = 0;
  for (const r of ready) {
    if (!isKnown(r.id_number)) continue;
    added += insDoc.run(r.id_number, r.kind, r.sha256, r.original_name, r.import_id).changes;
    del.run(r.id_number, r.sha256);
  }
  return added;
}

/** Scans some document is waiting for (what a sync should fetch), in hash order. */
export function pendingScans(db: Db): string[] {
  return db.prepare('SELECT DISTINCT sha256 FROM documents_pending ORDER BY sha256').pluck().all() as string[];
}

/** Every document row with its scan's size and type: what a baseline list event carries. */
export function documentsForBaseline(db: Db, idNumbers?: ReadonlySet<string>): NewDocument[] {
  const rows = db.prepare(
    `SELECT d.id_number AS idNumber, d.kind, d.sha256, d.original_name AS originalName, b.size, b.mime FROM documents d JOIN blobs b ON b.sha256 = d.sha256
     UNION SELECT id_number, kind, sha256, original_name, size, mime FROM documents_pending ORDER BY 1, 3`,
  ).all() as NewDocument[];
  return idNumbers ? rows.filter((r) => idNumbers.has(r.idNumber)) : rows;
}

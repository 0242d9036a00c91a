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

/** Copies the scan rows and document rows from an attached database (a clone for another PC). */
export function copyDocumentsFrom(db: Db, alias: string): void {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`invalid alias ${alias}`);
  db.exec(`INSERT INTO main.blobs SELECT * FROM ${alias}.blobs;
    INSERT INTO main.documents SELECT * FROM ${alias}.documents;`);
}

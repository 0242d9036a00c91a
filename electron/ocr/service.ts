/**
 * The background reading queue of one workspace (识别队列): reads every scan that has no reading
 * yet, one at a time in the OCR worker, caches the reading by sha256 and writes the cross-check
 * of each document against the declared data. It can be paused and resumed; when it runs dry
 * the worker is shut down, so an idle desk holds no models in memory.
 */
import { readFileSync } from 'node:fs';
import type { OcrDocumentView, OcrQueueStatus, OcrRunReport } from '../../shared/api/ocr.js';
import { DeskError } from '../../shared/api/envelope.js';
import type { DocumentKind } from '../../shared/domain.js';
import { crossCheck } from '../../shared/ocr/crosscheck.js';
import { kindIsRead } from '../../shared/ocr/extract.js';
import type { OcrFieldCheck, OcrRead, OcrStatus } from '../../shared/ocr/types.js';
import type { CheckResult } from '../../shared/checks/types.js';
import { findApplicant, listApplicantRecords } from '../applicants/index.js';
import { recordExternalFindings } from '../checks/index.js';
import { allDocuments, documentById, documentRecordsOf, documentsWithScan, type DocumentRecord } from '../documents/index.js';
import { ocrModelFiles } from '../platform/index.js';
import type { Db } from '../workspace/index.js';
import type { Workspace } from '../workspace/index.js';
import { OcrWorkerClient, type OcrSpawner, type ScanReader } from './client.js';
import { ENGINE_VERSION } from './engine.js';

interface DocRow {
  id: number;
  id_number: string;
  kind: DocumentKind;
  sha256: string;
  original_name: string;
  mime: string;
}

const toRow = (r: DocumentRecord): DocRow => ({ id: r.id, id_number: r.idNumber, kind: r.kind, sha256: r.sha256, original_name: r.originalName, mime: r.mime });

/** Documents of the applicants on the list (one applicant's, or all), in list order. */
function listedDocuments(db: Db, idNumber?: string): DocRow[] {
  const rowNo = new Map(listApplicantRecords(db).map((a) => [a.declared.idNumber, a.rowNo]));
  const docs = idNumber === undefined ? allDocuments(db) : documentRecordsOf(db, idNumber);
  return docs
    .filter((d) => rowNo.has(d.idNumber))
    .sort((a, b) => (rowNo.get(a.idNumber) ?? 0) - (rowNo.get(b.idNumber) ?? 0) || a.id - b.id)
    .map(toRow);
}

/** Scans with a reading by the current engine. */
function readScans(db: Db): Set<string> {
  return new Set(db.prepare('SELECT sha256 FROM ocr_reads WHERE engine_version = ?').pluck().all(ENGINE_VERSION) as string[]);
}

/** Of these applicants, those with a scan OCR reads but has not read yet (bulk approval waits for them). */
export function unreadApplicants(ws: Workspace, idNumbers: readonly string[]): Set<string> {
  const wanted = new Set(idNumbers);
  const read = readScans(ws.db);
  const out = new Set<string>();
  for (const d of allDocuments(ws.db)) {
    if (wanted.has(d.idNumber) && kindIsRead(d.kind) && !read.has(d.sha256)) out.add(d.idNumber);
  }
  return out;
}

let dictionary: Set<string> | null | undefined;

/** The recogniser's character set (ppocr_keys_v1), so a name it cannot spell is not called different. */
function recogniserCharset(): Set<string> | null {
  if (dictionary !== undefined) return dictionary;
  try {
    const models = ocrModelFiles();
    dictionary = models ? new Set(readFileSync(models.dictionaryPath, 'utf8').split('\n')) : null;
  } catch {
    dictionary = null;
  }
  return dictionary;
}

export interface OcrServiceOptions {
  client?: ScanReader;
  /** How the OCR process starts (default: child_process.fork; the Electron shell: a utility process). */
  spawn?: OcrSpawner;
}

export class OcrService {
  private readonly client: ScanReader;
  private queue: number[] = [];
  private state: 'idle' | 'running' | 'paused' = 'idle';
  private done = 0;
  private total = 0;
  private current: string | null = null;
  private pagesRead = 0;
  /** Scans actually sent to the recogniser (not taken from the cache), since this service began. */
  private scansRead = 0;
  private readMs = 0;
  private lastError: string | null = null;
  private loop: Promise<void> | null = null;
  private waiters = new Map<number, (() => void)[]>();
  private closed = false;
  /** Peak resident memory the worker reported (bytes). */
  peakRss = 0;

  constructor(
    private readonly ws: Workspace,
    options: OcrServiceOptions = {},
  ) {
    this.client = options.client ?? new OcrWorkerClient(options.spawn);
  }

  private unreadIds(idNumber?: string): number[] {
    const read = readScans(this.ws.db);
    return listedDocuments(this.ws.db, idNumber).filter((r) => kindIsRead(r.kind) && !read.has(r.sha256)).map((r) => r.id);
  }

  status(): OcrQueueStatus {
    return {
      state: this.state,
      done: this.done,
      total: this.total,
      unread: this.ws.db.open ? this.unreadIds().length : 0,
      current: this.current,
      pagesRead: this.pagesRead,
      msPerPage: this.pagesRead === 0 ? 0 : Math.round(this.readMs / this.pagesRead),
      lastError: this.lastError,
    };
  }

  /** Queues unread documents (one applicant's go first) and runs the queue in the background. */
  start(idNumber?: string): OcrQueueStatus {
    this.enqueue([...(idNumber ? this.unreadIds(idNumber) : []), ...this.queue, ...this.unreadIds()]);
    return this.status();
  }

  private enqueue(ids: number[]): void {
    if (this.closed) throw new DeskError('ocr_closed', 'OCR 已关闭。');
    if (this.state === 'idle') {
      this.done = 0;
      this.total = 0;
    }
    this.queue = [...new Set(ids)];
    this.total = this.done + this.queue.length + (this.current ? 1 : 0);
    this.state = 'running';
    this.loop ??= this.runLoop().finally(() => {
      this.loop = null;
    });
  }

  /** A method, not a field test, because start() may flip the state while the loop awaits. */
  private isRunning(): boolean {
    return this.state === 'running';
  }

  pause(): OcrQueueStatus {
    if (this.state === 'running') this.state = 'paused';
    return this.status();
  }

  /** Reads now and waits: all unread documents, or one applicant's (the CLI and tests use this). */
  async run(idNumber?: string): Promise<OcrRunReport> {
    const started = performance.now();
    const docs = this.documents(idNumber);
    const wanted = this.unreadIds(idNumber);
    const readBefore = this.pagesRead;
    const scansBefore = this.scansRead;
    if (wanted.length > 0) {
      const waits = wanted.map((id) => new Promise<void>((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve])));
      this.enqueue([...wanted, ...this.queue]);
      await Promise.all(waits);
    }
    const read = this.scansRead - scansBefore;
    // Declared data may have changed since a scan was read: re-check every document from its reading.
    const views = docs.map((d) => this.recheck(d));
    const byStatus: Record<OcrStatus, number> = { agree: 0, differ: 0, unsure: 0, missing: 0, unchecked: 0 };
    for (const v of views) for (const f of v.fields) byStatus[f.status]++;
    return {
      documents: docs.length,
      read,
      cached: docs.length - read,
      pages: this.pagesRead - readBefore,
      ms: Math.round(performance.now() - started),
      byStatus,
      documentsView: views,
    };
  }

  private documents(idNumber?: string): DocRow[] {
    return listedDocuments(this.ws.db, idNumber);
  }

  private document(id: number): DocRow {
    const row = documentById(this.ws.db, id);
    if (!row) throw new DeskError('not_found', `找不到材料 ${id}`);
    return toRow(row);
  }

  private cachedRead(sha256: string): OcrRead | null {
    const row = this.ws.db.prepare('SELECT result FROM ocr_reads WHERE sha256 = ? AND engine_version = ?').get(sha256, ENGINE_VERSION) as { result: string } | undefined;
    return row ? (JSON.parse(row.result) as OcrRead) : null;
  }

  private async runLoop(): Promise<void> {
    for (;;) {
      while (this.state === 'running' && !this.closed) {
        const id = this.queue.shift();
        if (id === undefined) break;
        try {
          await this.readOne(id);
        } catch (e) {
          this.lastError = e instanceof Error ? e.message : String(e);
        } finally {
          this.current = null;
        }
        this.done++;
        for (const w of this.waiters.get(id) ?? []) w();
        this.waiters.delete(id);
      }
      if (this.state === 'running') this.state = 'idle';
      // Dry or paused: free the models (hundreds of MB) until the queue runs again.
      await this.client.close();
      // Work queued while the worker was shutting down would otherwise wait for the next start.
      if (!this.isRunning() || this.queue.length === 0 || this.closed) return;
    }
  }

  private async readOne(id: number): Promise<void> {
    if (!this.ws.db.open) return;
    const rec = documentById(this.ws.db, id);
    if (!rec) return;
    const doc = toRow(rec);
    this.current = doc.original_name;
    if (!this.cachedRead(doc.sha256)) {
      let read: OcrRead;
      let ocrPages = 0;
      this.scansRead++;
      try {
        const r = await this.client.read(this.ws.blobs.pathOf(doc.sha256), doc.mime);
        read = { pages: r.read.pages, problem: r.read.problem, ms: r.read.ms };
        ocrPages = r.read.ocrPages;
        this.peakRss = Math.max(this.peakRss, r.peakRss);
      } catch (e) {
        this.lastError = `${doc.original_name}: ${e instanceof Error ? e.message : String(e)}`;
        read = { pages: [], problem: `识别失败：${e instanceof Error ? e.message : String(e)}`, ms: 0 };
      }
      if (!this.ws.db.open) return;
      if (ocrPages > 0) {
        this.pagesRead += ocrPages;
        this.readMs += read.ms;
      }
      this.ws.db
        .prepare('INSERT OR REPLACE INTO ocr_reads (sha256, result, pages, problem, ms, engine_version, read_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(doc.sha256, JSON.stringify(read), read.pages.length, read.problem, read.ms, ENGINE_VERSION, new Date().toISOString());
    }
    // Every document with these bytes (the same scan uploaded twice) gets its checks now.
    const same = documentsWithScan(this.ws.db, doc.sha256).map(toRow);
    for (const d of same) this.recheck(d);
  }

  /** The cross-check of one document from its cached reading, stored in ocr_checks. */
  private recheck(doc: DocRow): OcrDocumentView {
    const view = this.view(doc);
    if (view.state === 'queued') return view;
    const { db } = this.ws;
    const now = new Date().toISOString();
    const insert = db.prepare(
      `INSERT INTO ocr_checks (document_id, id_number, field, status, declared, found, page, x, y, w, h, conf, note, checked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      db.prepare('DELETE FROM ocr_checks WHERE document_id = ?').run(doc.id);
      for (const f of view.fields) {
        insert.run(doc.id, doc.id_number, f.field, f.status, f.declared, f.found, f.page, f.box?.x ?? null, f.box?.y ?? null, f.box?.w ?? null, f.box?.h ?? null, f.conf, f.note, now);
      }
      mirrorToChecks(this.ws, doc, view.fields);
    }).immediate();
    return view;
  }

  private view(doc: DocRow): OcrDocumentView {
    const base = { documentId: doc.id, idNumber: doc.id_number, kind: doc.kind, originalName: doc.original_name };
    if (!kindIsRead(doc.kind)) return { ...base, state: 'skipped', problem: '', pages: [], fields: [] };
    const read = this.cachedRead(doc.sha256);
    if (!read) return { ...base, state: 'queued', problem: '', pages: [], fields: [] };
    const pages = read.pages.map(({ page, width, height, rotation, source }) => ({ page, width, height, rotation, source }));
    if (read.pages.length === 0) return { ...base, state: 'failed', problem: read.problem || '扫描件上没有可识别的文字', pages, fields: [] };
    const applicant = findApplicant(this.ws.db, doc.id_number);
    if (!applicant) return { ...base, state: 'skipped', problem: '', pages, fields: [] };
    const charset = recogniserCharset();
    const fields: OcrFieldCheck[] = crossCheck(doc.kind, read.pages, applicant.declared, charset ? { canRead: (ch) => charset.has(ch) } : {});
    return { ...base, state: 'done', problem: read.problem, pages, fields };
  }

  forDocument(id: number): OcrDocumentView {
    return this.view(this.document(id));
  }

  forApplicant(idNumber: string): OcrDocumentView[] {
    return this.documents(idNumber).map((d) => this.view(d));
  }

  /** Stops after the current page and shuts the worker down (workspace closed, tests). */
  async close(): Promise<void> {
    this.closed = true;
    this.queue = [];
    for (const ws of this.waiters.values()) for (const w of ws) w();
    this.waiters.clear();
    await this.loop;
    await this.client.close();
  }
}

const SUGGESTED: Partial<Record<string, string>> = { name: 'name_mismatch', idNumber: 'id_mismatch' };

/**
 * Differences and fields not found also go to the checks area's findings, under check ids
 * starting with 'ocr.' (recordExternalFindings replaces only those of this document).
 */
function mirrorToChecks(ws: Workspace, doc: DocRow, fields: readonly OcrFieldCheck[]): void {
  const results: CheckResult[] = [];
  for (const f of fields) {
    const field = f.field as CheckResult['field'];
    if (f.status === 'differ') {
      const reason = SUGGESTED[f.field];
      results.push({
        checkId: 'ocr.differs', severity: 'warning', message: `${doc.original_name}：${f.label}识别为「${f.found}」，申报为「${f.declared}」`,
        messageEn: `${doc.original_name}: ${f.field} on the scan reads "${f.found}", declared "${f.declared}"`, ...(field ? { field } : {}), documentId: doc.id,
        ...(reason ? { suggestedReason: reason } : {}),
      });
    } else if (f.status === 'unsure') {
      results.push({
        checkId: 'ocr.unsure', severity: 'info', message: `${doc.original_name}：${f.label}识别存疑（读作「${f.found}」，申报为「${f.declared}」），请人工核对`,
        messageEn: `${doc.original_name}: ${f.field} on the scan is uncertain (read "${f.found}", declared "${f.declared}"); check by eye`, ...(field ? { field } : {}), documentId: doc.id,
      });
    } else if (f.status === 'missing') {
      results.push({
        checkId: 'ocr.not_found', severity: 'info', message: `${doc.original_name}：未识别到${f.label}${f.note ? `（${f.note}）` : ''}`,
        messageEn: `${doc.original_name}: ${f.field} not found on the scan`, ...(field ? { field } : {}), documentId: doc.id,
      });
    }
  }
  recordExternalFindings(ws, 'ocr', { id: doc.id, idNumber: doc.id_number }, results);
}

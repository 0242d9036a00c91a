/**
 * The reading queue (electron/ocr/service.ts) on a real workspace: cache by sha256, pause and
 * resume, progress, checks written to ocr_checks and mirrored under 'ocr.' ids only. The
 * recogniser is replaced by a reader that answers when the test lets it (so nothing depends on
 * timing); the real one is exercised in quality.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OcrPage } from '../../../shared/ocr/types.js';
import type { ReadResult, ScanReader } from '../../../electron/ocr/client.js';
import { OcrService } from '../../../electron/ocr/service.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';

const A = { id: '430202200111127435', name: '杨宏毅' };
const B = { id: '431026200204027178', name: '李湘帅' };

function page(lines: string[]): OcrPage {
  return {
    page: 1,
    width: 1200,
    height: 850,
    rotation: 0,
    source: 'ocr',
    lines: lines.map((text, i) => ({ text, conf: 0.99, segments: [{ text, box: { x: 100, y: 50 + 40 * i, w: 20 * text.length, h: 28 } }] })),
  };
}

/** Answers reads in the order the test releases them; records what was read. */
class GatedReader implements ScanReader {
  reads: string[] = [];
  closed = 0;
  private gates: (() => void)[] = [];
  constructor(private readonly pages: Map<string, OcrPage[]>) {}

  async read(path: string): Promise<ReadResult> {
    this.reads.push(path);
    await new Promise<void>((resolve) => this.gates.push(resolve));
    const pages = this.pages.get(path) ?? [];
    return { read: { pages, problem: '', ms: 1000, ocrPages: pages.length }, peakRss: 1 };
  }

  /** Lets the oldest waiting read answer; resolves once it is waiting (reads start asynchronously). */
  async release(): Promise<void> {
    while (this.gates.length === 0) await new Promise((r) => setImmediate(r));
    this.gates.shift()?.();
  }

  async close(): Promise<void> {
    this.closed++;
  }
}

let dir: string;
let ws: Workspace;
let reader: GatedReader;
let svc: OcrService;
const docs: Record<string, number> = {};

function addDoc(idNumber: string, kind: string, name: string, bytes: string, mime = 'image/png'): { id: number; path: string } {
  const blob = ws.blobs.putBuffer(Buffer.from(bytes));
  ws.db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, ?, ?)').run(blob.sha256, blob.size, mime, 'now');
  const r = ws.db.prepare('INSERT INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, ?, ?, ?, ?)').run(idNumber, kind, blob.sha256, name, 'test');
  return { id: Number(r.lastInsertRowid), path: ws.blobs.pathOf(blob.sha256) };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'desk-'));
  ws = openWorkspace(join(dir, 'ws'), { create: true, college: '测试学院' });
  const ins = ws.db.prepare("INSERT INTO applicants (id_number, row_no, name, category, import_id, updated_at) VALUES (?, ?, ?, 'general', 'test', 'now')");
  ins.run(A.id, 3, A.name);
  ins.run(B.id, 4, B.name);
  const a = addDoc(A.id, 'diploma', `${A.id}_毕业证.png`, 'scan-a');
  const b = addDoc(B.id, 'diploma', `${B.id}_毕业证.png`, 'scan-b');
  // The same bytes uploaded by another applicant: read once, checked for both.
  const c = addDoc(B.id, 'other', `${B.id}_其他.png`, 'scan-a');
  addDoc(B.id, 'photo', `${B.id}_照片.png`, 'photo-b');
  Object.assign(docs, { a: a.id, b: b.id, c: c.id });
  reader = new GatedReader(new Map([
    [a.path, [page(['毕业证书', `姓名：${A.name}`, `身份证号：${A.id}`])]],
    [b.path, [page(['毕业证书', '姓名：李湘师', `身份证号：${B.id}`])]],
  ]));
  svc = new OcrService(ws, { client: reader });
});

afterEach(async () => {
  await svc.close();
  ws.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('OCR queue', () => {
  it('reads each scan once, skips photos, and checks every document with those bytes', async () => {
    const running = svc.run();
    await reader.release();
    await reader.release();
    const report = await running;
    expect(reader.reads).toHaveLength(2);
    expect(report.read).toBe(2);
    const views = new Map(report.documentsView.map((v) => [v.documentId, v]));
    expect(views.get(docs.a ?? 0)?.fields.map((f) => [f.field, f.status])).toEqual([['name', 'agree'], ['idNumber', 'agree']]);
    expect(views.get(docs.b ?? 0)?.fields.find((f) => f.field === 'name')).toMatchObject({ status: 'differ', found: '李湘师', declared: B.name });
    // B's 其他 shows A's name and ID: a different person on B's upload.
    expect(views.get(docs.c ?? 0)?.fields.map((f) => f.status)).toEqual(['differ', 'differ']);
    expect(report.documentsView.find((v) => v.kind === 'photo')?.state).toBe('skipped');

    const rows = ws.db.prepare('SELECT document_id, field, status, x, w FROM ocr_checks ORDER BY document_id, field').all() as { status: string; x: number | null }[];
    expect(rows.length).toBe(6);
    expect(rows.every((r) => r.x !== null)).toBe(true);
    expect(reader.closed).toBeGreaterThan(0);

    const again = await svc.run();
    expect(again.read).toBe(0);
    expect(again.cached).toBe(4);
    expect(reader.reads).toHaveLength(2);
  });

  it('pauses after the scan being read and resumes where it stopped', async () => {
    const status0 = svc.start();
    // Three documents, two distinct scans: the third document's bytes are read with the first.
    expect(status0).toMatchObject({ state: 'running', total: 3, unread: 3 });
    svc.pause();
    await reader.release();
    // The loop winds down after the scan in hand; wait for the state to settle on paused.
    while (svc.status().current !== null) await new Promise((r) => setImmediate(r));
    expect(svc.status()).toMatchObject({ state: 'paused', done: 1, unread: 1 });
    expect(reader.reads).toHaveLength(1);

    svc.start();
    await reader.release();
    while (svc.status().state !== 'idle') await new Promise((r) => setImmediate(r));
    expect(svc.status()).toMatchObject({ state: 'idle', done: 3, total: 3, unread: 0, pagesRead: 2, msPerPage: 1000 });
  });

  it('writes differences to check_results under ocr. ids, leaving other checks alone', async () => {
    ws.db.prepare("INSERT INTO check_results (id_number, check_id, severity, message, message_en) VALUES (?, 'phone.duplicate', 'warning', 'x', 'x')").run(B.id);
    const running = svc.run(B.id);
    await reader.release();
    await reader.release();
    await running;
    const rows = ws.db.prepare('SELECT check_id, field, suggested_reason FROM check_results WHERE id_number = ? ORDER BY check_id, field').all(B.id);
    expect(rows).toEqual([
      { check_id: 'ocr.differs', field: 'idNumber', suggested_reason: 'id_mismatch' },
      { check_id: 'ocr.differs', field: 'name', suggested_reason: 'name_mismatch' },
      { check_id: 'ocr.differs', field: 'name', suggested_reason: 'name_mismatch' },
      { check_id: 'phone.duplicate', field: null, suggested_reason: null },
    ]);
  });

  it('re-checks against changed declared data without reading again', async () => {
    const running = svc.run(B.id);
    await reader.release();
    await reader.release();
    await running;
    ws.db.prepare("UPDATE applicants SET name = '李湘师' WHERE id_number = ?").run(B.id);
    const view = svc.forDocument(docs.b ?? 0);
    expect(view.fields.find((f) => f.field === 'name')?.status).toBe('agree');
    expect(reader.reads).toHaveLength(2);
  });
});

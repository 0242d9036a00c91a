/**
 * Scans are durable before the rows naming them commit, a failure between the two leaves the
 * workspace as it was, files under a blob name that no row names are never trusted unverified,
 * and a large zip entry is streamed to disk rather than held in memory.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeskError } from '../../../shared/api/index.js';
import { importList } from '../../../electron/applicants/importService.js';
import { BlobBatch, BlobStore } from '../../../electron/documents/blobs.js';
import type { Workspace } from '../../../electron/workspace/workspace.js';
import { DEFAULT_ZIP_LIMITS } from '../../../electron/applicants/attachments.js';
import { csv, fingerprint, HEADER, makeZip, newWorkspace, PDF, PNG, row, tempDir, validId } from './helpers.js';

let ws: Workspace | null = null;
afterEach(() => {
  ws?.close();
  vi.restoreAllMocks();
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A list of n applicants and a folder with two distinct scans each (and one shared copy). */
function inputs(dir: string, n: number): { list: string; att: string; scans: Buffer[] } {
  const list = join(dir, 'list.csv');
  writeFileSync(list, csv([HEADER, ...Array.from({ length: n }, (_, i) => row(i + 1))]));
  const att = join(dir, 'att');
  mkdirSync(att, { recursive: true });
  const scans: Buffer[] = [];
  for (let i = 1; i <= n; i++) {
    const pdf = Buffer.concat([PDF, Buffer.from(`applicant ${i}`)]);
    const png = Buffer.concat([PNG, Buffer.from(`photo ${i}`)]);
    writeFileSync(join(att, `${validId(i)}_毕业证.pdf`), pdf);
    writeFileSync(join(att, `${validId(i)}_照片.png`), png);
    scans.push(pdf, png);
  }
  // The same bytes under another applicant: stored once, named by two documents.
  writeFileSync(join(att, `${validId(1)}_退役证.pdf`), scans[2]!);
  return { list, att, scans };
}

describe('durable scans', () => {
  it('a failure after the scans are written and before the commit leaves the workspace unchanged; the re-import then works', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    // More files than one worker batch, so the threaded store path runs.
    const { list, att, scans } = inputs(dir, 90);
    const before = fingerprint(ws);
    let flushed = 0;
    let flushedFirst = false;
    const original = BlobBatch.prototype.flush;
    vi.spyOn(BlobBatch.prototype, 'flush').mockImplementation(async function (this: BlobBatch) {
      await original.call(this);
      flushed++;
    });
    await expect(importList(ws, {
      listPath: list,
      attachmentsPath: att,
      beforeCommit: () => {
        // Ordering: the durability barrier has completed before the transaction is reached.
        flushedFirst = flushed === 1;
        for (const s of scans) expect(ws!.blobs.verify(sha(s))).toBe(true);
        throw new Error('power cut');
      },
    })).rejects.toThrow('power cut');
    expect(flushedFirst).toBe(true);
    expect(fingerprint(ws)).toEqual(before);

    const r = await importList(ws, { listPath: list, attachmentsPath: att });
    expect(r.added).toBe(90);
    expect(r.documents).toBe(181);
    expect(r.blobsStored).toBe(180);
    const named = ws.db.prepare('SELECT DISTINCT sha256 FROM documents').pluck().all() as string[];
    expect(named.sort()).toEqual(scans.map(sha).sort());
    for (const s of scans) expect(ws.blobs.read(sha(s))).toEqual(s);
  });

  it('rewrites a torn file left under a blob name by an interrupted import, and skips blobs the database already names', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const { list, att, scans } = inputs(dir, 70);
    // A crash mid-write left the first bytes of one scan under its final name, with no row naming it.
    const torn = scans[5]!;
    const path = ws.blobs.pathOf(sha(torn));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, torn.subarray(0, 10));
    expect(ws.blobs.verify(sha(torn))).toBe(false);
    const r = await importList(ws, { listPath: list, attachmentsPath: att });
    expect(r.documents).toBe(141);
    expect(readFileSync(path)).toEqual(torn);

    // Same folder again: every blob is named by a row, so none is written (or claimed) again.
    const again = await importList(ws, { listPath: list, attachmentsPath: att });
    expect(again.blobsStored).toBe(0);
    expect(again.documents).toBe(0);
  });

  it('putBuffer does not trust an unverified file under the blob name', () => {
    ws = newWorkspace();
    const bytes = Buffer.concat([PDF, Buffer.from('scan')]);
    const path = ws.blobs.pathOf(sha(bytes));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, Buffer.alloc(0));
    const b = ws.blobs.putBuffer(bytes);
    expect(b.created).toBe(true);
    expect(ws.blobs.read(b.sha256)).toEqual(bytes);
    expect(ws.blobs.putBuffer(bytes).created).toBe(false);
  });

  it('a cancel during the threaded store removes every blob it wrote', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const { list, att } = inputs(dir, 150);
    const before = fingerprint(ws);
    let batches = 0;
    const err = await importList(ws, {
      listPath: list,
      attachmentsPath: att,
      onProgress: (phase) => {
        if (phase === 'attachments') batches++;
      },
      isCancelled: () => batches > 2,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeskError);
    expect((err as DeskError).code).toBe('import_cancelled');
    expect(fingerprint(ws)).toEqual(before);
  });

  it('streams a large zip entry into the store: hashed while written, never held in memory whole', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = join(dir, 'list.csv');
    writeFileSync(list, csv([HEADER, row(1)]));
    // 64 MB that deflates about 40:1: under the bomb ratio cap, so the default limits apply.
    const big = Buffer.alloc(64 * 2 ** 20);
    PDF.copy(big);
    for (let at = 4096; at < big.length; at += 4096) randomFillSync(big, at, 64);
    const zip = join(dir, 'scans.zip');
    writeFileSync(zip, makeZip([{ name: `${validId(1)}_毕业证.pdf`, data: big, deflate: true }]));
    const ratio = big.length / readFileSync(zip).length;
    expect(ratio).toBeGreaterThan(10);
    expect(ratio).toBeLessThan(DEFAULT_ZIP_LIMITS.maxRatio);
    const add = vi.spyOn(BlobBatch.prototype, 'add');
    const addStream = vi.spyOn(BlobBatch.prototype, 'addStream');
    const r = await importList(ws, { listPath: list, attachmentsPath: zip });
    expect(r.documents).toBe(1);
    expect(addStream).toHaveBeenCalledTimes(1);
    expect(add).not.toHaveBeenCalled();
    const doc = ws.db.prepare('SELECT d.sha256, b.size, b.mime FROM documents d JOIN blobs b USING (sha256)').get() as { sha256: string; size: number; mime: string };
    expect(doc).toEqual({ sha256: sha(big), size: big.length, mime: 'application/pdf' });
    expect(ws.blobs.verify(doc.sha256)).toBe(true);
  }, 60_000);

  it('without syncfs (Windows, macOS) the barrier fsyncs every written blob and shard folder', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'darwin' });
    try {
      const store = new BlobStore(join(tempDir(), 'blobs'));
      const batch = new BlobBatch(store);
      const scans = Array.from({ length: 40 }, (_, i) => Buffer.concat([PDF, Buffer.from(`scan ${i}`)]));
      for (const s of scans) await batch.add(sha(s), s);
      await batch.add(sha(scans[0]!), scans[0]!); // a second copy: claimed once, not written twice
      await batch.flush();
      expect(batch.created.size).toBe(40);
      for (const s of scans) expect(store.verify(sha(s))).toBe(true);
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });
});

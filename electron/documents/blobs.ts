/**
 * Content-addressed scan store: blobs/ab/cdef… named by sha256.
 *
 * Trust rule: a blob is trusted once a committed row of the `blobs` table names it; that row is
 * only committed after the blob was made durable (fsync, or one syncfs for a whole import batch,
 * see BlobBatch). A file under a final name that no row names may be the torn leftover of an
 * interrupted import, so it is verified (re-hashed) before it is reused, and rewritten when it
 * does not match. Orphans are harmless: names are content hashes; those a killed write created
 * are listed in its journal and removed on the next open (sweep.ts).
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface StoredBlob {
  sha256: string;
  size: number;
  /** True when this call created the blob (it did not exist before). */
  created: boolean;
}

export class BlobStore {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid blob hash');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  read(sha256: string): Buffer {
    return readFileSync(this.pathOf(sha256));
  }

  /** True when the file stored under `sha256` really holds those bytes (see the trust rule above). */
  verify(sha256: string): boolean {
    try {
      return createHash('sha256').update(this.read(sha256)).digest('hex') === sha256;
    } catch {
      return false;
    }
  }

  /** Stores bytes already in memory, durably (fsync before rename). */
  putBuffer(bytes: Uint8Array): StoredBlob {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const final = this.pathOf(sha256);
    // An existing file may be the torn orphan of an interrupted import: reuse it only when it verifies.
    if (existsSync(final) && this.verify(sha256)) return { sha256, size: bytes.byteLength, created: false };
    const tmp = this.tmpPath();
    writeFileSync(tmp, bytes, { flush: true });
    mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true });
    // Replaces a torn file under this name in one step.
    renameSync(tmp, final);
    return { sha256, size: bytes.byteLength, created: true };
  }

  /** Removes blobs (used to undo the blobs an aborted import created). */
  remove(sha256s: Iterable<string>): void {
    for (const s of sha256s) rmSync(this.pathOf(s), { force: true });
  }

  sizeOf(sha256: string): number {
    return statSync(this.pathOf(sha256)).size;
  }

  tmpPath(): string {
    const dir = join(this.root, 'tmp');
    mkdirSync(dir, { recursive: true });
    return join(dir, `${randomUUID()}.part`);
  }
}

/** What a scan worker reports for one file. */
export type FileStored =
  | { sha256: string; size: number; head: Buffer; created: boolean }
  /** Larger than the worker's limit: left to the caller, which streams it. */
  | { large: true };

/**
 * The scan worker, as source text: plain CommonJS with Node built-ins only, so it runs from the
 * Electron bundle as well as from the sources (no separate worker file to package). It reads,
 * hashes and stores one batch of files at a time: the same steps as BlobBatch.add, on another core.
 */
const SCAN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash, randomUUID } = require('node:crypto');
const { join } = require('node:path');
const { root, small, known, journal } = workerData;
const skip = new Set(known);
// The batch's journal: a scan's name goes in before its file is created (see WriteJournal);
// opened for each message and closed after it (a terminated worker closes no descriptor).
let jfd = null;
const note = (hash) => { if (jfd !== null) fs.writeSync(jfd, hash + '\\n'); };
const made = new Set();
const sha = (b) => createHash('sha256').update(b).digest('hex');
function readSmall(path) {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > small) return null;
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) { const n = fs.readSync(fd, buf, got, size - got, null); if (n === 0) break; got += n; }
    return buf.subarray(0, got);
  } finally { fs.closeSync(fd); }
}
function store(hash, buf) {
  const dir = join(root, hash.slice(0, 2));
  if (!made.has(dir)) { fs.mkdirSync(dir, { recursive: true }); made.add(dir); }
  const final = join(dir, hash.slice(2));
  if (!fs.existsSync(final)) note(hash);
  try { fs.writeFileSync(final, buf, { flag: 'wx' }); return { created: true, final }; } catch (e) { if (e.code !== 'EEXIST') throw e; }
  // An unnamed file under this name (an orphan, or another worker's copy): keep it only if whole.
  let old = null;
  try { old = fs.readFileSync(final); } catch {}
  if (old && sha(old) === hash) return { created: false, final };
  fs.mkdirSync(join(root, 'tmp'), { recursive: true });
  const tmp = join(root, 'tmp', randomUUID() + '.part');
  fs.writeFileSync(tmp, buf);
  note(hash);
  fs.renameSync(tmp, final);
  return { created: true, final };
}
parentPort.on('message', (paths) => {
  const out = [];
  try {
    if (journal) jfd = fs.openSync(journal, 'a');
    for (const p of paths) {
      const buf = readSmall(p);
      if (!buf) { out.push({ large: true }); continue; }
      const hash = sha(buf);
      const head = Buffer.from(buf.subarray(0, 64));
      // Empty files are refused by the caller; nothing to store.
      if (buf.length === 0 || skip.has(hash)) { out.push({ sha256: hash, size: buf.length, head, created: false }); continue; }
      const r = store(hash, buf);
      skip.add(hash);
      out.push({ sha256: hash, size: buf.length, head, created: r.created, final: r.final });
    }
    parentPort.postMessage({ out });
  } catch (e) {
    parentPort.postMessage({ out, error: (e && e.message) || String(e) });
  } finally {
    if (jfd !== null) { fs.closeSync(jfd); jfd = null; }
  }
});
`;

/** Paths sent to a worker at a time: large enough to amortise the message, small enough to balance. */
const SCAN_BATCH = 64;

/** Writes of new blobs allowed in flight at once (count and bytes), so memory stays flat. */
const MAX_INFLIGHT = 64;
const MAX_INFLIGHT_BYTES = 32 * 2 ** 20;
/** On Linux a background syncfs is started every this many bytes, so writeback overlaps the scan. */
const EARLY_FLUSH_BYTES = 24 * 2 ** 20;

/** syncfs(2) through coreutils' `sync -f`: one call makes every file of the filesystem durable. */
function syncFilesystem(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('sync', ['-f', path], { windowsHide: true }, (err) => resolve(!err));
  });
}

async function fsyncPath(path: string, dir: boolean): Promise<void> {
  // Windows cannot open a directory for fsync, and NTFS journals the names itself.
  if (dir && process.platform === 'win32') return;
  const fh = await open(path, dir ? 'r' : 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function eachLimited<T>(items: readonly T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await f(items[next++]!);
  }));
}

/** What a batch's journal file is called, in the store's tmp folder. */
export const JOURNAL_SUFFIX = '.writing';

/** First line of a journal: who writes it (the sweep leaves a living writer's journal alone). */
export interface JournalHeader {
  pid: number;
  host: string;
  since: string;
}

/**
 * The names of the scans a batch creates, each written before its file is created: an import or
 * a sync killed before its rows commit leaves this list behind, and the next desk to open the
 * workspace removes exactly those files that no row names (sweepKilledWrites) — not every
 * unnamed file, since a file an older backup names must stay (backups copy no scans). A scan
 * that was already on disk is never listed.
 */
class WriteJournal {
  private fd: number | null = null;
  path = '';

  constructor(private readonly root: string) {}

  /** The journal file, made on first use (a batch that creates nothing leaves none). */
  open(): string {
    if (this.fd === null) {
      mkdirSync(join(this.root, 'tmp'), { recursive: true });
      this.path = join(this.root, 'tmp', `${randomUUID()}${JOURNAL_SUFFIX}`);
      this.fd = openSync(this.path, 'a');
      const header: JournalHeader = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      writeSync(this.fd, `${JSON.stringify(header)}\n`);
    }
    return this.path;
  }

  note(sha256: string): void {
    this.open();
    writeSync(this.fd!, `${sha256}\n`);
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    rmSync(this.path, { force: true });
    this.fd = null;
  }
}

/**
 * The blobs of one import, written in the background and made durable together before the
 * transaction that names them commits. Per-file temp + fsync + rename cost ~3 ms a scan
 * (30,000 scans: 90 s); here the main thread only hashes, the libuv threadpool creates the files
 * (exclusively, under their final names) with bounded concurrency, and `flush()` is one barrier:
 * syncfs on Linux (started early in the background too, so disk writeback overlaps the scan),
 * elsewhere an fsync of every written file and shard folder, many at once.
 *
 * Until `flush()` resolves nothing may name these blobs in the database; after a crash before it
 * they are unnamed orphans, which the trust rule re-verifies before any reuse.
 */
export class BlobBatch {
  /** Blobs this batch created (a refused import removes exactly these). */
  readonly created = new Set<string>();
  private readonly written: string[] = [];
  private readonly dirs = new Set<string>();
  private readonly inflight = new Set<Promise<void>>();
  private inflightBytes = 0;
  private error: unknown = null;
  private sinceFlush = 0;
  private early: Promise<boolean> | null = null;
  private readonly journal: WriteJournal;

  /** `known`: blobs a committed row already names (durable and trusted: nothing to write). */
  constructor(readonly store: BlobStore, private readonly known: ReadonlySet<string> = new Set()) {
    this.journal = new WriteJournal(store.root);
  }

  /**
   * Once the rows naming these scans have committed, or the scans were removed again: the journal
   * goes (left behind, the next open would find every scan it lists named, and remove nothing).
   */
  finish(): void {
    this.journal.close();
  }

  /** True when the blob needs no write: already named by the database or by this batch. */
  has(sha256: string): boolean {
    return this.known.has(sha256) || this.created.has(sha256);
  }

  private dir(sha256: string): string {
    const d = join(this.store.root, sha256.slice(0, 2));
    if (!this.dirs.has(d)) {
      mkdirSync(d, { recursive: true });
      this.dirs.add(d);
    }
    return d;
  }

  private track(p: Promise<void>, bytes: number): void {
    this.inflightBytes += bytes;
    const t: Promise<void> = p.catch((e: unknown) => {
      this.error ??= e;
    }).finally(() => {
      this.inflight.delete(t);
      this.inflightBytes -= bytes;
    });
    this.inflight.add(t);
  }

  private async room(): Promise<void> {
    while (this.inflight.size >= MAX_INFLIGHT || this.inflightBytes >= MAX_INFLIGHT_BYTES) await Promise.race(this.inflight);
    if (this.error) throw this.error;
  }

  private wrote(path: string, sha256: string, bytes: number): void {
    this.created.add(sha256);
    this.written.push(path);
    this.sinceFlush += bytes;
    this.earlyFlush();
  }

  private earlyFlush(): void {
    if (process.platform === 'linux' && this.sinceFlush >= EARLY_FLUSH_BYTES && !this.early) {
      this.sinceFlush = 0;
      this.early = syncFilesystem(this.store.root).finally(() => {
        this.early = null;
      });
    }
  }

  /**
   * Stores bytes whose sha256 the caller computed. Resolves once the write is queued (it waits
   * only when too much is in flight); the write itself may still be running.
   */
  async add(sha256: string, bytes: Buffer): Promise<void> {
    if (this.has(sha256)) return;
    await this.room();
    const final = join(this.dir(sha256), sha256.slice(2));
    // Claimed now, so a second copy of the same scan in this import is not written twice.
    this.created.add(sha256);
    if (!existsSync(final)) this.journal.note(sha256);
    this.track((async (): Promise<void> => {
      try {
        await writeFile(final, bytes, { flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          this.created.delete(sha256);
          throw e;
        }
        // An unnamed file under this name: reuse it if it is whole, else replace it.
        const old = await readFile(final).catch(() => null);
        if (old && createHash('sha256').update(old).digest('hex') === sha256) {
          this.created.delete(sha256);
          this.written.push(final); // still flushed: it may never have reached the disk
          return;
        }
        const tmp = this.store.tmpPath();
        await writeFile(tmp, bytes);
        this.journal.note(sha256);
        await rename(tmp, final);
      }
      this.wrote(final, sha256, bytes.length);
    })(), bytes.length);
  }

  /**
   * Stores a stream (a large scan) without holding it in memory: hashed while it is written to a
   * temporary file, renamed to its final name once the hash is known. `onHead` gets the first bytes.
   */
  async addStream(chunks: AsyncIterable<Buffer>, onHead?: (head: Buffer) => void): Promise<StoredBlob> {
    const tmp = this.store.tmpPath();
    const hash = createHash('sha256');
    const fh = await open(tmp, 'w');
    let size = 0;
    let headSent = false;
    try {
      for await (const chunk of chunks) {
        if (!headSent) {
          onHead?.(chunk.subarray(0, 64));
          headSent = true;
        }
        hash.update(chunk);
        await fh.write(chunk);
        size += chunk.length;
      }
    } catch (e) {
      await fh.close();
      await rm(tmp, { force: true });
      throw e;
    }
    await fh.close();
    if (!headSent) onHead?.(Buffer.alloc(0));
    const sha256 = hash.digest('hex');
    if (this.has(sha256) || (existsSync(this.store.pathOf(sha256)) && this.store.verify(sha256))) {
      await rm(tmp, { force: true });
      if (!this.has(sha256)) this.written.push(this.store.pathOf(sha256));
      return { sha256, size, created: false };
    }
    const final = join(this.dir(sha256), sha256.slice(2));
    this.journal.note(sha256);
    await rename(tmp, final);
    this.wrote(final, sha256, size);
    return { sha256, size, created: true };
  }

  /**
   * Reads, hashes and stores many small files on worker threads (one per core, at most 4): a
   * create + write costs the kernel more than the read + hash, so on one thread the store could
   * never keep up with a plain sha256 of the same files. Results come back in the order of
   * `paths`; a file above `small` bytes comes back as `{ large: true }` for the caller to stream.
   * `onDone(n)` reports progress and may throw to cancel (queued writes are then settled).
   */
  async addFiles(paths: readonly string[], small: number, onDone?: (done: number) => void): Promise<FileStored[]> {
    const results: FileStored[] = new Array<FileStored>(paths.length);
    if (paths.length === 0) return results;
    const count = Math.max(1, Math.min(4, availableParallelism(), Math.ceil(paths.length / SCAN_BATCH)));
    const workerData = { root: this.store.root, small, known: [...this.known, ...this.created], journal: this.journal.open() };
    const workers = Array.from({ length: count }, () => new Worker(SCAN_WORKER, { eval: true, workerData }));
    let next = 0;
    let done = 0;
    // After a failure or a cancel no new batch is sent, but the batches in flight still report
    // back, so every blob a worker created is known (and removed by discard()).
    let failure: unknown = null;
    try {
      await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
        let start = 0;
        const send = (): void => {
          if (failure !== null || next >= paths.length) {
            resolve();
            return;
          }
          start = next;
          next = Math.min(paths.length, next + SCAN_BATCH);
          w.postMessage(paths.slice(start, next));
        };
        w.on('message', (m: { out: (FileStored & { final?: string })[]; error?: string }) => {
          m.out.forEach((r, i) => {
            if ('large' in r) {
              results[start + i] = r;
              return;
            }
            if (r.created) this.created.add(r.sha256);
            if (r.final) {
              this.written.push(r.final);
              this.sinceFlush += r.size;
            }
            results[start + i] = { sha256: r.sha256, size: r.size, head: Buffer.from(r.head), created: r.created };
          });
          try {
            if (m.error) throw new Error(m.error);
            done += m.out.length;
            onDone?.(done);
            this.earlyFlush();
          } catch (e) {
            failure ??= e;
          }
          send();
        });
        w.on('error', (e) => {
          failure ??= e;
          resolve();
        });
        send();
      })));
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
    if (failure !== null) throw failure;
    return results;
  }

  /** Waits for every queued write; rethrows the first write error. */
  async settle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all(this.inflight);
    if (this.error) throw this.error;
  }

  /**
   * The durability barrier: after it resolves every blob of the batch is on disk under its final
   * name, so rows naming them may commit.
   */
  async flush(): Promise<void> {
    await this.settle();
    if (this.written.length === 0) return;
    if (this.early) await this.early;
    if (process.platform === 'linux' && (await syncFilesystem(this.store.root))) return;
    await eachLimited(this.written, 16, (p) => fsyncPath(p, false));
    await eachLimited([...this.dirs, this.store.root], 16, (p) => fsyncPath(p, true));
  }

  /** A blob this batch wrote that turned out not to be a scan: removed again, no longer created. */
  drop(sha256: string): void {
    this.created.delete(sha256);
    this.store.remove([sha256]);
  }
}

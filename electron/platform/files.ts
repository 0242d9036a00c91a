/**
 * Writing files that other programs and PCs read (sync folders on USB sticks and network shares):
 * written to `NAME.part`, flushed, then renamed into place, so a reader never sees half a file.
 * On Windows an antivirus scanner or the search indexer often holds a freshly written file for a
 * moment; the rename is retried for a while instead of failing the whole sync.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

const RETRYABLE = new Set(['EPERM', 'EBUSY', 'EACCES']);

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * renameSync, retried on EPERM/EBUSY/EACCES for about `attempts × 100 ms`. `rename` is
 * injectable so tests can play the antivirus.
 */
export function renameWithRetry(from: string, to: string, opts: { attempts?: number; delayMs?: number; rename?: (a: string, b: string) => void } = {}): number {
  const attempts = opts.attempts ?? 30;
  const rename = opts.rename ?? renameSync;
  for (let attempt = 0; ; attempt++) {
    try {
      rename(from, to);
      return attempt;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (attempt + 1 >= attempts || !code || !RETRYABLE.has(code)) throw e;
      sleep(opts.delayMs ?? 100);
    }
  }
}

/** Writes `bytes` to `.part`, flushes, renames into place; the part is removed if anything fails. */
export function writeFileAtomic(path: string, bytes: Uint8Array, opts: { rename?: (a: string, b: string) => void } = {}): void {
  const part = `${path}.part`;
  try {
    writeFileSync(part, bytes, { flush: true });
    renameWithRetry(part, path, opts);
  } catch (e) {
    rmSync(part, { force: true });
    throw e;
  }
}

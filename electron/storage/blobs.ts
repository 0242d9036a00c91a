/**
 * Content-addressed scan store: blobs/ab/cdef… named by sha256. A blob is written to a temporary
 * file and renamed into place, so a crash never leaves a half-written blob under its final name.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync, openSync, closeSync, writeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

  /** Stores bytes already in memory. */
  putBuffer(bytes: Uint8Array): StoredBlob {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const final = this.pathOf(sha256);
    if (existsSync(final)) return { sha256, size: bytes.byteLength, created: false };
    const tmp = this.tmpPath();
    writeFileSync(tmp, bytes, { flush: true });
    return this.place(tmp, sha256, bytes.byteLength);
  }

  /**
   * Streams a file into the store: hashing and copying in one pass so memory stays flat however
   * large the scan. `head` receives the first bytes (for magic-byte sniffing).
   */
  async putFile(path: string, onHead?: (head: Buffer) => void): Promise<StoredBlob> {
    const tmp = this.tmpPath();
    const hash = createHash('sha256');
    const fd = openSync(tmp, 'w');
    let size = 0;
    let headSent = false;
    try {
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
        const buf = chunk as Buffer;
        if (!headSent && onHead) {
          onHead(buf.subarray(0, 64));
          headSent = true;
        }
        hash.update(buf);
        writeSync(fd, buf);
        size += buf.length;
      }
    } catch (e) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw e;
    }
    closeSync(fd);
    if (!headSent && onHead) onHead(Buffer.alloc(0));
    const sha256 = hash.digest('hex');
    return this.place(tmp, sha256, size);
  }

  /** Removes blobs (used to undo the blobs an aborted import created). */
  remove(sha256s: Iterable<string>): void {
    for (const s of sha256s) rmSync(this.pathOf(s), { force: true });
  }

  sizeOf(sha256: string): number {
    return statSync(this.pathOf(sha256)).size;
  }

  private place(tmp: string, sha256: string, size: number): StoredBlob {
    const final = this.pathOf(sha256);
    if (existsSync(final)) {
      rmSync(tmp, { force: true });
      return { sha256, size, created: false };
    }
    mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true });
    renameSync(tmp, final);
    return { sha256, size, created: true };
  }

  private tmpPath(): string {
    const dir = join(this.root, 'tmp');
    mkdirSync(dir, { recursive: true });
    return join(dir, `${randomUUID()}.part`);
  }
}

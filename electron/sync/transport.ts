/**
 * Where bundles travel (Joplin's sync targets): one small interface. Today a file or a folder on
 * a USB stick, and memory for tests; a later PostgreSQL sync hub is one more implementation.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface SyncTransport {
  /** Stores a bundle under a name; a reader never sees a half-written bundle. */
  put(name: string, bytes: Buffer): void;
  get(name: string): Buffer;
  list(): string[];
}

/** A folder (e.g. `E:\同步\`): one file per bundle, written to .part then renamed. */
export class FolderTransport implements SyncTransport {
  constructor(readonly dir: string) {}

  put(name: string, bytes: Buffer): void {
    mkdirSync(this.dir, { recursive: true });
    const final = join(this.dir, basename(name));
    const tmp = `${final}.part`;
    writeFileSync(tmp, bytes, { flush: true });
    renameSync(tmp, final);
  }

  get(name: string): Buffer {
    return readFileSync(join(this.dir, basename(name)));
  }

  list(): string[] {
    return readdirSync(this.dir).filter((f) => f.endsWith('.zsbsync')).sort();
  }
}

/** One named file, as the CLI's `--out FILE` / `import FILE` use it. */
export function fileTransport(file: string): { transport: FolderTransport; name: string } {
  return { transport: new FolderTransport(dirname(file)), name: basename(file) };
}

export class MemoryTransport implements SyncTransport {
  readonly files = new Map<string, Buffer>();

  put(name: string, bytes: Buffer): void {
    this.files.set(name, Buffer.from(bytes));
  }

  get(name: string): Buffer {
    const b = this.files.get(name);
    if (!b) throw new Error(`no bundle ${name}`);
    return b;
  }

  list(): string[] {
    return [...this.files.keys()].sort();
  }
}

/**
 * Where bundles travel (Joplin's sync targets): one small interface. Today a file or a folder on
 * a USB stick or a network share, and memory for tests; a later PostgreSQL sync hub is one more
 * implementation. Names may have one folder level (`desk-<id>/state.zsbsync`), always with '/'.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DeskError } from '../../shared/api/index.js';
import { writeFileAtomic } from '../platform/index.js';

export interface FileInfo {
  name: string;
  size: number;
  mtimeMs: number;
}

export interface SyncTransport {
  /** Stores a file under a name; a reader never sees a half-written one. */
  put(name: string, bytes: Buffer): void;
  /** The file's bytes, or a DeskError that says what happened (missing, no permission, busy, I/O). */
  get(name: string): Buffer;
  /** Every complete file (names with '/'), not the `.part` files of writes in progress. */
  list(): FileInfo[];
  /** `.part` files: writes in progress, or left over by an interrupted visit. */
  parts(): FileInfo[];
  remove(name: string): void;
}

const PART = '.part';

/** A read error in words a registrar can act on, with a code tests and the UI can tell apart. */
export function readError(name: string, e: unknown): DeskError {
  if (e instanceof DeskError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  switch (code) {
    case 'ENOENT':
      return new DeskError('not_found', `找不到同步包：${name}（可能已被移走、删除，或 U 盘已拔出）。`);
    case 'EACCES':
    case 'EPERM':
      return new DeskError('file_permission', `没有读取权限：${name}（请检查共享文件夹的权限，或以能访问它的账户运行审核台）。`);
    case 'EBUSY':
      return new DeskError('file_busy', `文件正被其他程序占用：${name}（可能是杀毒软件正在扫描），请稍后再同步。`);
    case 'EISDIR':
      return new DeskError('file_not_a_file', `这是一个文件夹，不是同步包：${name}`);
    case 'EIO':
    case 'ENXIO':
    case 'ENODEV':
    case 'ETIMEDOUT':
    case 'EHOSTDOWN':
      return new DeskError('file_io', `读取失败：${name}（${code}：U 盘可能已拔出或损坏，或网络共享已断开）。`);
    default:
      return new DeskError('file_unreadable', `无法读取：${name}（${code || (e as Error).message}）。`);
  }
}

/** A folder (e.g. `E:\同步\`): one file per name, written to .part then renamed (retried when locked). */
export class FolderTransport implements SyncTransport {
  constructor(readonly dir: string, private readonly rename?: (from: string, to: string) => void) {}

  private path(name: string): string {
    const parts = name.split('/');
    if (parts.length > 2 || parts.some((p) => p === '' || p === '.' || p === '..' || p !== basename(p))) throw new Error(`invalid sync file name ${name}`);
    return join(this.dir, ...parts);
  }

  put(name: string, bytes: Buffer): void {
    const final = this.path(name);
    mkdirSync(dirname(final), { recursive: true });
    writeFileAtomic(final, bytes, this.rename ? { rename: this.rename } : {});
  }

  get(name: string): Buffer {
    try {
      return readFileSync(this.path(name));
    } catch (e) {
      throw readError(name, e);
    }
  }

  private walk(keep: (f: string) => boolean): FileInfo[] {
    const out: FileInfo[] = [];
    const visit = (rel: string, depth: number): void => {
      let names: string[];
      try {
        names = readdirSync(rel ? join(this.dir, rel) : this.dir);
      } catch (e) {
        if (depth === 0) throw readError(this.dir, e);
        return;
      }
      for (const n of names.sort()) {
        const name = rel ? `${rel}/${n}` : n;
        let st;
        try {
          st = statSync(join(this.dir, ...name.split('/')));
        } catch {
          continue; // removed while we looked
        }
        if (st.isDirectory()) {
          if (depth === 0) visit(name, 1);
        } else if (keep(n)) out.push({ name, size: st.size, mtimeMs: Math.floor(st.mtimeMs) });
      }
    };
    visit('', 0);
    return out;
  }

  list(): FileInfo[] {
    return this.walk((n) => n.endsWith('.zsbsync'));
  }

  parts(): FileInfo[] {
    return this.walk((n) => n.endsWith(PART));
  }

  remove(name: string): void {
    rmSync(this.path(name), { force: true });
  }
}

/** One named file, as the CLI's `--out FILE` / `import FILE` use it. */
export function fileTransport(file: string): { transport: FolderTransport; name: string } {
  return { transport: new FolderTransport(dirname(file)), name: basename(file) };
}

export function folderExists(dir: string): boolean {
  return existsSync(dir);
}

export class MemoryTransport implements SyncTransport {
  readonly files = new Map<string, { bytes: Buffer; mtimeMs: number }>();
  private tick = 0;

  put(name: string, bytes: Buffer): void {
    this.files.set(name, { bytes: Buffer.from(bytes), mtimeMs: ++this.tick });
  }

  get(name: string): Buffer {
    const f = this.files.get(name);
    if (!f) throw new DeskError('not_found', `找不到同步包：${name}`);
    return f.bytes;
  }

  list(): FileInfo[] {
    return [...this.files.entries()].filter(([n]) => !n.endsWith(PART)).map(([name, f]) => ({ name, size: f.bytes.length, mtimeMs: f.mtimeMs })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  parts(): FileInfo[] {
    return [...this.files.entries()].filter(([n]) => n.endsWith(PART)).map(([name, f]) => ({ name, size: f.bytes.length, mtimeMs: f.mtimeMs }));
  }

  remove(name: string): void {
    this.files.delete(name);
  }
}

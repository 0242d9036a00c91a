/**
 * Where bundles travel (Joplin's sync targets): one small interface. A file or a folder on a USB
 * stick or a network share, the college's PostgreSQL hub (hub.ts), and memory for tests. Names
 * may have one folder level (`desk-<id>/state.zsbsync`), always with '/'. The interface is async
 * because a hub is a network away; the folder's fs calls are synchronous and simply resolve.
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
  put(name: string, bytes: Buffer): Promise<void>;
  /** The file's bytes, or a DeskError that says what happened (missing, no permission, busy, I/O). */
  get(name: string): Promise<Buffer>;
  /**
   * Every complete file (names with '/'), not the `.part` files of writes in progress. `mtimeMs`
   * changes whenever the file's content does (a hub gives a revision number instead of a time).
   */
  list(): Promise<FileInfo[]>;
  /** `.part` files: writes in progress, or left over by an interrupted visit. */
  parts(): Promise<FileInfo[]>;
  remove(name: string): Promise<void>;
  /**
   * Runs a visit's writes so that they appear together where the transport can: the hub commits
   * them in one transaction (a cut connection leaves none of them); a folder has no such thing,
   * and each of its files is already whole or absent (.part + rename), so it just runs them.
   */
  batch<T>(writes: () => Promise<T>): Promise<T>;
}

const PART = '.part';

/** Errors that mean the transport itself is gone (not one bad file): the visit stops there. */
export const TRANSPORT_GONE: ReadonlySet<string> = new Set(['hub_unreachable', 'hub_connection_lost']);

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

  putSync(name: string, bytes: Buffer): void {
    const final = this.path(name);
    mkdirSync(dirname(final), { recursive: true });
    writeFileAtomic(final, bytes, this.rename ? { rename: this.rename } : {});
  }

  getSync(name: string): Buffer {
    try {
      return readFileSync(this.path(name));
    } catch (e) {
      throw readError(name, e);
    }
  }

  put(name: string, bytes: Buffer): Promise<void> {
    return settle(() => this.putSync(name, bytes));
  }

  get(name: string): Promise<Buffer> {
    return settle(() => this.getSync(name));
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

  list(): Promise<FileInfo[]> {
    return settle(() => this.walk((n) => n.endsWith('.zsbsync')));
  }

  parts(): Promise<FileInfo[]> {
    return settle(() => this.walk((n) => n.endsWith(PART)));
  }

  remove(name: string): Promise<void> {
    return settle(() => rmSync(this.path(name), { force: true }));
  }

  batch<T>(writes: () => Promise<T>): Promise<T> {
    return writes();
  }
}

/** A synchronous step as a promise: its throw becomes the rejection (callers await, never catch twice). */
function settle<T>(f: () => T): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
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

  put(name: string, bytes: Buffer): Promise<void> {
    this.files.set(name, { bytes: Buffer.from(bytes), mtimeMs: ++this.tick });
    return Promise.resolve();
  }

  get(name: string): Promise<Buffer> {
    const f = this.files.get(name);
    return f ? Promise.resolve(f.bytes) : Promise.reject(new DeskError('not_found', `找不到同步包：${name}`));
  }

  list(): Promise<FileInfo[]> {
    return Promise.resolve(
      [...this.files.entries()].filter(([n]) => !n.endsWith(PART)).map(([name, f]) => ({ name, size: f.bytes.length, mtimeMs: f.mtimeMs })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
  }

  parts(): Promise<FileInfo[]> {
    return Promise.resolve([...this.files.entries()].filter(([n]) => n.endsWith(PART)).map(([name, f]) => ({ name, size: f.bytes.length, mtimeMs: f.mtimeMs })));
  }

  remove(name: string): Promise<void> {
    this.files.delete(name);
    return Promise.resolve();
  }

  batch<T>(writes: () => Promise<T>): Promise<T> {
    return writes();
  }
}

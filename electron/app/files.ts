/**
 * The handle registry of one desk (文件句柄): every file or folder a caller names is registered
 * here when the user chose it — a native dialog or a drop (Electron), an upload into the inbox
 * (web host), a location the desk made for an output, a typed path (the advanced option), or a
 * CLI argument — and is named by an opaque handle from then on. The dispatcher resolves handles
 * of a call's file arguments (FILE_ARGS) to paths, checking the kind, before the schema sees them.
 *
 * Handles live as long as the desk process; uploads and download copies of this session are
 * removed when the desk closes (their contents are in the workspace by then).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, sep, win32 } from 'node:path';
import {
  DeskError,
  FILE_ARGS,
  type AreaHandlers,
  type FilesResults,
  FILE_KINDS,
  HANDLE_RE,
  isHandleRef,
  type FileHandleInfo,
  type FileKind,
  type FileKindSpec,
  type HandleRef,
} from '../../shared/api/index.js';

type Origin = FileHandleInfo['origin'];

interface Entry {
  path: string;
  kind: FileKind;
  folder: boolean;
  origin: Origin;
  bytes: number | null;
}

export interface FileLocations {
  /** The open workspace's folder, or null on the start screen. */
  workspaceDir(): string | null;
  /** The per-installation folder (deskHome()). */
  home(): string;
}

/** One upload in progress: the host streams into `partPath`, then commits (or aborts). */
export interface Upload {
  /** Where the bytes go while they arrive. */
  partPath: string;
  /** Largest number of bytes this upload may write. */
  maxBytes: number;
  commit(bytes: number): FileHandleInfo;
  abort(): void;
}

const spec = (kind: FileKind): FileKindSpec => FILE_KINDS[kind];
const SESSION_STALE_MS = 24 * 3600 * 1000;
/** Characters no file name may hold on Windows: separators, wildcards and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
const UNSAFE_NAME = /[\\/:*?"<>|\u0000-\u001f]/;

function absolute(p: string): boolean {
  return isAbsolute(p) || win32.isAbsolute(p);
}

function isFolder(p: string): boolean | null {
  try {
    return statSync(p).isDirectory();
  } catch {
    return null;
  }
}

function fileSize(p: string): number | null {
  try {
    const st = statSync(p);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/** The kind in words, for messages and the native dialogs' titles. */
export function kindLabel(kind: FileKind): string {
  const labels: Record<FileKind, string> = {
    list: '考生名单', attachments: '附件文件夹或 .zip', mapping: '列对应文件（.json）', crossList: '核对名单', photoFolder: '学籍照片文件夹', p12: '学校证书（.p12/.pfx）',
    bundle: '同步包（.zsbsync）', bundleOut: '同步包的保存位置', syncFolder: '同步文件夹', exportFolder: '导出文件夹', verifyFolder: '待校验的文件夹',
    cloneOut: '副本文件夹', clone: '另一台电脑做的工作区副本', collegeFolder: '学院的存放位置', report: '报告文件', demoOut: '演示数据文件夹', workspace: '工作区文件夹',
  };
  return labels[kind];
}

/** Checks a path the user chose against what a kind must be; returns whether it is a folder. */
export function checkPathForKind(path: string, kind: FileKind): boolean {
  const s = spec(kind);
  if (!absolute(path)) throw new DeskError('file_path_relative', `请填写完整路径（如 D:\\专升本\\…）：${path}`);
  const folder = isFolder(path);
  const extOk = s.exts.length === 0 || (s.exts as readonly string[]).includes(extname(path).toLowerCase());
  if (s.io === 'in') {
    if (folder === null) throw new DeskError('file_missing', `找不到${kindLabel(kind)}：${path}`);
    if (folder && s.shape === 'file') throw new DeskError('file_kind_mismatch', `这是一个文件夹，需要的是${kindLabel(kind)}：${path}`);
    if (!folder && s.shape === 'folder') throw new DeskError('file_kind_mismatch', `这是一个文件，需要的是${kindLabel(kind)}：${path}`);
    if (!folder && !extOk) throw new DeskError('file_kind_mismatch', `文件类型不对，需要${kindLabel(kind)}（${s.exts.join(' / ')}）：${basename(path)}`);
    return folder;
  }
  // Written by the desk: it may not exist yet, but the folder it goes into must.
  if (folder === false && s.shape === 'folder') throw new DeskError('file_kind_mismatch', `这是一个文件，需要的是${kindLabel(kind)}：${path}`);
  if (folder === null && isFolder(dirname(path)) !== true) throw new DeskError('file_missing', `找不到上级文件夹：${dirname(path)}`);
  if (s.shape === 'file' && !extOk) throw new DeskError('file_kind_mismatch', `文件类型不对，需要${kindLabel(kind)}（${s.exts.join(' / ')}）：${basename(path)}`);
  return s.shape === 'folder' || folder === true;
}

/** A relative path inside an uploaded folder (webkitRelativePath): segments, never '..'. */
function uploadSegments(name: string): string[] {
  const parts = name.split('/');
  if (parts.length > 16 || name.length > 1024) throw new DeskError('upload_name', `文件名过长：${name.slice(0, 80)}`);
  for (const p of parts) {
    if (!p || p === '.' || p === '..' || UNSAFE_NAME.test(p) || p.length > 255) throw new DeskError('upload_name', `不能接收这个文件名：${name.slice(0, 200)}`);
  }
  return parts;
}

/**
 * A file the desk writes (a bundle, a report) never replaces an existing file, unless the user
 * chose that very file in the native save dialog, which asked before overwriting it: otherwise a
 * caller could name any file on the PC and have it overwritten.
 */
function refuseOverwrite(path: string, kind: FileKind, origin: Origin): void {
  const s = spec(kind);
  if (s.io !== 'out' || s.shape !== 'file' || origin === 'picked') return;
  if (existsSync(path)) throw new DeskError('file_exists', `已有同名文件，审核台不会覆盖它：${basename(path)}。请另选保存位置。`);
}

function stamp(d = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A file name the user may see, from a suggestion that might hold anything. */
export function safeName(name: string, fallback: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are replaced like separators
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 120);
  return cleaned || fallback;
}

function unique(dir: string, name: string): string {
  const ext = extname(name);
  const stem = ext ? name.slice(0, -ext.length) : name;
  let candidate = join(dir, name);
  for (let i = 2; existsSync(candidate); i++) candidate = join(dir, `${stem}-${i}${ext}`);
  return candidate;
}

export class FileRegistry {
  private readonly handles = new Map<string, Entry>();
  private readonly session = `s-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  /** Session folders made under an inbox or outbox (removed on dispose). */
  private readonly made = new Set<string>();

  constructor(private readonly where: FileLocations) {}

  private add(entry: Entry): FileHandleInfo {
    const handle = `h_${randomBytes(18).toString('base64url')}`;
    this.handles.set(handle, entry);
    return this.info(handle, entry);
  }

  private info(handle: string, e: Entry): FileHandleInfo {
    return { handle, kind: e.kind, name: basename(e.path), folder: e.folder, bytes: e.bytes, origin: e.origin };
  }

  private entry(handle: string): Entry {
    const e = HANDLE_RE.test(handle) ? this.handles.get(handle) : undefined;
    if (!e) throw new DeskError('file_handle_unknown', '所选文件已失效（审核台重新启动过），请重新选择。');
    return e;
  }

  /**
   * Registers a path the user chose. A chosen path is checked against its kind (exists, file or
   * folder, extension); a CLI argument is not — the service names a missing file in its own words.
   */
  register(path: string, kind: FileKind, origin: Origin): FileHandleInfo {
    const folder = origin !== 'cli' ? checkPathForKind(path, kind) : (isFolder(path) ?? spec(kind).shape === 'folder');
    return this.add({ path, kind, folder, origin, bytes: folder ? null : fileSize(path) });
  }

  /** The path behind a handle, if its kind is one the argument accepts. */
  resolve(ref: HandleRef, kinds: readonly FileKind[]): string {
    const e = this.entry(ref.handle);
    if (!kinds.includes(e.kind)) {
      throw new DeskError('file_kind_mismatch', `所选的是${kindLabel(e.kind)}，这里需要${kinds.map(kindLabel).join('或')}。`, { got: e.kind, want: kinds });
    }
    const origins = spec(e.kind).origins;
    if (origins && !origins.includes(e.origin)) {
      throw new DeskError('file_origin_refused', `${kindLabel(e.kind)}只能写到审核台自己建立的位置。`, { origin: e.origin });
    }
    refuseOverwrite(e.path, e.kind, e.origin);
    return e.path;
  }

  describe(handle: string): FileHandleInfo & { exists: boolean } {
    const e = this.entry(handle);
    const exists = existsSync(e.path);
    if (exists && !e.folder) e.bytes = fileSize(e.path);
    return { ...this.info(handle, e), exists };
  }

  /** The path behind a handle, for adapters that act on it (reveal in Explorer). */
  pathOf(handle: string): string {
    return this.entry(handle).path;
  }

  /**
   * A file or folder the web host may offer as a download: an output the desk made (files.output)
   * that exists. A typed path is never one, or `files.fromPath` would read any folder on the PC.
   */
  downloadable(handle: string): { path: string; folder: boolean; name: string } | null {
    const e = HANDLE_RE.test(handle) ? this.handles.get(handle) : undefined;
    if (!e || spec(e.kind).download !== true || e.origin !== 'output') return null;
    const folder = isFolder(e.path);
    if (folder === null) return null;
    return { path: e.path, folder, name: basename(e.path) };
  }

  private sessionDir(root: string): string {
    const dir = join(root, this.session);
    if (!this.made.has(dir)) {
      // Leftovers of a desk that crashed (a day old or more) go first.
      try {
        for (const old of readdirSync(root)) {
          const p = join(root, old);
          if (old.startsWith('s-') && Date.now() - statSync(p).mtimeMs > SESSION_STALE_MS) rmSync(p, { recursive: true, force: true });
        }
      } catch {
        // No root yet: nothing to tidy.
      }
      mkdirSync(dir, { recursive: true });
      this.made.add(dir);
    }
    return dir;
  }

  private inbox(): string {
    const ws = this.where.workspaceDir();
    // Before a college is open (joining one from an uploaded bundle) the inbox is the installation's.
    return this.sessionDir(join(ws ?? this.where.home(), 'inbox'));
  }

  private requireWorkspace(): string {
    const ws = this.where.workspaceDir();
    if (!ws) throw new DeskError('no_workspace', '尚未打开学院。');
    return ws;
  }

  /** A fresh location the desk chooses for something it writes. */
  output(kind: FileKind, name?: string): FileHandleInfo {
    const s = spec(kind);
    if (s.io !== 'out') throw new DeskError('file_kind_mismatch', `${kindLabel(kind)}不是审核台写出的文件。`);
    const ext = s.exts[0] ?? '';
    const base = safeName(name ?? '', `${kind}-${stamp()}`);
    const withExt = ext && !base.toLowerCase().endsWith(ext) ? `${base}${ext}` : base;
    let path: string;
    if (kind === 'exportFolder') {
      // Exports are records of the college: kept under the workspace, where "open the folder" finds them.
      const dir = join(this.requireWorkspace(), '导出');
      mkdirSync(dir, { recursive: true });
      path = unique(dir, withExt);
    } else if (kind === 'collegeFolder') {
      const dir = join(this.where.home(), 'colleges');
      mkdirSync(dir, { recursive: true });
      path = unique(dir, withExt);
    } else {
      path = unique(this.sessionDir(join(this.requireWorkspace(), 'outbox')), withExt);
    }
    return this.add({ path, kind, folder: s.shape === 'folder', origin: 'output', bytes: null });
  }

  /**
   * Starts an upload of one file. `name` is the file's name, or for a folder upload its path
   * inside the chosen folder (`附件/4301…/退役证.jpg`); `into` is the handle the folder's first
   * file returned, so the folder's other files land beside it.
   */
  beginUpload(kind: FileKind, name: string, into?: string): Upload {
    const s = spec(kind);
    if (s.io !== 'in' || s.maxBytes <= 0) throw new DeskError('upload_kind', `不能上传${kindLabel(kind)}。`);
    const parts = uploadSegments(name);
    const inFolder = parts.length > 1;
    let target: string;
    let folderEntry: Entry | null = null;
    let folderHandle: string | null = null;
    if (!inFolder) {
      if (into) throw new DeskError('upload_name', '文件夹里的文件需要带上它在文件夹中的位置。');
      if (s.shape === 'folder') throw new DeskError('upload_kind', `需要的是一个文件夹（${kindLabel(kind)}），请选择文件夹上传。`);
      const ext = extname(name).toLowerCase();
      if (s.exts.length > 0 && !(s.exts as readonly string[]).includes(ext)) {
        throw new DeskError('file_kind_mismatch', `文件类型不对，需要${kindLabel(kind)}（${s.exts.join(' / ')}）：${name}`);
      }
      target = join(this.inbox(), randomBytes(6).toString('hex'), name);
    } else {
      if (s.shape === 'file') throw new DeskError('upload_kind', `需要的是一个文件（${kindLabel(kind)}），不是文件夹。`);
      if (into) {
        folderEntry = this.entry(into);
        folderHandle = into;
        if (folderEntry.kind !== kind || folderEntry.origin !== 'uploaded' || !folderEntry.folder || basename(folderEntry.path) !== parts[0]) {
          throw new DeskError('upload_name', '这个文件不属于正在上传的文件夹。');
        }
      } else {
        const dir = join(this.inbox(), randomBytes(6).toString('hex'), parts[0] ?? 'folder');
        mkdirSync(dir, { recursive: true });
        folderEntry = { path: dir, kind, folder: true, origin: 'uploaded', bytes: 0 };
      }
      target = join(folderEntry.path, ...parts.slice(1));
      // Belt and braces: the segments were checked, the joined path must still be inside.
      const rel = relative(folderEntry.path, target);
      if (rel.startsWith('..') || absolute(rel) || rel.split(sep).includes('..')) throw new DeskError('upload_name', '不能接收这个文件名。');
      if (existsSync(target)) throw new DeskError('upload_name', `文件夹里已有同名文件：${parts.slice(1).join('/')}`);
    }
    const folderRoom = folderEntry ? (s.maxFolderBytes ?? s.maxBytes) - (folderEntry.bytes ?? 0) : Infinity;
    const maxBytes = Math.max(0, Math.min(s.maxBytes, folderRoom));
    mkdirSync(dirname(target), { recursive: true });
    const partPath = `${target}.part`;
    const fe = folderEntry;
    return {
      partPath,
      maxBytes,
      commit: (bytes) => {
        if (!fe) return this.add({ path: target, kind, folder: false, origin: 'uploaded', bytes });
        fe.bytes = (fe.bytes ?? 0) + bytes;
        if (folderHandle) return this.info(folderHandle, fe);
        return this.add(fe);
      },
      abort: () => {
        rmSync(partPath, { force: true });
        // A folder whose first file failed is not kept.
        if (fe && !folderHandle) rmSync(dirname(fe.path), { recursive: true, force: true });
      },
    };
  }

  /**
   * The dispatcher's step before validation: a handle in a file argument becomes its path (if
   * its kind fits). With rawPaths false a path given directly is refused.
   */
  resolveArgs(call: string, args: unknown, opts: { rawPaths: boolean }): unknown {
    const fields = (FILE_ARGS as Record<string, Record<string, readonly FileKind[]>>)[call];
    if (!fields || typeof args !== 'object' || args === null || Array.isArray(args)) return args;
    const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    for (const [field, kinds] of Object.entries(fields)) {
      const v = out[field];
      if (isHandleRef(v)) out[field] = this.resolve(v, kinds);
      else if (typeof v === 'string' && !opts.rawPaths) {
        throw new DeskError('raw_path_refused', `请通过“选择文件”指定${kinds.map(kindLabel).join('或')}，不能直接传路径（${field}）。`);
      } else if (typeof v === 'string') {
        // A raw path (tests) follows the same rule as a handle the CLI would have made of it.
        for (const kind of kinds.slice(0, 1)) refuseOverwrite(v, kind, 'cli');
      }
    }
    return out;
  }

  /** The CLI's step: its path arguments become handles (unchecked; the service reports a missing file). */
  toHandles(call: string, args: unknown): unknown {
    const fields = (FILE_ARGS as Record<string, Record<string, readonly FileKind[]>>)[call];
    if (!fields || typeof args !== 'object' || args === null || Array.isArray(args)) return args;
    const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    for (const [field, kinds] of Object.entries(fields)) {
      const v = out[field];
      const kind = kinds[0];
      if (typeof v === 'string' && v.trim() && kind) out[field] = { handle: this.register(v, kind, 'cli').handle };
    }
    return out;
  }

  /** Removes this session's uploads and download copies. */
  dispose(): void {
    for (const dir of this.made) rmSync(dir, { recursive: true, force: true });
    this.made.clear();
    this.handles.clear();
  }
}

/** The contract's file calls (shared/api/files.ts): the advanced typed path, outputs, descriptions. */
export function filesHandlers(files: FileRegistry, rawPaths: boolean): AreaHandlers<FilesResults> {
  return {
    'files.fromPath': ({ kind, path }) => {
      // A typed path is a raw path by another name: where raw paths are refused, so is this.
      if (!rawPaths) throw new DeskError('raw_path_refused', `请通过“选择文件”指定${kindLabel(kind)}：这里不能直接输入路径。`);
      return files.register(path, kind, 'typed');
    },
    'files.policy': () => ({ typedPaths: rawPaths }),
    'files.output': ({ kind, name }) => files.output(kind, name),
    'files.describe': ({ handle }) => files.describe(handle),
  };
}

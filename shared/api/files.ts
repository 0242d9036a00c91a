/**
 * Files as handles (文件句柄): the renderer and HTTP callers name a file or folder by an opaque
 * handle the main process issued when the user chose it (native dialog, drag-and-drop, an upload
 * into the workspace's inbox, or a location the desk made for an export). Every call argument
 * that is a file or folder is listed in FILE_ARGS with the kinds it accepts; the dispatcher turns
 * a handle of the right kind into its path before the call's schema sees it. The CLI turns its
 * path arguments into handles the same way, so one rule covers every adapter.
 */
import { z } from 'zod';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export type FileShape = 'file' | 'folder' | 'either';
/** in: the desk reads it; out: the desk writes it (it need not exist yet); both: a sync folder. */
export type FileIo = 'in' | 'out' | 'both';

export interface FileKindSpec {
  shape: FileShape;
  io: FileIo;
  /** Extensions a file of this kind may have (lower case, with the dot); empty = any. */
  exts: readonly string[];
  /** Largest upload accepted for one file of this kind (the web host answers 413 above it). */
  maxBytes: number;
  /** An uploaded folder of this kind may hold at most this much in all. */
  maxFolderBytes?: number;
  /** The web host offers a file or folder of this kind as a download once it exists. */
  download?: boolean;
  /** Only handles of these origins are taken for this kind (default: any). */
  origins?: readonly FileHandleInfo['origin'][];
}

const LIST_EXTS = ['.xlsx', '.xlsm', '.xls', '.csv', '.tsv', '.txt'] as const;

/** Every kind of file or folder the desk reads or writes, with what it must look like. */
export const FILE_KINDS = {
  /** 考生名单: the platform's export (.xlsx) or an office CSV. */
  list: { shape: 'file', io: 'in', exts: LIST_EXTS, maxBytes: 200 * MiB },
  /** 附件: a folder of scans or a .zip of them. */
  attachments: { shape: 'either', io: 'in', exts: ['.zip'], maxBytes: 16 * GiB, maxFolderBytes: 16 * GiB },
  /** A saved column mapping (the CLI's --map). */
  mapping: { shape: 'file', io: 'in', exts: ['.json'], maxBytes: 1 * MiB },
  /** 上年考生名单 and other cross-check lists from the province. */
  crossList: { shape: 'file', io: 'in', exts: LIST_EXTS, maxBytes: 200 * MiB },
  /** 学籍照片: the college's folder of ID photos named by ID number, checked before the upload. */
  photoFolder: { shape: 'folder', io: 'in', exts: [], maxBytes: 5 * MiB, maxFolderBytes: 8 * GiB },
  /** The college's certificate for signing the PDF. */
  p12: { shape: 'file', io: 'in', exts: ['.p12', '.pfx'], maxBytes: 1 * MiB },
  /** A sync bundle from another PC (or the bundle a new PC joins with). */
  bundle: { shape: 'file', io: 'in', exts: ['.zsbsync'], maxBytes: 16 * GiB },
  /** Where this PC's bundle is written. */
  bundleOut: { shape: 'file', io: 'out', exts: ['.zsbsync'], maxBytes: 0, download: true },
  /** 同步文件夹 (USB stick or share): read and written. */
  syncFolder: { shape: 'folder', io: 'both', exts: [], maxBytes: 0 },
  /** 导出目录: a new (or empty) folder the tables are written into. */
  exportFolder: { shape: 'folder', io: 'out', exts: [], maxBytes: 0, download: true },
  /** A folder of exported tables to verify (the provincial office's side). */
  verifyFolder: { shape: 'folder', io: 'in', exts: [], maxBytes: 64 * MiB, maxFolderBytes: 1 * GiB },
  /** A peer workspace written for another PC. */
  cloneOut: { shape: 'folder', io: 'out', exts: [], maxBytes: 0, download: true },
  /** A peer workspace another PC made, which this PC joins. */
  clone: { shape: 'folder', io: 'in', exts: [], maxBytes: 4 * GiB, maxFolderBytes: 32 * GiB },
  /** Where a new college's workspace is kept. */
  collegeFolder: { shape: 'folder', io: 'out', exts: [], maxBytes: 0 },
  /** A report the desk writes (the import's problems, the photo folder's, as xlsx). */
  report: { shape: 'file', io: 'out', exts: ['.xlsx'], maxBytes: 0, download: true },
  /**
   * The synthetic demo college (CLI, tests): only into a location the desk made (files.output) or
   * the CLI's argument — it replaces its own files in the folder, so never a folder a page names.
   */
  demoOut: { shape: 'folder', io: 'out', exts: [], maxBytes: 0, origins: ['output', 'cli'] },
  /** An existing workspace folder (diagnostics of a workspace that will not open). */
  workspace: { shape: 'folder', io: 'in', exts: [], maxBytes: 0 },
} as const satisfies Record<string, FileKindSpec>;

export type FileKind = keyof typeof FILE_KINDS;
export const FILE_KIND_NAMES = Object.keys(FILE_KINDS) as FileKind[];
export const fileKind = z.enum(FILE_KIND_NAMES as [FileKind, ...FileKind[]]);

/** An opaque handle: `h_` and 24 url-safe characters (18 random bytes). */
export const HANDLE_RE = /^h_[A-Za-z0-9_-]{24}$/;
export const handleRef = z.object({ handle: z.string().regex(HANDLE_RE, '不是有效的文件句柄') }).strict();
export type HandleRef = z.infer<typeof handleRef>;

export function isHandleRef(v: unknown): v is HandleRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { handle?: unknown }).handle === 'string';
}

/**
 * The file and folder arguments of the contract: call → field → the kinds a handle in that field
 * may have. A raw path is still accepted there (the CLI's conversion and older callers); a test
 * keeps this table complete (every path-like field of every schema is listed).
 */
export const FILE_ARGS = {
  'import.preview': { listPath: ['list'] },
  'import.run': { listPath: ['list'], attachmentsPath: ['attachments'], mapPath: ['mapping'] },
  'import.errorsXlsx': { path: ['report'] },
  'previous.import': { listPath: ['crossList'] },
  'lists.import': { listPath: ['crossList'] },
  'checks.photos': { folder: ['photoFolder'], reportPath: ['report'] },
  'export.run': { out: ['exportFolder'], p12Path: ['p12'] },
  // The office verifies a folder it received; the college verifies what it just exported.
  'export.verify': { dir: ['verifyFolder', 'exportFolder'] },
  'sync.export': { out: ['bundleOut'] },
  'sync.import': { file: ['bundle'] },
  'sync.withFolder': { folder: ['syncFolder'] },
  'workspace.clone': { out: ['cloneOut'] },
  'demo.generate': { out: ['demoOut'] },
  'diagnostics.report': { workspace: ['workspace'] },
  'colleges.create': { folder: ['collegeFolder'] },
  'colleges.open': { folder: ['workspace'] },
  'colleges.join': { source: ['bundle', 'clone'], folder: ['collegeFolder'] },
} as const satisfies Record<string, Record<string, readonly FileKind[]>>;

export type FileArgCall = keyof typeof FILE_ARGS;
/** The file fields of a call (never for calls without any). */
export type FileFieldsOf<K> = K extends FileArgCall ? keyof (typeof FILE_ARGS)[K] : never;

/** What the renderer learns about a handle: never the path, only what it shows the user. */
export interface FileHandleInfo {
  handle: string;
  kind: FileKind;
  /** The file or folder name as the user knows it (no folders above it). */
  name: string;
  folder: boolean;
  /** Bytes of a file (or of everything uploaded into a folder); null when not known yet. */
  bytes: number | null;
  /** How the desk got it. */
  origin: 'picked' | 'dropped' | 'typed' | 'uploaded' | 'output' | 'cli';
}

export const filesArgs = {
  /** The advanced option: a path typed or pasted by the user (and the CLI's arguments). */
  'files.fromPath': z.object({ kind: fileKind, path: z.string().trim().min(1).max(4096) }).strict(),
  /** A fresh location the desk chooses for something it writes (exports under the workspace's 导出 folder). */
  'files.output': z.object({ kind: fileKind, name: z.string().trim().min(1).max(120).optional() }).strict(),
  'files.describe': z.object({ handle: z.string().regex(HANDLE_RE) }).strict(),
  /** What this desk accepts: the page offers a typed path only where the desk takes one. */
  'files.policy': z.object({}).strict(),
} as const;

/** How files reach this desk (the Electron window and the web host take no typed path). */
export interface FilesPolicy {
  typedPaths: boolean;
}

export interface FilesResults {
  'files.fromPath': FileHandleInfo;
  'files.output': FileHandleInfo;
  'files.describe': FileHandleInfo & { exists: boolean };
  'files.policy': FilesPolicy;
}

/**
 * The narrow file API of the Electron window: the renderer asks for a native open or save dialog
 * of a given kind, hands over a file dropped on it (its path read in the preload with
 * `webUtils.getPathForFile`, which only works on a real File the user dropped or chose), or asks
 * to show an output in Explorer. Every answer is a handle; no path goes back to the page.
 * Requests from any frame other than the desk window's main frame showing its own page are
 * refused (main.ts, isDeskFrame in security.ts).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FILE_KINDS, fileKind, type Envelope, type FileHandleInfo, type FileKind } from '../../../shared/api/index.js';
import { toApiError } from '../../app/dispatch.js';
import { kindLabel, safeName, type FileRegistry } from '../../app/files.js';

/** The parts of Electron's dialog and shell modules the bridge uses (a stand-in in tests). */
export interface DialogLike {
  showOpenDialog(win: unknown, o: { title: string; properties: string[]; filters?: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(win: unknown, o: { title: string; defaultPath: string; filters?: { name: string; extensions: string[] }[]; properties?: string[] }): Promise<{ canceled: boolean; filePath?: string }>;
}
export interface ShellLike {
  showItemInFolder(path: string): void;
}

const ops = {
  pick: z.object({ kind: fileKind, folder: z.boolean().optional() }).strict(),
  save: z.object({ kind: fileKind, suggestedName: z.string().max(200).optional() }).strict(),
  drop: z.object({ kind: fileKind, path: z.string().min(1).max(4096) }).strict(),
  reveal: z.object({ handle: z.string().max(40) }).strict(),
} as const;
export type FileOp = keyof typeof ops;

const filtersOf = (kind: FileKind): { name: string; extensions: string[] }[] | undefined => {
  const exts = FILE_KINDS[kind].exts;
  return exts.length > 0 ? [{ name: kindLabel(kind), extensions: exts.map((e) => e.slice(1)) }] : undefined;
};

export interface FileBridgeDeps {
  files(): FileRegistry;
  dialog: DialogLike;
  shell: ShellLike;
  /** The window the dialogs belong to (modal to it). */
  window(): unknown;
  /** Where a save dialog starts (the user's Documents folder). */
  documentsDir(): string;
}

/** The handler of the `desk:files` channel: op and argument validated, answered with an envelope. */
export function fileBridge(deps: FileBridgeDeps): (op: unknown, arg: unknown) => Promise<Envelope<FileHandleInfo | null | { shown: boolean }>> {
  return async (op, arg) => {
    if (typeof op !== 'string' || !Object.prototype.hasOwnProperty.call(ops, op)) {
      return { ok: false, error: { code: 'unknown_call', message: `未知的文件操作：${String(op).slice(0, 40)}` } };
    }
    const parsed = ops[op as FileOp].safeParse(arg ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'invalid_args', message: `参数不正确（${op}）` } };
    try {
      const files = deps.files();
      switch (op as FileOp) {
        case 'pick': {
          const a = parsed.data as z.infer<typeof ops.pick>;
          const spec = FILE_KINDS[a.kind];
          if (spec.io === 'out') return { ok: false, error: { code: 'file_kind_mismatch', message: `${kindLabel(a.kind)}请用“保存到”选择。` } };
          const folder = spec.shape === 'folder' || (spec.shape === 'either' && a.folder === true);
          const filters = folder ? undefined : filtersOf(a.kind);
          const r = await deps.dialog.showOpenDialog(deps.window(), {
            title: `选择${kindLabel(a.kind)}`,
            properties: folder ? ['openDirectory', 'createDirectory'] : ['openFile'],
            ...(filters ? { filters } : {}),
          });
          const path = r.filePaths[0];
          return { ok: true, value: r.canceled || !path ? null : files.register(path, a.kind, 'picked') };
        }
        case 'save': {
          const a = parsed.data as z.infer<typeof ops.save>;
          if (FILE_KINDS[a.kind].io !== 'out') return { ok: false, error: { code: 'file_kind_mismatch', message: `${kindLabel(a.kind)}请用“选择”打开。` } };
          const filters = FILE_KINDS[a.kind].shape === 'file' ? filtersOf(a.kind) : undefined;
          const r = await deps.dialog.showSaveDialog(deps.window(), {
            title: `${kindLabel(a.kind)}保存到`,
            defaultPath: join(deps.documentsDir(), safeName(a.suggestedName ?? '', kindLabel(a.kind))),
            ...(filters ? { filters } : {}),
            properties: ['createDirectory', 'showOverwriteConfirmation'],
          });
          return { ok: true, value: r.canceled || !r.filePath ? null : files.register(r.filePath, a.kind, 'picked') };
        }
        case 'drop': {
          const a = parsed.data as z.infer<typeof ops.drop>;
          if (FILE_KINDS[a.kind].io === 'out') return { ok: false, error: { code: 'file_kind_mismatch', message: `不能把文件拖到${kindLabel(a.kind)}上。` } };
          return { ok: true, value: files.register(a.path, a.kind, 'dropped') };
        }
        case 'reveal': {
          const a = parsed.data as z.infer<typeof ops.reveal>;
          const path = files.pathOf(a.handle);
          if (!existsSync(path)) return { ok: false, error: { code: 'file_missing', message: '文件夹已不在原处（被移动或删除？）。' } };
          // A folder is opened with its first file selected, so Explorer shows what is inside.
          let target = path;
          if (statSync(path).isDirectory()) {
            const first = readdirSync(path).sort()[0];
            if (first) target = join(path, first);
          }
          deps.shell.showItemInFolder(target);
          return { ok: true, value: { shown: true } };
        }
      }
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  };
}

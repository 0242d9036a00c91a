/**
 * How the page gets a file or folder to the desk, as a handle: in the Electron window through the
 * preload's file bridge (native dialogs, drops), in a browser by uploading it to the loopback
 * host; either way a typed path (the advanced option) goes through files.fromPath. Outputs come
 * back as "show in Explorer" (window) or a download link (browser).
 */
import { useEffect, useState } from 'react';
import { FILE_KINDS, type Envelope, type FileHandleInfo, type FileKind } from '../../../shared/api/index.js';
import { ApiFailure, call, type DeskFilesBridge } from '../api.js';

let policy: Promise<boolean> | null = null;

/**
 * Whether this desk takes a typed path (files.policy): the window and the web host do not — their
 * files come from the native dialogs and uploads only — so the page offers no path field there.
 * Asked once per page; null until the answer is in.
 */
export function useTypedPaths(): boolean | null {
  const [typed, setTyped] = useState<boolean | null>(null);
  useEffect(() => {
    policy ??= call('files.policy', {}).then((p) => p.typedPaths, () => false);
    let live = true;
    void policy.then((v) => live && setTyped(v));
    return () => {
      live = false;
    };
  }, []);
  return typed;
}

/** The window's file bridge, or null in a browser. */
export function nativeFiles(): DeskFilesBridge | null {
  return window.deskBridge?.files ?? null;
}

function unwrap(env: unknown): FileHandleInfo | null {
  const e = env as Envelope<FileHandleInfo | null>;
  if (!e.ok) throw new ApiFailure(e.error);
  return e.value;
}

export async function pickNative(kind: FileKind, folder = false): Promise<FileHandleInfo | null> {
  const b = nativeFiles();
  if (!b) return null;
  return unwrap(await b.pick(kind, folder));
}

export async function saveNative(kind: FileKind, suggestedName: string): Promise<FileHandleInfo | null> {
  const b = nativeFiles();
  if (!b) return null;
  return unwrap(await b.save(kind, suggestedName));
}

export async function dropNative(kind: FileKind, file: File): Promise<FileHandleInfo | null> {
  const b = nativeFiles();
  if (!b) return null;
  return unwrap(await b.drop(kind, file));
}

export async function revealNative(handle: string): Promise<void> {
  const b = nativeFiles();
  if (!b) return;
  const e = (await b.reveal(handle)) as Envelope<unknown>;
  if (!e.ok) throw new ApiFailure(e.error);
}

export function typedPath(kind: FileKind, path: string): Promise<FileHandleInfo> {
  return call('files.fromPath', { kind, path });
}

/** The browser's download of an output (an export folder arrives as a .zip). */
export function downloadUrl(handle: string): string {
  return `/download/${encodeURIComponent(handle)}`;
}

export const acceptOf = (kind: FileKind): string => FILE_KINDS[kind].exts.join(',');

/**
 * One file to the loopback host's inbox, with upload progress (fetch has none for request
 * bodies, XMLHttpRequest does). `name` is the file's name or its path inside an uploaded folder.
 */
export function uploadOne(kind: FileKind, file: File, name: string, into: string | null, onProgress?: (sent: number) => void): Promise<FileHandleInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const q = new URLSearchParams({ kind, name, ...(into ? { into } : {}) });
    xhr.open('POST', `/upload?${q.toString()}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded);
    xhr.onload = () => {
      try {
        const env = JSON.parse(xhr.responseText) as Envelope<FileHandleInfo>;
        if (env.ok) resolve(env.value);
        else reject(new ApiFailure(env.error));
      } catch {
        reject(new ApiFailure({ code: `http_${xhr.status}`, message: `上传失败（HTTP ${xhr.status}）` }));
      }
    };
    xhr.onerror = () => reject(new ApiFailure({ code: 'upload_failed', message: '上传中断，请重试。' }));
    xhr.send(file);
  });
}

export interface UploadProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

/** A folder chosen with <input webkitdirectory>: its files one after another into one handle. */
export async function uploadFolder(kind: FileKind, files: readonly File[], onProgress: (p: UploadProgress) => void): Promise<FileHandleInfo> {
  const totalBytes = files.reduce((a, f) => a + f.size, 0);
  let done = 0;
  let bytes = 0;
  let handle: FileHandleInfo | null = null;
  for (const f of files) {
    // webkitRelativePath is "附件/4301…/退役证.jpg": the folder's own name first.
    const rel = f.webkitRelativePath || f.name;
    const base = bytes;
    handle = await uploadOne(kind, f, rel, handle?.handle ?? null, (sent) => onProgress({ files: done, totalFiles: files.length, bytes: base + sent, totalBytes }));
    done++;
    bytes += f.size;
    onProgress({ files: done, totalFiles: files.length, bytes, totalBytes });
  }
  if (!handle) throw new ApiFailure({ code: 'upload_empty', message: '这个文件夹是空的。' });
  return handle;
}

export function fmtBytes(n: number | null): string {
  if (n === null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/**
 * Collects the scans of an attachments folder or .zip: matched to applicants by the ID number (or
 * 考生号) in the file or folder name, kind from the name, type from magic bytes, stored
 * content-addressed inside the workspace. Nothing is ever written under a name taken from the
 * archive, so a hostile entry name cannot reach outside the workspace; unsafe entries and zip bombs
 * refuse the whole archive anyway. Every file that is not stored is reported, never dropped silently.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readdirSync, readSync, rmdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { DeskError, type ImportProblem } from '../../shared/api/index.js';
import type { DocumentKind } from '../../shared/domain.js';
import { documentKindInName, idNumberInName, sniffType, type SniffedType } from '../../shared/import/sniff.js';
import { LIMITS } from '../../shared/limits.js';
import { BlobBatch, type BlobStore } from '../documents/index.js';

export interface StagedAttachment {
  /** Path relative to the folder or archive root, as shown to the user. */
  name: string;
  idNumber: string;
  kind: DocumentKind;
  mime: string;
  sha256: string;
  size: number;
  /** This import created the blob (so a refused import removes it again). */
  created: boolean;
}

export interface ZipLimits {
  /** Sum of uncompressed sizes the archive may declare. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of one entry (ordinary scans compress < 2×). */
  maxRatio: number;
  maxEntries: number;
  /** Largest uncompressed/compressed ratio of the whole archive. */
  maxTotalRatio?: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: LIMITS.zip.maxTotalBytes, maxRatio: LIMITS.zip.maxEntryRatio, maxEntries: LIMITS.zip.maxEntries, maxTotalRatio: LIMITS.zip.maxTotalRatio,
};

/**
 * More files for one applicant than a dossier has: refused before one is stored (named by the
 * first applicant over the cap), so a list of 100,000 scans for one ID number costs nothing.
 */
function refuseTooManyFiles(file: string, perApplicant: ReadonlyMap<string, number>): void {
  const max = LIMITS.documents.maxPerApplicant;
  for (const [id, n] of perApplicant) {
    if (n <= max) continue;
    const message = `身份证号 ${id} 的考生有 ${n} 个附件，超过每人 ${max} 份的上限：请检查附件是否放错了文件夹。`;
    throw new DeskError('import_refused', `${file}：${message}`, [{ file, code: 'too_many_documents', value: id, message }]);
  }
}

function countPer(ids: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}

export interface CollectOptions {
  /** Applicant ID numbers of the list being imported. */
  ids: ReadonlySet<string>;
  /** 考生号 → ID number, when the list has a 考生号 column. */
  examNos?: ReadonlyMap<string, string>;
  zipLimits?: ZipLimits;
  /** Progress per file; may throw to cancel. */
  onFile?: (done: number, total: number) => void;
  /** Blobs a committed row already names: durable and trusted, so not written again. */
  known?: ReadonlySet<string>;
}

export interface CollectResult {
  staged: StagedAttachment[];
  problems: ImportProblem[];
  /** Files looked at (folder files, or archive entries that are not folders). */
  files: number;
  /** Once the rows naming the staged scans committed, or they were removed: the batch's journal goes. */
  finish(): void;
}

/** What the dry run finds an attachment would be stored as (nothing is stored). */
export type InspectedAttachment = Pick<StagedAttachment, 'name' | 'idNumber' | 'kind' | 'mime'>;

export interface InspectResult {
  accepted: InspectedAttachment[];
  problems: ImportProblem[];
  files: number;
}

/** Files above this are streamed; smaller ones are read whole (one syscall, no stream overhead). */
const SMALL = 8 * 2 ** 20;

export function isZipPath(path: string): boolean {
  if (extname(path).toLowerCase() === '.zip') return true;
  try {
    if (!statSync(path).isFile()) return false;
    const fd = openSync(path, 'r');
    try {
      const b = Buffer.alloc(4);
      return readSync(fd, b, 0, 4, 0) === 4 && b.readUInt32BE(0) === 0x504b0304;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Which applicant a file belongs to, from its name; null with a reason when none. */
function matchName(name: string, opts: CollectOptions): { id: string } | { problem: string } {
  const id = idNumberInName(name);
  if (id && opts.ids.has(id)) return { id };
  if (opts.examNos && opts.examNos.size > 0) {
    for (const m of name.normalize('NFKC').matchAll(/\d{6,}/g)) {
      const hit = opts.examNos.get(m[0]);
      if (hit) return { id: hit };
    }
  }
  return {
    problem: id
      ? `附件 ${name} 中的身份证号 ${id} 不在名单中。`
      : `附件 ${name} 的文件名中没有名单中的身份证号${opts.examNos?.size ? '或考生号' : ''}，无法对应到考生。`,
  };
}

function typeProblem(name: string, type: Exclude<SniffedType, { ok: true }>): ImportProblem {
  return {
    file: name,
    code: type.kind === 'heic' ? 'attachment_heic' : type.kind === 'empty' ? 'attachment_empty' : 'attachment_type',
    message: type.kind === 'heic'
      ? `附件 ${name} 是 HEIC 照片（苹果手机格式），暂不支持：请转换为 JPEG 后重新导入。`
      : type.kind === 'empty' ? `附件 ${name} 是空文件。` : `附件 ${name} 不是 PDF、JPEG、PNG、WEBP、BMP 或 TIFF 文件。`,
  };
}

const EXT_OF: Record<string, string[]> = {
  'application/pdf': ['.pdf'],
  'image/jpeg': ['.jpg', '.jpeg', '.jpe'],
  'image/png': ['.png'],
  'image/webp': ['.webp'],
  'image/bmp': ['.bmp'],
  'image/tiff': ['.tif', '.tiff'],
};

/** A file whose extension lies about its content is kept (by its real type) and mentioned. */
function extensionNote(name: string, mime: string): ImportProblem | null {
  const ext = extname(name).toLowerCase();
  if (!ext || (EXT_OF[mime] ?? []).includes(ext)) return null;
  return { file: name, code: 'attachment_extension_mismatch', message: `附件 ${name} 的扩展名是 ${ext}，但内容是 ${mime}：按实际类型保存。` };
}

function listFolder(root: string, problems: ImportProblem[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'Thumbs.db' || e.name === 'desktop.ini') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
      else if (e.isSymbolicLink()) {
        const name = relative(root, p).split('\\').join('/');
        problems.push({ file: name, code: 'attachment_symlink', message: `附件 ${name} 是符号链接，未导入（只导入文件夹中的真实文件）。` });
      }
    }
  };
  walk(root);
  return out.sort();
}

/** Undo: removes the blobs this import created (used when the import is refused later). */
export function removeCreated(blobs: BlobStore, staged: readonly Pick<StagedAttachment, 'sha256' | 'created'>[]): void {
  const created = new Set(staged.filter((s) => s.created).map((s) => s.sha256));
  blobs.remove(created);
  // Shard folders this import made are removed too, so the blob tree looks exactly as before.
  for (const dir of new Set([...created].map((s) => join(blobs.root, s.slice(0, 2))))) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty: other blobs live there.
    }
  }
}

/**
 * Stores the matched attachments of a folder or .zip. When it resolves, every blob it names is
 * durably on disk (BlobBatch.flush), so the caller may commit rows naming them. On any exception
 * the blobs created so far are removed before it propagates.
 */
export async function collectAttachments(source: string, blobs: BlobStore, opts: CollectOptions): Promise<CollectResult> {
  const staged: StagedAttachment[] = [];
  const problems: ImportProblem[] = [];
  const batch = new BlobBatch(blobs, opts.known);
  let files: number;
  try {
    files = isZipPath(source) ? await collectZip(source, batch, opts, staged, problems) : await collectFolder(source, batch, opts, staged, problems);
    await batch.flush();
  } catch (e) {
    await batch.settle().catch(() => undefined); // queued writes land before they are removed
    removeCreated(blobs, [...batch.created].map((sha256) => ({ sha256, created: true })));
    batch.finish();
    throw e;
  }
  // The first document of a blob this import wrote owns it (a copy of the same scan does not).
  const owned = new Set<string>();
  for (const s of staged) {
    s.created = batch.created.has(s.sha256) && !owned.has(s.sha256);
    if (s.created) owned.add(s.sha256);
  }
  return { staged, problems, files, finish: () => batch.finish() };
}

/** Bytes enough for sniffType (magic numbers) and the HEIC brand. */
const HEAD = 64;

function headOfFile(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(HEAD);
    return b.subarray(0, readSync(fd, b, 0, HEAD, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * The dry run's look at the attachments: the same matching, the same zip safety rules (judged from
 * the central directory, as the import does) and the same type rules (from each file's first
 * bytes) as the import — refusing the same archives with the same codes — but nothing is read
 * whole, hashed or stored, so checking a list before importing it stays quick. How many of the
 * accepted files are already in the workspace (the same scan again) only the import can tell.
 */
export async function inspectAttachments(source: string, opts: CollectOptions): Promise<InspectResult> {
  const accepted: InspectedAttachment[] = [];
  const problems: ImportProblem[] = [];
  const judge = (head: Buffer, name: string, shown: string, id: string): void => {
    const type = sniffType(head);
    if (!type.ok) return void problems.push(typeProblem(shown, type));
    const note = extensionNote(name, type.mime);
    if (note) problems.push(note);
    accepted.push({ name, idNumber: id, kind: documentKindInName(name), mime: type.mime });
  };
  if (isZipPath(source)) {
    const file = basename(source);
    const { zip, files } = await openCheckedZip(source, opts.zipLimits ?? DEFAULT_ZIP_LIMITS);
    try {
      refuseTooManyEntries(file, files, opts);
      let done = 0;
      for (const { e, name } of files) {
        opts.onFile?.(done++, files.length);
        const id = zipEntryOwner(file, e, name, opts, problems);
        if (id !== null) judge(await entryHead(zip, e, file, name), name, `${file}/${name}`, id);
      }
      opts.onFile?.(done, files.length);
      return { accepted, problems, files: files.length };
    } finally {
      zip.close();
    }
  }
  requireFolder(source);
  const files = listFolder(source, problems);
  refuseTooManyEntries(basename(source), files.map((path) => ({ name: relative(source, path).split('\\').join('/') })), opts);
  for (const [i, path] of files.entries()) {
    opts.onFile?.(i, files.length);
    const name = relative(source, path).split('\\').join('/');
    const match = matchName(name, opts);
    if ('problem' in match) problems.push({ file: name, code: 'attachment_unmatched', message: match.problem });
    else judge(headOfFile(path), name, name, match.id);
  }
  opts.onFile?.(files.length, files.length);
  return { accepted, problems, files: files.length };
}

/** The first bytes of one archive entry (inflated), the rest never read. */
async function entryHead(zip: yauzl.ZipFile, e: yauzl.Entry, file: string, name: string): Promise<Buffer> {
  const unreadable = (err: unknown): DeskError =>
    new DeskError('import_refused', `${file}：无法解压条目“${name}”（${(err as Error).message}）。`, [{ file: `${file}/${name}`, code: 'zip_unreadable', message: `无法解压条目“${name}”（${(err as Error).message}）。` }]);
  let stream: Readable;
  try {
    stream = await entryStream(zip, e);
  } catch (err) {
    throw unreadable(err);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of stream) {
      chunks.push(c as Buffer);
      size += (c as Buffer).length;
      if (size >= HEAD) break;
    }
  } catch (err) {
    throw unreadable(err);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, HEAD);
}

/** Sniffs, hashes and queues one in-memory scan; the problem when its type is refused. */
async function stageBytes(batch: BlobBatch, bytes: Buffer, shown: string): Promise<{ type: SniffedType & { ok: true }; sha256: string } | ImportProblem> {
  const type = sniffType(bytes.subarray(0, 64));
  if (!type.ok) return typeProblem(shown, type);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await batch.add(sha256, bytes);
  return { type, sha256 };
}

/** Streams one large scan into the batch; the problem when its type is refused (nothing kept). */
async function stageStream(batch: BlobBatch, chunks: AsyncIterable<Buffer>, shown: string): Promise<{ type: SniffedType & { ok: true }; sha256: string; size: number } | ImportProblem> {
  let type: SniffedType = { ok: false, kind: 'empty' };
  const b = await batch.addStream(chunks, (h) => (type = sniffType(h)));
  if (!type.ok) {
    if (b.created) batch.drop(b.sha256);
    return typeProblem(shown, type);
  }
  return { type, sha256: b.sha256, size: b.size };
}

function requireFolder(root: string): void {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    const message = `附件目录或压缩包不存在：${root}`;
    throw new DeskError('import_refused', message, [{ file: basename(root), code: 'attachments_missing', message }]);
  }
}

async function collectFolder(root: string, batch: BlobBatch, opts: CollectOptions, staged: StagedAttachment[], problems: ImportProblem[]): Promise<number> {
  requireFolder(root);
  const files = listFolder(root, problems);
  const matched: { path: string; name: string; id: string }[] = [];
  for (const path of files) {
    const name = relative(root, path).split('\\').join('/');
    const match = matchName(name, opts);
    if ('problem' in match) problems.push({ file: name, code: 'attachment_unmatched', message: match.problem });
    else matched.push({ path, name, id: match.id });
  }
  refuseTooManyFiles(basename(root), countPer(matched.map((m) => m.id)));
  const skipped = files.length - matched.length;
  opts.onFile?.(skipped, files.length);
  // Read, hash and store on worker threads; sniffing and matching stay here, in file order.
  const stored = await batch.addFiles(matched.map((m) => m.path), SMALL, (n) => opts.onFile?.(skipped + n, files.length));
  for (const [i, m] of matched.entries()) {
    const r = stored[i]!;
    let got: Awaited<ReturnType<typeof stageStream>>;
    if ('large' in r) got = await stageStream(batch, createReadStream(m.path, { highWaterMark: 1 << 20 }), m.name);
    else {
      const type = sniffType(r.head);
      if (type.ok) got = { type, sha256: r.sha256, size: r.size };
      else {
        // Stored before it was sniffed (on a worker): not a scan, so it goes again.
        if (r.created) batch.drop(r.sha256);
        got = typeProblem(m.name, type);
      }
    }
    if (!('sha256' in got)) {
      problems.push(got);
      continue;
    }
    const note = extensionNote(m.name, got.type.mime);
    if (note) problems.push(note);
    staged.push({ name: m.name, idNumber: m.id, kind: documentKindInName(m.name), mime: got.type.mime, sha256: got.sha256, size: got.size, created: true });
  }
  opts.onFile?.(files.length, files.length);
  return files.length;
}

/** Zip entry names: UTF-8 when flagged, else UTF-8 if valid, else GBK (Windows 压缩 in Chinese). */
function entryName(e: yauzl.Entry): string {
  const raw = e.fileNameRaw;
  if (e.generalPurposeBitFlag & 0x800) return raw.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return iconv.decode(raw, 'gb18030');
  }
}

function unsafeReason(name: string, e: yauzl.Entry): string | null {
  const mode = (e.externalFileAttributes >>> 16) & 0o170000;
  if (mode === 0o120000) return '是符号链接';
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[A-Za-z]:/.test(n)) return '使用了绝对路径';
  if (n.split('/').includes('..')) return '包含“..”（指向压缩包以外的位置）';
  if (n.includes('\u0000')) return '名称中含有空字符';
  return null;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false }, (err, zip) => {
      if (err || !zip) reject(err ?? new Error('zip'));
      else resolve(zip);
    });
  });
}

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      out.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(out));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function entryStream(zip: yauzl.ZipFile, e: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(e, (err, stream) => (err || !stream ? reject(err ?? new Error('zip entry')) : resolve(stream)));
  });
}

/**
 * Opens an archive and judges it from its central directory before one byte is extracted: unsafe
 * names, zip bombs and too many entries refuse the whole archive. The caller closes the zip.
 */
async function openCheckedZip(path: string, limits: ZipLimits): Promise<{ zip: yauzl.ZipFile; files: { e: yauzl.Entry; name: string }[] }> {
  const file = basename(path);
  const refuse = (code: string, message: string, entry?: string): DeskError =>
    new DeskError('import_refused', `${file}：${message}`, [{ file: entry ? `${file}/${entry}` : file, code, message }]);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (e) {
    throw refuse('zip_unreadable', `无法读取压缩包（${(e as Error).message}）。`);
  }
  try {
    const entries = await readEntries(zip).catch((e: Error) => {
      throw refuse('zip_unreadable', `无法读取压缩包目录（${e.message}）。`);
    });
    if (entries.length > limits.maxEntries) throw refuse('zip_too_many_entries', `压缩包中有 ${entries.length} 个文件，超过上限 ${limits.maxEntries}。`);
    // Everything is judged from the central directory before one byte is extracted; yauzl then
    // fails an entry that inflates to more than it declared (validateEntrySizes).
    let total = 0;
    let compressed = 0;
    const files: { e: yauzl.Entry; name: string }[] = [];
    for (const e of entries) {
      const name = entryName(e);
      const unsafe = unsafeReason(name, e);
      if (unsafe) throw refuse('zip_unsafe_entry', `压缩包中的条目“${name}”${unsafe}，出于安全考虑拒绝整个压缩包。`, name);
      if (name.endsWith('/') || name.startsWith('__MACOSX/') || basename(name).startsWith('.')) continue;
      total += e.uncompressedSize;
      compressed += e.compressedSize;
      if (total > limits.maxTotalBytes) {
        throw refuse('zip_too_large', `压缩包解压后超过 ${Math.round(limits.maxTotalBytes / 2 ** 20)} MB（疑似“压缩炸弹”），拒绝导入。`);
      }
      // Every entry above a few dozen KB, not only the large ones: 300 entries of 1 MB each
      // from 360 KB in all is a bomb made of small pieces.
      const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
      if (ratio > limits.maxRatio && e.uncompressedSize > LIMITS.zip.ratioFloorBytes) {
        throw refuse('zip_bomb', `压缩包中的条目“${name}”压缩比为 ${Math.round(ratio)}:1（上限 ${limits.maxRatio}:1，扫描件通常小于 2:1），疑似“压缩炸弹”，拒绝导入。`, name);
      }
      files.push({ e, name });
    }
    const totalRatio = total / Math.max(1, compressed);
    const maxTotalRatio = limits.maxTotalRatio ?? LIMITS.zip.maxTotalRatio;
    if (total > LIMITS.zip.totalRatioFloorBytes && totalRatio > maxTotalRatio) {
      throw refuse('zip_bomb', `压缩包整体压缩比为 ${Math.round(totalRatio)}:1（上限 ${maxTotalRatio}:1，扫描件通常小于 2:1），疑似“压缩炸弹”，拒绝导入。`);
    }
    return { zip, files };
  } catch (e) {
    zip.close();
    throw e;
  }
}

/** The per-applicant cap over an archive's entries, from their names (before one is read). */
function refuseTooManyEntries(file: string, files: readonly { name: string }[], opts: CollectOptions): void {
  refuseTooManyFiles(file, countPer(files.flatMap(({ name }) => {
    const m = matchName(name, opts);
    return 'id' in m ? [m.id] : [];
  })));
}

/**
 * Whose a zip entry is: its applicant's ID number, or null with the reason added to `problems` (a
 * name that matches nobody, an entry with a password). One rule for the dry run and the import.
 */
function zipEntryOwner(file: string, e: yauzl.Entry, name: string, opts: CollectOptions, problems: ImportProblem[]): string | null {
  const match = matchName(name, opts);
  if ('problem' in match) {
    problems.push({ file: `${file}/${name}`, code: 'attachment_unmatched', message: match.problem });
    return null;
  }
  if (e.isEncrypted()) {
    problems.push({ file: `${file}/${name}`, code: 'attachment_encrypted', message: `压缩包中的 ${name} 设置了密码，无法读取。` });
    return null;
  }
  return match.id;
}

async function collectZip(path: string, batch: BlobBatch, opts: CollectOptions, staged: StagedAttachment[], problems: ImportProblem[]): Promise<number> {
  const file = basename(path);
  const { zip, files } = await openCheckedZip(path, opts.zipLimits ?? DEFAULT_ZIP_LIMITS);
  const refuse = (code: string, message: string, entry?: string): DeskError =>
    new DeskError('import_refused', `${file}：${message}`, [{ file: entry ? `${file}/${entry}` : file, code, message }]);
  try {
    refuseTooManyEntries(file, files, opts);
    let done = 0;
    for (const { e, name } of files) {
      opts.onFile?.(done++, files.length);
      const id = zipEntryOwner(file, e, name, opts, problems);
      if (id === null) continue;
      const unreadable = (err: unknown): DeskError => refuse('zip_unreadable', `无法解压条目“${name}”（${(err as Error).message}）。`, name);
      let got: Awaited<ReturnType<typeof stageStream>>;
      if (e.uncompressedSize <= SMALL) {
        let bytes: Buffer;
        try {
          // validateEntrySizes makes yauzl fail when an entry inflates beyond what it declared.
          const chunks: Buffer[] = [];
          for await (const c of await entryStream(zip, e)) chunks.push(c as Buffer);
          bytes = Buffer.concat(chunks);
        } catch (err) {
          throw unreadable(err);
        }
        got = await stageBytes(batch, bytes, `${file}/${name}`).then((r) => ('sha256' in r ? { ...r, size: bytes.length } : r));
      } else {
        // A large scan is never held in memory: hashed while it streams into a temporary file.
        const stream = await entryStream(zip, e).catch((err: unknown) => {
          throw unreadable(err);
        });
        let readError: unknown = null;
        stream.once('error', (err: unknown) => (readError ??= err));
        try {
          got = await stageStream(batch, stream as AsyncIterable<Buffer>, `${file}/${name}`);
        } catch (err) {
          throw readError ? unreadable(readError) : err;
        }
      }
      if (!('sha256' in got)) {
        problems.push(got);
        continue;
      }
      const note = extensionNote(name, got.type.mime);
      if (note) problems.push(note);
      staged.push({ name, idNumber: id, kind: documentKindInName(name), mime: got.type.mime, sha256: got.sha256, size: got.size, created: true });
    }
    opts.onFile?.(done, files.length);
    return files.length;
  } finally {
    zip.close();
  }
}

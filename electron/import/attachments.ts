/**
 * Collects the scans of an attachments folder: matched to applicants by the ID number in the file
 * or folder name, kind from the name, type from magic bytes; stored content-addressed.
 */
import { openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { ImportProblem } from '../../shared/api/index.js';
import type { DocumentKind } from '../../shared/domain.js';
import { documentKindInName, idNumberInName, sniffType } from '../../shared/import/sniff.js';
import type { BlobStore } from '../storage/blobs.js';

export interface FoundAttachment {
  path: string;
  /** Path relative to the attachments root, as shown to the user. */
  name: string;
  idNumber: string;
  kind: DocumentKind;
  mime: string;
}

export interface StagedAttachment extends FoundAttachment {
  sha256: string;
  size: number;
  created: boolean;
}

export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64);
    const n = readSync(fd, buf, 0, 64, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Finds and classifies attachments; problems are reported, never silently dropped. */
export function scanAttachments(
  root: string,
  knownIds: ReadonlySet<string>,
): { found: FoundAttachment[]; problems: ImportProblem[] } {
  const found: FoundAttachment[] = [];
  const problems: ImportProblem[] = [];
  const rootName = basename(root);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    problems.push({ file: rootName, code: 'attachments_missing', message: `附件目录不存在：${root}` });
    return { found, problems };
  }
  for (const path of listFiles(root)) {
    const name = relative(root, path).split('\\').join('/');
    const id = idNumberInName(name);
    if (!id || !knownIds.has(id)) {
      problems.push({ file: name, code: 'attachment_unmatched', message: id ? `附件 ${name} 中的身份证号 ${id} 不在名单中。` : `附件 ${name} 的文件名中没有身份证号，无法对应到考生。` });
      continue;
    }
    const type = sniffType(readHead(path));
    if (!type.ok) {
      problems.push({
        file: name,
        code: type.kind === 'heic' ? 'attachment_heic' : 'attachment_type',
        message: type.kind === 'heic'
          ? `附件 ${name} 是 HEIC 照片（苹果手机格式），暂不支持：请转换为 JPEG 后重新导入。`
          : type.kind === 'empty' ? `附件 ${name} 是空文件。` : `附件 ${name} 不是 PDF、JPEG、PNG、WEBP、BMP 或 TIFF 文件。`,
      });
      continue;
    }
    found.push({ path, name, idNumber: id, kind: documentKindInName(name), mime: type.mime });
  }
  return { found, problems };
}

/** Streams each attachment into the blob store; returns what was stored (and created). */
export async function stageAttachments(found: readonly FoundAttachment[], blobs: BlobStore): Promise<StagedAttachment[]> {
  const staged: StagedAttachment[] = [];
  try {
    for (const f of found) {
      const b = await blobs.putFile(f.path);
      staged.push({ ...f, sha256: b.sha256, size: b.size, created: b.created });
    }
  } catch (e) {
    blobs.remove(staged.filter((s) => s.created).map((s) => s.sha256));
    throw e;
  }
  return staged;
}

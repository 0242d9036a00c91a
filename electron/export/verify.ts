/**
 * Verifies an export folder without a workspace (the provincial office has none): the manifest's
 * Ed25519 signature, every file's size and SHA-256, no file missing or added, and the PDF's
 * certificate signature plus its binding to this manifest. Every problem names its file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeskError } from '../../shared/api/index.js';
import type { VerifyProblem, VerifyReport } from '../../shared/api/export.js';
import { keyFingerprint, MANIFEST_FILE, MANIFEST_FORMAT, verifyManifestSignature, type Manifest } from './manifest.js';
import { bindingKeywords } from './pdfDoc.js';
import { pdfKeywords, verifyPdfSignature } from './pdfSignature.js';

function fail(dir: string, problems: VerifyProblem[]): never {
  const first = problems[0];
  const more = problems.length > 1 ? `（另有 ${problems.length - 1} 处问题）` : '';
  throw new DeskError('verify_failed', `校验未通过（${dir}）：${first ? `${first.file}：${first.message}` : ''}${more}`, problems);
}

function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) fail(dir, [{ file: MANIFEST_FILE, code: 'manifest_missing', message: '缺少清单文件，无法校验' }]);
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    fail(dir, [{ file: MANIFEST_FILE, code: 'manifest_invalid', message: '清单不是有效的 JSON（文件已损坏或被修改）' }]);
  }
  const body = (m as { body?: Record<string, unknown> } | null)?.body;
  const ok =
    body &&
    body.format === MANIFEST_FORMAT &&
    typeof body.exportId === 'string' &&
    typeof body.publicKey === 'string' &&
    typeof body.dataSha256 === 'string' &&
    typeof (body.counts as { rows?: unknown } | undefined)?.rows === 'number' &&
    Array.isArray(body.files) &&
    (body.files as unknown[]).every((f) => {
      const x = f as Record<string, unknown> | null;
      return !!x && typeof x.name === 'string' && typeof x.sha256 === 'string' && typeof x.size === 'number';
    });
  if (!ok) fail(dir, [{ file: MANIFEST_FILE, code: 'manifest_invalid', message: '清单格式不正确（不是审核台导出的清单，或已被修改）' }]);
  return m as Manifest;
}

export function verifyExport(dirArg: string, expectKey?: string): VerifyReport {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DeskError('not_found', `目录不存在：${dir}`);
  }
  const m = readManifest(dir);
  const b = m.body;
  const problems: VerifyProblem[] = [];
  const mp = (code: string, message: string): void => void problems.push({ file: MANIFEST_FILE, code, message });

  if (b.draft || !m.signature) mp('draft', '这是草稿导出，未签名，不能作为正式报送文件');
  else if (!verifyManifestSignature(m)) mp('manifest_signature', '清单签名无效（清单内容在签名后被修改）');
  let fingerprint = '';
  try {
    fingerprint = keyFingerprint(b.publicKey);
  } catch {
    mp('manifest_key', '清单中的公钥无法读取');
  }
  if (fingerprint && fingerprint !== b.keyFingerprint) mp('manifest_key', '清单中的公钥与其指纹不符');
  // A whole folder re-made and re-signed with another key is self-consistent; only a fingerprint
  // the office already holds tells it apart.
  if (expectKey && !(fingerprint || String(b.keyFingerprint)).startsWith(expectKey)) {
    mp('key_unexpected', `清单由另一把密钥签名（指纹 ${(fingerprint || String(b.keyFingerprint)).slice(0, 16)}…，应为 ${expectKey.slice(0, 16)}…）：不是该校报送的导出，或整套文件被替换`);
  }

  const listed = new Set<string>();
  for (const f of b.files) {
    if (f.name !== f.name.replace(/[\\/]/g, '') || f.name === MANIFEST_FILE || f.name.startsWith('..')) {
      mp('manifest_invalid', `清单中的文件名不合法：${f.name}`);
      continue;
    }
    listed.add(f.name);
    const path = join(dir, f.name);
    if (!existsSync(path)) {
      problems.push({ file: f.name, code: 'file_missing', message: '文件缺失（导出后被删除或改名）' });
      continue;
    }
    if (!statSync(path).isFile()) {
      problems.push({ file: f.name, code: 'file_changed', message: '清单中的文件在导出目录中是一个文件夹，而不是文件' });
      continue;
    }
    const bytes = readFileSync(path);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (bytes.length !== f.size || actual !== f.sha256) {
      problems.push({
        file: f.name,
        code: 'file_changed',
        message: `文件内容已被修改（SHA-256 应为 ${f.sha256.slice(0, 16)}…，实为 ${actual.slice(0, 16)}…；大小应为 ${f.size}，实为 ${bytes.length} 字节）`,
      });
    }
    if (f.name.toLowerCase().endsWith('.pdf')) {
      const binding = bindingKeywords(b.exportId, b.dataSha256, b.keyFingerprint);
      if (b.pdfSigner) {
        const sig = verifyPdfSignature(bytes);
        if (!sig.ok) problems.push({ file: f.name, code: 'pdf_signature', message: `PDF 数字签名校验失败：${sig.problem ?? ''}` });
        else if (sig.subject !== b.pdfSigner) problems.push({ file: f.name, code: 'pdf_signer', message: `PDF 签名证书（${sig.subject ?? ''}）与清单记录（${b.pdfSigner}）不符` });
        else if (sig.keywords !== binding) problems.push({ file: f.name, code: 'pdf_binding', message: 'PDF 中的导出编号/校验值与清单不符（不是这次导出的 PDF）' });
      } else if (pdfKeywords(bytes) !== binding) {
        problems.push({ file: f.name, code: 'pdf_binding', message: 'PDF 中的导出编号/校验值与清单不符（不是这次导出的 PDF）' });
      }
    }
  }
  for (const name of readdirSync(dir).sort()) {
    if (name === MANIFEST_FILE || listed.has(name)) continue;
    problems.push({ file: name, code: 'file_added', message: '清单中没有此文件（导出后被添加）' });
  }
  if (problems.length > 0) fail(dir, problems);
  return {
    dir,
    exportId: b.exportId,
    table: b.table,
    title: b.title,
    college: b.college,
    exportedAt: b.exportedAt,
    rows: b.counts.rows,
    files: b.files,
    pdfSigner: b.pdfSigner,
    keyFingerprint: b.keyFingerprint,
    keyChecked: !!expectKey,
  };
}

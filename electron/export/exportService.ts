/**
 * Export of a review table: refuses while applicants in scope are open (undecided, returned, in a
 * sync conflict, changed since decided) unless a draft is asked for; writes XLSX + PDF from one
 * table, signs the PDF with the college certificate, writes the Ed25519-signed manifest over every
 * file and records the export in the audit table.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeskError } from '../../shared/api/index.js';
import type { ExportCheck, ExportRecord, ExportResult, ExportTableId, ExportedFile } from '../../shared/api/export.js';
import { categoryInfo, DECISION_STATUSES, type DecisionStatus } from '../../shared/domain.js';
import { statusSummary } from '../review/index.js';
import { pcName } from '../sync/index.js';
import { collegeKey, workspaceKey } from '../workspace/index.js';
import type { Workspace } from '../workspace/index.js';
import { keyFingerprint, MANIFEST_FILE, MANIFEST_FORMAT, signManifest, type ManifestBody } from './manifest.js';
import { writePdf } from './pdf.js';
import { openP12, signPdf, type P12Info } from './pdfSignature.js';
import { buildTable, findBlockers, tableHash } from './tableData.js';
import { loadTemplate } from './templates.js';
import { writeXlsx } from './xlsx.js';

export function checkExport(ws: Workspace, table: ExportTableId, year?: number): ExportCheck {
  const t = loadTemplate(table, year);
  const data = buildTable(ws, t, false);
  const blockers = findBlockers(ws, t);
  const byStatus: Record<DecisionStatus, number> = { pending: 0, approve: 0, reject: 0, return: 0, conflict: 0 };
  const summary = statusSummary(ws);
  for (const c of t.categories) for (const s of DECISION_STATUSES) byStatus[s] += summary.byCategory[c][s];
  return { table, year: t.year, title: t.title, rows: data.counts.rows, byStatus, blockers };
}

export interface RunExportOptions {
  table: ExportTableId;
  year?: number | undefined;
  out: string;
  p12Path?: string | undefined;
  passphrase?: string | undefined;
  draft: boolean;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export async function runExport(ws: Workspace, deviceId: string, o: RunExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const t = loadTemplate(o.table, o.year);
  if (!o.draft) {
    const blockers = findBlockers(ws, t);
    if (blockers.length > 0) {
      throw new DeskError(
        'export_blocked',
        `还有 ${blockers.length} 项未处理，不能正式导出《${t.title}》（可先导出草稿）。`,
        blockers.map((b) => ({ ...b, message: `${b.name}（${b.idMasked}，${categoryInfo(b.category).label}）：${b.message}` })),
      );
    }
  }
  const dir = resolve(o.out);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new DeskError('out_not_empty', `输出目录不是空目录：${dir}（校验时多余的文件会被视为篡改）。`);
  }
  // Drafts are never signed, whatever certificate was given.
  const p12: P12Info | null = !o.draft && o.p12Path ? openP12(o.p12Path, o.passphrase ?? '') : null;

  const exportId = randomUUID();
  const exportedAt = new Date();
  // The college's key, so the office checks every PC's tables against one fingerprint. A PC that
  // has not received it yet signs with its own key and says so (verify --key then refuses it).
  const college = collegeKey(ws);
  const key = college ?? workspaceKey(ws);
  const fingerprint = keyFingerprint(key.publicKeyPem);
  const data = buildTable(ws, t, o.draft);
  const dataSha256 = tableHash(data);

  const xlsx = await writeXlsx(t, data, { exportId, dataSha256, exportedAt, draft: o.draft });
  let pdf = await writePdf(t, data, {
    exportId, dataSha256, keyFingerprint: fingerprint, exportedAt, draft: o.draft,
    signature: p12 ? { name: p12.subject, reason: `${t.title} 资格初审结果`, location: ws.college } : undefined,
  });
  if (p12) pdf = await signPdf(pdf, p12, exportedAt);

  const suffix = o.draft ? '（草稿）' : '';
  const outputs: [string, Buffer][] = [
    [`${t.fileName}${suffix}.xlsx`, xlsx],
    [`${t.fileName}${suffix}.pdf`, pdf],
  ];
  const files: ExportedFile[] = outputs.map(([name, b]) => ({ name, sha256: sha256(b), size: b.length }));
  const body: ManifestBody = {
    format: MANIFEST_FORMAT,
    exportId,
    table: t.table,
    year: t.year,
    title: t.title,
    college: ws.college,
    workspaceId: ws.workspaceId,
    deviceId,
    pcName: pcName(ws),
    signedBy: college ? 'college' : 'workspace',
    reviewers: data.reviewers,
    exportedAt: exportedAt.toISOString(),
    draft: o.draft,
    counts: { rows: data.counts.rows, byDecision: data.counts.byDecision, byCategory: data.counts.byCategory },
    dataSha256,
    files,
    pdfSigner: p12?.subject ?? null,
    publicKey: key.publicKeyPem,
    keyFingerprint: fingerprint,
  };
  const manifest = Buffer.from(JSON.stringify(signManifest(body, o.draft ? null : key), null, 2) + '\n', 'utf8');

  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  try {
    for (const [name, b] of [...outputs, [MANIFEST_FILE, manifest] as [string, Buffer]]) {
      writeFileSync(join(dir, name), b, { flush: true });
      written.push(name);
    }
    ws.db
      .prepare(
        `INSERT INTO exports (id, table_id, year, title, at, draft, rows, out_dir, files, manifest_sha256, data_sha256, pdf_signer, device_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(exportId, t.table, t.year, t.title, body.exportedAt, o.draft ? 1 : 0, data.counts.rows, dir, JSON.stringify(files), sha256(manifest), dataSha256, body.pdfSigner, deviceId);
  } catch (e) {
    // A half-written folder would fail verification later; leave nothing behind instead.
    for (const name of written) rmSync(join(dir, name), { force: true });
    throw e;
  }
  return {
    exportId, table: t.table, title: t.title, dir, draft: o.draft, rows: data.counts.rows, files,
    pdfSigner: body.pdfSigner, keyFingerprint: fingerprint, ms: Math.round(performance.now() - started),
  };
}

export function exportHistory(ws: Workspace): ExportRecord[] {
  const rows = ws.db.prepare('SELECT * FROM exports ORDER BY at DESC').all() as {
    id: string; table_id: ExportTableId; title: string; at: string; draft: number; rows: number; out_dir: string; manifest_sha256: string; pdf_signer: string | null;
  }[];
  return rows.map((r) => ({
    exportId: r.id, table: r.table_id, title: r.title, at: r.at, draft: r.draft === 1, rows: r.rows, dir: r.out_dir,
    manifestSha256: r.manifest_sha256, pdfSigner: r.pdf_signer,
  }));
}

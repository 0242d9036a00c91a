/**
 * Export of a review table: refuses while applicants in scope are open (undecided, returned, in a
 * sync conflict, changed since decided, waiting for 复核 or 抽检 where the college has them on) or
 * the table as a whole is not ready (学校名称/学校代码, the QC sample, an empty table nobody
 * confirmed, a 公示 without a contact) unless a draft is asked for; writes XLSX + PDF from one
 * table, the 报送函 for tables that go to the office, signs the PDFs with the college
 * certificate, writes the Ed25519-signed manifest over every file and records the export.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeskError } from '../../shared/api/index.js';
import type { ExportCheck, ExportRecord, ExportResult, ExportRule, ExportTableId, ExportedFile, NoticeTermsInput } from '../../shared/api/export.js';
import { categoryInfo, DECISION_STATUSES, type DecisionStatus } from '../../shared/domain.js';
import { collegeSettings } from '../college/index.js';
import { statusSummary } from '../review/index.js';
import { pcName } from '../sync/index.js';
import { collegeKey, workspaceKey } from '../workspace/index.js';
import type { Workspace } from '../workspace/index.js';
import { writeCoverLetter } from './coverLetter.js';
import { keyFingerprint, MANIFEST_FILE, MANIFEST_FORMAT, signManifest, type ManifestBody } from './manifest.js';
import { writePdf } from './pdf.js';
import { openP12, signPdf, type P12Info } from './pdfSignature.js';
import { buildTable, findBlockers, tableHash, tableRules } from './tableData.js';
import { loadTemplate } from './templates.js';
import { writeXlsx } from './xlsx.js';

export function checkExport(ws: Workspace, table: ExportTableId, year?: number, notice?: NoticeTermsInput): ExportCheck {
  const t = loadTemplate(table, year);
  const data = buildTable(ws, t, { draft: false, exportedAt: new Date(), notice });
  const blockers = findBlockers(ws, t);
  const byStatus: Record<DecisionStatus, number> = { pending: 0, approve: 0, reject: 0, return: 0, conflict: 0 };
  const summary = statusSummary(ws);
  for (const c of t.categories) for (const s of DECISION_STATUSES) byStatus[s] += summary.byCategory[c][s];
  return {
    table, year: t.year, title: data.title, college: data.college, signoff: data.signoff, rows: data.counts.rows, byStatus,
    totals: data.totals, reviewPeriod: data.reviewPeriod, notice: data.notice, blockers, rules: tableRules(ws, t, data),
  };
}

export interface RunExportOptions {
  table: ExportTableId;
  year?: number | undefined;
  out: string;
  p12Path?: string | undefined;
  passphrase?: string | undefined;
  draft: boolean;
  /** The user states the table has no applicant to report (a final export with no rows needs it). */
  confirmNone?: boolean | undefined;
  notice?: NoticeTermsInput | undefined;
  /** The export's time (tests pin it); now by default. */
  at?: Date | undefined;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The rules a final export refuses on, one error code each (the check lists them all). */
function refuse(rules: ExportRule[], confirmNone: boolean): void {
  const college = rules.filter((r) => r.code === 'college_name' || r.code === 'college_code');
  if (college.length > 0) {
    throw new DeskError('college_incomplete', `正式导出前须设置${college.map((r) => (r.code === 'college_name' ? '学校名称' : '学校代码')).join('和')}（学院设置）。`, college);
  }
  const qc = rules.find((r) => r.code === 'qc_sample');
  if (qc) throw new DeskError('qc_sample_missing', `${qc.message}；正式导出前须完成抽检。`, [qc]);
  const empty = rules.find((r) => r.code === 'empty');
  if (empty && !confirmNone) throw new DeskError('export_empty', `${empty.message}。`, [empty]);
  const contact = rules.find((r) => r.code === 'notice_contact');
  if (contact) throw new DeskError('notice_contact_missing', `${contact.message}。`, [contact]);
}

export async function runExport(ws: Workspace, deviceId: string, o: RunExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const t = loadTemplate(o.table, o.year);
  const exportedAt = o.at ?? new Date();
  const data = buildTable(ws, t, { draft: o.draft, exportedAt, notice: o.notice, confirmNone: o.confirmNone });
  if (!o.draft) {
    const rules = tableRules(ws, t, data);
    // The college first: without its name and code nothing else about the table matters yet.
    if (rules.some((r) => r.code === 'college_name' || r.code === 'college_code')) refuse(rules, o.confirmNone === true);
    const blockers = findBlockers(ws, t);
    if (blockers.length > 0) {
      throw new DeskError(
        'export_blocked',
        `还有 ${blockers.length} 项未处理，不能正式导出《${data.title}》（可先导出草稿）。`,
        blockers.map((b) => ({ ...b, message: `${b.name}（${b.idMasked}，${categoryInfo(b.category).label}）：${b.message}` })),
      );
    }
    refuse(rules, o.confirmNone === true);
  }
  const dir = resolve(o.out);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new DeskError('out_not_empty', `输出目录不是空目录：${dir}（校验时多余的文件会被视为篡改）。`);
  }
  // Drafts are never signed, whatever certificate was given.
  const p12: P12Info | null = !o.draft && o.p12Path ? openP12(o.p12Path, o.passphrase ?? '') : null;

  const exportId = randomUUID();
  // The college's key, so the office checks every PC's tables against one fingerprint. A PC that
  // has not received it yet signs with its own key and says so (verify --key then refuses it).
  const college = collegeKey(ws);
  const key = college ?? workspaceKey(ws);
  const fingerprint = keyFingerprint(key.publicKeyPem);
  const dataSha256 = tableHash(data);
  const signature = p12 ? { name: p12.subject, reason: `${data.title} 资格初审结果`, location: data.college.name } : undefined;

  const xlsx = await writeXlsx(t, data, { exportId, dataSha256, exportedAt, draft: o.draft });
  const written = await writePdf(t, data, { exportId, dataSha256, keyFingerprint: fingerprint, exportedAt, draft: o.draft, signature });
  const pdf = p12 ? await signPdf(written.pdf, p12, exportedAt) : written.pdf;

  const suffix = o.draft ? '（草稿）' : '';
  const outputs: [string, Buffer][] = [
    [`${t.fileName}${suffix}.xlsx`, xlsx],
    [`${t.fileName}${suffix}.pdf`, pdf],
  ];
  const described = (name: string, b: Buffer, what: string): ExportedFile & { what: string } => ({ name, sha256: sha256(b), size: b.length, what });
  // The 报送函 goes with a final table to the office; a 公示 is published, not sent.
  if (!o.draft && t.coverLetter) {
    const settings = collegeSettings(ws);
    const letter = await writeCoverLetter(t, data, {
      exportId, dataSha256, keyFingerprint: fingerprint, exportedAt, signature,
      contact: { phone: settings.noticePhone, email: settings.noticeEmail },
      files: [
        described(outputs[0]?.[0] ?? '', xlsx, `电子表格（Excel），${data.sections.length} 个类别工作表及“汇总”，共 ${data.counts.rows} 人`),
        described(outputs[1]?.[0] ?? '', pdf, `打印版（PDF，${written.pages} 页${p12 ? '，含学校证书数字签名' : ''}），共 ${data.counts.rows} 人`),
      ],
    });
    outputs.push([`报送函-${t.fileName}.pdf`, p12 ? await signPdf(letter.pdf, p12, exportedAt) : letter.pdf]);
  }
  const files: ExportedFile[] = outputs.map(([name, b]) => ({ name, sha256: sha256(b), size: b.length }));
  const body: ManifestBody = {
    format: MANIFEST_FORMAT,
    exportId,
    table: t.table,
    year: t.year,
    title: data.title,
    college: data.college.name,
    collegeCode: data.college.code,
    workspaceId: ws.workspaceId,
    deviceId,
    pcName: pcName(ws),
    signedBy: college ? 'college' : 'workspace',
    reviewers: data.reviewers,
    exportedAt: exportedAt.toISOString(),
    draft: o.draft,
    counts: { rows: data.counts.rows, byDecision: data.counts.byDecision, byCategory: data.counts.byCategory },
    totals: data.totals,
    reviewPeriod: data.reviewPeriod,
    signoff: data.signoff,
    noneConfirmed: data.noneConfirmed,
    notice: data.notice,
    dataSha256,
    files,
    pdfSigner: p12?.subject ?? null,
    publicKey: key.publicKeyPem,
    keyFingerprint: fingerprint,
  };
  const manifest = Buffer.from(JSON.stringify(signManifest(body, o.draft ? null : key), null, 2) + '\n', 'utf8');

  mkdirSync(dir, { recursive: true });
  const done: string[] = [];
  try {
    for (const [name, b] of [...outputs, [MANIFEST_FILE, manifest] as [string, Buffer]]) {
      writeFileSync(join(dir, name), b, { flush: true });
      done.push(name);
    }
    ws.db
      .prepare(
        `INSERT INTO exports (id, table_id, year, title, at, draft, rows, out_dir, files, manifest_sha256, data_sha256, pdf_signer, device_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(exportId, t.table, t.year, data.title, body.exportedAt, o.draft ? 1 : 0, data.counts.rows, dir, JSON.stringify(files), sha256(manifest), dataSha256, body.pdfSigner, deviceId);
  } catch (e) {
    // A half-written folder would fail verification later; leave nothing behind instead.
    for (const name of done) rmSync(join(dir, name), { force: true });
    throw e;
  }
  return {
    exportId, table: t.table, title: data.title, dir, draft: o.draft, rows: data.counts.rows, files,
    pdfSigner: body.pdfSigner, keyFingerprint: fingerprint, pages: written.pages, ms: Math.round(performance.now() - started),
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

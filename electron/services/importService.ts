/**
 * Import of an applicant list and its attachments. Everything is checked before anything is
 * written; the database changes in one transaction, and blobs this import created are removed
 * again if that transaction fails, so a refused import leaves the workspace as it was.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DeskError, type ImportProblem, type ImportReport } from '../../shared/api/index.js';
import { parseApplicantSheet } from '../../shared/import/parse.js';
import type { ApplicantDeclared } from '../../shared/domain.js';
import { readListFile } from '../import/readList.js';
import { scanAttachments, stageAttachments } from '../import/attachments.js';
import type { Workspace } from '../storage/workspace.js';

export interface ImportOptions {
  listPath: string;
  attachmentsPath?: string | undefined;
}

const COLUMNS: [keyof ApplicantDeclared, string][] = [
  ['name', 'name'], ['sex', 'sex'], ['phone', 'phone'], ['category', 'category'], ['school', 'school'],
  ['major', 'major'], ['gradYear', 'grad_year'], ['dischargeCertNo', 'discharge_cert_no'],
  ['enlistDate', 'enlist_date'], ['dischargeDate', 'discharge_date'], ['merit', 'merit'],
  ['competition', 'competition'], ['award', 'award'], ['awardLevel', 'award_level'],
  ['awardDate', 'award_date'], ['hukou', 'hukou'], ['povertyIssuer', 'poverty_issuer'],
];

export async function importList(ws: Workspace, opts: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const file = basename(opts.listPath);
  const sheet = await readListFile(opts.listPath);
  const parsed = parseApplicantSheet(sheet);
  if (parsed.errors.length > 0) throw refusal(file, parsed.errors);

  const warnings: ImportProblem[] = [...parsed.warnings];
  const ids = new Set(parsed.applicants.map((a) => a.declared.idNumber));
  let staged: Awaited<ReturnType<typeof stageAttachments>> = [];
  if (opts.attachmentsPath) {
    const { found, problems } = scanAttachments(opts.attachmentsPath, ids);
    const fatal = problems.filter((p) => p.code === 'attachments_missing');
    if (fatal.length > 0) throw refusal(file, fatal);
    warnings.push(...problems);
    staged = await stageAttachments(found, ws.blobs);
  }

  const importId = randomUUID();
  const now = new Date().toISOString();
  const fileSha = createHash('sha256').update(readFileSync(opts.listPath)).digest('hex');
  const { db } = ws;
  const existing = new Map(
    (db.prepare('SELECT * FROM applicants').all() as Record<string, unknown>[]).map((r) => [r.id_number as string, r]),
  );
  const cols = COLUMNS.map(([, c]) => c);
  const insert = db.prepare(
    `INSERT INTO applicants (id_number, row_no, ${cols.join(', ')}, withdrawn, import_id, updated_at)
     VALUES (@id_number, @row_no, ${cols.map((c) => '@' + c).join(', ')}, 0, @import_id, @updated_at)`,
  );
  const update = db.prepare(
    `UPDATE applicants SET row_no = @row_no, ${cols.map((c) => `${c} = @${c}`).join(', ')}, withdrawn = 0,
       import_id = @import_id, updated_at = @updated_at WHERE id_number = @id_number`,
  );
  const withdraw = db.prepare('UPDATE applicants SET withdrawn = 1, import_id = ?, updated_at = ? WHERE id_number = ? AND withdrawn = 0');
  const insBlob = db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, ?, ?)');
  const insDoc = db.prepare('INSERT OR IGNORE INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, ?, ?, ?, ?)');
  const insImport = db.prepare('INSERT INTO imports (id, file, file_sha256, at, added, updated, documents, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');

  let added = 0;
  let updated = 0;
  let unchanged = 0;
  let documents = 0;
  try {
    // One transaction: a crash or an error leaves the previous list and every decision intact.
    db.transaction(() => {
      for (const a of parsed.applicants) {
        const row: Record<string, unknown> = { id_number: a.declared.idNumber, row_no: a.rowNo, import_id: importId, updated_at: now };
        for (const [k, c] of COLUMNS) row[c] = a.declared[k];
        const old = existing.get(a.declared.idNumber);
        if (!old) {
          insert.run(row);
          added++;
        } else if (COLUMNS.some(([, c]) => old[c] !== row[c]) || old.row_no !== row.row_no || old.withdrawn !== 0) {
          update.run(row);
          updated++;
        } else unchanged++;
      }
      for (const id of existing.keys()) if (!ids.has(id)) withdraw.run(importId, now, id);
      for (const s of staged) {
        insBlob.run(s.sha256, s.size, s.mime, now);
        documents += insDoc.run(s.idNumber, s.kind, s.sha256, s.name, importId).changes;
      }
      const report = { added, updated, unchanged, documents, warnings: warnings.length };
      insImport.run(importId, file, fileSha, now, added, updated, documents, JSON.stringify(report));
    })();
  } catch (e) {
    ws.blobs.remove(staged.filter((s) => s.created).map((s) => s.sha256));
    throw e;
  }
  return {
    importId,
    file,
    added,
    updated,
    unchanged,
    documents,
    blobsStored: staged.filter((s) => s.created).length,
    warnings,
    ms: Math.round(performance.now() - started),
  };
}

function refusal(file: string, problems: ImportProblem[]): DeskError {
  const first = problems.slice(0, 3).map((p) => (p.row ? `第 ${p.row} 行` : '') + (p.column ? `“${p.column}”` : '') + p.message);
  return new DeskError(
    'import_refused',
    `导入被拒绝（${file}，共 ${problems.length} 个问题），工作区未做任何修改：${first.join('；')}${problems.length > 3 ? '……' : ''}`,
    problems,
  );
}

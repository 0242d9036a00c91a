/**
 * Import of an applicant list and its attachments. Everything is checked before anything is
 * written; the scans are made durable first (collectAttachments returns only after its durability
 * barrier), then the database changes in one transaction, and blobs this import created are
 * removed again if that transaction fails (or the import is cancelled), so a refused import
 * leaves the workspace as it was and a committed document row never names a blob that is not on
 * disk. A re-import updates declared data, adds new applicants and marks missing
 * ones withdrawn; it never deletes a decision, and every changed field is kept in
 * applicant_changes, stamped with the import's place in the event order (an HLC), so a decision
 * taken on older data shows as "changed since decided" (shared/review/state.ts) on every PC.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import {
  columnMapping,
  DeskError,
  type ApplicantChange,
  type ColumnMapping,
  type ImportPhase,
  type ImportPreview,
  type ImportProblem,
  type ImportReport,
  type ApplicantsResults,
} from '../../shared/api/index.js';
import { headerSignature, mapHeaders } from '../../shared/import/headers.js';
import { findHeader, parseApplicantSheet } from '../../shared/import/parse.js';
import { LIMITS } from '../../shared/limits.js';
import { readList, refused } from './readList.js';
import { collectAttachments, inspectAttachments, removeCreated, type StagedAttachment, type ZipLimits } from './attachments.js';
import type { Workspace } from '../workspace/index.js';
import { backupBefore } from '../backup/index.js';
import { refreshChecksAfterImport } from '../checks/index.js';
import { countNewDocuments, documentsOverCap, insertBlobs, knownBlobs } from '../documents/index.js';
import { changedSinceDecidedOf, decidedIds } from '../review/index.js';
import { appendEvents } from '../sync/index.js';
import type { ListRow } from '../../shared/sync/list.js';
import { applyListEvents, ensureListBaseline, importEventPayload, importerName } from './listEvents.js';
import { COLUMNS, isKnownApplicant, toDeclared, type ApplicantRow } from './store.js';

export interface ImportOptions {
  listPath: string;
  attachmentsPath?: string | undefined;
  /** Worksheet to import; default: the first with a header row. */
  sheet?: string | undefined;
  /** Header text → target; wins over a remembered mapping, which wins over the built-in names. */
  mapping?: ColumnMapping | undefined;
  /** JSON file with a ColumnMapping (the CLI's --map). */
  mapPath?: string | undefined;
  onProgress?: ((phase: ImportPhase, done: number, total: number) => void) | undefined;
  /** Polled between units of work; true stops the import with nothing written. */
  isCancelled?: (() => boolean) | undefined;
  zipLimits?: ZipLimits | undefined;
  /**
   * Validate and count what would change, write nothing. Attachments are judged (matches, types,
   * zip safety) from their names and first bytes; none is stored.
   */
  dryRun?: boolean | undefined;
  /**
   * The number of applicants with a decision this import takes off the list, as the person
   * importing confirmed it (the dry run reports it). Without it, or with another number, an import
   * that would withdraw decided applicants is refused with nothing written.
   */
  confirmWithdrawDecided?: number | undefined;
  /**
   * Recompute the eligibility checks once the import has committed (default true). Only a
   * caller that runs refreshChecksAfterImport itself (the benchmark, to time it on its own)
   * turns this off.
   */
  refreshChecks?: boolean | undefined;
  /** This installation's id, recorded in the import's list event. */
  deviceId?: string | undefined;
  /** Test hook: runs after the scans are durable and before the transaction that names them. */
  beforeCommit?: (() => void) | undefined;
}

/** Thrown inside the write transaction to roll a dry run back with its report. */
class DryRun extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}


function readMapFile(path: string): ColumnMapping {
  const file = basename(path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw refused(file, 'mapping_unreadable', `无法读取列对应文件（${(e as Error).message}）。`);
  }
  const inner = json && typeof json === 'object' && 'mapping' in json ? (json as { mapping: unknown }).mapping : json;
  const parsed = columnMapping.safeParse(inner);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw refused(file, 'mapping_invalid', `列对应文件格式不正确：应为 {"表头文字": "字段"}（${issues}）。`);
  }
  return parsed.data;
}

function rememberedMapping(ws: Workspace, signature: string): ColumnMapping | undefined {
  const row = ws.db.prepare('SELECT mapping FROM import_mappings WHERE signature = ?').get(signature) as { mapping: string } | undefined;
  if (!row) return undefined;
  const parsed = columnMapping.safeParse(JSON.parse(row.mapping));
  return parsed.success ? parsed.data : undefined;
}

function cancelled(): DeskError {
  return new DeskError('import_cancelled', '导入已取消，工作区未做任何修改。');
}

/** A preview shows a cell over the cap cut off (the import refuses it, naming the row). */
const clip = (text: string): string => (text.length > LIMITS.import.maxCellChars ? `${text.slice(0, LIMITS.import.maxCellChars)}…` : text);

/** First rows and the proposed mapping, so the user can confirm or correct it before importing. */
export async function previewList(
  ws: Workspace,
  opts: { listPath: string; sheet?: string | undefined; mapping?: ColumnMapping | undefined; rows: number },
): Promise<ImportPreview> {
  const list = await readList(opts.listPath, { sheet: opts.sheet });
  const { sheet } = list;
  const header = findHeader(sheet.rows);
  const base = { file: sheet.file, format: list.format, sheets: list.sheets, sheet: sheet.sheet ?? null };
  if (!header) {
    return {
      ...base, headerRow: null, columns: [], missing: ['name', 'idNumber', 'category'], signature: '', remembered: false,
      rows: sheet.rows.slice(0, opts.rows).map((r) => ({ row: r.row, cells: r.cells.map((c) => clip(c.text)) })), dataRows: sheet.rows.length,
    };
  }
  const signature = headerSignature(header.texts);
  const remembered = rememberedMapping(ws, signature);
  const mapping = mapHeaders(header.texts, { ...remembered, ...opts.mapping });
  const ambiguous = new Set(mapping.ambiguous.map((a) => a.index));
  const given = { ...remembered, ...opts.mapping };
  const columns = header.texts.map((h, index) => ({
    index,
    header: h,
    target: mapping.columns.get(index) ?? (given[h] === 'ignore' ? 'ignore' as const : null),
    ambiguous: ambiguous.has(index),
  })).filter((c) => c.header.trim() !== '' || c.target !== null);
  const data = sheet.rows.slice(header.dataStart);
  return {
    ...base,
    headerRow: header.row,
    columns,
    missing: mapping.missing,
    rows: data.slice(0, opts.rows).map((r) => ({ row: r.row, cells: header.texts.map((_, i) => clip(r.cells[i]?.text ?? '')) })),
    dataRows: data.length,
    signature,
    remembered: remembered !== undefined,
  };
}

export async function importList(ws: Workspace, opts: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const progress = opts.onProgress ?? ((): void => undefined);
  const check = (): void => {
    if (opts.isCancelled?.()) throw cancelled();
  };
  const file = basename(opts.listPath);
  progress('reading', 0, 0);
  const list = await readList(opts.listPath, {
    sheet: opts.sheet,
    onRows: (n) => {
      check();
      progress('reading', n, 0);
    },
  });
  const { sheet } = list;
  check();

  progress('checking', 0, sheet.rows.length);
  const header = findHeader(sheet.rows);
  const signature = header ? headerSignature(header.texts) : '';
  const given = { ...(opts.mapPath ? readMapFile(opts.mapPath) : {}), ...opts.mapping };
  const mapping = { ...(signature ? rememberedMapping(ws, signature) : undefined), ...given };
  const parsed = parseApplicantSheet(sheet, { mapping });
  if (parsed.errors.length > 0) throw refusal(file, parsed.errors);
  check();

  const warnings: ImportProblem[] = [...parsed.warnings];
  const ids = new Set(parsed.applicants.map((a) => a.declared.idNumber));
  const examNos = new Map(parsed.applicants.filter((a) => a.examNo).map((a) => [a.examNo, a.declared.idNumber]));
  let staged: StagedAttachment[] = [];
  // The journal of the scans this import writes (a killed import leaves it for the next open).
  let finishScans = (): void => undefined;
  if (opts.dryRun) {
    let attachments: ImportReport['attachments'] = null;
    let documents = 0;
    if (opts.attachmentsPath) {
      const seen = await inspectAttachments(opts.attachmentsPath, {
        ids, examNos, ...(opts.zipLimits ? { zipLimits: opts.zipLimits } : {}),
        onFile: (done, total) => {
          check();
          progress('attachments', done, total);
        },
      });
      warnings.push(...seen.problems);
      attachments = { files: seen.files, accepted: seen.accepted.length };
      documents = seen.accepted.length;
    }
    try {
      writeImport(ws, {
        file, listPath: opts.listPath, parsed: parsed.applicants, staged, warnings, normalisations: parsed.normalisations,
        remember: null, sheet: sheet.sheet ?? null, format: list.format, started, dryRun: true, deviceId: opts.deviceId ?? 'import', attachments,
      });
    } catch (e) {
      // The dry run counts the scans it would store (nothing was hashed, so copies already here count too).
      if (e instanceof DryRun) return { ...e.report, documents };
      throw e;
    }
  }
  // Before any scan is stored: a list that drops applicants who already have a decision needs the
  // importer's explicit confirmation of how many (the dry run names the number).
  const dropping = withdrawingDecided(ws, ids);
  if (dropping.length > 0 && opts.confirmWithdrawDecided !== dropping.length) {
    throw new DeskError(
      'withdraw_decided_unconfirmed',
      `此名单会把 ${dropping.length} 名已有审核结论的考生移出名单（结论保留，但他们不再出现在审核表中）。请先检查导入结果，确认人数后再导入；工作区未做任何修改。`,
      { withdrawnDecided: dropping.length, confirmed: opts.confirmWithdrawDecided ?? null },
    );
  }
  let attachments: ImportReport['attachments'] = null;
  if (opts.attachmentsPath) {
    // Blobs a committed row names are durable already: the batch skips them.
    const known = knownBlobs(ws.db);
    const collected = await collectAttachments(opts.attachmentsPath, ws.blobs, {
      ids,
      examNos,
      known,
      ...(opts.zipLimits ? { zipLimits: opts.zipLimits } : {}),
      // Called per file for a zip, per batch of files for a folder (worker threads).
      onFile: (done, total) => {
        check();
        progress('attachments', done, total);
      },
    });
    staged = collected.staged;
    finishScans = collected.finish;
    warnings.push(...collected.problems);
    attachments = { files: collected.files, accepted: collected.staged.length };
  }

  let report: ImportReport;
  try {
    check();
    // With the scans an applicant has already (a re-import adds no copy of the same scan).
    const over = documentsOverCap(ws.db, staged, LIMITS.documents.maxPerApplicant);
    if (over.length > 0) {
      throw refusal(file, over.map(({ idNumber, count }) => ({
        file: basename(opts.attachmentsPath ?? file), value: idNumber, code: 'too_many_documents',
        message: `身份证号 ${idNumber} 的考生将有 ${count} 份材料，超过每人 ${LIMITS.documents.maxPerApplicant} 份的上限。`,
      })));
    }
    await backupBefore(ws, 'import'); // only once the list is accepted: a refusal must not rotate good backups away
    progress('writing', 0, parsed.applicants.length);
    opts.beforeCommit?.();
    report = writeImport(ws, {
      file, listPath: opts.listPath, parsed: parsed.applicants, staged, warnings,
      normalisations: parsed.normalisations, remember: Object.keys(given).length > 0 && header ? { signature, header: header.texts, mapping } : null,
      sheet: sheet.sheet ?? null, format: list.format, started, deviceId: opts.deviceId ?? 'import', attachments,
    });
  } catch (e) {
    removeCreated(ws.blobs, staged);
    finishScans();
    throw e;
  }
  finishScans();
  // After the commit (the list is durable by now): checks see the new list, documents and scans.
  if (opts.refreshChecks !== false) await refreshChecksAfterImport(ws);
  progress('done', parsed.applicants.length, parsed.applicants.length);
  return report;
}

interface WriteInput {
  file: string;
  listPath: string;
  parsed: ReturnType<typeof parseApplicantSheet>['applicants'];
  staged: StagedAttachment[];
  warnings: ImportProblem[];
  normalisations: ImportReport['normalisations'];
  remember: { signature: string; header: string[]; mapping: ColumnMapping } | null;
  sheet: string | null;
  format: string;
  started: number;
  deviceId: string;
  dryRun?: boolean;
  attachments: ImportReport['attachments'];
}

/** Applicants on the list now, with a decision (or a conflict), that a list without them would withdraw. */
function withdrawingDecided(ws: Workspace, ids: ReadonlySet<string>): string[] {
  const onList = ws.db.prepare('SELECT id_number FROM applicants WHERE withdrawn = 0').pluck().all() as string[];
  const leaving = onList.filter((id) => !ids.has(id));
  if (leaving.length === 0) return [];
  const decided = decidedIds(ws);
  return leaving.filter((id) => decided.has(id));
}

function writeImport(ws: Workspace, input: WriteInput): ImportReport {
  const { db } = ws;
  const importId = randomUUID();
  const now = new Date().toISOString();
  const fileSha = createHash('sha256').update(readFileSync(input.listPath)).digest('hex');
  const existing = new Map((db.prepare('SELECT * FROM applicants').all() as ApplicantRow[]).map((r) => [r.id_number, r]));
  const decided = decidedIds(ws);
  const remember = db.prepare(
    `INSERT INTO import_mappings (signature, header, mapping, used_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(signature) DO UPDATE SET header = excluded.header, mapping = excluded.mapping, used_at = excluded.used_at`,
  );

  const ids = new Set(input.parsed.map((a) => a.declared.idNumber));
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  let withdrawn = 0;
  let withdrawnDecided = 0;
  let documents = 0;
  let changedSinceDecided = 0;
  // One transaction: a crash or an error leaves the previous list and every decision intact.
  // The import is a `list` event (the rows it changed), applied here like any other PC's: the
  // event's HLC is the import's place in the event order, taken inside the transaction, so a
  // refused or dry run leaves the log and the clock as they were.
  db.transaction(() => {
    ensureListBaseline(ws, input.deviceId);
    const rows: ListRow[] = [];
    for (const a of input.parsed) {
      const old = existing.get(a.declared.idNumber);
      if (!old) {
        rows.push({ declared: a.declared, rowNo: a.rowNo, withdrawn: false });
        added++;
        continue;
      }
      const changed = COLUMNS.filter(([k, c]) => old[c as keyof ApplicantRow] !== a.declared[k]);
      if (changed.length === 0 && old.row_no === a.rowNo && old.withdrawn === 0) {
        unchanged++;
        continue;
      }
      rows.push({ declared: a.declared, rowNo: a.rowNo, withdrawn: false });
      updated++;
      if (changed.length > 0 && decided.has(a.declared.idNumber)) changedSinceDecided++;
    }
    for (const [id, old] of existing) {
      if (ids.has(id) || old.withdrawn !== 0) continue;
      rows.push({ declared: toDeclared(old), rowNo: old.row_no, withdrawn: true });
      withdrawn++;
      if (decided.has(id)) withdrawnDecided++;
    }
    const docs = input.staged.map((s) => ({ idNumber: s.idNumber, kind: s.kind, sha256: s.sha256, originalName: s.name, size: s.size, mime: s.mime }));
    // The scans' rows first: the list event's documents then find their scans and are recorded at once.
    insertBlobs(db, docs, now);
    documents = countNewDocuments(db, docs);
    if (input.remember) remember.run(input.remember.signature, JSON.stringify(input.remember.header), JSON.stringify(input.remember.mapping), now);
    const summary = { added, updated, unchanged, withdrawn, withdrawnDecided, documents, changedSinceDecided, warnings: input.warnings.length, normalisations: input.normalisations.length, format: input.format, sheet: input.sheet };
    const [e] = appendEvents(ws, input.deviceId, [{
      kind: 'list', reviewer: importerName(ws),
      payload: importEventPayload({ importId, file: input.file, fileSha256: fileSha, at: now, rows, documents: docs, summary }),
    }]);
    if (e) applyListEvents(ws, [e]);
    // Counting inside the real transaction and rolling it back keeps the dry run's figures honest.
    if (input.dryRun) throw new DryRun(report());
  }).immediate();
  return report();

  function report(): ImportReport {
    return {
    importId,
    file: input.file,
    added,
    updated,
    unchanged,
    documents,
    blobsStored: input.staged.filter((s) => s.created).length,
    warnings: input.warnings,
    withdrawn,
    withdrawnDecided,
    changedSinceDecided,
    attachments: input.attachments,
    normalisations: input.normalisations,
    sheet: input.sheet,
    format: input.format,
    ms: Math.round(performance.now() - input.started),
    };
  }
}

/** The declared-data history of one applicant: newest import first, fields in column order. */
export function applicantChanges(ws: Workspace, idNumber: string): ApplicantsResults['import.changes'] {
  if (!isKnownApplicant(ws.db, idNumber)) throw new DeskError('not_found', `没有身份证号为 ${idNumber} 的考生。`);
  const rows = ws.db
    .prepare(
      `SELECT c.import_id, c.at, c.field, c.old_value, c.new_value, COALESCE(i.file, '') AS file
       FROM applicant_changes c LEFT JOIN imports i ON i.id = c.import_id
       WHERE c.id_number = ? ORDER BY c.at DESC, c.id ASC`,
    )
    .all(idNumber) as { import_id: string; at: string; field: string; old_value: string; new_value: string; file: string }[];
  const changes: ApplicantChange[] = rows.map((r) => ({ importId: r.import_id, file: r.file, at: r.at, field: r.field, oldValue: r.old_value, newValue: r.new_value }));
  return { idNumber, changedSinceDecided: changedSinceDecidedOf(ws, idNumber), changes };
}

/** The problems as a workbook the platform administrator can open (ID numbers kept as text). */
export async function errorsWorkbook(problems: readonly ImportProblem[], path?: string): Promise<ApplicantsResults['import.errorsXlsx']> {
  if (path !== undefined && extname(path).toLowerCase() !== '.xlsx') {
    throw new DeskError('invalid_args', `错误表应保存为 .xlsx 文件：${path}`);
  }
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('导入问题');
  sheet.columns = [
    { header: '文件', key: 'file', width: 28 },
    { header: '工作表', key: 'sheet', width: 12 },
    { header: '行', key: 'row', width: 6 },
    { header: '列', key: 'column', width: 14 },
    { header: '值', key: 'value', width: 24, style: { numFmt: '@' } },
    { header: '问题代码', key: 'code', width: 22 },
    { header: '说明', key: 'message', width: 80 },
  ];
  for (const p of problems) {
    sheet.addRow({ file: p.file, sheet: p.sheet ?? '', row: p.row ?? '', column: p.column ?? '', value: p.value ?? '', code: p.code, message: p.message });
  }
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  if (path !== undefined) {
    writeFileSync(path, bytes);
    return { rows: problems.length, path };
  }
  return { rows: problems.length, base64: bytes.toString('base64') };
}

function refusal(file: string, problems: ImportProblem[]): DeskError {
  const first = problems.slice(0, 3).map((p) => (p.row ? `第 ${p.row} 行` : '') + (p.column ? `“${p.column}”` : '') + p.message);
  return new DeskError(
    'import_refused',
    `导入被拒绝（${file}，共 ${problems.length} 个问题），工作区未做任何修改：${first.join('；')}${problems.length > 3 ? '……' : ''}`,
    problems,
  );
}

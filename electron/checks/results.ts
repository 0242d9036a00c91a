/**
 * Reading the stored findings: per applicant (the review view), grouped (CLI, export blockers,
 * the demo evaluation), counted per applicant (the queue's flags), summarised.
 */
import type { CheckReport, CheckSummaryView } from '../../shared/api/checks.js';
import { DeskError } from '../../shared/api/index.js';
import { CHECKS } from '../../shared/checks/catalogue.js';
import { summarise } from '../../shared/checks/runner.js';
import type { CheckResult, Severity } from '../../shared/checks/types.js';
import type { ApplicantDeclared } from '../../shared/domain.js';
import { maskId } from '../../shared/idcard.js';
import { normaliseIdNumber } from '../../shared/import/normalise.js';
import { isKnownApplicant, listApplicantRecords } from '../applicants/index.js';
import type { Workspace } from '../workspace/index.js';
import { loadRules } from './rules.js';
import { ensureFresh, runAllChecks } from './run.js';

interface ResultRow {
  id_number: string; check_id: string; severity: Severity; message: string; message_en: string; field: string | null;
  document_id: number | null; suggested_reason: string | null; peers: string;
}

function toResult(r: ResultRow): CheckResult {
  return {
    checkId: r.check_id,
    severity: r.severity,
    message: r.message,
    messageEn: r.message_en,
    ...(r.field === null ? {} : { field: r.field as keyof ApplicantDeclared }),
    ...(r.document_id === null ? {} : { documentId: r.document_id }),
    ...(r.suggested_reason === null ? {} : { suggestedReason: r.suggested_reason }),
    ...(r.peers ? { peers: JSON.parse(r.peers) as string[] } : {}),
  };
}

const SEVERITY_ORDER = "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END";

export async function getResults(ws: Workspace, idNumber: string): Promise<CheckResult[]> {
  await ensureFresh(ws);
  const id = normaliseIdNumber(idNumber);
  if (!isKnownApplicant(ws.db, id)) throw new DeskError('not_found', `没有身份证号为 ${id} 的考生。`);
  return (ws.db.prepare(`SELECT * FROM check_results WHERE id_number = ? ORDER BY ${SEVERITY_ORDER}, id`).all(id) as ResultRow[]).map(toResult);
}

/** Every applicant's results, grouped (CLI `check` and the demo evaluation). */
export function allResults(ws: Workspace): Map<string, CheckResult[]> {
  const grouped = new Map<string, CheckResult[]>();
  for (const r of ws.db.prepare(`SELECT * FROM check_results ORDER BY ${SEVERITY_ORDER}, id`).all() as ResultRow[]) {
    const list = grouped.get(r.id_number);
    if (list) list.push(toResult(r));
    else grouped.set(r.id_number, [toResult(r)]);
  }
  // In list order, applicants ever imported (withdrawn ones keep results from before they left).
  const out = new Map<string, CheckResult[]>();
  for (const a of listApplicantRecords(ws.db, { withdrawn: true })) {
    const list = grouped.get(a.declared.idNumber);
    if (list) out.set(a.declared.idNumber, list);
  }
  return out;
}

export async function checkSummary(ws: Workspace): Promise<CheckSummaryView> {
  await ensureFresh(ws);
  const byApplicant = allResults(ws);
  const ids = listApplicantRecords(ws.db).map((a) => a.declared.idNumber);
  const s = summarise(ids.map((id) => ({ idNumber: id, results: byApplicant.get(id) ?? [] })));
  return {
    ...s,
    rulesVersion: loadRules().rules.version,
    titles: Object.fromEntries(CHECKS.map((c) => [c.id, { title: c.title, titleEn: c.titleEn, severity: c.severity }])),
  };
}

export async function checkReport(ws: Workspace, opts: { rerun: boolean; severity?: Severity | undefined }): Promise<CheckReport> {
  if (opts.rerun) await runAllChecks(ws);
  const summary = await checkSummary(ws);
  const byApplicant = allResults(ws);
  const applicants: CheckReport['applicants'] = [];
  for (const a of listApplicantRecords(ws.db)) {
    const id = a.declared.idNumber;
    const results = (byApplicant.get(id) ?? []).filter((x) => !opts.severity || x.severity === opts.severity);
    if (results.length) applicants.push({ idNumber: id, idMasked: maskId(id), name: a.declared.name, rowNo: a.rowNo, results });
  }
  return { summary, applicants };
}


/** Findings of one applicant as stored (no freshness check: the review view reads this per applicant). */
export function findingsOf(ws: Workspace, idNumber: string): CheckResult[] {
  return (ws.db.prepare(`SELECT * FROM check_results WHERE id_number = ? ORDER BY ${SEVERITY_ORDER}, id`).all(idNumber) as ResultRow[]).map(toResult);
}

/** Findings per applicant by severity (the queue's flags, bulk approval's rule). */
export function findingCounts(ws: Workspace): Map<string, { error: number; warning: number; info: number }> {
  const out = new Map<string, { error: number; warning: number; info: number }>();
  const rows = ws.db
    .prepare("SELECT id_number, SUM(severity = 'error') AS e, SUM(severity = 'warning') AS w, SUM(severity = 'info') AS i FROM check_results GROUP BY id_number")
    .all() as { id_number: string; e: number; w: number; i: number }[];
  for (const r of rows) out.set(r.id_number, { error: r.e, warning: r.w, info: r.i });
  return out;
}

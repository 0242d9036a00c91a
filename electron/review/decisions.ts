/**
 * The queue, the applicant view and decisions. Decisions are appended to the event log; the
 * current decision is always derived from the log (latest event), never stored beside it.
 */
import {
  DeskError,
  type ApplicantDetail,
  type ApplicantSummary,
  type DecisionEvent,
  type DocumentInfo,
  type StatusSummary,
} from '../../shared/api/index.js';
import {
  CATEGORY_CODES,
  decisionNeedsReason,
  type ApplicantDeclared,
  type CategoryCode,
  type Decision,
  type DecisionStatus,
  type DocumentKind,
  type Reason,
} from '../../shared/domain.js';
import { maskId } from '../../shared/idcard.js';
import { filterQueue, type QueueFilter } from '../../shared/pinyinSearch.js';
import type { Workspace } from '../workspace/workspace.js';
import { appendDecision, authorizeDecision } from './team.js';
import { queueIndex, reasonEntries } from './queue.js';

interface ApplicantRow {
  id_number: string;
  row_no: number;
  name: string;
  sex: string;
  phone: string;
  category: CategoryCode;
  school: string;
  major: string;
  grad_year: number | null;
  discharge_cert_no: string;
  enlist_date: string;
  discharge_date: string;
  merit: string;
  competition: string;
  award: string;
  award_level: string;
  award_date: string;
  hukou: string;
  poverty_issuer: string;
  withdrawn: number;
}

interface EventRow {
  id: string;
  id_number: string;
  decision: Decision;
  reasons: string;
  note: string;
  reviewer: string;
  device_id: string;
  at: string;
}

export function toDeclared(r: ApplicantRow): ApplicantDeclared {
  return {
    idNumber: r.id_number, name: r.name, sex: (r.sex as ApplicantDeclared['sex']) ?? '', phone: r.phone,
    category: r.category, school: r.school, major: r.major, gradYear: r.grad_year,
    dischargeCertNo: r.discharge_cert_no, enlistDate: r.enlist_date, dischargeDate: r.discharge_date,
    merit: r.merit, competition: r.competition, award: r.award, awardLevel: r.award_level,
    awardDate: r.award_date, hukou: r.hukou, povertyIssuer: r.poverty_issuer,
  };
}

function toEvent(r: EventRow): DecisionEvent {
  return {
    id: r.id, idNumber: r.id_number, decision: r.decision, reasons: JSON.parse(r.reasons) as string[],
    note: r.note, reviewer: r.reviewer, deviceId: r.device_id, at: r.at,
  };
}

export type ListQuery = QueueFilter;

/** The queue through the contract (CLI, other clients): the same filters the renderer applies locally. */
export function listApplicants(ws: Workspace, q: ListQuery): ApplicantSummary[] {
  return filterQueue(queueIndex(ws).rows, q).map((r) => ({
    idNumber: r.idNumber,
    idMasked: r.idMasked,
    name: r.name,
    category: r.category,
    status: r.status,
    reviewer: r.reviewer,
    rowNo: r.rowNo,
  }));
}

function applicantRow(ws: Workspace, idNumber: string): ApplicantRow {
  const row = ws.db.prepare('SELECT * FROM applicants WHERE id_number = ?').get(idNumber) as ApplicantRow | undefined;
  if (!row) throw new DeskError('not_found', `找不到身份证号为 ${maskId(idNumber)} 的考生。`);
  return row;
}

export function getApplicant(ws: Workspace, idNumber: string): ApplicantDetail {
  const row = applicantRow(ws, idNumber);
  const documents = ws.db
    .prepare(
      `SELECT d.id, d.kind, d.original_name, d.sha256, b.mime, b.size FROM documents d JOIN blobs b ON b.sha256 = d.sha256
       WHERE d.id_number = ? ORDER BY d.kind, d.original_name`,
    )
    .all(idNumber) as { id: number; kind: DocumentKind; original_name: string; sha256: string; mime: string; size: number }[];
  const history = (ws.db.prepare('SELECT * FROM decision_events WHERE id_number = ? ORDER BY seq').all(idNumber) as EventRow[]).map(toEvent);
  const current = history.at(-1) ?? null;
  return {
    declared: toDeclared(row),
    rowNo: row.row_no,
    withdrawn: row.withdrawn === 1,
    documents: documents.map(
      (d): DocumentInfo => ({ id: d.id, kind: d.kind, mime: d.mime, originalName: d.original_name, size: d.size, sha256: d.sha256 }),
    ),
    status: current?.decision ?? 'pending',
    current,
    history,
  };
}

/** The reasons in use (a supervisor's edits included, retired codes left out). */
export function reasonCatalogue(ws: Workspace, category?: CategoryCode): Reason[] {
  return reasonEntries(ws)
    .filter((r) => !r.retired && (!category || r.categories.length === 0 || r.categories.includes(category)))
    .map(({ code, label, categories }) => ({ code, label, categories }));
}

export interface DecideInput {
  idNumber: string;
  decision: Decision;
  reasons: string[];
  note: string;
  reviewer: string;
}

export function recordDecision(ws: Workspace, deviceId: string, input: DecideInput): { event: DecisionEvent; status: DecisionStatus } {
  const row = applicantRow(ws, input.idNumber);
  if (row.withdrawn) throw new DeskError('withdrawn', `考生 ${row.name} 已从最新名单中移除，不能再作出审核结论。`);
  const known = new Set(reasonCatalogue(ws).map((r) => r.code));
  const unknown = input.reasons.filter((r) => !known.has(r));
  if (unknown.length > 0) throw new DeskError('unknown_reason', `未知的审核理由代码：${unknown.join(', ')}（可用：${[...known].join(', ')}）。`);
  if (decisionNeedsReason(input.decision) && input.reasons.length === 0) {
    throw new DeskError('reason_required', '“不通过”和“退回补正”必须选择至少一个理由。');
  }
  // Signed-in account (once accounts exist), assignment and open conflicts are checked by the
  // sync area; the event supersedes the heads seen, with HLC and hash chain (electron/sync/log.ts).
  const who = authorizeDecision(ws, input.idNumber, input.reviewer.trim());
  const e = appendDecision(ws, deviceId, {
    idNumber: input.idNumber, decision: input.decision, reasons: [...new Set(input.reasons)], note: input.note.trim(), reviewer: who.name,
  });
  const event: DecisionEvent = {
    id: e.id, idNumber: input.idNumber, decision: input.decision, reasons: e.reasons, note: e.note, reviewer: e.reviewer, deviceId: e.deviceId, at: e.at,
  };
  return { event, status: event.decision };
}

export function statusSummary(ws: Workspace): StatusSummary {
  const zero = (): Record<DecisionStatus, number> => ({ pending: 0, approve: 0, reject: 0, return: 0 });
  const byCategory = Object.fromEntries(CATEGORY_CODES.map((c) => [c, zero()])) as Record<CategoryCode, Record<DecisionStatus, number>>;
  const byDecision = zero();
  const rows = ws.db
    .prepare(
      `SELECT a.category, COALESCE(d.decision, 'pending') AS status, COUNT(*) AS n
       FROM applicants a LEFT JOIN current_decisions d ON d.id_number = a.id_number
       WHERE a.withdrawn = 0 GROUP BY 1, 2`,
    )
    .all() as { category: CategoryCode; status: DecisionStatus; n: number }[];
  let total = 0;
  for (const r of rows) {
    byCategory[r.category][r.status] += r.n;
    byDecision[r.status] += r.n;
    total += r.n;
  }
  return { total, byDecision, byCategory };
}

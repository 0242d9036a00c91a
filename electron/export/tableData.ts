/**
 * Turns the workspace's applicants and current decisions into the cells of a review table.
 * XLSX and PDF both render this one structure, so the two files can never disagree, and its
 * hash (dataSha256) is what the verification line on every page refers to.
 */
import { createHash } from 'node:crypto';
import type { ExportBlocker, ExportProblemKind } from '../../shared/api/export.js';
import { CATEGORIES, DECISION_LABELS, SEED_REASONS, categoryInfo, type CategoryCode, type Decision, type DecisionStatus } from '../../shared/domain.js';
import { maskId } from '../../shared/idcard.js';
import { toDeclared } from '../review/decisions.js';
import type { Workspace } from '../workspace/workspace.js';
import type { ColumnField, ExportTemplate, TemplateColumn } from './templates.js';

export interface TableSection {
  title: string;
  columns: TemplateColumn[];
  rows: string[][];
}

export interface TableData {
  title: string;
  college: string;
  sections: TableSection[];
  /** Distinct reviewers of the decisions in the table. */
  reviewers: string[];
  counts: { rows: number; byDecision: Record<DecisionStatus, number>; byCategory: Partial<Record<CategoryCode, number>> };
}

interface Candidate {
  declared: ReturnType<typeof toDeclared>;
  rowNo: number;
  status: DecisionStatus;
  reasons: string[];
  note: string;
  reviewer: string;
}

const REASON_LABELS = new Map(SEED_REASONS.map((r) => [r.code, r.label]));
const CATEGORY_ORDER = new Map(CATEGORIES.map((c, i) => [c.code, i]));

/** Applicants listed by one of the blocker views (decision_conflicts, changed_since_decided). */
function flaggedIds(ws: Workspace, view: 'decision_conflicts' | 'changed_since_decided'): Set<string> {
  const rows = ws.db.prepare(`SELECT DISTINCT id_number FROM "${view}"`).all() as { id_number: string }[];
  return new Set(rows.map((r) => r.id_number));
}

function candidates(ws: Workspace, t: ExportTemplate): Candidate[] {
  const rows = ws.db
    .prepare(
      `SELECT a.*, d.decision AS d_decision, d.reasons AS d_reasons, d.note AS d_note, d.reviewer AS d_reviewer
       FROM applicants a LEFT JOIN current_decisions d ON d.id_number = a.id_number
       WHERE a.withdrawn = 0 AND a.category IN (${t.categories.map(() => '?').join(', ')})`,
    )
    .all(...t.categories) as (Parameters<typeof toDeclared>[0] & { d_decision: Decision | null; d_reasons: string | null; d_note: string | null; d_reviewer: string | null })[];
  return rows.map((r) => ({
    declared: toDeclared(r),
    rowNo: r.row_no,
    status: r.d_decision ?? 'pending',
    reasons: r.d_reasons ? (JSON.parse(r.d_reasons) as string[]) : [],
    note: r.d_note ?? '',
    reviewer: r.d_reviewer ?? '',
  }));
}

const PROBLEM_TEXT: Record<ExportProblemKind, string> = {
  pending: '尚未审核',
  returned: '退回补正，尚未重新审核',
  conflict: '存在未解决的同步冲突',
  changed: '作出结论后考生信息或材料已变更，需重新确认',
};

/** Applicants in scope that keep a final (signed) export from being made. */
export function findBlockers(ws: Workspace, t: ExportTemplate): ExportBlocker[] {
  const conflicts = flaggedIds(ws, 'decision_conflicts');
  const changed = flaggedIds(ws, 'changed_since_decided');
  const out: ExportBlocker[] = [];
  for (const c of sortCandidates(candidates(ws, t), t)) {
    const problems: ExportProblemKind[] = [];
    if (c.status === 'pending') problems.push('pending');
    if (c.status === 'return') problems.push('returned');
    if (conflicts.has(c.declared.idNumber)) problems.push('conflict');
    if (changed.has(c.declared.idNumber)) problems.push('changed');
    for (const p of problems) {
      out.push({ idMasked: maskId(c.declared.idNumber), name: c.declared.name, category: c.declared.category, problem: p, message: PROBLEM_TEXT[p] });
    }
  }
  return out;
}

function sortCandidates(list: Candidate[], t: ExportTemplate): Candidate[] {
  const key = (c: Candidate, k: ExportTemplate['sort'][number]): string | number => {
    switch (k) {
      case 'rowNo': return c.rowNo;
      case 'idNumber': return c.declared.idNumber;
      case 'category': return CATEGORY_ORDER.get(c.declared.category) ?? 99;
      case 'name': return c.declared.name;
      case 'school': return c.declared.school;
    }
  };
  return [...list].sort((a, b) => {
    for (const k of t.sort) {
      const x = key(a, k);
      const y = key(b, k);
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  });
}

function reasonText(c: Candidate): string {
  const labels = c.reasons.map((r) => REASON_LABELS.get(r) ?? r);
  return [...labels, c.note].filter(Boolean).join('；');
}

function cell(field: ColumnField, c: Candidate, seq: number, t: ExportTemplate): string {
  const d = c.declared;
  switch (field) {
    case 'seq': return String(seq);
    case 'idMasked': return maskId(d.idNumber);
    case 'category': return categoryInfo(d.category).label;
    case 'gradYear': return d.gradYear === null ? '' : String(d.gradYear);
    case 'result': return DECISION_LABELS[c.status];
    case 'reviewer': return c.reviewer;
    case 'remark': return reasonText(c);
    case 'opinion': {
      const fixed = c.status === 'approve' || c.status === 'reject' ? t.opinion[c.status] : '';
      return [reasonText(c), fixed].filter(Boolean).join('；');
    }
    default: return d[field];
  }
}

/**
 * The table as cells. A final export holds the applicants whose decision the template lists; a
 * draft also shows the undecided and returned ones so the office can see what is still open.
 */
export function buildTable(ws: Workspace, t: ExportTemplate, draft: boolean): TableData {
  const all = sortCandidates(candidates(ws, t), t);
  const wanted = all.filter((c) => (t.decisions as DecisionStatus[]).includes(c.status) || (draft && (c.status === 'pending' || c.status === 'return')));
  const byDecision: Record<DecisionStatus, number> = { pending: 0, approve: 0, reject: 0, return: 0 };
  const byCategory: Partial<Record<CategoryCode, number>> = {};
  const reviewers = new Set<string>();
  const sections = t.sections.map((s): TableSection => {
    const members = wanted.filter((c) => s.categories.includes(c.declared.category));
    return { title: s.title, columns: s.columns, rows: members.map((c, i) => s.columns.map((col) => cell(col.field, c, i + 1, t))) };
  });
  for (const c of wanted) {
    byDecision[c.status] += 1;
    byCategory[c.declared.category] = (byCategory[c.declared.category] ?? 0) + 1;
    if (c.reviewer) reviewers.add(c.reviewer);
  }
  return { title: t.title, college: ws.college, sections, reviewers: [...reviewers].sort(), counts: { rows: wanted.length, byDecision, byCategory } };
}

/** SHA-256 of the cells (and the words around them), independent of file format. */
export function tableHash(data: TableData): string {
  const canonical = JSON.stringify({
    title: data.title,
    college: data.college,
    sections: data.sections.map((s) => ({ title: s.title, headers: s.columns.map((c) => c.header), rows: s.rows })),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Turns the workspace's applicants and current decisions into the cells of a review table.
 * XLSX and PDF both render this one structure, so the two files can never disagree, and its
 * hash (dataSha256) is what the verification line on every page refers to.
 */
import { createHash } from 'node:crypto';
import type { ExportBlocker, ExportProblemKind } from '../../shared/api/export.js';
import type { DecisionEvent } from '../../shared/api/review.js';
import { CATEGORIES, DECISION_LABELS, categoryInfo, type ApplicantDeclared, type CategoryCode, type DecisionStatus } from '../../shared/domain.js';
import { maskId } from '../../shared/idcard.js';
import { verdictTextZh } from '../../shared/review/verdictText.js';
import { listApplicantRecords } from '../applicants/index.js';
import { allStates, changedSinceDecidedAll, reasonLabeller, stateIn, toDecisionEvent } from '../review/index.js';
import type { Workspace } from '../workspace/index.js';
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
  declared: ApplicantDeclared;
  rowNo: number;
  /** From the one state (review area): 冲突 is a status of its own, never a decision. */
  status: DecisionStatus;
  /** The decision in force, or null. */
  current: DecisionEvent | null;
  /** 变更待复核. */
  changed: boolean;
}

const CATEGORY_ORDER = new Map(CATEGORIES.map((c, i) => [c.code, i]));

function candidates(ws: Workspace, t: ExportTemplate): Candidate[] {
  const states = allStates(ws);
  const changed = changedSinceDecidedAll(ws, states);
  return listApplicantRecords(ws.db)
    .filter((a) => t.categories.includes(a.declared.category))
    .map((a) => {
      const s = stateIn(states, a.declared.idNumber);
      return { declared: a.declared, rowNo: a.rowNo, status: s.status, current: s.current ? toDecisionEvent(s.current, true) : null, changed: changed.has(a.declared.idNumber) };
    });
}

const PROBLEM_TEXT: Record<ExportProblemKind, string> = {
  pending: '尚未审核',
  returned: '退回补正，尚未重新审核',
  conflict: '存在未解决的同步冲突',
  changed: '作出结论后考生信息或材料已变更，需重新确认',
};

/** Applicants in scope that keep a final (signed) export from being made. */
export function findBlockers(ws: Workspace, t: ExportTemplate): ExportBlocker[] {
  const out: ExportBlocker[] = [];
  for (const c of sortCandidates(candidates(ws, t), t)) {
    const problems: ExportProblemKind[] = [];
    if (c.status === 'pending') problems.push('pending');
    if (c.status === 'return') problems.push('returned');
    if (c.status === 'conflict') problems.push('conflict');
    if (c.changed) problems.push('changed');
    for (const p of problems) {
      out.push({ idNumber: c.declared.idNumber, idMasked: maskId(c.declared.idNumber), name: c.declared.name, category: c.declared.category, problem: p, message: PROBLEM_TEXT[p] });
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

/**
 * 审核意见 / 备注 in Chinese, whatever language the reviewer's desk was in: the catalogue's labels
 * of the reasons, the verdicts on the scans, an override of error findings, and the note as typed.
 */
function reasonText(c: Candidate, label: (code: string) => string): string {
  const cur = c.current;
  if (!cur) return '';
  const verdicts = verdictTextZh(cur.verdicts);
  return [
    ...cur.reasons.map(label),
    verdicts && `材料判定：${verdicts}`,
    cur.override && '经审核人说明后通过（检查提示有误）',
    cur.note,
  ].filter(Boolean).join('；');
}

function cell(field: ColumnField, c: Candidate, seq: number, t: ExportTemplate, label: (code: string) => string): string {
  const d = c.declared;
  switch (field) {
    case 'seq': return String(seq);
    case 'idMasked': return maskId(d.idNumber);
    case 'category': return categoryInfo(d.category).label;
    case 'gradYear': return d.gradYear === null ? '' : String(d.gradYear);
    case 'result': return DECISION_LABELS[c.status];
    case 'reviewer': return c.current?.reviewer ?? '';
    case 'remark': return reasonText(c, label);
    case 'opinion': {
      const fixed = c.status === 'approve' || c.status === 'reject' ? t.opinion[c.status] : '';
      return [reasonText(c, label), fixed].filter(Boolean).join('；');
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
  const wanted = all.filter((c) => (t.decisions as DecisionStatus[]).includes(c.status) || (draft && (c.status === 'pending' || c.status === 'return' || c.status === 'conflict')));
  const byDecision: Record<DecisionStatus, number> = { pending: 0, approve: 0, reject: 0, return: 0, conflict: 0 };
  const label = reasonLabeller(ws);
  const byCategory: Partial<Record<CategoryCode, number>> = {};
  const reviewers = new Set<string>();
  const sections = t.sections.map((s): TableSection => {
    const members = wanted.filter((c) => s.categories.includes(c.declared.category));
    return { title: s.title, columns: s.columns, rows: members.map((c, i) => s.columns.map((col) => cell(col.field, c, i + 1, t, label))) };
  });
  for (const c of wanted) {
    byDecision[c.status] += 1;
    byCategory[c.declared.category] = (byCategory[c.declared.category] ?? 0) + 1;
    if (c.current?.reviewer) reviewers.add(c.current.reviewer);
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

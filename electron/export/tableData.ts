/**
 * Turns the workspace's applicants and current decisions into the cells of a review table.
 * XLSX and PDF both render this one structure, so the two files can never disagree, and its
 * hash (dataSha256) is what the verification line on every page refers to. Everything a page
 * prints — college, 学校代码, totals, review period, export date, 公示期 — is in it.
 */
import { createHash } from 'node:crypto';
import type { CategoryTotal, ExportBlocker, ExportProblemKind, ExportRule, NoticeTerms, NoticeTermsInput } from '../../shared/api/export.js';
import { DeskError } from '../../shared/api/index.js';
import type { DecisionEvent } from '../../shared/api/review.js';
import { CATEGORIES, DECISION_LABELS, categoryInfo, type ApplicantDeclared, type CategoryCode, type DecisionStatus } from '../../shared/domain.js';
import { addDays, isCalendarDay } from '../../shared/export/dates.js';
import { outsideHunanMark } from '../../shared/export/hukou.js';
import { maskId } from '../../shared/idcard.js';
import { verdictTextZh } from '../../shared/review/verdictText.js';
import { listApplicantRecords } from '../applicants/index.js';
import { collegeSettings } from '../college/index.js';
import {
  allStates, changedSinceDecidedAll, chinaDate, pendingReview, qcProgress, reasonLabeller, signoffOf, stateIn, toDecisionEvent, type Signoff,
} from '../review/index.js';
import { UNNAMED_COLLEGE, type Workspace } from '../workspace/index.js';
import { fieldKind, fieldNoWrap, fill, type CellKind, type ColumnField, type ExportTemplate, type TemplateColumn } from './templates.js';

/**
 * A cell: text, a whole number (序号, 毕业年份), or a date ('YYYY-MM' or 'YYYY-MM-DD') that the
 * spreadsheet stores as a date value and the PDF prints as written.
 */
export type Cell = string | number | { date: string };

export function cellText(c: Cell): string {
  return typeof c === 'string' ? c : typeof c === 'number' ? String(c) : c.date;
}

export interface TableColumn extends TemplateColumn {
  kind: CellKind;
  /** Never broken over two lines (ID numbers, names, dates …). */
  nowrap: boolean;
}

export interface TableSection {
  title: string;
  categories: CategoryCode[];
  columns: TableColumn[];
  rows: Cell[][];
  byDecision: Record<DecisionStatus, number>;
}

export interface TableData {
  title: string;
  recipient: string;
  public: boolean;
  college: { name: string; code: string };
  /** 复核 is on: 初审人 and 复核人 columns, both signature lines. */
  signoff: boolean;
  sections: TableSection[];
  /** Per category of the table (internal tables; a public notice prints no rejections). */
  totals: CategoryTotal[];
  /** First and last decision of the rows, China dates; null without rows. */
  reviewPeriod: { from: string; to: string } | null;
  /** China date of the export. */
  exportDate: string;
  notice: NoticeTerms | null;
  /** The table has no rows and the user stated there are none to report. */
  noneConfirmed: boolean;
  /** Distinct reviewers (初审 and 复核) of the decisions in the table. */
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
  /** Who answers for the decision in force (review area), or null. */
  signoff: Signoff | null;
  /** 变更待复核. */
  changed: boolean;
}

const CATEGORY_ORDER = new Map(CATEGORIES.map((c, i) => [c.code, i]));
const zeroStatus = (): Record<DecisionStatus, number> => ({ pending: 0, approve: 0, reject: 0, return: 0, conflict: 0 });

function candidates(ws: Workspace, t: ExportTemplate): Candidate[] {
  const states = allStates(ws);
  const changed = changedSinceDecidedAll(ws, states);
  return listApplicantRecords(ws.db)
    .filter((a) => t.categories.includes(a.declared.category))
    .map((a) => {
      const s = stateIn(states, a.declared.idNumber);
      return {
        declared: a.declared, rowNo: a.rowNo, status: s.status,
        current: s.current ? toDecisionEvent(s.current, true) : null,
        signoff: s.current ? signoffOf(ws, s.current) : null,
        changed: changed.has(a.declared.idNumber),
      };
    });
}

const PROBLEM_TEXT: Record<ExportProblemKind, string> = {
  pending: '尚未审核',
  returned: '退回补正，尚未重新审核',
  conflict: '存在未解决的同步冲突',
  changed: '作出结论后考生信息或材料已变更，需重新确认',
  signoff: '初审结论待复核（学校已启用复核）',
  qc: '已抽检，抽检复查尚未完成',
};

/** Applicants in scope that keep a final (signed) export from being made. */
export function findBlockers(ws: Workspace, t: ExportTemplate): ExportBlocker[] {
  const settings = collegeSettings(ws);
  const waiting = settings.signoffRequired ? new Set(pendingReview(ws).map((r) => r.idNumber)) : new Set<string>();
  const qcOpen = settings.qcPercent > 0 ? qcProgress(ws).open : new Set<string>();
  const out: ExportBlocker[] = [];
  for (const c of sortCandidates(candidates(ws, t), t)) {
    const id = c.declared.idNumber;
    const problems: ExportProblemKind[] = [];
    if (c.status === 'pending') problems.push('pending');
    if (c.status === 'return') problems.push('returned');
    if (c.status === 'conflict') problems.push('conflict');
    if (c.changed) problems.push('changed');
    if (waiting.has(id)) problems.push('signoff');
    if (qcOpen.has(id)) problems.push('qc');
    for (const p of problems) {
      out.push({ idNumber: id, idMasked: maskId(id), name: c.declared.name, category: c.declared.category, problem: p, message: PROBLEM_TEXT[p] });
    }
  }
  return out;
}

/** The 公示期 and contact: what the export was given, else the college settings, else the export date. */
export function noticeTerms(ws: Workspace, exportDate: string, given: NoticeTermsInput = {}): NoticeTerms {
  const s = collegeSettings(ws);
  const start = given.start ?? exportDate;
  if (!isCalendarDay(start)) throw new DeskError('invalid_args', `公示开始日期不是有效日期：${start}`);
  const days = given.days ?? s.noticeDays;
  return { start, end: addDays(start, days - 1), days, phone: given.phone ?? s.noticePhone, email: given.email ?? s.noticeEmail };
}

/**
 * What keeps the table as a whole from a final export (no applicant named): the college's name
 * and 学校代码, the QC sample, an empty table (unless the user states there are none), a 公示
 * without a contact for objections.
 */
export function tableRules(ws: Workspace, t: ExportTemplate, data: Pick<TableData, 'title' | 'counts' | 'notice'>): ExportRule[] {
  const s = collegeSettings(ws);
  const out: ExportRule[] = [];
  if (s.name.trim() === '' || s.name === UNNAMED_COLLEGE) out.push({ code: 'college_name', message: '尚未设置学校名称（新建学院时或在学院设置中填写）' });
  if (s.code.trim() === '') out.push({ code: 'college_code', message: '尚未设置学校代码（5 位数字，在学院设置中填写）' });
  if (s.qcPercent > 0) {
    const qc = qcProgress(ws);
    const need = Math.ceil((qc.approved * s.qcPercent) / 100);
    if (qc.sampled < need) {
      out.push({ code: 'qc_sample', message: `学校要求抽检 ${s.qcPercent}%：已通过 ${qc.approved} 人，已抽取 ${qc.sampled} 人，至少应抽取 ${need} 人` });
    }
  }
  if (data.counts.rows === 0) out.push({ code: 'empty', message: `《${data.title}》没有考生；如确无此类考生，请确认“本表无考生”后再正式导出（表中将注明）` });
  if (t.public && data.notice && !data.notice.phone && !data.notice.email) {
    out.push({ code: 'notice_contact', message: '公示须写明受理异议的联系电话或电子邮箱（学院设置或本次导出中填写）' });
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

/** A catalogue label that points at a 备注 column the tables do not have loses the pointer. */
const SEE_NOTE = /[（(]见备注[）)]$/;

/**
 * 审核意见 in Chinese, whatever language the reviewer's desk was in: the fixed wording of the
 * template, the catalogue's labels of the reasons, the verdicts on the scans, an override of error
 * findings and a 复核 改判 marked as such, and the reviewer's note as typed. A bulk approval is an
 * approval like any other: it prints the fixed wording, never how it was clicked.
 */
function opinionText(c: Candidate, t: ExportTemplate, label: (code: string) => string): string {
  const cur = c.current;
  if (!cur) return '';
  const fixed = cur.decision === 'approve' || cur.decision === 'reject' ? t.opinion[cur.decision] : '';
  const verdicts = verdictTextZh(cur.verdicts);
  const note = cur.note.trim();
  const first = c.signoff?.how === 'overturned' ? '复核改判' : '';
  return [
    fixed,
    ...cur.reasons.map((code) => label(code).replace(SEE_NOTE, '')),
    verdicts && `材料判定：${verdicts}`,
    cur.override && '※存在系统检查提示，经审核人核实后通过',
    first,
    note && `说明：${note}`,
  ].filter(Boolean).join('；');
}

/** A declared date as a date cell when it is one ('YYYY-MM' or 'YYYY-MM-DD'), else as written. */
function dateCell(v: string): Cell {
  return /^\d{4}-\d{2}(-\d{2})?$/.test(v) ? { date: v } : v;
}

function cell(field: ColumnField, c: Candidate, seq: number, t: ExportTemplate, label: (code: string) => string, draft: boolean): Cell {
  const d = c.declared;
  const s = c.signoff;
  switch (field) {
    case 'seq': return seq;
    case 'idMasked': return maskId(d.idNumber);
    case 'category': return categoryInfo(d.category).label;
    case 'gradYear': return d.gradYear ?? '';
    case 'result': return DECISION_LABELS[c.status];
    case 'reviewer': return s ? s.firstReviewers.join('、') : '';
    case 'supervisor': return s?.supervisor ?? (draft && s ? '（待复核）' : '');
    case 'outsideHunan': return outsideHunanMark(d.hukou, d.idNumber);
    case 'remark': return c.current?.note ?? '';
    case 'opinion': return opinionText(c, t, label);
    case 'enlistDate': case 'dischargeDate': case 'awardDate': case 'craftEnrollDate': case 'craftGradDate':
      return dateCell(d[field]);
    default: return d[field];
  }
}

export interface BuildOptions {
  draft: boolean;
  exportedAt: Date;
  notice?: NoticeTermsInput | undefined;
  confirmNone?: boolean | undefined;
}

/**
 * The table as cells. A final export holds the applicants whose decision the template lists; a
 * draft also shows the undecided and returned ones so the office can see what is still open.
 */
export function buildTable(ws: Workspace, t: ExportTemplate, o: BuildOptions): TableData {
  const settings = collegeSettings(ws);
  const signoff = settings.signoffRequired;
  const all = sortCandidates(candidates(ws, t), t);
  const wanted = all.filter((c) => (t.decisions as DecisionStatus[]).includes(c.status) || (o.draft && (c.status === 'pending' || c.status === 'return' || c.status === 'conflict')));
  const label = reasonLabeller(ws);
  const byDecision = zeroStatus();
  const byCategory: Partial<Record<CategoryCode, number>> = {};
  const reviewers = new Set<string>();
  const sections = t.sections.map((s): TableSection => {
    const columns = s.columns
      .filter((c) => signoff || !c.signoffOnly)
      .map((c): TableColumn => ({ ...c, header: signoff && c.signoffHeader ? c.signoffHeader : c.header, kind: fieldKind(c.field), nowrap: fieldNoWrap(c.field) }));
    const members = wanted.filter((c) => s.categories.includes(c.declared.category));
    const counts = zeroStatus();
    for (const m of members) counts[m.status]++;
    return {
      title: s.title, categories: s.categories, columns, byDecision: counts,
      // 序号 restarts in every section: each is a list of its own for the office.
      rows: members.map((c, i) => columns.map((col) => cell(col.field, c, i + 1, t, label, o.draft))),
    };
  });
  const days: string[] = [];
  for (const c of wanted) {
    byDecision[c.status] += 1;
    byCategory[c.declared.category] = (byCategory[c.declared.category] ?? 0) + 1;
    const s = c.signoff;
    if (!s) continue;
    for (const r of s.firstReviewers) reviewers.add(r);
    if (s.supervisor) reviewers.add(s.supervisor);
    days.push(chinaDate(s.firstAt), chinaDate(s.supervisorAt ?? c.current?.at ?? s.firstAt));
  }
  days.sort();
  const totals = t.public
    ? []
    : t.categories.map((category): CategoryTotal => {
        const of = wanted.filter((c) => c.declared.category === category);
        const n = (st: DecisionStatus): number => of.filter((c) => c.status === st).length;
        return { category, approve: n('approve'), reject: n('reject'), return: n('return'), total: of.length };
      });
  const exportDate = chinaDate(o.exportedAt);
  const college = { name: settings.name, code: settings.code };
  return {
    title: fill(t.title, { college: college.name }),
    recipient: t.recipient,
    public: t.public,
    college,
    signoff,
    sections,
    totals,
    reviewPeriod: days.length > 0 ? { from: days[0] ?? '', to: days.at(-1) ?? '' } : null,
    exportDate,
    notice: t.public ? noticeTerms(ws, exportDate, o.notice) : null,
    noneConfirmed: wanted.length === 0 && o.confirmNone === true,
    reviewers: [...reviewers].sort(),
    counts: { rows: wanted.length, byDecision, byCategory },
  };
}

/** SHA-256 of everything the table prints, independent of file format. */
export function tableHash(data: TableData): string {
  const canonical = JSON.stringify({
    title: data.title,
    college: data.college,
    signoff: data.signoff,
    sections: data.sections.map((s) => ({ title: s.title, headers: s.columns.map((c) => c.header), rows: s.rows })),
    totals: data.totals,
    reviewPeriod: data.reviewPeriod,
    exportDate: data.exportDate,
    notice: data.notice,
    noneConfirmed: data.noneConfirmed,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

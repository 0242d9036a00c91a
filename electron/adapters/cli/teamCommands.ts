/**
 * CLI commands of the team workflow: 复核 (the supervisor's sign-off of 初审 decisions) and the
 * QC sample (抽检). They act as the account signed in with --user (main.ts), or, on a workspace
 * without accounts, as the name given by --by or --user.
 */
import type { DecisionResult } from '../../../shared/api/index.js';
import { categoryInfo, DECISION_LABELS, DECISIONS, type Decision } from '../../../shared/domain.js';
import { actingName, list, need, needNum, num, oneOf, str, type CliCommand } from './commands.js';

const who = { by: { type: 'string' } } as const;
const label = (d: string): string => DECISION_LABELS[d as Decision] ?? d;
const done = (r: DecisionResult): string => {
  return `已记录：${label(r.status)}（${r.reviewer}，${r.at}）`;
};

export const teamCommands: CliCommand[] = [
  {
    name: 'signoff pending',
    summary: '待复核的初审结论（复核人）/ 初审 decisions waiting for a supervisor',
    usage: 'signoff pending --workspace WS [--user NAME --secret-env VAR] [--json]',
    options: {},
    workspace: 'open',
    call: 'signoff.pending',
    toArgs: () => ({}),
    print: (items) => {
      if (items.length === 0) return '没有待复核的结论。';
      return [`待复核 ${items.length} 人：`, ...items.map((r) => `  ${r.name} ${r.idMasked} ${categoryInfo(r.category).label}：${label(r.decision)}（${r.reviewer}，${r.at}）${r.note ? ` ${r.note}` : ''}`)].join('\n');
    },
  },
  {
    name: 'signoff confirm',
    summary: '复核确认初审结论 / a supervisor confirms the 初审 decision',
    usage: 'signoff confirm --workspace WS --applicant ID [--note T] [--by NAME | --user NAME --secret-env VAR]',
    options: { applicant: { type: 'string' }, note: { type: 'string' }, ...who },
    workspace: 'open',
    call: 'signoff.record',
    toArgs: (o) => ({ idNumber: need(str(o.applicant), '--applicant'), verdict: 'confirm', note: str(o.note) ?? '', by: actingName(o) }),
    print: done,
  },
  {
    name: 'signoff overturn',
    summary: '复核改判（须给出新结论和理由）/ a supervisor overturns with a new decision and a reason',
    usage: 'signoff overturn --workspace WS --applicant ID --decision approve|reject|return [--reason CODE]... [--note T] [--by NAME | --user NAME --secret-env VAR]',
    options: { applicant: { type: 'string' }, decision: { type: 'string' }, reason: { type: 'string', multiple: true }, note: { type: 'string' }, ...who },
    workspace: 'open',
    call: 'signoff.record',
    toArgs: (o) => ({ idNumber: need(str(o.applicant), '--applicant'), verdict: 'overturn', decision: oneOf(str(o.decision), DECISIONS, '--decision'), reasons: list(o.reason), note: str(o.note) ?? '', by: actingName(o) }),
    print: done,
  },
  {
    name: 'qc draw',
    summary: '抽检：从已通过的考生中随机抽取百分之 P（复核人）/ draw a QC sample of the approvals',
    usage: 'qc draw --workspace WS --percent P [--seed S] [--by NAME | --user NAME --secret-env VAR] [--json]',
    options: { percent: { type: 'string' }, seed: { type: 'string' }, ...who },
    workspace: 'open',
    call: 'qc.draw',
    toArgs: (o) => ({ percent: needNum(str(o.percent), '--percent'), seed: num(o.seed), by: actingName(o) }),
    print: (r) => `已抽取 ${r.drawn} 人进入抽检队列。`,
  },
  {
    name: 'qc queue',
    summary: '待抽检的考生（不显示初审结论）/ the blind QC queue',
    usage: 'qc queue --workspace WS [--json]',
    options: {},
    workspace: 'open',
    call: 'qc.queue',
    toArgs: () => ({}),
    print: (items) => {
      if (items.length === 0) return '抽检队列为空。';
      return [`待抽检 ${items.length} 人：`, ...items.map((q) => `  ${q.name} ${q.idMasked} ${categoryInfo(q.category).label}`)].join('\n');
    },
  },
  {
    name: 'qc record',
    summary: '记录抽检结论（不能由初审人本人抽检）/ record the second, blind review',
    usage: 'qc record --workspace WS --applicant ID --decision approve|reject|return [--reason CODE]... [--note T] [--by NAME | --user NAME --secret-env VAR]',
    options: { applicant: { type: 'string' }, decision: { type: 'string' }, reason: { type: 'string', multiple: true }, note: { type: 'string' }, ...who },
    workspace: 'open',
    call: 'qc.record',
    toArgs: (o) => ({ idNumber: need(str(o.applicant), '--applicant'), decision: oneOf(str(o.decision), DECISIONS, '--decision'), reasons: list(o.reason), note: str(o.note) ?? '', by: actingName(o) }),
    print: (r) => (r.agreed ? '已记录：与初审结论一致。' : '已记录：与初审结论不一致。'),
  },
  {
    name: 'qc agreement',
    summary: '抽检一致率（按初审人，复核人）/ QC agreement per first reviewer',
    usage: 'qc agreement --workspace WS [--user NAME --secret-env VAR] [--json]',
    options: {},
    workspace: 'open',
    call: 'qc.agreement',
    toArgs: () => ({}),
    print: (rows) => {
      if (rows.length === 0) return '尚无抽检。';
      return rows.map((r) => `  ${r.reviewer}：抽取 ${r.sampled}，已抽检 ${r.reviewed}，一致 ${r.agreed}，一致率 ${r.rate === null ? '—' : `${Math.round(r.rate * 1000) / 10}%`}`).join('\n');
    },
  },
];

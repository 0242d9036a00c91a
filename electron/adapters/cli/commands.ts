/**
 * The CLI adapter's command table: each command maps argv to one contract call and prints the
 * result. No logic beyond that; services do the work. Areas add their commands in their own file
 * and list them in COMMANDS below.
 */
import type { ApiName, StatusSummary, ImportReport, DemoSummary } from '../../../shared/api/index.js';
import { CATEGORIES, DECISION_LABELS, type DecisionStatus } from '../../../shared/domain.js';
import { checkCommands } from './checkCommands.js';
import { collegeCommands } from './collegeCommands.js';
import { exportCommands } from './exportCommands.js';
import { hardeningCommands } from './hardeningCommands.js';
import { ocrCommands } from './ocrCommands.js';
import { syncCommands } from './syncCommands.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
export type ParsedOptions = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CliCommand {
  /** e.g. 'import' or 'sync export' */
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  /** How --workspace is used: required and must exist, created when missing, or not used. */
  workspace: 'open' | 'create' | 'none';
  /** The contract call and its raw argument (validated by the dispatcher like any other). */
  toCall(opts: ParsedOptions, positionals: string[]): { name: ApiName; args: unknown };
  /** Human output (the --json output is always the raw value). */
  print?(value: unknown, opts: ParsedOptions): string;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'string' && v.trim() !== '' ? Number(v) : undefined);
/** The password or PIN of --user, from the environment variable named by --secret-env (default DESK_SECRET). */
export function cliSecret(o: ParsedOptions): string {
  return process.env[str(o['secret-env']) ?? 'DESK_SECRET'] ?? '';
}

/** Who acts, by name: --by, else --user (the signed-in account once accounts exist). */
export const actingName = (o: ParsedOptions): string | undefined => str(o.by) ?? str(o.user);

export const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);

const statusLine = (counts: Record<DecisionStatus, number>): string =>
  (Object.keys(DECISION_LABELS) as DecisionStatus[]).map((k) => `${DECISION_LABELS[k]} ${counts[k]}`).join('  ');

export const coreCommands: CliCommand[] = [
  {
    name: 'demo',
    summary: '生成演示学院（名单 + 扫描件 + truth.json） / generate the demo college',
    usage: 'demo --out DIR [--applicants N] [--seed S] [--list-only]',
    options: { out: { type: 'string' }, applicants: { type: 'string' }, seed: { type: 'string' }, 'list-only': { type: 'boolean' } },
    workspace: 'none',
    toCall: (o) => ({
      name: 'demo.generate',
      args: { out: str(o.out), applicants: num(o.applicants), seed: num(o.seed), listOnly: o['list-only'] === true },
    }),
    print: (v) => {
      const d = v as DemoSummary;
      return `演示学院已生成：${d.out}\n考生 ${d.applicants} 人，材料 ${d.documents} 份，预置问题 ${d.defects} 处\n名单：${d.listFile}\n附件：${d.attachmentsDir}`;
    },
  },
  {
    name: 'import',
    summary: '导入考生名单和附件 / import an applicant list and its attachments',
    usage: 'import --workspace WS --list FILE [--attachments DIR|ZIP] [--map FILE.json] [--sheet NAME] [--college NAME] [--json]',
    options: { list: { type: 'string' }, attachments: { type: 'string' }, map: { type: 'string' }, sheet: { type: 'string' } },
    workspace: 'create',
    toCall: (o) => ({
      name: 'import.run',
      args: { listPath: str(o.list), attachmentsPath: str(o.attachments), mapPath: str(o.map), sheet: str(o.sheet) },
    }),
    print: (v) => {
      const r = v as ImportReport;
      const lines = [
        `导入完成（${r.file}${r.sheet ? ` · ${r.sheet}` : ''}，${r.format}）：新增 ${r.added}，更新 ${r.updated}，未变 ${r.unchanged}，移出名单 ${r.withdrawn}，材料 ${r.documents} 份，用时 ${r.ms} ms`,
      ];
      if (r.changedSinceDecided) lines.push(`已审核后申报信息有变化：${r.changedSinceDecided} 人（已标记“审核后有变更”）`);
      if (r.normalisations.length) lines.push(`规范化 ${r.normalisations.length} 处：`, ...r.normalisations.slice(0, 20).map((n) => `  - 第${n.row}行“${n.column}”：${n.from} → ${n.to}`));
      if (r.warnings.length) lines.push(`提示 ${r.warnings.length} 条：`, ...r.warnings.slice(0, 20).map((w) => `  - ${w.file}${w.row ? ` 第${w.row}行` : ''}：${w.message}`));
      return lines.join('\n');
    },
  },
  {
    name: 'decide',
    summary: '记录审核结论 / record a decision',
    usage: 'decide --workspace WS --applicant ID_NUMBER --decision approve|reject|return [--reason CODE]... [--note TEXT] --reviewer NAME',
    options: {
      applicant: { type: 'string' }, decision: { type: 'string' }, reason: { type: 'string', multiple: true },
      note: { type: 'string' }, reviewer: { type: 'string' },
    },
    workspace: 'open',
    toCall: (o) => ({
      name: 'decisions.record',
      args: { idNumber: str(o.applicant), decision: str(o.decision), reasons: list(o.reason), note: str(o.note) ?? '', reviewer: str(o.reviewer) },
    }),
    print: (v) => {
      const { event } = v as { event: { idNumber: string; decision: DecisionStatus; at: string } };
      return `已记录：${DECISION_LABELS[event.decision]}（${event.at}）`;
    },
  },
  {
    name: 'status',
    summary: '按类别和结论统计 / counts by category and decision',
    usage: 'status --workspace WS [--json]',
    options: {},
    workspace: 'open',
    toCall: () => ({ name: 'status.summary', args: {} }),
    print: (v) => {
      const s = v as StatusSummary;
      const lines = [`共 ${s.total} 人：${statusLine(s.byDecision)}`];
      for (const c of CATEGORIES) lines.push(`  ${c.label}：${statusLine(s.byCategory[c.code])}`);
      return lines.join('\n');
    },
  },
];

export const COMMANDS: CliCommand[] = [...coreCommands, ...checkCommands, ...collegeCommands, ...exportCommands, ...hardeningCommands, ...ocrCommands, ...syncCommands];

/**
 * The CLI adapter's command table: each command maps argv to one contract call and prints the
 * result. No logic beyond that; services do the work. Areas add their commands in their own file
 * and list them in COMMANDS below.
 */
import type { ApiArgs, ApiName, ApiResult } from '../../../shared/api/index.js';
import { CATEGORIES, DECISION_LABELS, DECISIONS, type DecisionStatus } from '../../../shared/domain.js';
import { checkCommands } from './checkCommands.js';
import { collegeCommands } from './collegeCommands.js';
import { exportCommands } from './exportCommands.js';
import { hardeningCommands } from './hardeningCommands.js';
import { ocrCommands } from './ocrCommands.js';
import { syncCommands } from './syncCommands.js';
import { teamCommands } from './teamCommands.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
export type ParsedOptions = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** One command: argv to one contract call, typed by the contract for that call. */
export interface CommandOf<N extends ApiName> {
  /** e.g. 'import' or 'sync export' */
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  /** How --workspace is used: required and must exist, created when missing, or not used. */
  workspace: 'open' | 'create' | 'none';
  /** The one contract call this command makes. */
  call: N;
  /** argv to the call's arguments, as the contract types them (the dispatcher still validates them). */
  toArgs(opts: ParsedOptions, positionals: string[]): ApiArgs<N>;
  /** Human output of the call's result (the --json output is always the raw value). */
  print?(value: ApiResult<N>, opts: ParsedOptions): string;
}

/** Any command: the union over the contract, so each literal is checked against its own call. */
export type CliCommand = { [N in ApiName]: CommandOf<N> }[ApiName];

/** Wrong usage found while reading argv (exit 2 with the command's usage line). */
export class UsageError extends Error {}

/** A required option or positional: its value, or a usage error naming it. */
export function need(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`缺少 ${what}`);
  return value;
}

/** A required option whose value must be one of `allowed`. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T {
  const v = need(value, what);
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${what} 应为 ${allowed.join('|')}，而不是“${v}”`);
  return v as T;
}

/** An optional option whose value, when given, must be one of `allowed`. */
export function maybeOneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T | undefined {
  return value === undefined ? undefined : oneOf(value, allowed, what);
}

/** A required number option. */
export function needNum(value: string | undefined, what: string): number {
  const n = Number(need(value, what));
  if (!Number.isFinite(n)) throw new UsageError(`${what} 应为数字，而不是“${value}”`);
  return n;
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
    call: 'demo.generate',
    toArgs: (o) => ({ out: need(str(o.out), '--out'), applicants: num(o.applicants), seed: num(o.seed), listOnly: o['list-only'] === true }),
    print: (d) => {
      return `演示学院已生成：${d.out}\n考生 ${d.applicants} 人，材料 ${d.documents} 份，预置问题 ${d.defects} 处\n名单：${d.listFile}\n附件：${d.attachmentsDir}\n学籍照片：${d.photosDir}\n比对名单：${d.crossLists.previous}、${d.crossLists.admitted}`;
    },
  },
  {
    name: 'import',
    summary: '导入考生名单和附件 / import an applicant list and its attachments',
    usage: 'import --workspace WS --list FILE [--attachments DIR|ZIP] [--map FILE.json] [--sheet NAME] [--dry-run] [--confirm-withdraw-decided N] [--college NAME] [--json]',
    options: {
      list: { type: 'string' }, attachments: { type: 'string' }, map: { type: 'string' }, sheet: { type: 'string' },
      'dry-run': { type: 'boolean' }, 'confirm-withdraw-decided': { type: 'string' },
    },
    workspace: 'create',
    call: 'import.run',
    toArgs: (o) => ({
        listPath: need(str(o.list), '--list'), attachmentsPath: str(o.attachments), mapPath: str(o.map), sheet: str(o.sheet), dryRun: o['dry-run'] === true,
        confirmWithdrawDecided: num(o['confirm-withdraw-decided']),
      }),
    print: (r, o) => {
      const lines = [
        `${o['dry-run'] === true ? '检查完成，未写入' : '导入完成'}（${r.file}${r.sheet ? ` · ${r.sheet}` : ''}，${r.format}）：新增 ${r.added}，更新 ${r.updated}，未变 ${r.unchanged}，移出名单 ${r.withdrawn}，材料 ${r.documents} 份，用时 ${r.ms} ms`,
      ];
      if (r.withdrawnDecided) lines.push(`其中已有审核结论而被移出名单：${r.withdrawnDecided} 人${o['dry-run'] === true ? `（正式导入须加 --confirm-withdraw-decided ${r.withdrawnDecided}）` : ''}`);
      if (r.attachments) lines.push(`附件：共 ${r.attachments.files} 个文件，可对应到考生 ${r.attachments.accepted} 个`);
      if (r.changedSinceDecided) lines.push(`已审核后申报信息有变化：${r.changedSinceDecided} 人（已标记“审核后有变更”）`);
      if (r.normalisations.length) lines.push(`规范化 ${r.normalisations.length} 处：`, ...r.normalisations.slice(0, 20).map((n) => `  - 第${n.row}行“${n.column}”：${n.from} → ${n.to}`));
      if (r.warnings.length) lines.push(`提示 ${r.warnings.length} 条：`, ...r.warnings.slice(0, 20).map((w) => `  - ${w.file}${w.row ? ` 第${w.row}行` : ''}：${w.message}`));
      return lines.join('\n');
    },
  },
  {
    name: 'decide',
    summary: '记录审核结论 / record a decision',
    usage: 'decide --workspace WS --applicant ID_NUMBER --decision approve|reject|return [--reason CODE]... [--note TEXT] (--reviewer NAME | --user NAME --secret-env VAR)',
    options: {
      applicant: { type: 'string' }, decision: { type: 'string' }, reason: { type: 'string', multiple: true },
      note: { type: 'string' }, reviewer: { type: 'string' },
    },
    workspace: 'open',
    call: 'decisions.record',
    // Once accounts exist the signed-in --user decides; --reviewer, if given too, must be the same name.
    toArgs: (o) => ({ idNumber: need(str(o.applicant), '--applicant'), decision: oneOf(str(o.decision), DECISIONS, '--decision'), reasons: list(o.reason), note: str(o.note) ?? '', reviewer: need(str(o.reviewer) ?? str(o.user), '--reviewer 或 --user') }),
    print: ({ event, status }) => `已记录：${DECISION_LABELS[event.decision ?? status]}（${event.at}）`,
  },
  {
    name: 'status',
    summary: '按类别和结论统计 / counts by category and decision',
    usage: 'status --workspace WS [--json]',
    options: {},
    workspace: 'open',
    call: 'status.summary',
    toArgs: () => ({}),
    print: (s) => {
      const lines = [`共 ${s.total} 人：${statusLine(s.byDecision)}`];
      for (const c of CATEGORIES) lines.push(`  ${c.label}：${statusLine(s.byCategory[c.code])}`);
      return lines.join('\n');
    },
  },
];

export const COMMANDS: CliCommand[] = [...coreCommands, ...checkCommands, ...collegeCommands, ...exportCommands, ...hardeningCommands, ...ocrCommands, ...syncCommands, ...teamCommands];

/**
 * CLI commands of the sync area: bundles, peer workspaces, audit, conflicts, undo, history,
 * accounts and assignment. Secrets never appear on the command line: passphrase and password are
 * read from environment variables named by --passphrase-env / --secret-env (the sign-in with
 * --user happens in main.ts, before any command's call).
 */
import type { ApplicantHistory, AuditReport, ConflictItem, SyncExportReport, SyncImportReport, SyncStatus } from '../../../shared/api/index.js';
import { DECISION_LABELS } from '../../../shared/domain.js';
import { actingName, list, num, str, type CliCommand } from './commands.js';

const asOption = { by: { type: 'string' } } as const;

const label = (d: string | null): string => (d ? DECISION_LABELS[d as keyof typeof DECISION_LABELS] ?? d : DECISION_LABELS.pending);

export const syncCommands: CliCommand[] = [
  {
    name: 'sync export',
    summary: '导出同步包（加密、签名）/ write a sync bundle for another PC',
    usage: 'sync export --workspace WS --out FILE [--peer WORKSPACE_ID] [--no-scans] [--passphrase-env VAR]',
    options: { out: { type: 'string' }, peer: { type: 'string' }, 'no-scans': { type: 'boolean' }, 'passphrase-env': { type: 'string' } },
    workspace: 'open',
    toCall: (o) => ({
      name: 'sync.export',
      args: { out: str(o.out), peer: str(o.peer), noScans: o['no-scans'] === true, passphraseEnv: str(o['passphrase-env']) },
    }),
    print: (v) => {
      const r = v as SyncExportReport;
      return `同步包已写出：${r.file}（${r.bytes} 字节，事件 ${r.events} 条，扫描件 ${r.blobs} 份${r.peer ? `，对方 ${r.peer}` : '，完整包'}）`;
    },
  },
  {
    name: 'sync import',
    summary: '导入同步包 / merge a sync bundle from another PC',
    usage: 'sync import --workspace WS FILE [--passphrase-env VAR]',
    options: { 'passphrase-env': { type: 'string' } },
    workspace: 'open',
    toCall: (o, p) => ({ name: 'sync.import', args: { file: p[0], passphraseEnv: str(o['passphrase-env']) } }),
    print: (v) => {
      const r = v as SyncImportReport;
      const lines = [`已导入：新事件 ${r.eventsAdded} 条（重复 ${r.duplicates}），扫描件 ${r.blobsAdded} 份，当前冲突 ${r.conflicts} 个，用时 ${r.ms} ms`];
      for (const d of r.drift) lines.push(`  时钟偏差：工作区 ${d.origin.slice(0, 8)}… 的事件比本机时间快 ${Math.round(d.driftMs / 60000)} 分钟（${d.hlc}）`);
      return lines.join('\n');
    },
  },
  {
    name: 'sync status',
    summary: '同步状态 / what this PC has and what peers reported',
    usage: 'sync status --workspace WS [--json]',
    options: {},
    workspace: 'open',
    toCall: () => ({ name: 'sync.status', args: {} }),
    print: (v) => {
      const s = v as SyncStatus;
      return [`学院 ${s.collegeId}，本工作区 ${s.workspaceId}，冲突 ${s.conflicts} 个`, ...s.peers.map((p) => `  对方 ${p.workspaceId}：上次同步 ${p.lastBundleAt ?? '—'}`)].join('\n');
    },
  },
  {
    name: 'workspace clone',
    summary: '为另一台电脑建立同学院的工作区 / create a peer workspace for another PC',
    usage: 'workspace clone --workspace SRC --out DIR [--no-scans]',
    options: { out: { type: 'string' }, 'no-scans': { type: 'boolean' } },
    workspace: 'open',
    toCall: (o) => ({ name: 'workspace.clone', args: { out: str(o.out), noScans: o['no-scans'] === true } }),
    print: (v) => {
      const r = v as { dir: string; workspaceId: string; applicants: number; events: number };
      return `已建立：${r.dir}（工作区 ${r.workspaceId}，考生 ${r.applicants} 人，事件 ${r.events} 条）`;
    },
  },
  {
    name: 'audit verify',
    summary: '校验审核日志哈希链 / prove the event log is intact',
    usage: 'audit verify --workspace WS [--json]',
    options: {},
    workspace: 'open',
    toCall: () => ({ name: 'audit.verify', args: {} }),
    print: (v) => {
      const r = v as AuditReport;
      if (r.ok) return `审核日志完整：${r.events} 条事件，${r.origins} 台电脑的哈希链均无断裂。`;
      return [`审核日志有问题（${r.problems.length} 处）：`, ...r.problems.slice(0, 50).map((p) => `  工作区 ${p.origin.slice(0, 8)}… 第 ${p.originSeq} 条：${p.problem}`)].join('\n');
    },
  },
  {
    name: 'conflicts',
    summary: '冲突队列 / applicants with concurrent, different decisions',
    usage: 'conflicts --workspace WS [--json]',
    options: {},
    workspace: 'open',
    toCall: () => ({ name: 'conflicts.list', args: {} }),
    print: (v) => {
      const items = v as ConflictItem[];
      if (items.length === 0) return '没有未解决的冲突。';
      return items
        .map((c) => [`${c.name} ${c.idMasked}`, ...c.heads.map((h) => `  ${h.reviewer}（${h.at}）：${label(h.decision)} ${h.reasons.join(',')} ${h.note}`)].join('\n'))
        .join('\n');
    },
  },
  {
    name: 'conflicts resolve',
    summary: '裁定冲突（复核人）/ a supervisor settles a conflict',
    usage: 'conflicts resolve --workspace WS --applicant ID --decision approve|reject|return [--reason CODE]... [--note T] [--by NAME | --user NAME --secret-env VAR]',
    options: { applicant: { type: 'string' }, decision: { type: 'string' }, reason: { type: 'string', multiple: true }, note: { type: 'string' }, ...asOption },
    workspace: 'open',
    toCall: (o) => ({
      name: 'conflicts.resolve',
      args: { idNumber: str(o.applicant), decision: str(o.decision), reasons: list(o.reason), note: str(o.note) ?? '', by: actingName(o) },
    }),
  },
  {
    name: 'undo',
    summary: '撤销最近的结论 / undo the latest decision of an applicant',
    usage: 'undo --workspace WS --applicant ID (--reviewer NAME | --user NAME --secret-env VAR)',
    options: { applicant: { type: 'string' }, reviewer: { type: 'string' } },
    workspace: 'open',
    toCall: (o) => ({ name: 'decisions.undo', args: { idNumber: str(o.applicant), reviewer: str(o.reviewer) ?? str(o.user) } }),
  },
  {
    name: 'history',
    summary: '考生的完整审核记录 / full history of an applicant',
    usage: 'history --workspace WS --applicant ID [--json]',
    options: { applicant: { type: 'string' } },
    workspace: 'open',
    toCall: (o) => ({ name: 'decisions.history', args: { idNumber: str(o.applicant) } }),
    print: (v) => {
      const h = v as ApplicantHistory;
      return [
        `当前：${label(h.status === 'pending' ? null : h.status)}${h.conflict ? '（有冲突）' : ''}${h.assignedTo ? `，分配给 ${h.assignedTo}` : ''}`,
        ...h.entries.map((e) => `  ${e.at} ${e.kind} ${e.reviewer} @${e.deviceId.slice(0, 8)}：${label(e.decision)} ${e.reasons.join(',')} ${e.note}`),
      ].join('\n');
    },
  },
  {
    name: 'account create',
    summary: '新建账户（第一个须为 admin）/ create a local account',
    usage: 'account create --workspace WS --name NAME --role reviewer|supervisor|admin --new-secret-env VAR [--user ADMIN --secret-env VAR]',
    options: { name: { type: 'string' }, role: { type: 'string' }, 'new-secret-env': { type: 'string' }, ...asOption },
    workspace: 'open',
    toCall: (o) => ({
      name: 'accounts.create',
      args: { name: str(o.name), role: str(o.role), secret: process.env[str(o['new-secret-env']) ?? 'DESK_NEW_SECRET'] },
    }),
  },
  {
    name: 'assign',
    summary: '分配考生给审核员 / give a share of the queue to a reviewer',
    usage: 'assign --workspace WS --reviewer NAME [--category C] [--from-row N] [--to-row N] [--ids ID,ID] [--by NAME | --user NAME --secret-env VAR]',
    options: {
      reviewer: { type: 'string' }, category: { type: 'string' }, 'from-row': { type: 'string' }, 'to-row': { type: 'string' },
      ids: { type: 'string', multiple: true }, ...asOption,
    },
    workspace: 'open',
    toCall: (o) => ({
      name: 'assignments.set',
      args: {
        reviewer: str(o.reviewer) ?? '', category: str(o.category), fromRow: num(o['from-row']), toRow: num(o['to-row']),
        idNumbers: o.ids ? list(o.ids) : undefined, by: actingName(o),
      },
    }),
  },
];

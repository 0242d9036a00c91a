/**
 * CLI commands of the hardening area: `backup list|create|restore` and `diagnostics`.
 */
import type { BackupInfo } from '../../../shared/api/backup.js';
import { formatDiagnostics } from '../../backup/index.js';
import { need, num, str, type CliCommand } from './commands.js';

const REASON_LABELS: Record<string, string> = {
  import: '导入前', migration: '升级前', sync: '同步前', daily: '每日', manual: '手动', restore: '恢复前',
};

const backupLine = (b: BackupInfo): string =>
  `${b.id}  ${REASON_LABELS[b.reason] ?? b.reason}  ${b.at}  考生 ${b.applicants}  结论记录 ${b.decisions}  ${Math.ceil(b.size / 1024)} KB`;

export const hardeningCommands: CliCommand[] = [
  {
    name: 'backup list',
    summary: '列出工作区备份 / list the workspace backups',
    usage: 'backup list --workspace WS [--json]',
    options: {},
    workspace: 'open',
    call: 'backup.list',
    toArgs: () => ({}),
    print: (list) => {
      return list.length === 0 ? '没有备份。' : [`共 ${list.length} 份备份（最新在前）：`, ...list.map(backupLine)].join('\n');
    },
  },
  {
    name: 'backup create',
    summary: '立即备份工作区 / back up the workspace now',
    usage: 'backup create --workspace WS [--json]',
    options: {},
    workspace: 'open',
    call: 'backup.create',
    toArgs: () => ({}),
    print: (b) => `已备份：${backupLine(b)}`,
  },
  {
    name: 'backup restore',
    summary: '从备份恢复工作区（先自动备份当前状态） / restore a backup',
    usage: 'backup restore --workspace WS --id ID [--confirm-drop ACCOUNTS,DECISIONS] [--json]',
    // A restore that would drop accounts or decisions existing now names the two counts; an
    // admin repeats them with --confirm-drop to go ahead.
    options: { id: { type: 'string' }, 'confirm-drop': { type: 'string' } },
    workspace: 'open',
    call: 'backup.restore',
    toArgs: (o) => {
      const drop = /^(\d+),(\d+)$/.exec(str(o['confirm-drop'])?.trim() ?? '');
      return { id: need(str(o.id), '--id'), ...(drop ? { confirmDrop: { accounts: Number(drop[1]), decisions: Number(drop[2]) } } : {}) };
    },
    print: (r) => {
      return `已恢复到备份 ${r.restored.id}（${r.restored.at}）。${r.safety ? `恢复前的状态已备份为 ${r.safety.id}。` : ''}`;
    },
  },
  {
    name: 'diagnostics',
    summary: '诊断报告（不含考生个人信息） / diagnostics report without personal data',
    usage: 'diagnostics [--workspace WS] [--lines N] [--json]',
    options: { lines: { type: 'string' } },
    // Useful without a workspace too, and on one the desk cannot open: the handler opens the
    // folder read-only itself instead of the CLI opening (and migrating) it.
    workspace: 'none',
    call: 'diagnostics.report',
    toArgs: (o) => ({ logLines: num(o.lines), workspace: str(o.workspace) }),
    print: formatDiagnostics,
  },
];

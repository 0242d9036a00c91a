/**
 * CLI commands of the eligibility checks: `check` (run and print findings and totals) and
 * `import-previous` (the province's list of last year's examinees).
 */

import { SEVERITIES, type Severity } from '../../../shared/checks/types.js';
import { need, oneOf, str, type CliCommand } from './commands.js';

const MARK: Record<Severity, string> = { error: '✖ 错误', warning: '▲ 提示', info: '· 信息' };

export const checkCommands: CliCommand[] = [
  {
    name: 'check',
    summary: '运行资格检查并列出问题 / run the eligibility checks, print findings and totals',
    usage: 'check --workspace WS [--severity error|warning|info] [--json]',
    options: { severity: { type: 'string' } },
    workspace: 'open',
    call: 'checks.report',
    toArgs: (o) => ({ rerun: true, ...(str(o.severity) ? { severity: oneOf(str(o.severity), SEVERITIES, '--severity') } : {}) }),
    print: (r) => {
      const lines: string[] = [];
      for (const a of r.applicants) {
        lines.push(`第 ${a.rowNo} 行  ${a.name}  ${a.idMasked}`);
        for (const x of a.results) lines.push(`    ${MARK[x.severity]}  [${x.checkId}] ${x.message}`);
      }
      const s = r.summary;
      lines.push(
        '',
        `规则 ${s.rulesVersion}；考生 ${s.applicants} 人：有错误 ${s.withSeverity.error} 人，有提示 ${s.withSeverity.warning} 人，有信息 ${s.withSeverity.info} 人`,
      );
      const ids = Object.keys(s.byCheck).sort((x, y) => (s.byCheck[y]?.applicants ?? 0) - (s.byCheck[x]?.applicants ?? 0));
      for (const id of ids) {
        const c = s.byCheck[id];
        if (c) lines.push(`  ${MARK[c.severity]}  ${id.padEnd(26)} ${String(c.applicants).padStart(5)} 人  ${s.titles[id]?.title ?? ''}`);
      }
      return lines.join('\n');
    },
  },
  {
    name: 'import-previous',
    summary: '导入上年专升本考生名单 / import last year\'s examinee list (xlsx/csv of ID numbers)',
    usage: 'import-previous --workspace WS --list FILE [--json]',
    options: { list: { type: 'string' } },
    workspace: 'open',
    call: 'previous.import',
    toArgs: (o) => ({ listPath: need(str(o.list), '--list') }),
    print: (r) => {
      const lines = [`已导入上年考生名单（${r.file}）：身份证号 ${r.listed} 个，其中本校考生 ${r.matched} 人已标记为“上年已参加专升本考试”。`];
      if (r.rejected.length) lines.push(`未导入 ${r.rejected.length} 个：`, ...r.rejected.slice(0, 20).map((x) => `  - ${x.value}：${x.problem}`));
      if (r.invalid.length) lines.push(`未通过校验但已按原样导入 ${r.invalid.length} 个：`, ...r.invalid.slice(0, 20).map((x) => `  - ${x.value}：${x.problem}`));
      return lines.join('\n');
    },
  },
];

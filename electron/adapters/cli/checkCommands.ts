/**
 * CLI commands of the eligibility checks: `check` (run and print findings and totals),
 * `import-previous` (the province's list of last year's examinees), `import-list` (any
 * cross-check list by kind), `lists` (the lists in force) and `check-photos` (the college's photo
 * folder against the list).
 */
import { CROSS_LIST_KINDS } from '../../../shared/checks/lists.js';
import { PHOTO_PROBLEM_LABELS } from '../../../shared/checks/photos.js';
import type { CrossListImportReport } from '../../../shared/api/checks.js';
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
    usage: 'import-previous --workspace WS --list FILE [--by NAME] [--json]',
    options: { list: { type: 'string' }, by: { type: 'string' } },
    workspace: 'open',
    call: 'previous.import',
    toArgs: (o) => ({ listPath: need(str(o.list), '--list'), ...by(o) }),
    print: printListImport,
  },
  {
    name: 'import-list',
    summary: '导入比对名单（上年考生 previous / 上半年已录取 admitted） / import a cross-check list of ID numbers',
    usage: `import-list --workspace WS --kind ${CROSS_LIST_KINDS.join('|')} --list FILE [--by NAME] [--json]`,
    options: { kind: { type: 'string' }, list: { type: 'string' }, by: { type: 'string' } },
    workspace: 'open',
    call: 'lists.import',
    toArgs: (o) => ({ kind: oneOf(str(o.kind), CROSS_LIST_KINDS, '--kind'), listPath: need(str(o.list), '--list'), ...by(o) }),
    print: printListImport,
  },
  {
    name: 'lists',
    summary: '列出生效的比对名单 / show the cross-check lists in force',
    usage: 'lists --workspace WS [--json]',
    options: {},
    workspace: 'open',
    call: 'lists.status',
    toArgs: () => ({}),
    print: (v) => v.map((l) => (l.imported
      ? `${l.label}：${l.file}，${l.listed} 个身份证号，本校考生 ${l.matched} 人${l.by ? `（${l.by} 于 ${l.at} 导入）` : ''}${l.synced ? '' : '（仅本机，未随同步传送）'}`
      : `${l.label}：未导入`)).join('\n'),
  },
  {
    name: 'check-photos',
    summary: '核对学籍照片文件夹（每人一张、格式、像素、大小、是否证件照） / check the photo folder against the list',
    usage: 'check-photos --workspace WS --folder DIR [--report FILE.xlsx] [--json]',
    options: { folder: { type: 'string' }, report: { type: 'string' } },
    workspace: 'open',
    call: 'checks.photos',
    toArgs: (o) => ({ folder: need(str(o.folder), '--folder'), ...(str(o.report) ? { reportPath: str(o.report) } : {}) }),
    print: (r) => {
      const lines = [`照片 ${r.files} 个，考生 ${r.applicants} 人，照片合格 ${r.ok} 人；有问题 ${r.rows.length} 项：`];
      for (const row of r.rows) {
        const who = row.rowNo === null ? `（名单外）${row.files.join('、')}` : `第 ${row.rowNo} 行  ${row.name}  ${row.idNumber}`;
        lines.push(who, ...row.problems.map((p) => `    ${PHOTO_PROBLEM_LABELS[p.code]}：${p.message} → ${p.fix}`));
      }
      if (r.reportFile) lines.push('', `报告：${r.reportFile}`);
      return lines.join('\n');
    },
  },
];

/** --by NAME, when given: who imported the list (shown on every PC). */
function by(o: Record<string, unknown>): { by?: string } {
  const v = str(o.by);
  return v ? { by: v } : {};
}

function printListImport(r: CrossListImportReport): string {
  const lines = [`已导入${r.label}（${r.file}）：身份证号 ${r.listed} 个，其中本校考生 ${r.matched} 人已标记。名单随同步传送到其他电脑。`];
  if (r.rejected.length) lines.push(`未导入 ${r.rejected.length} 个：`, ...r.rejected.slice(0, 20).map((x) => `  - ${x.value}：${x.problem}`));
  if (r.invalid.length) lines.push(`未通过校验但已按原样导入 ${r.invalid.length} 个：`, ...r.invalid.slice(0, 20).map((x) => `  - ${x.value}：${x.problem}`));
  return lines.join('\n');
}

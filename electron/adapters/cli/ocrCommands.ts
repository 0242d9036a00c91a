/**
 * CLI command of the OCR area: `ocr` reads every unread scan (or one applicant's) and prints
 * what disagrees with the declared data. Readings are cached, so a second run is instant.
 */

import { documentKindLabel } from '../../../shared/domain.js';
import { maskId } from '../../../shared/idcard.js';
import { str, type CliCommand } from './commands.js';

const STATUS_LABEL = { agree: '一致', differ: '不一致', unsure: '存疑', missing: '未找到', unchecked: '未申报' } as const;

export const ocrCommands: CliCommand[] = [
  {
    name: 'ocr',
    summary: '识别扫描件并与申报信息核对 / OCR the scans and cross-check the declared data',
    usage: 'ocr --workspace WS [--applicant ID_NUMBER] [--all-fields] [--json]',
    options: { applicant: { type: 'string' }, 'all-fields': { type: 'boolean' } },
    workspace: 'open',
    call: 'ocr.run',
    toArgs: (o) => (str(o.applicant) ? { idNumber: str(o.applicant) } : {}),
    print: (r, o) => {
      const all = o['all-fields'] === true;
      const lines = [
        `识别完成：材料 ${r.documents} 份（新识别 ${r.read}，缓存 ${r.cached}），OCR ${r.pages} 页，用时 ${(r.ms / 1000).toFixed(1)} s`,
        `字段：一致 ${r.byStatus.agree}，不一致 ${r.byStatus.differ}，存疑 ${r.byStatus.unsure}，未找到 ${r.byStatus.missing}，未申报 ${r.byStatus.unchecked}`,
      ];
      for (const d of r.documentsView) {
        const shown = d.fields.filter((f) => all || f.status === 'differ' || f.status === 'unsure' || f.status === 'missing');
        if (d.state === 'failed') lines.push(`  ${maskId(d.idNumber)} ${d.originalName}（${documentKindLabel(d.kind)}）：${d.problem}`);
        for (const f of shown) {
          const rot = d.pages.find((p) => p.page === f.page)?.rotation ?? 0;
          lines.push(
            `  ${maskId(d.idNumber)} ${d.originalName} ${f.label}：${STATUS_LABEL[f.status]}` +
              (f.status === 'differ' || f.status === 'unsure' ? `（扫描件「${f.found}」，申报「${f.declared}」）` : '') +
              (f.note ? `（${f.note}）` : '') +
              (rot ? ` [已旋转 ${rot}°]` : ''),
          );
        }
      }
      return lines.join('\n');
    },
  },
];

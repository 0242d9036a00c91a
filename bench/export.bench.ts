/**
 * Export of 2,000 decided exempt applicants: XLSX + PDF + certificate signature + signed manifest,
 * against exceljs writing the same rows without any styling in the same run (the floor any
 * spreadsheet export pays). Goal: < 5 s for the whole export, PDF < 3 MB.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { runExport } from '../electron/export/exportService.js';
import { buildTable } from '../electron/export/tableData.js';
import { loadTemplate } from '../electron/export/templates.js';
import { addApplicants, makeP12, nameFor, type ApplicantSpec } from '../test/unit/export/fixtures.js';
import { openWorkspace } from '../electron/workspace/workspace.js';
import type { BenchContext, BenchRecord } from './types.js';

export default async function run(ctx: BenchContext): Promise<BenchRecord[]> {
  const n = Math.min(2000, ctx.applicants);
  const ws = openWorkspace(join(ctx.tmp, 'ws'), { create: true, college: '湖南交通职业技术学院' });
  try {
    const specs: ApplicantSpec[] = Array.from({ length: n }, (_, i) => ({
      name: nameFor(i),
      category: i % 2 === 0 ? 'veteran' : 'competition',
      decision: i % 9 === 4 ? 'reject' : 'approve',
      reasons: i % 9 === 4 ? ['missing_docs'] : [],
      note: i % 50 === 7 ? '退役证扫描件为部队出具的证明，经电话核实后确认退役时间，考生表示理解并将按普通计划报考' : '',
    }));
    await addApplicants(ws, specs);
    const p12 = makeP12(ctx.tmp);

    // Warm-up (font files read once per process, module code compiled) so both figures are steady.
    await runExport(ws, 'bench', { table: 'exempt', out: join(ctx.tmp, 'warm'), draft: true });

    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const r = await runExport(ws, 'bench', { table: 'exempt', out: join(ctx.tmp, 'out'), p12Path: p12.path, passphrase: p12.passphrase, draft: false });
    const exportMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    // The bench machine is shared; CPU time shows the work when wall time is inflated by load.
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const pdf = r.files.find((f) => f.name.endsWith('.pdf'));
    const xlsx = r.files.find((f) => f.name.endsWith('.xlsx'));
    const pdfBytes = pdf ? statSync(join(r.dir, pdf.name)).size : 0;

    // Baseline: the same cells, plain exceljs, no styles, no merge, no page setup.
    const data = buildTable(ws, loadTemplate('exempt'), { draft: false, exportedAt: new Date() });
    const t1 = performance.now();
    const wb = new ExcelJS.Workbook();
    for (const s of data.sections) {
      const sheet = wb.addWorksheet(s.title);
      sheet.addRow(s.columns.map((c) => c.header));
      for (const row of s.rows) sheet.addRow(row);
    }
    await wb.xlsx.writeFile(join(ctx.tmp, 'plain.xlsx'));
    const plainMs = performance.now() - t1;

    return [
      {
        name: `export.exempt.${n}.xlsx+pdf+sign`,
        value: exportMs,
        unit: 'ms',
        baseline: { name: 'exceljs plain rows', value: plainMs },
        ratio: exportMs / plainMs,
        goal: '< 5000 ms',
        met: exportMs < 5000,
        notes: `${r.rows} rows; CPU ${cpuMs.toFixed(0)} ms; xlsx ${xlsx?.size ?? 0} B`,
      },
      { name: `export.exempt.${n}.pdf.size`, value: pdfBytes / 2 ** 20, unit: 'MiB', goal: '< 3 MiB', met: pdfBytes < 3 * 2 ** 20 },
    ];
  } finally {
    ws.close();
  }
}

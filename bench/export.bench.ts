/**
 * Export of 2,000 decided exempt applicants: XLSX + PDF + certificate signature + 报送函 + signed
 * manifest, against exceljs writing the same rows without any styling in the same run (the floor
 * any spreadsheet export pays). Goal: < 5 s for the whole export, PDF < 3 MB. Then the same table
 * at 3,000 rows (a large college's whole list), with its pages and size.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { runExport } from '../electron/export/exportService.js';
import { buildTable } from '../electron/export/tableData.js';
import { loadTemplate } from '../electron/export/templates.js';
import { setCollegeSettings } from '../electron/college/index.js';
import { addApplicants, makeP12, nameFor, TEST_COLLEGE_CODE, type ApplicantSpec } from '../test/unit/export/fixtures.js';
import { openWorkspace } from '../electron/workspace/workspace.js';
import type { BenchContext, BenchRecord } from './types.js';

export default async function run(ctx: BenchContext): Promise<BenchRecord[]> {
  const n = Math.min(2000, ctx.applicants);
  const ws = openWorkspace(join(ctx.tmp, 'ws'), { create: true, college: '湖南交通职业技术学院' });
  try {
    // A final export needs the college's 学校代码.
    setCollegeSettings(ws, 'bench', { code: TEST_COLLEGE_CODE }, 'bench');
    const spec = (i: number): ApplicantSpec => ({
      name: nameFor(i),
      category: i % 2 === 0 ? 'veteran' : 'competition',
      decision: i % 9 === 4 ? 'reject' : 'approve',
      reasons: i % 9 === 4 ? ['missing_docs'] : [],
      note: i % 50 === 7 ? '退役证扫描件为部队出具的证明，经电话核实后确认退役时间，考生表示理解并将按普通计划报考' : '',
    });
    await addApplicants(ws, Array.from({ length: n }, (_, i) => spec(i)));
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
      ...(await bigger(ws, n, spec, p12, ctx)),
    ];
  } finally {
    ws.close();
  }
}

/** The same table at 3,000 rows: time, pages and size of everything written. */
async function bigger(ws: ReturnType<typeof openWorkspace>, n: number, spec: (i: number) => ApplicantSpec, p12: ReturnType<typeof makeP12>, ctx: BenchContext): Promise<BenchRecord[]> {
  const big = 3000;
  if (ctx.applicants < big || n >= big) return [];
  await addApplicants(ws, Array.from({ length: big - n }, (_, k) => spec(n + k)));
  const t0 = performance.now();
  const r = await runExport(ws, 'bench', { table: 'exempt', out: join(ctx.tmp, 'out3000'), p12Path: p12.path, passphrase: p12.passphrase, draft: false });
  const ms = performance.now() - t0;
  const size = r.files.reduce((s, f) => s + f.size, 0);
  return [{
    name: `export.exempt.${big}.xlsx+pdf+letter+sign`, value: ms, unit: 'ms', goal: '< 7500 ms', met: ms < 7500,
    notes: `${r.rows} rows; ${r.pages} PDF pages; ${(size / 2 ** 20).toFixed(2)} MiB in ${r.files.length} files (${r.files.map((f) => `${(f.size / 1024).toFixed(0)} KB`).join(' + ')})`,
  }];
}

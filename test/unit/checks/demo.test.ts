/**
 * The checks against the demo college's truth: every defect that data and files can reveal must
 * be found (OCR-only defects aside), and no applicant without a defect may get an error.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../../electron/demo/generate.js';
import type { DemoTruth, DefectType } from '../../../electron/demo/model.js';
import { allResults } from '../../../electron/checks/index.js';
import { importList } from '../../../electron/applicants/importService.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import type { CheckResult } from '../../../shared/checks/types.js';

/** Which check must fire for each defect type; null = needs OCR of the scan, not detectable here. */
const EXPECTED: Record<DefectType, string[] | null> = {
  name_on_scan_differs: null,
  id_on_scan_differs: null,
  invalid_check_digit: ['id_check_digit'],
  missing_scan: ['doc_missing', 'doc_unit_cert_missing'],
  discharge_after_cutoff: ['veteran_discharge_window'],
  duplicate_phone: ['duplicate_phone'],
  duplicate_scan: ['duplicate_scan'],
  blank_scan: ['doc_blank'],
  corrupt_scan: ['doc_corrupt'],
};

let dir: string;
let ws: Workspace;
let truth: DemoTruth;
let results: Map<string, CheckResult[]>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desk-'));
  const demo = await generateDemo({ out: join(dir, 'demo'), applicants: 120, seed: 11 });
  truth = JSON.parse(readFileSync(join(demo.out, 'truth.json'), 'utf8')) as DemoTruth;
  ws = openWorkspace(join(dir, 'ws'), { create: true, college: truth.college });
  // importList runs the checks itself once its transaction has committed.
  await importList(ws, { listPath: demo.listFile, attachmentsPath: demo.attachmentsDir });
  results = allResults(ws);
}, 300_000);

afterAll(() => {
  ws?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('checks on the demo college (120 applicants, seed 11)', () => {
  it('find every defect detectable from data and files, and give no error to a clean applicant', () => {
    const detectable = truth.defects.filter((d) => EXPECTED[d.type] !== null);
    const missed = detectable.filter((d) => !(results.get(d.idNumber) ?? []).some((r) => EXPECTED[d.type]?.includes(r.checkId)));
    const defective = new Set(truth.defects.map((d) => d.idNumber));
    const errors = [...results].flatMap(([id, rs]) => rs.filter((r) => r.severity === 'error').map((r) => ({ id, r })));
    const explained = (id: string, checkId: string): boolean =>
      truth.defects.some((d) => d.idNumber === id && (EXPECTED[d.type] ?? []).includes(checkId));
    const falseErrors = errors.filter((e) => !explained(e.id, e.r.checkId));
    const cleanWithErrors = errors.filter((e) => !defective.has(e.id));
    const warnings = [...results].flatMap(([id, rs]) => rs.filter((r) => r.severity === 'warning').map((r) => ({ id, checkId: r.checkId })));
    const figures = {
      defects: truth.defects.length,
      detectable: detectable.length,
      found: detectable.length - missed.length,
      recall: (detectable.length - missed.length) / detectable.length,
      errorFindings: errors.length,
      errorPrecision: (errors.length - falseErrors.length) / errors.length,
      applicantsWithErrors: new Set(errors.map((e) => e.id)).size,
      warnings: warnings.length,
      warningsByCheck: Object.fromEntries([...new Set(warnings.map((w) => w.checkId))].map((c) => [c, warnings.filter((w) => w.checkId === c).length])),
    };
    process.stdout.write(`demo check figures: ${JSON.stringify(figures)}\n`);
    expect(detectable.length).toBeGreaterThanOrEqual(7);
    expect(missed).toEqual([]);
    expect(cleanWithErrors).toEqual([]);
    expect(falseErrors.map((e) => `${e.id} ${e.r.checkId} ${e.r.message}`)).toEqual([]);
  });

  it('stores the results where the queue filter reads them', () => {
    const n = ws.db.prepare("SELECT COUNT(DISTINCT id_number) FROM check_results WHERE severity = 'error'").pluck().get() as number;
    expect(n).toBe(new Set([...results].filter(([, rs]) => rs.some((r) => r.severity === 'error')).map(([id]) => id)).size);
    expect(n).toBeGreaterThan(0);
  });
});

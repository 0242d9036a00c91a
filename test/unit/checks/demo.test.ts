/**
 * The checks against the demo college's truth: every defect that data and files can reveal must
 * be found (OCR-only defects aside), and no applicant without a defect may get an error. The
 * province's cross-check lists of the demo are imported, and its photo folder is checked: every
 * photo defect must show up in the photo report, and no other photo may be reported.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../../electron/demo/generate.js';
import { PHOTO_DEFECTS, type DemoTruth, type DefectType, type PhotoDefect } from '../../../electron/demo/model.js';
import { allResults, checkPhotos, importCrossList } from '../../../electron/checks/index.js';
import { importList } from '../../../electron/applicants/importService.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import type { PhotoCheckReport } from '../../../shared/api/checks.js';
import type { PhotoProblemCode } from '../../../shared/checks/photos.js';
import type { CheckResult } from '../../../shared/checks/types.js';

/** Which check must fire for each defect type; null = needs OCR of the scan, not detectable here. */
const EXPECTED: Record<Exclude<DefectType, PhotoDefect>, string[] | null> = {
  name_on_scan_differs: null,
  id_on_scan_differs: null,
  invalid_check_digit: ['id_check_digit'],
  missing_scan: ['doc_missing', 'doc_unit_cert_missing'],
  discharge_after_cutoff: ['veteran_discharge_window'],
  duplicate_phone: ['duplicate_phone'],
  duplicate_scan: ['duplicate_scan'],
  blank_scan: ['doc_blank'],
  corrupt_scan: ['doc_corrupt'],
  medical_major_mismatch: ['medical_major'],
  craft_dates_invalid: ['craft_dates'],
  craft_level_invalid: ['craft_contest_level'],
  previous_examinee: ['previous_exam'],
  admitted_other_plan: ['admitted_other_plan'],
};

/** Which problem of the photo report each photo defect must produce. */
const PHOTO_EXPECTED: Record<PhotoDefect, PhotoProblemCode> = {
  photo_missing: 'missing',
  photo_duplicate: 'duplicate',
  photo_wrong_type: 'wrong_type',
  photo_wrong_pixels: 'wrong_pixels',
  photo_too_large: 'too_large',
  photo_not_portrait: 'not_portrait',
};

const isPhoto = (t: DefectType): t is PhotoDefect => (PHOTO_DEFECTS as readonly DefectType[]).includes(t);
const expectedChecks = (t: DefectType): string[] | null => (isPhoto(t) ? null : EXPECTED[t]);

let dir: string;
let ws: Workspace;
let truth: DemoTruth;
let results: Map<string, CheckResult[]>;
let photos: PhotoCheckReport;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desk-'));
  const demo = await generateDemo({ out: join(dir, 'demo'), applicants: 120, seed: 11 });
  truth = JSON.parse(readFileSync(join(demo.out, 'truth.json'), 'utf8')) as DemoTruth;
  ws = openWorkspace(join(dir, 'ws'), { create: true, college: truth.college });
  // importList runs the checks itself once its transaction has committed; so do the list imports.
  await importList(ws, { listPath: demo.listFile, attachmentsPath: demo.attachmentsDir });
  await importCrossList(ws, 'previous', demo.crossLists.previous, { by: '教务处', deviceId: 'demo-test' });
  await importCrossList(ws, 'admitted', demo.crossLists.admitted, { by: '教务处', deviceId: 'demo-test' });
  results = allResults(ws);
  photos = await checkPhotos(ws, demo.photosDir);
}, 300_000);

afterAll(() => {
  ws?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('checks on the demo college (120 applicants, seed 11)', () => {
  it('find every defect detectable from data and files, and give no error to a clean applicant', () => {
    const detectable = truth.defects.filter((d) => expectedChecks(d.type) !== null);
    const missed = detectable.filter((d) => !(results.get(d.idNumber) ?? []).some((r) => expectedChecks(d.type)?.includes(r.checkId)));
    // Photo defects live in the photo folder, not in the list or the scans: they explain no finding.
    const defective = new Set(truth.defects.filter((d) => !isPhoto(d.type)).map((d) => d.idNumber));
    const errors = [...results].flatMap(([id, rs]) => rs.filter((r) => r.severity === 'error').map((r) => ({ id, r })));
    const explained = (id: string, checkId: string): boolean =>
      truth.defects.some((d) => d.idNumber === id && (expectedChecks(d.type) ?? []).includes(checkId));
    const falseErrors = errors.filter((e) => !explained(e.id, e.r.checkId));
    const cleanWithErrors = errors.filter((e) => !defective.has(e.id));
    const warnings = [...results].flatMap(([id, rs]) => rs.filter((r) => r.severity === 'warning').map((r) => ({ id, checkId: r.checkId })));
    const byType = Object.fromEntries([...new Set(detectable.map((d) => d.type))].map((t) => {
      const all = detectable.filter((d) => d.type === t);
      return [t, `${all.length - missed.filter((d) => d.type === t).length}/${all.length}`];
    }));
    const figures = {
      defects: truth.defects.length,
      detectable: detectable.length,
      found: detectable.length - missed.length,
      recall: (detectable.length - missed.length) / detectable.length,
      errorFindings: errors.length,
      errorPrecision: (errors.length - falseErrors.length) / errors.length,
      applicantsWithErrors: new Set(errors.map((e) => e.id)).size,
      foundByType: byType,
      warnings: warnings.length,
      warningsByCheck: Object.fromEntries([...new Set(warnings.map((w) => w.checkId))].map((c) => [c, warnings.filter((w) => w.checkId === c).length])),
    };
    process.stdout.write(`demo check figures: ${JSON.stringify(figures)}\n`);
    expect(detectable.length).toBeGreaterThanOrEqual(12);
    for (const t of Object.keys(EXPECTED) as (keyof typeof EXPECTED)[]) {
      if (EXPECTED[t] !== null) expect(detectable.some((d) => d.type === t), t).toBe(true);
    }
    expect(missed).toEqual([]);
    expect(cleanWithErrors).toEqual([]);
    expect(falseErrors.map((e) => `${e.id} ${e.r.checkId} ${e.r.message}`)).toEqual([]);
  });

  it('find every photo defect in the photo report, and report no other photo', () => {
    const defects = truth.defects.filter((d) => isPhoto(d.type));
    const problems = photos.rows.flatMap((r) => r.problems.map((p) => ({ id: r.idNumber, code: p.code })));
    const missed = defects.filter((d) => !problems.some((p) => p.id === d.idNumber && p.code === PHOTO_EXPECTED[d.type as PhotoDefect]));
    const unexplained = problems.filter((p) => !defects.some((d) => d.idNumber === p.id && PHOTO_EXPECTED[d.type as PhotoDefect] === p.code));
    const figures = {
      photoDefects: defects.length,
      found: defects.length - missed.length,
      recall: (defects.length - missed.length) / defects.length,
      problems: problems.length,
      precision: (problems.length - unexplained.length) / problems.length,
      applicants: photos.applicants,
      files: photos.files,
      ok: photos.ok,
      ms: photos.ms,
    };
    process.stdout.write(`demo photo figures: ${JSON.stringify(figures)}\n`);
    expect(new Set(defects.map((d) => d.type))).toEqual(new Set(PHOTO_DEFECTS));
    expect(missed).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(photos.ok).toBe(photos.applicants - defects.length);
  });

  it('stores the results where the queue filter reads them', () => {
    const n = ws.db.prepare("SELECT COUNT(DISTINCT id_number) FROM check_results WHERE severity = 'error'").pluck().get() as number;
    expect(n).toBe(new Set([...results].filter(([, rs]) => rs.some((r) => r.severity === 'error')).map(([id]) => id)).size);
    expect(n).toBeGreaterThan(0);
  });
});

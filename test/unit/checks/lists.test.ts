/**
 * Cross-check lists (上年考生, 上半年已被其他计划录取): imported from xlsx/CSV of ID numbers,
 * each a `crosslist` event of the log, flagged by its own check with its own suggested reason,
 * carried to the other PCs by a sync bundle (the latest list per kind wins), and the pre-issue-17
 * previous-year table still counting until a list of that kind arrives as an event.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { getResults } from '../../../electron/checks/index.js';
import { buildBundle, eventsOfKind, mergeBundle } from '../../../electron/sync/index.js';
import type { CheckResult } from '../../../shared/checks/types.js';
import { collegeOf, deskOf, workspaceWith, type TestWorkspace } from '../../fixtures/workspace.js';

const PW = '同步口令-2024';
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const ids = (rs: readonly CheckResult[]): string[] => rs.map((r) => r.checkId).filter((c) => c === 'previous_exam' || c === 'admitted_other_plan');

async function xlsxOf(path: string, title: string, values: (string | number)[]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('名单');
  sheet.addRow([title]);
  sheet.addRow(['序号', '姓名', '身份证号', '录取院校']);
  values.forEach((v, i) => sheet.addRow([i + 1, '某考生', v, '某本科学院']));
  await wb.xlsx.writeFile(path);
  return path;
}

async function open(n: number): Promise<TestWorkspace> {
  const t = await workspaceWith(n, { checks: true });
  cleanups.push(t.close);
  return t;
}

describe('the list of applicants admitted in the first half through another plan', () => {
  it('imports through the contract, flags with its own check and reason, and the reason can be picked', async () => {
    const t = await open(5);
    const call = deskOf(t.ws);
    const file = await xlsxOf(join(t.root, '上半年已录取名单.xlsx'), '2024年上半年已录取考生名单', [t.ids[1] ?? '', '4.30102200304160E+17']);
    const r = await call('lists.import', { kind: 'admitted', listPath: file, by: '王老师' });
    expect(r.ok && r.value).toMatchObject({ kind: 'admitted', label: '上半年已被其他计划录取考生名单', file: '上半年已录取名单.xlsx', listed: 1, matched: 1 });
    expect(r.ok && r.value.rejected.map((x) => x.value)).toEqual(['4.30102200304160E+17']);

    const found = (await getResults(t.ws, t.ids[1] ?? '')).find((x) => x.checkId === 'admitted_other_plan');
    expect(found).toMatchObject({ severity: 'error', suggestedReason: 'admitted_other_plan', field: 'idNumber' });
    expect(ids(await getResults(t.ws, t.ids[0] ?? ''))).toEqual([]);

    const catalogue = await call('review.reasons.catalogue', {});
    expect(catalogue.ok && catalogue.value.find((x) => x.code === 'admitted_other_plan')).toMatchObject({ label: '上半年已通过其他计划录取', retired: false });
    const decided = await call('decisions.record', { idNumber: t.ids[1] ?? '', decision: 'reject', reasons: ['admitted_other_plan'], reviewer: '王老师' });
    expect(decided.ok).toBe(true);

    const status = await call('lists.status', {});
    expect(status.ok && status.value.map((l) => [l.kind, l.imported, l.listed, l.matched, l.by, l.synced])).toEqual([
      ['previous', false, 0, 0, '', false],
      ['admitted', true, 1, 1, '王老师', true],
    ]);
    const event = eventsOfKind(t.ws.db, ['crosslist'])[0];
    expect(event?.payload).toEqual({ list: 'admitted', file: '上半年已录取名单.xlsx', ids: [t.ids[1]] });
    expect(event?.reviewer).toBe('王老师');
  });

  it('keeps the two lists apart: replacing one leaves the other in force', async () => {
    const t = await open(4);
    const call = deskOf(t.ws);
    writeFileSync(join(t.root, 'prev.csv'), `身份证号\n${t.ids[0]}\n`);
    writeFileSync(join(t.root, 'adm.csv'), `身份证号\n${t.ids[1]}\n${t.ids[2]}\n`);
    expect((await call('previous.import', { listPath: join(t.root, 'prev.csv') })).ok).toBe(true);
    expect((await call('lists.import', { kind: 'admitted', listPath: join(t.root, 'adm.csv') })).ok).toBe(true);
    writeFileSync(join(t.root, 'adm2.csv'), `身份证号\n${t.ids[2]}\n`);
    expect((await call('lists.import', { kind: 'admitted', listPath: join(t.root, 'adm2.csv') })).ok).toBe(true);
    const flags = await Promise.all(t.ids.map(async (id) => ids(await getResults(t.ws, id))));
    expect(flags).toEqual([['previous_exam'], [], ['admitted_other_plan'], []]);
  });

  it('refuses a file without ID numbers and an unknown kind', async () => {
    const t = await open(2);
    const call = deskOf(t.ws);
    writeFileSync(join(t.root, 'none.csv'), '姓名\n张三\n');
    const none = await call('lists.import', { kind: 'admitted', listPath: join(t.root, 'none.csv') });
    expect(none.ok ? '' : none.error.code).toBe('import_refused');
    const bad = await call('lists.import', { kind: 'expelled' as 'admitted', listPath: join(t.root, 'none.csv') });
    expect(bad.ok ? '' : bad.error.code).toBe('invalid_args');
    expect(eventsOfKind(t.ws.db, ['crosslist'])).toEqual([]);
  });
});

describe('lists travel with the log', () => {
  it('reaches the other PC in a bundle; the latest list of a kind wins on both', async () => {
    const c = await collegeOf(2, 4, { checks: true });
    cleanups.push(c.close);
    const [pc0, pc1] = c.pcs as [NonNullable<(typeof c.pcs)[0]>, NonNullable<(typeof c.pcs)[1]>];
    writeFileSync(join(c.root, 'adm.csv'), `${c.ids[1]}\n`);
    expect((await deskOf(pc0, 'pc0')('lists.import', { kind: 'admitted', listPath: join(c.root, 'adm.csv') })).ok).toBe(true);
    expect(ids(await getResults(pc1, c.ids[1] ?? ''))).toEqual([]);

    mergeBundle(pc1, buildBundle(pc0, 'pc0', { peer: pc1.workspaceId, noScans: true, passphrase: PW }).bytes, PW);
    // The stamp of the stored results names the list in force: the merge makes them stale.
    expect(ids(await getResults(pc1, c.ids[1] ?? ''))).toEqual(['admitted_other_plan']);

    writeFileSync(join(c.root, 'adm2.csv'), `${c.ids[3]}\n`);
    expect((await deskOf(pc1, 'pc1')('lists.import', { kind: 'admitted', listPath: join(c.root, 'adm2.csv') })).ok).toBe(true);
    mergeBundle(pc0, buildBundle(pc1, 'pc1', { peer: pc0.workspaceId, noScans: true, passphrase: PW }).bytes, PW);
    for (const pc of [pc0, pc1]) {
      expect(ids(await getResults(pc, c.ids[1] ?? ''))).toEqual([]);
      expect(ids(await getResults(pc, c.ids[3] ?? ''))).toEqual(['admitted_other_plan']);
    }
  });
});

describe('the previous-year list from before lists were events', () => {
  it('still counts (this PC only) until a list of that kind is imported', async () => {
    const t = await open(3);
    // What a desk before issue 17 wrote (the checks area owns the table).
    t.ws.db.prepare("INSERT INTO previous_examinees (id_number, source, imported_at) VALUES (?, '2023名单.xlsx', '2024-02-01T00:00:00.000Z')").run(t.ids[0]);
    expect(ids(await getResults(t.ws, t.ids[0] ?? ''))).toEqual(['previous_exam']);
    const call = deskOf(t.ws);
    const before = await call('lists.status', {});
    expect(before.ok && before.value[0]).toMatchObject({ kind: 'previous', imported: true, file: '2023名单.xlsx', listed: 1, synced: false });
    writeFileSync(join(t.root, 'prev.csv'), `${t.ids[2]}\n`);
    expect((await call('previous.import', { listPath: join(t.root, 'prev.csv') })).ok).toBe(true);
    expect(ids(await getResults(t.ws, t.ids[0] ?? ''))).toEqual([]);
    expect(ids(await getResults(t.ws, t.ids[2] ?? ''))).toEqual(['previous_exam']);
  });

  it('becomes an event when the PC next syncs, and reaches the others', async () => {
    const c = await collegeOf(2, 3, { checks: true });
    cleanups.push(c.close);
    const [pc0, pc1] = c.pcs as [NonNullable<(typeof c.pcs)[0]>, NonNullable<(typeof c.pcs)[1]>];
    pc0.db.prepare("INSERT INTO previous_examinees (id_number, source, imported_at) VALUES (?, '2023名单.xlsx', '2024-02-01T00:00:00.000Z')").run(c.ids[1]);
    mergeBundle(pc1, buildBundle(pc0, 'pc0', { peer: pc1.workspaceId, noScans: true, passphrase: PW }).bytes, PW);
    for (const pc of [pc0, pc1]) expect(ids(await getResults(pc, c.ids[1] ?? ''))).toEqual(['previous_exam']);
    expect(pc0.db.prepare('SELECT COUNT(*) FROM previous_examinees').pluck().get()).toBe(0);
    const status = await deskOf(pc1)('lists.status', {});
    expect(status.ok && status.value[0]).toMatchObject({ kind: 'previous', file: '2023名单.xlsx', listed: 1, matched: 1, synced: true, by: '名单基线' });
  });
});

describe('CLI', () => {
  it('import-list --kind admitted, and lists', async () => {
    const t = await open(3);
    const wsDir = t.ws.dir;
    t.ws.close();
    writeFileSync(join(t.root, 'adm.csv'), `${t.ids[2]}\n`);
    const out: string[] = [];
    expect(await runCli(['import-list', '--workspace', wsDir, '--kind', 'admitted', '--list', join(t.root, 'adm.csv'), '--by', '李老师'], (s) => out.push(s), (s) => out.push(s))).toBe(0);
    expect(out.join('\n')).toContain('上半年已被其他计划录取考生名单');
    const shown: string[] = [];
    expect(await runCli(['lists', '--workspace', wsDir], (s) => shown.push(s), (s) => shown.push(s))).toBe(0);
    expect(shown.join('\n')).toMatch(/上半年已被其他计划录取考生名单：adm\.csv，1 个身份证号，本校考生 1 人（李老师/);
    expect(shown.join('\n')).toContain('上年专升本考生名单：未导入');
  });
});

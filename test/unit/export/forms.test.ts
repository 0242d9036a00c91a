/**
 * Issue 16: review tables the provincial office accepts. Real workspaces, real exports; every
 * file read back by tools that share no code with the desk (pdftotext, pdfsig, exceljs, and
 * LibreOffice for row heights), and the refusals asserted by their error codes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskError, type ExportResult } from '../../../shared/api/index.js';
import { zhDate } from '../../../shared/export/dates.js';
import { checkDigit, maskId } from '../../../shared/idcard.js';
import { listApplicantRecords } from '../../../electron/applicants/index.js';
import { runAllChecks } from '../../../electron/checks/index.js';
import { setCollegeSettings } from '../../../electron/college/index.js';
import { checkExport, runExport } from '../../../electron/export/exportService.js';
import { verifyExport } from '../../../electron/export/verify.js';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { allStates, bulkApprove, chinaDate, pendingReview, recordDecision, stateIn } from '../../../electron/review/index.js';
import { drawQc, recordQc, recordReview } from '../../../electron/review/team.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { deskOf } from '../../fixtures/workspace.js';
import { addApplicants, decidedWorkspace, makeP12, tempDir, TEST_COLLEGE_CODE, type TestP12 } from './fixtures.js';
import { optimalRowHeights } from './libreoffice.js';

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** pdftotext -raw: cells one after another, a wrapped cell over several lines. */
const textOf = (pdf: string): string => run('pdftotext', ['-raw', pdf, '-']);
const flat = (s: string): string => s.replace(/\s+/g, '');
/** The cells of one table row in flattened text: from its ID number to the next ID number. */
function rowOf(text: string, id: string): string {
  const at = text.indexOf(id);
  if (at < 0) return '';
  const next = /\d{17}[\dX]/.exec(text.slice(at + id.length));
  return text.slice(at, next ? at + id.length + next.index : undefined);
}
const fileOf = (r: ExportResult, test: (name: string) => boolean): string => join(r.dir, r.files.find((f) => test(f.name))?.name ?? '(none)');
const pdfOf = (r: ExportResult): string => fileOf(r, (n) => n.endsWith('.pdf') && !n.startsWith('报送函'));
const letterOf = (r: ExportResult): string => fileOf(r, (n) => n.startsWith('报送函'));
const xlsxOf = (r: ExportResult): string => fileOf(r, (n) => n.endsWith('.xlsx'));
const manifestOf = (r: ExportResult): { body: Record<string, unknown> & { files: { name: string; sha256: string }[] } } =>
  JSON.parse(readFileSync(join(r.dir, 'manifest.json'), 'utf8')) as { body: Record<string, unknown> & { files: { name: string; sha256: string }[] } };
async function workbook(r: ExportResult): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsxOf(r));
  return wb;
}
const cellsOf = (ws: ExcelJS.Worksheet | undefined): unknown[][] =>
  (ws?.getSheetValues() ?? []).filter((r) => Array.isArray(r)).map((r) => (r as unknown[]).slice(1));
async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(DeskError);
  return (e as DeskError).code;
}
/** A valid ID number of a region outside Hunan (贵州 松桃). */
function outsideId(n: number): string {
  const first17 = `52222920030415${String(n).padStart(3, '0')}`;
  return first17 + (checkDigit(first17) ?? '0');
}

/** 10:00 on 21 February 2024, China time: the export date every table below prints. */
const AT = new Date('2024-02-21T02:00:00Z');

let root: string;
let ws: Workspace;
let p12: TestP12;
const out = {} as Record<'exempt' | 'poverty' | 'notice', ExportResult>;
const applicants = (w: Workspace, category?: string): { id: string; name: string; category: string; status: string }[] => {
  const states = allStates(w);
  return listApplicantRecords(w.db)
    .filter((a) => !category || a.declared.category === category)
    .map((a) => ({ id: a.declared.idNumber, name: a.declared.name, category: a.declared.category, status: stateIn(states, a.declared.idNumber).status }));
};
async function collegeWith(name: string, settings: Parameters<typeof setCollegeSettings>[2] = { code: TEST_COLLEGE_CODE, noticePhone: '0731-88888888' }): Promise<Workspace> {
  const w = openWorkspace(join(root, name), { create: true, college: '湖南交通职业技术学院' });
  setCollegeSettings(w, 'test-device', settings, '管理员');
  return w;
}

beforeAll(async () => {
  root = tempDir();
  ws = await decidedWorkspace(root);
  // Valid since before the pinned export day, as the college's certificate would be.
  p12 = makeP12(root, undefined, new Date('2024-01-01T00:00:00Z'));
  for (const table of ['exempt', 'poverty', 'notice'] as const) {
    out[table] = await runExport(ws, 'test-device', { table, out: join(root, `out-${table}`), p12Path: p12.path, passphrase: p12.passphrase, draft: false, at: AT });
  }
});
afterAll(() => {
  ws.close();
  rmSync(root, { recursive: true, force: true });
});

describe('湖湘工匠燎原计划', () => {
  it('has a section of the 免试 table with the platform fields, and its approved applicants are in the 公示', async () => {
    const craft = applicants(ws, 'craftsman');
    expect(craft.length).toBeGreaterThanOrEqual(5);
    const text = flat(textOf(pdfOf(out.exempt)));
    expect(text).toContain('三、“湖湘工匠燎原计划”');
    for (const a of craft) {
      expect(text).toContain(a.name);
      expect(text).toContain(a.id);
    }
    // The contest as the list import stored it (full-width brackets become ASCII ones there).
    const contest = listApplicantRecords(ws.db).find((a) => a.declared.category === 'craftsman')?.declared.craftContest ?? '?';
    expect(contest).toMatch(/^湖南省职业院校技能竞赛.高职组.汽车技术$/);
    for (const v of ['燎原计划入学时间', '燎原计划毕业时间', '赛项级别', '2022-09', '2024-06', contest, '省级一等奖']) expect(text).toContain(v);

    const sheet = (await workbook(out.exempt)).getWorksheet('湖湘工匠燎原计划');
    const rows = cellsOf(sheet);
    expect(rows[3]).toEqual(expect.arrayContaining(['燎原计划入学时间', '燎原计划毕业时间', '赛项', '赛项级别']));
    // 入学时间 is a date value (shown 2022-09), not text.
    const enrol = sheet?.getRow(5).getCell(7);
    expect(enrol?.value).toEqual(new Date(Date.UTC(2022, 8, 1)));
    expect(enrol?.numFmt).toBe('yyyy-mm');

    const notice = textOf(pdfOf(out.notice));
    for (const a of craft.filter((x) => x.status === 'approve')) expect(notice).toContain(maskId(a.id));
  });
});

describe('the college on every table', () => {
  it('refuses a final export without 学校名称 and 学校代码 (a draft goes), and prints both once they are set', async () => {
    const w = openWorkspace(join(root, 'unnamed'), { create: true });
    try {
      await addApplicants(w, [{ name: '赵一', category: 'veteran', decision: 'approve' }]);
      expect(checkExport(w, 'exempt').rules.map((r) => r.code)).toEqual(['college_name', 'college_code']);
      const target = join(root, 'unnamed-final');
      expect(await codeOf(runExport(w, 'd', { table: 'exempt', out: target, draft: false }))).toBe('college_incomplete');
      expect(existsSync(target)).toBe(false);
      const draft = await runExport(w, 'd', { table: 'exempt', out: join(root, 'unnamed-draft'), draft: true });
      expect(flat(textOf(pdfOf(draft)))).toContain('学校代码：（未设置）');

      // Through the contract, as the export panel saves them: a code that is not 5 digits is refused.
      const desk = deskOf(w);
      expect(await desk('college.settings.set', { patch: { code: '1234' }, by: '管理员' })).toMatchObject({ ok: false });
      expect(await desk('college.settings.set', { patch: { name: '湖南测试职业技术学院', code: '14002' }, by: '管理员' })).toMatchObject({ ok: true });
      const check = await desk('export.check', { table: 'exempt' });
      expect(check.ok && check.value.rules).toEqual([]);
      const final = await runExport(w, 'd', { table: 'exempt', out: join(root, 'named-final'), draft: false, at: AT });
      const text = flat(textOf(pdfOf(final)));
      expect(text).toContain('学校名称：湖南测试职业技术学院');
      expect(text).toContain('学校代码：14002');
      expect(text).not.toContain('未命名学院');
      expect(manifestOf(final).body).toMatchObject({ college: '湖南测试职业技术学院', collegeCode: '14002' });
    } finally {
      w.close();
    }
  });
});

describe('a table with no applicant', () => {
  it('is refused unless the user states there are none, and then printed as a 零报告', async () => {
    const w = await collegeWith('no-poverty');
    try {
      await addApplicants(w, [{ name: '钱二', category: 'veteran', decision: 'approve' }]);
      const check = checkExport(w, 'poverty');
      expect(check.rows).toBe(0);
      expect(check.rules.map((r) => r.code)).toEqual(['empty']);
      const target = join(root, 'empty-refused');
      expect(await codeOf(runExport(w, 'd', { table: 'poverty', out: target, draft: false }))).toBe('export_empty');
      expect(existsSync(target)).toBe(false);

      const r = await runExport(w, 'd', { table: 'poverty', out: join(root, 'empty-confirmed'), draft: false, confirmNone: true, at: AT });
      expect(r.rows).toBe(0);
      const text = flat(textOf(pdfOf(r)));
      expect(text).toContain('经本校审核，2024年无需报送的建档立卡脱贫家庭考生（本表为零报告）。');
      expect(text).toContain('脱贫家庭毕业生计划0000');
      expect(flat(textOf(letterOf(r)))).toContain('本表为零报告');
      expect(manifestOf(r).body).toMatchObject({ noneConfirmed: true, counts: { rows: 0 } });
      expect(verifyExport(r.dir).rows).toBe(0);
    } finally {
      w.close();
    }
  });
});

describe('totals, review period and export date', () => {
  it('prints 通过/不通过/退回补正 per category, the first and last decision day and the export day, as values in the XLSX', async () => {
    const text = flat(textOf(pdfOf(out.exempt)));
    const cats = [['veteran', '退役大学生士兵免试'], ['competition', '竞赛获奖免试'], ['craftsman', '湖湘工匠燎原计划']] as const;
    const count = (c: string, s: string): number => applicants(ws, c).filter((a) => a.status === s).length;
    expect(text).toContain('汇总类别通过不通过退回补正合计');
    for (const [c, label] of cats) {
      const [a, r] = [count(c, 'approve'), count(c, 'reject')];
      expect(a).toBeGreaterThan(0);
      expect(r).toBeGreaterThan(0);
      expect(text).toContain(`${label}${a}${r}0${a + r}`);
    }
    // The decisions of this test run were all taken today (China time); the export is pinned.
    const today = zhDate(chinaDate(new Date()));
    expect(text).toContain(`审核时间：${today}至${today}`);
    expect(text).toContain('导出日期：2024年2月21日');

    const summary = (await workbook(out.exempt)).getWorksheet('汇总');
    const rows = cellsOf(summary);
    const row = (label: string): unknown[] => rows.find((x) => x[0] === label) ?? [];
    for (const [c, label] of cats) expect(row(label)).toEqual([label, count(c, 'approve'), count(c, 'reject'), 0, count(c, 'approve') + count(c, 'reject')]);
    expect(row('导出日期')[1]).toEqual(new Date('2024-02-21T00:00:00Z'));
    expect(row('审核开始日期')[1]).toBeInstanceOf(Date);
    expect(row('学校代码')[1]).toBe(TEST_COLLEGE_CODE);
    expect(manifestOf(out.exempt).body.totals).toEqual(cats.map(([c]) => ({ category: c, approve: count(c, 'approve'), reject: count(c, 'reject'), return: 0, total: count(c, 'approve') + count(c, 'reject') })));
  });
});

describe('复核 (sign-off) and 抽检 (QC)', () => {
  it('with 复核 on, refuses a final export naming who waits; then prints 初审人 and 复核人 and both signature lines', async () => {
    const w = await decidedWorkspace(tempDir());
    try {
      setCollegeSettings(w, 'd', { signoffRequired: true }, '管理员');
      const decided = applicants(w).filter((a) => ['veteran', 'competition', 'craftsman'].includes(a.category) && a.status !== 'pending');
      const check = checkExport(w, 'exempt');
      expect(check.signoff).toBe(true);
      expect(check.blockers.filter((b) => b.problem === 'signoff')).toHaveLength(decided.length);
      const err = await runExport(w, 'd', { table: 'exempt', out: join(root, 'signoff-refused'), draft: false }).catch((e: unknown) => e as DeskError);
      expect(err).toMatchObject({ code: 'export_blocked' });
      const named = ((err as DeskError).details as { message: string }[]).map((d) => d.message).join('\n');
      for (const a of decided) expect(named).toContain(a.name);
      expect(named).toContain('待复核');

      // The supervisor confirms everyone but overturns one approval.
      const overturned = decided.find((a) => a.category === 'veteran' && a.status === 'approve');
      for (const item of pendingReview(w)) {
        if (item.idNumber === overturned?.id) {
          recordReview(w, 'd', { idNumber: item.idNumber, verdict: 'overturn', decision: 'reject', reasons: ['discharge_date'], note: '复核发现退役时间不在规定范围', by: '赵主任' });
        } else recordReview(w, 'd', { idNumber: item.idNumber, verdict: 'confirm', reasons: [], note: '', by: '赵主任' });
      }
      const r = await runExport(w, 'd', { table: 'exempt', out: join(root, 'signoff-final'), p12Path: p12.path, passphrase: p12.passphrase, draft: false, at: AT });
      const text = flat(textOf(pdfOf(r)));
      expect(text).toContain('初审人复核人');
      for (const label of ['初审人（签字）', '复核人（签字）', '负责人（签字）']) expect(text.split(label)).toHaveLength(2);
      const confirmed = decided.find((a) => a.id !== overturned?.id);
      expect(rowOf(text, confirmed?.id ?? '?')).toContain('符合免试条件审核员甲赵主任');
      expect(rowOf(text, overturned?.id ?? '?')).toContain('不通过不符合免试条件，可按普通计划报考；退役时间不符合要求；复核改判；说明：复核发现退役时间不在规定范围审核员甲赵主任');
      expect(text).toContain('复核改判');
      expect(text).toContain('说明：复核发现退役时间不在规定范围');

      const sheet = (await workbook(r)).worksheets[0];
      expect(cellsOf(sheet)[3]?.slice(-2)).toEqual(['初审人', '复核人']);
      expect(cellsOf(sheet)[4]?.slice(-2)).toEqual(['审核员甲', '赵主任']);
      expect(manifestOf(r).body).toMatchObject({ signoff: true, reviewers: ['审核员甲', '赵主任'] });
    } finally {
      w.close();
    }
  });

  it('with 抽检 on, refuses until the sample is drawn and every drawn applicant is re-checked', async () => {
    const w = await decidedWorkspace(tempDir());
    try {
      setCollegeSettings(w, 'd', { qcPercent: 20 }, '管理员');
      expect(checkExport(w, 'notice').rules.map((r) => r.code)).toEqual(['qc_sample']);
      expect(await codeOf(runExport(w, 'd', { table: 'notice', out: join(root, 'qc-1'), draft: false }))).toBe('qc_sample_missing');
      const { idNumbers } = drawQc(w, 'd', { percent: 20, seed: 3, by: '赵主任' });
      expect(idNumbers.length).toBeGreaterThan(0);
      const waiting = checkExport(w, 'notice').blockers.filter((b) => b.problem === 'qc');
      expect(waiting).toHaveLength(idNumbers.length);
      expect(await codeOf(runExport(w, 'd', { table: 'notice', out: join(root, 'qc-2'), draft: false }))).toBe('export_blocked');
      for (const id of idNumbers) recordQc(w, 'd', { idNumber: id, decision: 'approve', reasons: [], note: '', by: '钱老师' });
      await expect(runExport(w, 'd', { table: 'notice', out: join(root, 'qc-3'), draft: false })).resolves.toMatchObject({ draft: false });
    } finally {
      w.close();
    }
  });
});

describe('审核意见', () => {
  it('is the catalogue labels and the note: never 批量通过, no pointer to a 备注 column, overrides marked', async () => {
    const w = await collegeWith('opinions');
    try {
      const [other, bulk, override] = await addApplicants(w, [
        { name: '孙其', category: 'veteran', decision: 'reject', reasons: ['other'], note: '退役证编号与部队证明不一致，已电话核实' },
        { name: '周批', category: 'veteran' },
        { name: '吴越', category: 'veteran' },
      ]);
      expect(bulkApprove(w, 'd', [bulk ?? ''], '审核员乙').approved).toBe(1);
      // With the checks run, a veteran without scans has an error finding: approving is an override.
      await runAllChecks(w);
      expect(() => recordDecision(w, 'd', { idNumber: override ?? '', decision: 'approve', reasons: [], note: '', reviewer: '审核员甲' })).toThrow(DeskError);
      recordDecision(w, 'd', { idNumber: override ?? '', decision: 'approve', reasons: [], note: '退役证原件已现场查验', reviewer: '审核员甲' });
      const r = await runExport(w, 'd', { table: 'exempt', out: join(root, 'opinions-out'), draft: false, at: AT });
      const text = flat(textOf(pdfOf(r)));
      expect(text).toContain('不符合免试条件，可按普通计划报考；其他；说明：退役证编号与部队证明不一致，已电话核实');
      expect(text).not.toContain('见备注');
      expect(text).not.toContain('批量');
      expect(rowOf(text, bulk ?? '?')).toContain('通过符合免试条件审核员乙');
      expect(text).toContain('符合免试条件；※存在系统检查提示，经审核人核实后通过；说明：退役证原件已现场查验');
      expect(other).toBeDefined();
    } finally {
      w.close();
    }
  });
});

describe('the poverty table', () => {
  it('has 审核人, 毕业年份 as a number and marks 户籍不在湖南 by the documented rule', async () => {
    const w = await collegeWith('poverty');
    try {
      const [guizhou, noHukou, hunan] = await addApplicants(w, [
        { name: '黔一', category: 'poverty', decision: 'approve', hukou: '贵州省铜仁市松桃苗族自治县', gradYear: 2023 },
        { name: '黔二', category: 'poverty', decision: 'approve', hukou: '', idNumber: outsideId(7) },
        { name: '湘三', category: 'poverty', decision: 'reject', reasons: ['poverty_issuer'] },
      ]);
      const r = await runExport(w, 'd', { table: 'poverty', out: join(root, 'poverty-out'), draft: false, at: AT });
      const rows = cellsOf((await workbook(r)).worksheets[0]);
      const header = rows[3] ?? [];
      const col = (h: string): number => header.indexOf(h);
      expect(header).toEqual(expect.arrayContaining(['户籍所在地', '省外户籍', '毕业年份', '审核意见', '审核人']));
      const byId = (id: string | undefined): unknown[] => rows.find((x) => x[col('身份证号')] === id) ?? [];
      expect(byId(guizhou)[col('省外户籍')]).toBe('是');
      expect(byId(noHukou)[col('省外户籍')]).toBe('是（据身份证号）');
      expect(byId(hunan)[col('省外户籍')] ?? '').toBe('');
      expect(byId(guizhou)[col('毕业年份')]).toBe(2023);
      expect(byId(hunan)[col('毕业年份')]).toBe(2024);
      expect(byId(hunan)[col('审核人')]).toBe('审核员甲');
      expect(byId(hunan)[col('审核意见')]).toBe('脱贫证明非县级乡村振兴部门出具');
      const text = flat(textOf(pdfOf(r)));
      expect(text).toContain('是（据身份证号）');
      expect(text).toContain('省外户籍：户籍所在地不在湖南省的考生');
    } finally {
      w.close();
    }
  });
});

describe('layout', () => {
  let big: Workspace;
  let r: ExportResult;
  let ids: string[];
  beforeAll(async () => {
    big = await collegeWith('layout');
    // 150 competition winners with the long names, schools and contests that wrapped before.
    ids = await addApplicants(big, Array.from({ length: 150 }, (_, i) => ({
      name: i % 11 === 0 ? '欧阳子涵' : `李${'玥喆堃垚'[i % 4] ?? ''}`,
      category: 'competition' as const,
      decision: i % 15 === 4 ? ('reject' as const) : ('approve' as const),
      reasons: i % 15 === 4 ? ['award_level'] : [],
      note: i % 30 === 4 ? '获奖证书显示为校级比赛，不属于免试认定范围内的赛事，已告知考生可按普通计划报考' : '',
      school: i % 7 === 0 ? '湖南化工职业技术学院（株洲校区）继续教育与培训中心' : '湖南交通职业技术学院',
    })));
    r = await runExport(big, 'd', { table: 'exempt', out: join(root, 'layout-out'), draft: false, at: AT });
  });
  afterAll(() => big.close());

  it('never breaks an ID number, fits at least 20 rows on a full page and puts the signatures once, with the last rows', () => {
    const pages = textOf(pdfOf(r)).split('\f').filter((p) => p.trim());
    expect(pages).toHaveLength(r.pages);
    const lines = pages.flatMap((p) => p.split('\n'));
    for (const id of ids) expect(lines.some((l) => l.includes(id)), id).toBe(true);
    const rowsOn = (p: string): number => ids.filter((id) => p.includes(id)).length;
    // Every page between the first (which also says 本类别无考生 for the two empty sections) and the
    // last is full of rows: the issue counted about 13 per page.
    expect(pages[0]).toContain('本类别无考生');
    expect(rowsOn(pages[0] ?? '')).toBeGreaterThanOrEqual(15);
    for (const p of pages.slice(1, -1)) expect(rowsOn(p)).toBeGreaterThanOrEqual(20);
    const signed = pages.filter((p) => flat(p).includes('（签字）'));
    expect(signed).toHaveLength(1);
    expect(signed[0]).toBe(pages.at(-1));
    expect(pages.at(-1)).toContain(ids.at(-1));
    expect(rowsOn(pages.at(-1) ?? '')).toBeGreaterThanOrEqual(3);
  });

  it('stores 序号 and dates as values, restarts 序号 per section, and sets row heights LibreOffice finds tall enough', async () => {
    const wb = await workbook(r);
    const sheet = wb.getWorksheet('竞赛获奖免试');
    expect(sheet?.getCell('A5').value).toBe(1);
    expect(sheet?.getCell('A6').value).toBe(2);
    expect(typeof sheet?.getCell('D5').value).toBe('string');
    const awarded = sheet?.getCell('J5');
    expect(awarded?.value).toEqual(new Date(Date.UTC(2023, 5, 1)));
    expect(awarded?.numFmt).toBe('yyyy-mm');
    // 序号 restarts: the decided workspace's sheets each begin at 1.
    const each = await workbook(out.exempt);
    for (const s of each.worksheets.filter((x) => x.name !== '汇总')) expect(s.getCell('A5').value, s.name).toBe(1);

    const heights = optimalRowHeights(xlsxOf(r), join(root, 'lo-profile'));
    expect(heights.length).toBeGreaterThan(150);
    // Calc's own optimal height for each row's wrapped text never exceeds the stored one.
    const short = heights.filter((h) => h.optimal > h.stored + 0.5);
    expect(short).toEqual([]);
    // Rows whose text wraps are taller than one line.
    expect(heights.filter((h) => h.sheet === 1 && h.optimal > 20).length).toBeGreaterThan(5);
  }, 180_000);
});

describe('the 公示 (public notice)', () => {
  it('names the college, states 公示期 and the contact, is dated and sealed by the college, and has no internal lines', async () => {
    const raw = textOf(pdfOf(out.notice));
    const text = flat(raw);
    expect(text).toContain('湖南交通职业技术学院2024年普通高校专升本资格审核结果公示');
    expect(text).toContain('公示期：2024年2月21日至2024年2月27日（共7天）');
    expect(text).toContain('联系电话：0731-88888888；电子邮箱：zsb@example.edu.cn');
    expect(text).toContain('湖南交通职业技术学院（盖章）2024年2月21日');
    for (const internal of ['（签字）', '审核人', '审核意见', '学校代码', '花垣县', '乡村振兴']) expect(text).not.toContain(internal);
    for (const a of applicants(ws)) expect(raw).not.toContain(a.id);

    // 脱贫 applicants are in a list of their own, after the exempt ones, with no category beside them.
    const second = text.indexOf('二、脱贫家庭毕业生资格审核通过名单');
    expect(second).toBeGreaterThan(0);
    const poor = applicants(ws, 'poverty').filter((a) => a.status === 'approve');
    expect(poor.length).toBeGreaterThan(2);
    for (const a of poor) expect(text.indexOf(maskId(a.id))).toBeGreaterThan(second);
    // (The text above the lists names the plans; the lists themselves do not print it.)
    expect(text.slice(text.indexOf('一、'), second)).not.toContain('脱贫家庭毕业生计划');

    const wb = await workbook(out.notice);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['公示']);
    const cells = cellsOf(wb.worksheets[0]).flat().map(String).join('|');
    expect(cells).toContain('公示期：2024年2月21日至2024年2月27日（共7天）');
    expect(cells).not.toContain('（签字）');
  });

  it('takes another 公示期 and contact for one export, and refuses a notice without any contact', async () => {
    const r = await runExport(ws, 'd', { table: 'notice', out: join(root, 'notice-terms'), draft: false, at: AT, notice: { start: '2024-02-23', days: 5, phone: '0731-12345678', email: '' } });
    const text = flat(textOf(pdfOf(r)));
    expect(text).toContain('公示期：2024年2月23日至2024年2月27日（共5天）');
    expect(text).toContain('联系电话：0731-12345678。');
    expect(manifestOf(r).body.notice).toEqual({ start: '2024-02-23', end: '2024-02-27', days: 5, phone: '0731-12345678', email: '' });
    expect(await codeOf(runExport(ws, 'd', { table: 'notice', out: join(root, 'notice-bad'), draft: false, notice: { start: '2024-02-30' } }))).toBe('invalid_args');

    const w = await collegeWith('no-contact', { code: TEST_COLLEGE_CODE });
    try {
      await addApplicants(w, [{ name: '郑十', category: 'veteran', decision: 'approve' }]);
      expect(checkExport(w, 'notice').rules.map((x) => x.code)).toEqual(['notice_contact']);
      expect(await codeOf(runExport(w, 'd', { table: 'notice', out: join(root, 'notice-refused'), draft: false }))).toBe('notice_contact_missing');
      const draft = await runExport(w, 'd', { table: 'notice', out: join(root, 'notice-draft'), draft: true });
      expect(flat(textOf(pdfOf(draft)))).toContain('正式公示前须填写联系电话或电子邮箱');
    } finally {
      w.close();
    }
  });
});

describe('XLSX read back', () => {
  it('every cell of every workbook has a text (merged cells included)', async () => {
    for (const r of Object.values(out)) {
      const wb = await workbook(r);
      let n = 0;
      wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell({ includeEmpty: true }, (c) => {
        expect(typeof c.text, `${sheet.name}!${c.address}`).toBe('string');
        n++;
      })));
      expect(n).toBeGreaterThan(50);
    }
  });
});

describe('报送函 (cover letter)', () => {
  it('goes with each table for the office: the files with their SHA-256, the counts, the key fingerprint, a place for the seal; signed', () => {
    for (const table of ['exempt', 'poverty'] as const) {
      const r = out[table];
      const letter = letterOf(r);
      expect(existsSync(letter)).toBe(true);
      expect(run('pdfsig', [letter])).toContain('Signature is Valid');
      const text = flat(textOf(letter));
      const listed = manifestOf(r).body.files.filter((f) => !f.name.startsWith('报送函'));
      expect(listed).toHaveLength(2);
      for (const f of listed) {
        expect(text).toContain(flat(f.name));
        expect(text).toContain(f.sha256);
      }
      expect(text).toContain(`合计：共${r.rows}人`);
      expect(text).toContain(r.keyFingerprint.toUpperCase());
      expect(text).toContain('湖南交通职业技术学院（盖章）2024年2月21日');
      expect(verifyExport(r.dir).files.map((f) => f.name)).toContain(letter.split('/').at(-1));
    }
    expect(out.notice.files.some((f) => f.name.startsWith('报送函'))).toBe(false);
  });
});

describe('CLI', () => {
  it('sets the college data and exports with a 零报告 and a chosen 公示期', async () => {
    const w = openWorkspace(join(root, 'cli-ws'), { create: true, college: '湖南交通职业技术学院' });
    await addApplicants(w, [{ name: '冯八', category: 'veteran', decision: 'approve' }]);
    const dir = w.dir;
    w.close();
    const lines: string[] = [];
    const errs: string[] = [];
    const o = (s: string): void => void lines.push(s);
    const e = (s: string): void => void errs.push(s);
    expect(await runCli(['college', 'set', '--workspace', dir, '--code', '14009', '--notice-phone', '0731-22223333', '--by', '管理员'], o, e)).toBe(0);
    expect(lines.join('\n')).toContain('学校代码：14009');
    expect(await runCli(['export', '--workspace', dir, '--table', 'poverty', '--out', join(root, 'cli-poverty')], o, e)).not.toBe(0);
    expect(errs.join('\n')).toContain('确认');
    expect(await runCli(['export', '--workspace', dir, '--table', 'poverty', '--out', join(root, 'cli-poverty'), '--confirm-none'], o, e)).toBe(0);
    expect(await runCli(['export', '--workspace', dir, '--table', 'notice', '--out', join(root, 'cli-notice'), '--notice-start', '2024-03-01', '--notice-days', '10'], o, e)).toBe(0);
    expect(lines.join('\n')).toMatch(/PDF \d+ 页/);
    const manifest = JSON.parse(readFileSync(join(root, 'cli-notice', 'manifest.json'), 'utf8')) as { body: { notice: unknown } };
    expect(manifest.body.notice).toEqual({ start: '2024-03-01', end: '2024-03-10', days: 10, phone: '0731-22223333', email: '' });
  });
});

/**
 * Makes a demo college of N applicants (list only), decides everyone the way a team would (some
 * rejections with reasons and notes, 复核 on and confirmed by a supervisor), exports the three
 * tables signed with a throw-away certificate, and prints the figures of each export (time,
 * pages, size). With --render, every PDF page is rendered (pdftoppm) and each XLSX converted by
 * LibreOffice, for people to look at. Output under test-artifacts/ (gitignored).
 *
 *   npx tsx scripts/export-sample.ts [--applicants 3000] [--out test-artifacts/forms] [--render]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importList } from '../electron/applicants/importService.js';
import { listApplicantRecords } from '../electron/applicants/index.js';
import { setCollegeSettings } from '../electron/college/index.js';
import { generateDemo } from '../electron/demo/generate.js';
import { runExport } from '../electron/export/exportService.js';
import { verifyExport } from '../electron/export/verify.js';
import { recordDecision } from '../electron/review/decisions.js';
import { recordReview } from '../electron/review/team.js';
import { openWorkspace } from '../electron/workspace/workspace.js';
import { importApplicants } from '../test/fixtures/workspace.js';
import { makeP12 } from '../test/unit/export/fixtures.js';

const { values } = parseArgs({ options: { applicants: { type: 'string', default: '300' }, out: { type: 'string', default: 'test-artifacts/forms' }, render: { type: 'boolean', default: false } } });
const n = Number(values.applicants);
const root = resolve(values.out);
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });

const demo = await generateDemo({ out: join(root, 'demo'), applicants: n, seed: 11, listOnly: true });
const ws = openWorkspace(join(root, 'ws'), { create: true, college: '演示职业技术学院' });
try {
  await importList(ws, { listPath: demo.listFile, refreshChecks: false });
  // The demo list leaves the 燎原计划 fields empty; a college's list has them.
  const withCraft = listApplicantRecords(ws.db).map((a, i) => a.declared.category !== 'craftsman' ? a.declared : {
    ...a.declared, craftEnrollDate: i % 2 ? '2022-09' : '2021-09', craftGradDate: '2024-06',
    craftContest: i % 3 ? '湖南省职业院校技能竞赛（高职组）智能制造设备技术应用' : '全国职业院校技能大赛湖南省选拔赛 汽车技术', craftContestLevel: i % 3 ? '省级二等奖' : '省级一等奖',
  });
  // One 脱贫 applicant registered outside Hunan, one without 户籍 (the ID decides).
  const pov = withCraft.filter((a) => a.category === 'poverty');
  if (pov[0]) pov[0].hukou = '贵州省铜仁市松桃苗族自治县';
  if (pov[1]) pov[1].hukou = '';
  await importApplicants(ws, withCraft, { checks: false });
  setCollegeSettings(ws, 'sample', { code: '14001', signoffRequired: true, noticePhone: '0731-84000000', noticeEmail: 'zsb@demo.edu.cn' }, '管理员');
  const t0 = performance.now();
  listApplicantRecords(ws.db).forEach((a, i) => {
    const reject = i % 9 === 4;
    const id = a.declared.idNumber;
    const reviewer = ['张老师', '李老师', '王老师'][i % 3] ?? '张老师';
    recordDecision(ws, 'sample', {
      idNumber: id, decision: reject ? 'reject' : 'approve',
      reasons: reject ? [a.declared.category === 'veteran' ? 'discharge_date' : a.declared.category === 'competition' ? 'award_level' : a.declared.category === 'poverty' ? 'poverty_issuer' : 'other'] : [],
      note: reject && i % 2 ? '经电话核实，考生本人确认材料无法补交，已告知可按普通计划报考' : '', reviewer,
    });
    recordReview(ws, 'sample', { idNumber: id, verdict: 'confirm', reasons: [], note: '', by: '赵主任' });
  });
  console.log(`decided and signed off ${n} applicants in ${Math.round(performance.now() - t0)} ms`);
  const p12 = makeP12(root, '演示职业技术学院');
  for (const table of ['exempt', 'poverty', 'notice'] as const) {
    const r = await runExport(ws, 'sample', { table, out: join(root, table), p12Path: p12.path, passphrase: p12.passphrase, draft: false });
    verifyExport(r.dir);
    const size = r.files.reduce((s, f) => s + f.size, 0);
    console.log(`${table}: ${r.rows} rows, ${r.pages} PDF pages, ${r.ms} ms, files ${r.files.map((f) => `${f.name} ${(f.size / 1024).toFixed(0)} KB`).join(', ')}; total ${(size / 1024).toFixed(0)} KB`);
    if (values.render) {
      const png = join(root, 'png', table);
      mkdirSync(png, { recursive: true });
      for (const f of r.files) {
        if (f.name.endsWith('.pdf')) execFileSync('pdftoppm', ['-png', '-r', '60', join(r.dir, f.name), join(png, f.name.startsWith('报送函') ? 'letter' : 'pdf')]);
        if (f.name.endsWith('.xlsx')) {
          const lo = join(root, 'lo', table);
          execFileSync('soffice', [`-env:UserInstallation=file://${join(root, 'lo-profile')}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', lo, join(r.dir, f.name)], { stdio: 'ignore' });
          for (const p of readdirSync(lo)) execFileSync('pdftoppm', ['-png', '-r', '60', join(lo, p), join(png, 'xlsx')]);
        }
      }
    }
  }
} finally {
  ws.close();
}

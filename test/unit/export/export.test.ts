/**
 * Export end to end: real workspace, real certificate, and the produced files opened by tools
 * that share no code with the desk (poppler's pdfsig/pdffonts/pdftotext, exceljs re-read,
 * LibreOffice headless when installed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskError, type ExportResult, type VerifyProblem } from '../../../shared/api/index.js';
import { maskId } from '../../../shared/idcard.js';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { runExport, exportHistory, checkExport } from '../../../electron/export/exportService.js';
import { verifyPdfSignature } from '../../../electron/export/pdfSignature.js';
import { validateTemplate, loadTemplate } from '../../../electron/export/templates.js';
import { verifyExport } from '../../../electron/export/verify.js';
import type { Workspace } from '../../../electron/workspace/workspace.js';
import { listApplicantRecords } from '../../../electron/applicants/index.js';
import { allStates, stateIn, stateOf as stateOfApplicant } from '../../../electron/review/state.js';
import { appendEvents } from '../../../electron/sync/log.js';
import { importApplicants } from '../../fixtures/workspace.js';
import { addApplicants, decidedWorkspace, makeP12, tempDir, type TestP12 } from './fixtures.js';

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

interface Applicant { id_number: string; name: string; category: string; decision: string | null; hukou: string }

let root: string;
let ws: Workspace;
let p12: TestP12;
let all: Applicant[];
const out: Record<'exempt' | 'poverty' | 'notice', ExportResult> = {} as Record<'exempt' | 'poverty' | 'notice', ExportResult>;

const pdfOf = (r: ExportResult): string => join(r.dir, r.files.find((f) => f.name.endsWith('.pdf'))?.name ?? '');
const xlsxOf = (r: ExportResult): string => join(r.dir, r.files.find((f) => f.name.endsWith('.xlsx'))?.name ?? '');
/** pdftotext without layout: table cells come out one per line, so a value is found whole. */
const textOf = (pdf: string): string => run('pdftotext', ['-raw', pdf, '-']).replace(/[ \t]+/g, '');
/** The same text with line breaks gone, for values that may wrap inside their cell (审核意见). */
const flatOf = (pdf: string): string => textOf(pdf).replace(/\s+/g, '');

function verifyProblems(dir: string): VerifyProblem[] {
  try {
    verifyExport(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(DeskError);
    expect((e as DeskError).code).toBe('verify_failed');
    return (e as DeskError).details as VerifyProblem[];
  }
  return [];
}

beforeAll(async () => {
  root = tempDir();
  ws = await decidedWorkspace(root);
  p12 = makeP12(root);
  const states = allStates(ws);
  all = listApplicantRecords(ws.db).map((a) => ({
    id_number: a.declared.idNumber, name: a.declared.name, category: a.declared.category, hukou: a.declared.hukou,
    decision: stateIn(states, a.declared.idNumber).decision,
  }));
  for (const table of ['exempt', 'poverty', 'notice'] as const) {
    out[table] = await runExport(ws, 'test-device', { table, out: join(root, `out-${table}`), p12Path: p12.path, passphrase: p12.passphrase, draft: false });
  }
});

afterAll(() => {
  ws.close();
  rmSync(root, { recursive: true, force: true });
});

describe('signed PDF', () => {
  it('is valid for pdfsig, embeds a font subset and has extractable names and ID numbers', () => {
    const pdf = pdfOf(out.exempt);
    const sig = spawnSync('pdfsig', [pdf], { encoding: 'utf8' });
    expect(sig.stdout).toContain('Signature is Valid');
    expect(sig.stdout).toContain(p12.subject);

    const fonts = run('pdffonts', [pdf]).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) {
      // name type encoding emb sub uni …: every font embedded and subset (the name carries ABCDEF+).
      expect(line).toMatch(/^[A-Z]{6}\+/);
      expect(line).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
    }

    const text = textOf(pdf);
    const lines = text.split('\n');
    const exempt = all.filter((a) => (a.category === 'veteran' || a.category === 'competition' || a.category === 'craftsman') && a.decision);
    expect(exempt.length).toBeGreaterThan(5);
    for (const a of exempt) {
      expect(text).toContain(a.name);
      // Whole on one line: an ID number is never broken over two lines of its cell.
      expect(lines.some((l) => l.includes(a.id_number)), a.id_number).toBe(true);
    }
    for (const a of all.filter((x) => x.category === 'general' || x.category === 'poverty')) expect(text).not.toContain(a.id_number);
    const flat = flatOf(pdf);
    // Exempt applicants who fail may only fall back to the general plan; the opinion says so.
    expect(flat).toContain('可按普通计划报考');
    expect(flat).toContain('退役时间不符合要求');
    // The signature and seal block: once in the whole document (复核 is off: no 复核人 line).
    for (const label of ['审核人（签字）', '负责人（签字）', '学校（盖章）', '日期：年月日']) expect(flat.split(label).length - 1, label).toBe(1);
    expect(flat).not.toContain('复核人（签字）');
    expect(text).toContain(`导出编号${out.exempt.exportId}`);
    expect(text).toMatch(/第1\/\d+页/);
  });

  it('is verified by the independent CMS check and fails it after one changed byte', () => {
    const bytes = readFileSync(pdfOf(out.poverty));
    const ok = verifyPdfSignature(bytes);
    expect(ok).toMatchObject({ ok: true, subject: p12.subject });
    const changed = Buffer.from(bytes);
    const at = changed.indexOf('/Author');
    changed[at + 2] = changed[at + 2] === 0x75 ? 0x55 : 0x75;
    const bad = verifyPdfSignature(changed);
    expect(bad.ok).toBe(false);
    expect(bad.problem).toContain('摘要不符');
    const tampered = join(root, 'tampered.pdf');
    writeFileSync(tampered, changed);
    expect(spawnSync('pdfsig', [tampered], { encoding: 'utf8' }).stdout).not.toContain('Signature is Valid');
  });

  it('renders every page (header repeated) and each page image has ink', () => {
    const pdf = pdfOf(out.exempt);
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [pdf]))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2); // one section per category
    const text = run('pdftotext', ['-raw', pdf, '-']).split('\f').filter((p) => p.trim());
    expect(text.length).toBe(pages);
    for (const page of text) expect(page.replace(/\s+/g, '')).toContain('序号姓名性别身份证号');
    const png = join(root, 'page');
    run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, png]);
    const file = readdirSync(root).find((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(file).toBeDefined();
    expect(readFileSync(join(root, file ?? '')).length).toBeGreaterThan(5000);
  });
});

describe('公示 list', () => {
  it('shows masked ID numbers only, approved applicants only, and no poverty details', async () => {
    const text = textOf(pdfOf(out.notice));
    const approved = all.filter((a) => a.decision === 'approve');
    expect(approved.length).toBeGreaterThan(3);
    for (const a of approved) {
      expect(text).toContain(a.name);
      expect(text).toContain(maskId(a.id_number));
    }
    for (const a of all) expect(text).not.toContain(a.id_number);
    for (const a of all.filter((x) => x.decision === 'reject')) expect(text).not.toContain(maskId(a.id_number));
    expect(text).not.toContain('花垣县');
    expect(text).not.toContain('乡村振兴');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxOf(out.notice));
    const cells = wb.worksheets.flatMap((s) => s.getSheetValues().flatMap((r) => (Array.isArray(r) ? r.map(String) : [])));
    for (const a of all) expect(cells.join('|')).not.toContain(a.id_number);
    expect(cells).toContain(maskId(approved[0]?.id_number ?? ''));
  });

  it('refuses a public template that would publish a full ID number', () => {
    const t = loadTemplate('notice');
    const bad = structuredClone(t) as unknown as { sections: { columns: { field: string }[] }[] };
    const first = bad.sections[0]?.columns.find((c) => c.field === 'idMasked');
    if (first) first.field = 'idNumber';
    expect(() => validateTemplate(bad, 'bad.json')).toThrow(/不得包含列/);
  });
});

describe('XLSX', () => {
  it('re-reads with title merged, IDs as text, A4 landscape fit to width, header frozen and repeated', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxOf(out.exempt));
    expect(wb.worksheets.map((s) => s.name)).toEqual(['退役大学生士兵免试', '竞赛获奖免试', '湖湘工匠燎原计划', '汇总']);
    const sheet = wb.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(sheet.getCell('A1').value).toBe('湖南省2024年普通高校专升本免试资格审核表');
    expect(sheet.getCell('A1').isMerged).toBe(true);
    expect(sheet.getCell('M1').master.address).toBe('A1');
    expect(sheet.getRow(4).values).toEqual(expect.arrayContaining(['序号', '姓名', '身份证号', '退役证编号', '审核意见', '审核人']));
    const id = sheet.getCell('D5');
    expect(typeof id.value).toBe('string');
    expect(String(id.value)).toMatch(/^43\d{15}[\dX]$/);
    expect(id.numFmt).toBe('@');
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '4:4' });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(sheet.headerFooter.oddFooter).toContain('&P');
    // The signature lines are once, on the last sheet (汇总), not under every section.
    const texts = (ws: ExcelJS.Worksheet | undefined): string[] => (ws?.getSheetValues() ?? []).flatMap((r) => (Array.isArray(r) ? r.map(String) : []));
    expect(texts(sheet).some((t) => t.includes('（签字）'))).toBe(false);
    expect(texts(wb.worksheets[3]).filter((t) => t.startsWith('负责人（签字）'))).toHaveLength(1);
    // Chinese text needs about two character units per character: 专科学校 must fit its longest value.
    const school = sheet.getColumn(5);
    expect(school.width ?? 0).toBeGreaterThanOrEqual(18);
  });

  it('opens in LibreOffice headless (an independent office program) and converts to PDF', () => {
    const soffice = spawnSync('which', ['soffice'], { encoding: 'utf8' }).stdout.trim();
    // No silent skip: without LibreOffice this check fails and says what to install.
    expect(soffice, 'soffice not found: apt-get install -y --no-install-recommends libreoffice-calc-nogui').not.toBe('');
    const conv = join(root, 'lo');
    const profile = join(root, 'lo-profile');
    const r = spawnSync(soffice, [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', conv, xlsxOf(out.poverty)], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    const pdf = readdirSync(conv).find((f) => f.endsWith('.pdf'));
    expect(pdf).toBeDefined();
    const text = textOf(join(conv, pdf ?? ''));
    const poverty = all.filter((a) => a.category === 'poverty' && a.decision);
    for (const a of poverty) expect(text).toContain(a.id_number);
    expect(text).toContain('建档立卡脱贫家庭考生资格审核表');
  }, 180_000);
});

describe('verify', () => {
  it('accepts an intact export and reports what it checked', () => {
    const r = verifyExport(out.exempt.dir);
    expect(r).toMatchObject({ exportId: out.exempt.exportId, pdfSigner: p12.subject, college: '湖南交通职业技术学院' });
    expect(r.files.map((f) => f.name).sort()).toEqual(out.exempt.files.map((f) => f.name).sort());
  });

  it('names the file when one byte of any exported file changes', () => {
    for (const name of [...out.exempt.files.map((f) => f.name), 'manifest.json']) {
      const copy = join(root, `flip-${name}`);
      cpSync(out.exempt.dir, copy, { recursive: true });
      const file = join(copy, name);
      const bytes = readFileSync(file);
      // A byte in the middle of the content (for the manifest: inside a value, so it stays JSON).
      const at = name === 'manifest.json' ? bytes.indexOf('"rows": ') + 8 : Math.floor(bytes.length / 2);
      bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31;
      writeFileSync(file, bytes);
      const problems = verifyProblems(copy);
      expect(problems.length, name).toBeGreaterThan(0);
      expect(problems[0]?.file).toBe(name);
      if (name !== 'manifest.json') expect(problems.map((p) => p.code)).toContain('file_changed');
      else expect(problems.map((p) => p.code)).toContain('manifest_signature');
    }
  });

  it('fails when a file is removed or added', () => {
    const removed = join(root, 'removed');
    cpSync(out.poverty.dir, removed, { recursive: true });
    const xlsx = out.poverty.files.find((f) => f.name.endsWith('.xlsx'))?.name ?? '';
    unlinkSync(join(removed, xlsx));
    expect(verifyProblems(removed)).toEqual([expect.objectContaining({ file: xlsx, code: 'file_missing' })]);

    const added = join(root, 'added');
    cpSync(out.poverty.dir, added, { recursive: true });
    writeFileSync(join(added, '补充说明.txt'), '后加的文件');
    expect(verifyProblems(added)).toEqual([expect.objectContaining({ file: '补充说明.txt', code: 'file_added' })]);

    const noManifest = join(root, 'no-manifest');
    cpSync(out.poverty.dir, noManifest, { recursive: true });
    unlinkSync(join(noManifest, 'manifest.json'));
    expect(verifyProblems(noManifest)).toEqual([expect.objectContaining({ file: 'manifest.json', code: 'manifest_missing' })]);
  });

  it('fails when a PDF of another export is put in place of this one', () => {
    const swapped = join(root, 'swapped');
    cpSync(out.exempt.dir, swapped, { recursive: true });
    const pdfName = out.exempt.files.find((f) => f.name.endsWith('.pdf'))?.name ?? '';
    cpSync(pdfOf(out.poverty), join(swapped, pdfName));
    const codes = verifyProblems(swapped).map((p) => `${p.file}:${p.code}`);
    expect(codes).toContain(`${pdfName}:file_changed`);
    expect(codes).toContain(`${pdfName}:pdf_binding`);
  });
});

describe('export rules', () => {
  it('refuses while applicants are undecided, returned, in conflict or changed; a draft is watermarked and unsigned', async () => {
    const dir = tempDir();
    const w = await decidedWorkspace(dir);
    try {
      const [pending, returned, conflicted, changed] = await addApplicants(w, [
        { name: '待审甲', category: 'veteran' },
        { name: '退回乙', category: 'competition', decision: 'return', reasons: ['blurry'] },
        { name: '冲突丙', category: 'veteran', decision: 'approve' },
        { name: '变更丁', category: 'competition', decision: 'approve' },
      ]);
      // 冲突丙: another PC's 不通过, made without seeing this PC's 通过 (it supersedes nothing), as a merge leaves it.
      appendEvents(w, 'pc-b', [{ kind: 'decision', idNumber: conflicted ?? '', decision: 'reject', reasons: ['blurry'], reviewer: '李老师', supersedes: [] }]);
      expect(stateOfApplicant(w, conflicted ?? '').status).toBe('conflict');
      // 变更丁: a corrected list changes the school after the decision.
      await importApplicants(w, listApplicantRecords(w.db).map((a) => (a.declared.idNumber === changed ? { ...a.declared, school: '湖南新学院' } : a.declared)), { checks: false });
      const check = checkExport(w, 'exempt');
      expect(check.blockers.map((b) => [b.name, b.problem])).toEqual(
        expect.arrayContaining([['待审甲', 'pending'], ['退回乙', 'returned'], ['冲突丙', 'conflict'], ['变更丁', 'changed']]),
      );
      expect(check.blockers.every((b) => !b.idMasked.includes(pending ?? '') && b.idMasked.includes('*'))).toBe(true);
      expect(returned).toBeDefined();

      const err = await runExport(w, 'd', { table: 'exempt', out: join(dir, 'final'), p12Path: p12.path, passphrase: p12.passphrase, draft: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeskError);
      expect((err as DeskError).code).toBe('export_blocked');
      expect(((err as DeskError).details as { message: string }[]).map((d) => d.message).join('\n')).toMatch(/待审甲.*尚未审核/);
      expect(existsSync(join(dir, 'final'))).toBe(false);

      // The poverty table is not blocked by exempt applicants.
      await expect(runExport(w, 'd', { table: 'poverty', out: join(dir, 'poverty'), draft: false })).resolves.toMatchObject({ draft: false, pdfSigner: null });

      const draft = await runExport(w, 'd', { table: 'exempt', out: join(dir, 'draft'), p12Path: p12.path, passphrase: p12.passphrase, draft: true });
      expect(draft.pdfSigner).toBeNull();
      const pdf = pdfOf(draft);
      expect(readFileSync(pdf).includes('/ByteRange')).toBe(false);
      const text = textOf(pdf);
      expect(text).toContain('草稿');
      expect(text).toContain('待审甲');
      const manifest = JSON.parse(readFileSync(join(draft.dir, 'manifest.json'), 'utf8')) as { signature: unknown; body: { draft: boolean } };
      expect(manifest).toMatchObject({ signature: null, body: { draft: true } });
      expect(verifyProblems(draft.dir).map((p) => p.code)).toContain('draft');

      expect(exportHistory(w).map((h) => [h.table, h.draft])).toEqual(expect.arrayContaining([['poverty', false], ['exempt', true]]));
    } finally {
      w.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a wrong certificate passphrase and a non-empty output folder before writing', async () => {
    const target = join(root, 'wrong-pass');
    await expect(runExport(ws, 'd', { table: 'exempt', out: target, p12Path: p12.path, passphrase: 'nope', draft: false })).rejects.toMatchObject({ code: 'p12_passphrase' });
    expect(existsSync(target)).toBe(false);
    await expect(runExport(ws, 'd', { table: 'exempt', out: out.exempt.dir, draft: false })).rejects.toMatchObject({ code: 'out_not_empty' });
  });
});

describe('CLI', () => {
  it('exports and verifies; exit 1 naming the file after tampering', async () => {
    const lines: string[] = [];
    const errs: string[] = [];
    const o = (s: string): void => void lines.push(s);
    const e = (s: string): void => void errs.push(s);
    process.env.DESK_TEST_P12_PASS = p12.passphrase;
    const dir = join(root, 'cli-out');
    const code = await runCli(['export', '--workspace', ws.dir, '--table', 'notice', '--out', dir, '--p12', p12.path, '--passphrase-env', 'DESK_TEST_P12_PASS'], o, e);
    expect(errs.join('\n')).toBe('');
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('公示名单');
    expect(await runCli(['verify', dir], o, e)).toBe(0);
    expect(lines.join('\n')).toContain('校验通过');

    const pdf = readdirSync(dir).find((f) => f.endsWith('.pdf')) ?? '';
    const bytes = readFileSync(join(dir, pdf));
    const at = bytes.length - 20;
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    writeFileSync(join(dir, pdf), bytes);
    errs.length = 0;
    expect(await runCli(['verify', dir], o, e)).toBe(1);
    expect(errs.join('\n')).toContain(pdf);
    expect(errs.join('\n')).toContain('文件内容已被修改');
  });

  it('with --key, refuses a complete, self-consistent export signed by another key', async () => {
    // The forger has a desk of their own: same college name, same applicants, their own key.
    const forgerDir = tempDir();
    const forger = await decidedWorkspace(forgerDir);
    const lines: string[] = [];
    const errs: string[] = [];
    const o = (s: string): void => void lines.push(s);
    const e = (s: string): void => void errs.push(s);
    try {
      const forged = await runExport(forger, 'f', { table: 'poverty', out: join(forgerDir, 'forged'), draft: false });
      const genuine = out.poverty.keyFingerprint;
      expect(forged.keyFingerprint).not.toBe(genuine);
      // Without the office's fingerprint the folder is intact and self-consistent, so it passes …
      expect(verifyExport(forged.dir)).toMatchObject({ keyChecked: false });
      expect(await runCli(['verify', forged.dir], o, e)).toBe(0);
      expect(lines.join('\n')).toContain('--key');
      // … with it, it does not, and the message names both fingerprints.
      const spaced = genuine.slice(0, 16).replace(/(.{4})(?!$)/g, '$1 ').toUpperCase();
      expect(await runCli(['verify', forged.dir, '--key', spaced], o, e)).toBe(1);
      expect(errs.join('\n')).toContain('另一把密钥');
      expect(errs.join('\n')).toContain(forged.keyFingerprint.slice(0, 16));
      // The genuine folder passes with the same fingerprint, full or shortened.
      expect(verifyExport(out.poverty.dir, genuine)).toMatchObject({ keyChecked: true });
      lines.length = 0;
      expect(await runCli(['verify', out.poverty.dir, '--key', spaced], o, e)).toBe(0);
      expect(lines.join('\n')).toContain('签名密钥与所给指纹一致');
      // A fingerprint that is not one is a usage error naming what was expected.
      errs.length = 0;
      expect(await runCli(['verify', out.poverty.dir, '--key', 'abc'], o, e)).not.toBe(0);
      expect(errs.join('\n')).toContain('16–64 位十六进制');
    } finally {
      forger.close();
    }
  });
});

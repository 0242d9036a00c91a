/**
 * The CLI adapter end to end on real files: demo → import → decide → status, and a refused
 * import of a broken list that leaves the workspace byte-for-byte unchanged.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, type CliCommand } from '../../../electron/adapters/cli/commands.js';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { isApiName } from '../../../shared/api/index.js';
import { tempDir } from '../../fixtures/tmp.js';

const t = tempDir();
const demo = join(t.dir, '演示 学院');
const ws = join(t.dir, '工作区 一');

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, (s) => (out += s + '\n'), (s) => (err += s + '\n'));
  return { code, out, err };
}

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('CLI', () => {
  beforeAll(async () => {
    process.env.DESK_HOME = join(t.dir, 'home');
    const r = await cli('demo', '--out', demo, '--applicants', '24', '--seed', '3');
    expect(r.code, r.err).toBe(0);
  }, 120_000);
  afterAll(() => t.cleanup());

  it('imports the demo college and reports counts', async () => {
    const r = await cli('import', '--workspace', ws, '--list', join(demo, 'applicants.xlsx'), '--attachments', join(demo, 'attachments'), '--json');
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(r.out) as { ok: true; value: { added: number; documents: number } };
    expect(res.value.added).toBe(24);
    expect(res.value.documents).toBeGreaterThan(15);
  });

  it('records decisions and counts them by category and decision', async () => {
    const truth = JSON.parse(readFileSync(join(demo, 'truth.json'), 'utf8')) as { documents: { idNumber: string }[] };
    const [a, b] = [...new Set(truth.documents.map((d) => d.idNumber))];
    expect((await cli('decide', '--workspace', ws, '--applicant', a!, '--decision', 'approve', '--reviewer', '李老师')).code).toBe(0);
    expect((await cli('decide', '--workspace', ws, '--applicant', b!, '--decision', 'reject', '--reason', 'blurry', '--note', '看不清', '--reviewer', '李老师')).code).toBe(0);
    const status = await cli('status', '--workspace', ws, '--json');
    const s = JSON.parse(status.out) as { value: { total: number; byDecision: Record<string, number> } };
    expect(s.value.total).toBe(24);
    expect(s.value.byDecision).toMatchObject({ approve: 1, reject: 1, pending: 22 });
  });

  it('refuses a reject without a reason and an unknown applicant, with exit 1', async () => {
    const truth = JSON.parse(readFileSync(join(demo, 'truth.json'), 'utf8')) as { documents: { idNumber: string }[] };
    const r = await cli('decide', '--workspace', ws, '--applicant', truth.documents[0]!.idNumber, '--decision', 'reject', '--reviewer', '李老师');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/至少一个理由/);
    expect((await cli('decide', '--workspace', ws, '--applicant', '110105194912310021', '--decision', 'approve', '--reviewer', 'x')).code).toBe(1);
    expect((await cli('decide', '--workspace', ws, '--applicant', 'x', '--decision', 'maybe', '--reviewer', 'x')).code).toBe(2);
    expect((await cli('nonsense')).code).toBe(2);
  });

  it('reads argv into the typed call before anything runs: a missing or wrong option is a usage error (exit 2) naming it', async () => {
    const before = fileHash(join(ws, 'desk.sqlite'));
    const missing = await cli('decide', '--workspace', ws, '--decision', 'approve', '--reviewer', '李老师');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/缺少 --applicant/);
    expect(missing.err).toMatch(/用法：decide/);
    const wrong = await cli('decide', '--workspace', ws, '--applicant', '110105194912310021', '--decision', 'maybe', '--reviewer', '李老师');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/--decision 应为 approve\|reject\|return，而不是“maybe”/);
    const table = await cli('export', '--workspace', ws, '--table', 'all', '--out', join(t.dir, 'never'));
    expect(table.code).toBe(2);
    expect(table.err).toMatch(/--table 应为 exempt\|poverty\|notice/);
    expect(fileHash(join(ws, 'desk.sqlite'))).toBe(before);
  });

  it('types every command by its contract call: a command whose arguments do not fit its call does not compile', () => {
    const ok: CliCommand = { name: 'x', summary: '', usage: '', options: {}, workspace: 'open', call: 'decisions.history', toArgs: () => ({ idNumber: '1' }), print: (h) => h.status };
    // @ts-expect-error decisions.history takes an idNumber, not an id (the contract, not the CLI, says so)
    const wrongArgs: CliCommand = { name: 'x', summary: '', usage: '', options: {}, workspace: 'open', call: 'decisions.history', toArgs: () => ({ id: '1' }) };
    // @ts-expect-error print receives the call's result: ApplicantHistory has no 'drawn'
    const wrongPrint: CliCommand = { name: 'x', summary: '', usage: '', options: {}, workspace: 'open', call: 'decisions.history', toArgs: () => ({ idNumber: '1' }), print: (h) => String(h.drawn) };
    expect([ok, wrongArgs, wrongPrint].map((c) => c.call)).toEqual(['decisions.history', 'decisions.history', 'decisions.history']);
    // Every command in the table names a call the contract has.
    for (const c of COMMANDS) expect(isApiName(c.call), c.name).toBe(true);
  });

  it.each(['duplicate_id.xlsx', 'excel_number_id.xlsx', 'missing_column.xlsx'])(
    'refuses broken/%s with row-precise errors and leaves the workspace byte-for-byte unchanged',
    async (file) => {
      const db = join(ws, 'desk.sqlite');
      // Checkpoint so the main file holds everything, then compare it before and after.
      execFileSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(db)});d.pragma('wal_checkpoint(TRUNCATE)');d.close()`]);
      const before = fileHash(db);
      const r = await cli('import', '--workspace', ws, '--list', join(demo, 'broken', file), '--json');
      expect(r.code).toBe(1);
      const res = JSON.parse(r.out) as { ok: false; error: { code: string }; errors: { file: string; code: string; row?: number; column?: string; message: string }[] };
      expect(res).toMatchObject({ ok: false, error: { code: 'import_refused' } });
      expect(res.errors.length).toBeGreaterThan(0);
      for (const e of res.errors) {
        expect(e.file).toBe(file);
        expect(e.message.length).toBeGreaterThan(5);
      }
      if (file !== 'missing_column.xlsx') expect(res.errors[0]!.row).toBeGreaterThan(1);
      execFileSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(db)});d.pragma('wal_checkpoint(TRUNCATE)');d.close()`]);
      expect(fileHash(db)).toBe(before);
    },
  );

  it('runs as a real process through npm run cli', () => {
    const r = spawnSync('npm', ['run', '--silent', 'cli', '--', 'status', '--workspace', ws], { encoding: 'utf8', env: { ...process.env } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/共 24 人/);
    const bad = spawnSync('npm', ['run', '--silent', 'cli', '--', 'status', '--workspace', join(t.dir, 'missing')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/工作区不存在/);
  });
});

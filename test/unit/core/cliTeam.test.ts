/**
 * The CLI once a workspace has accounts (issue 15): every command takes --user NAME --secret-env
 * VAR and acts as that account (decide and undo used to fail with sign_in_required), and the
 * team workflow has commands of its own: 复核 (signoff pending|confirm|overturn) and QC
 * (qc draw|queue|record|agreement), each refused to the wrong role by its code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { workspaceWith, type TestWorkspace } from '../../fixtures/workspace.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string; json: { ok: boolean; value?: unknown; error?: { code: string } } | null }> {
  let out = '';
  let err = '';
  const code = await runCli(args, (s) => (out += s + '\n'), (s) => (err += s + '\n'));
  let json = null;
  try {
    json = JSON.parse(out) as { ok: boolean; value?: unknown; error?: { code: string } };
  } catch {
    // Human output.
  }
  return { code, out, err, json };
}

const SECRETS = { CLI_ADMIN: 'admin-2468', CLI_SUP: 'sup-1357', CLI_REV: 'rev-1234', CLI_REV2: 'rev-5678' } as const;

describe('CLI with accounts', () => {
  let t: TestWorkspace;
  let ws = '';
  const as = (user: string, env: keyof typeof SECRETS): string[] => ['--user', user, '--secret-env', env];
  beforeAll(async () => {
    t = await workspaceWith(8);
    ws = t.ws.dir;
    Object.assign(process.env, SECRETS);
    expect((await cli('account', 'create', '--workspace', ws, '--name', '王主任', '--role', 'admin', '--new-secret-env', 'CLI_ADMIN')).code).toBe(0);
    for (const [name, role, env] of [['刘复核', 'supervisor', 'CLI_SUP'], ['张老师', 'reviewer', 'CLI_REV'], ['李老师', 'reviewer', 'CLI_REV2']] as const) {
      const r = await cli('account', 'create', '--workspace', ws, '--name', name, '--role', role, '--new-secret-env', env, ...as('王主任', 'CLI_ADMIN'));
      expect(r.code, r.err).toBe(0);
    }
  });
  afterAll(() => {
    for (const k of Object.keys(SECRETS)) delete process.env[k];
    t.close();
  });

  it('decides and undoes as the signed-in --user, and refuses without a sign-in or with a wrong secret', async () => {
    const [a] = t.ids;
    const bare = await cli('decide', '--workspace', ws, '--applicant', a!, '--decision', 'approve', '--reviewer', '张老师', '--json');
    expect(bare.code).toBe(1);
    expect(bare.json?.error?.code).toBe('sign_in_required');
    const decided = await cli('decide', '--workspace', ws, '--applicant', a!, '--decision', 'approve', ...as('张老师', 'CLI_REV'), '--json');
    expect(decided.code, decided.err).toBe(0);
    expect(decided.json?.value).toMatchObject({ event: { reviewer: '张老师', decision: 'approve' } });
    const wrong = await cli('decide', '--workspace', ws, '--applicant', a!, '--decision', 'approve', ...as('张老师', 'CLI_REV2'), '--json');
    expect(wrong.json?.error?.code).toBe('sign_in_failed');
    const other = await cli('decide', '--workspace', ws, '--applicant', a!, '--decision', 'approve', '--reviewer', '李老师', ...as('张老师', 'CLI_REV'), '--json');
    expect(other.json?.error?.code).toBe('not_signed_in_as');
    const undone = await cli('undo', '--workspace', ws, '--applicant', a!, ...as('张老师', 'CLI_REV'), '--json');
    expect(undone.code, undone.err).toBe(0);
    expect(undone.json?.value).toMatchObject({ status: 'pending', reviewer: '张老师' });
    // A secret variable that is not set is a usage error, said plainly.
    const missing = await cli('decide', '--workspace', ws, '--applicant', a!, '--decision', 'approve', '--user', '张老师', '--secret-env', 'CLI_NOT_SET');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('CLI_NOT_SET');
  });

  it('signs off 初审 decisions: the queue and the verdicts are the supervisor\'s, refused to a reviewer', async () => {
    const [, b, c] = t.ids;
    for (const id of [b!, c!]) expect((await cli('decide', '--workspace', ws, '--applicant', id, '--decision', 'approve', ...as('张老师', 'CLI_REV'))).code).toBe(0);
    expect((await cli('signoff', 'pending', '--workspace', ws, ...as('张老师', 'CLI_REV'), '--json')).json?.error?.code).toBe('forbidden');
    const pending = await cli('signoff', 'pending', '--workspace', ws, ...as('刘复核', 'CLI_SUP'));
    expect(pending.code, pending.err).toBe(0);
    expect(pending.out).toContain('待复核 2 人');
    expect((await cli('signoff', 'confirm', '--workspace', ws, '--applicant', b!, ...as('张老师', 'CLI_REV'), '--json')).json?.error?.code).toBe('forbidden');
    expect((await cli('signoff', 'confirm', '--workspace', ws, '--applicant', b!, ...as('刘复核', 'CLI_SUP'))).code).toBe(0);
    const noReason = await cli('signoff', 'overturn', '--workspace', ws, '--applicant', c!, '--decision', 'reject', ...as('刘复核', 'CLI_SUP'), '--json');
    expect(noReason.json?.error?.code).toBe('reason_required');
    const over = await cli('signoff', 'overturn', '--workspace', ws, '--applicant', c!, '--decision', 'reject', '--reason', 'blurry', '--note', '毕业证看不清', ...as('刘复核', 'CLI_SUP'), '--json');
    expect(over.code, over.err).toBe(0);
    expect(over.json?.value).toMatchObject({ status: 'reject', kind: 'review', reviewer: '刘复核' });
    expect((await cli('signoff', 'pending', '--workspace', ws, ...as('王主任', 'CLI_ADMIN'))).out).toContain('没有待复核的结论');
  });

  it('draws a QC sample (supervisor), reviews it blind (not the first reviewer) and reports agreement (supervisor)', async () => {
    expect((await cli('qc', 'draw', '--workspace', ws, '--percent', '100', ...as('张老师', 'CLI_REV'), '--json')).json?.error?.code).toBe('forbidden');
    const draw = await cli('qc', 'draw', '--workspace', ws, '--percent', '100', '--seed', '3', ...as('刘复核', 'CLI_SUP'), '--json');
    expect(draw.code, draw.err).toBe(0);
    const drawn = (draw.json?.value as { idNumbers: string[] }).idNumbers;
    expect(drawn).toEqual([t.ids[1]]);
    const queue = await cli('qc', 'queue', '--workspace', ws, ...as('李老师', 'CLI_REV2'), '--json');
    expect(Object.keys((queue.json?.value as Record<string, unknown>[])[0] ?? {}).sort()).toEqual(['category', 'drawnAt', 'idMasked', 'idNumber', 'name']);
    const own = await cli('qc', 'record', '--workspace', ws, '--applicant', drawn[0]!, '--decision', 'approve', ...as('张老师', 'CLI_REV'), '--json');
    expect(own.json?.error?.code).toBe('qc_same_reviewer');
    const second = await cli('qc', 'record', '--workspace', ws, '--applicant', drawn[0]!, '--decision', 'approve', ...as('李老师', 'CLI_REV2'));
    expect(second.code, second.err).toBe(0);
    expect(second.out).toContain('与初审结论一致');
    expect((await cli('qc', 'agreement', '--workspace', ws, ...as('李老师', 'CLI_REV2'), '--json')).json?.error?.code).toBe('forbidden');
    const agreement = await cli('qc', 'agreement', '--workspace', ws, ...as('刘复核', 'CLI_SUP'));
    expect(agreement.out).toMatch(/张老师：抽取 1，已抽检 1，一致 1，一致率 100%/);
  });

  it('assigns and settles as the signed-in --user, and says in the help that every command takes it', async () => {
    const r = await cli('assign', '--workspace', ws, '--reviewer', '李老师', '--category', 'veteran', ...as('张老师', 'CLI_REV'), '--json');
    expect(r.json?.error?.code).toBe('forbidden');
    expect((await cli('assign', '--workspace', ws, '--reviewer', '李老师', '--category', 'veteran', ...as('刘复核', 'CLI_SUP'))).code).toBe(0);
    expect((await cli('help')).out).toContain('--user NAME --secret-env VAR');
  });
});

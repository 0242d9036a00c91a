/**
 * The command line of issue 19: a clone for another PC enrols it and prints the one-time setup
 * code once; that PC's account holder sets a secret there with it; `sync status` shows the key an
 * admin enrols and the root the office compares; `sync enrol` enrols a PC by its key.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { configFromEnv, configure, resetConfig } from '../../../electron/platform/config.js';
import { seedWorkspace, tempDir } from '../sync/helpers.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, (s) => (out += s + '\n'), (s) => (err += s + '\n'));
  return { code, out, err };
}

beforeEach(() => configure({ ...configFromEnv({}), home: tempDir(), log: false, ocr: false }));
afterEach(() => {
  resetConfig();
  delete process.env.T19_ADMIN;
  delete process.env.T19_NEW;
});

describe('cli: clone, enrol, set a secret on the new PC', () => {
  it('prints the setup code once, and the account sets its secret on the clone with it', async () => {
    const dir = tempDir();
    const a = seedWorkspace(join(dir, 'a'), 2);
    a.close();
    process.env.T19_ADMIN = 'Office#Desk-2026';
    process.env.T19_NEW = '583920';
    expect((await cli('account', 'create', '--workspace', join(dir, 'a'), '--name', 'admin', '--role', 'admin', '--new-secret-env', 'T19_ADMIN')).code).toBe(0);
    const weak = await cli('account', 'create', '--workspace', join(dir, 'a'), '--name', '张老师', '--role', 'reviewer', '--new-secret-env', 'T19_WEAK', '--user', 'admin', '--secret-env', 'T19_ADMIN');
    expect(weak.code).not.toBe(0);
    expect((await cli('account', 'create', '--workspace', join(dir, 'a'), '--name', '张老师', '--role', 'reviewer', '--new-secret-env', 'T19_NEW', '--user', 'admin', '--secret-env', 'T19_ADMIN')).code).toBe(0);
    // Enrolling a PC is the admin's: without credentials the clone is refused.
    expect((await cli('workspace', 'clone', '--workspace', join(dir, 'a'), '--out', join(dir, 'x'), '--no-scans')).code).not.toBe(0);
    const clone = await cli('workspace', 'clone', '--workspace', join(dir, 'a'), '--out', join(dir, 'b'), '--no-scans', '--accounts', '张老师', '--user', 'admin', '--secret-env', 'T19_ADMIN');
    expect(clone.code, clone.err).toBe(0);
    const code = /^ {2}张老师：([A-Z2-9-]{23})$/m.exec(clone.out)?.[1];
    expect(code).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
    expect(clone.out).toContain('加密 U 盘');
    // On B: 张老师 has no secret yet; the code sets one.
    process.env.T19_NEW = '715264';
    const wrong = await cli('account', 'enrol-here', '--workspace', join(dir, 'b'), '--name', '张老师', '--setup-code', 'AAAAA-AAAAA-AAAAA-AAAAA', '--new-secret-env', 'T19_NEW');
    expect(wrong.code).not.toBe(0);
    expect(wrong.err + wrong.out).toContain('设置码不正确');
    const right = await cli('account', 'enrol-here', '--workspace', join(dir, 'b'), '--name', '张老师', '--setup-code', code ?? '', '--new-secret-env', 'T19_NEW');
    expect(right.code, right.err).toBe(0);
    // Signed in there now (every call needs a session once the college has accounts).
    const status = await cli('sync', 'status', '--workspace', join(dir, 'b'), '--user', '张老师', '--secret-env', 'T19_NEW');
    expect(status.out, status.err).toMatch(/本机公钥（管理员登记本机时需要）：[A-Za-z0-9+/=]{44}/);
    expect(status.out).toContain('本机已登记，可代表：张老师');
    // The enrolled PC's own key, enrolled again by the admin on A for another account.
    const key = /本机公钥（管理员登记本机时需要）：(\S+)/.exec(status.out)?.[1] ?? '';
    const typo = await cli('sync', 'enrol', '--workspace', join(dir, 'a'), '--key', key, '--accounts', '张老师,李老帅', '--user', 'admin', '--secret-env', 'T19_ADMIN');
    expect(typo.code).not.toBe(0);
    expect(typo.err + typo.out).toContain('学院没有这些账户：李老帅');
    const enrol = await cli('sync', 'enrol', '--workspace', join(dir, 'a'), '--key', key, '--accounts', '张老师,admin', '--user', 'admin', '--secret-env', 'T19_ADMIN');
    expect(enrol.code, enrol.err).toBe(0);
    expect(enrol.out).toMatch(/^ {2}张老师：[A-Z2-9-]{23}\n {2}admin：[A-Z2-9-]{23}$/m);
  });
});

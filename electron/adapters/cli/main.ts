/**
 * `npm run cli -- <command>`: the CLI adapter over the API contract, used by admins, the
 * provincial office (verify) and tests. Exit 0 on success, 1 when the input was refused, 2 on
 * wrong usage.
 *
 * Every command on a workspace takes `--user NAME --secret-env VAR`: once the workspace has
 * accounts, the CLI signs in as that account (the password or PIN read from the environment
 * variable VAR, never from the command line) before the command's call, so decisions, undo,
 * 复核, QC and every other write act under that account's name and role.
 */
import { parseArgs } from 'node:util';
import { createDesk } from '../../app/desk.js';
import type { OcrSpawner } from '../../ocr/index.js';
import { configFromEnv, configure } from '../../platform/index.js';
import type { ApiName, ApiResult } from '../../../shared/api/index.js';
import { cliSecret, COMMANDS, UsageError, type CliCommand, type CommandOf, type ParsedOptions } from './commands.js';

function usage(): string {
  return [
    '资格审核台 命令行 / Review desk CLI', '', ...COMMANDS.map((c) => `  ${c.usage.padEnd(70)} ${c.summary}`), '',
    '对工作区的每个命令都可加 --user NAME --secret-env VAR：启用账户后，先以该账户登录（密码或 PIN 从环境变量 VAR 读取）再执行。',
    'Every command on a workspace takes --user NAME --secret-env VAR: with accounts, it signs in as NAME first (secret read from VAR).',
  ].join('\n');
}

function findCommand(argv: string[]): { cmd: CliCommand; rest: string[] } | null {
  // Longest name first so 'sync export' wins over a hypothetical 'sync'.
  const sorted = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const cmd of sorted) {
    const words = cmd.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { cmd, rest: argv.slice(words.length) };
  }
  return null;
}

export async function runCli(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + '\n'),
  err: (s: string) => void = (s) => process.stderr.write(s + '\n'),
  /** The Electron app passes its OCR process starter (a utility process). */
  opts: { ocrSpawner?: OcrSpawner } = {},
): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    out(usage());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    err(`未知命令：${argv.join(' ')}\n\n${usage()}`);
    return 2;
  }
  const { cmd, rest } = found;
  let values: ParsedOptions;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: rest,
      options: {
        ...cmd.options, workspace: { type: 'string' }, college: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' },
        user: { type: 'string' }, 'secret-env': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values as ParsedOptions;
    positionals = parsed.positionals;
  } catch (e) {
    err(`${(e as Error).message}\n用法：${cmd.usage}`);
    return 2;
  }
  if (values.help) {
    out(`用法：${cmd.usage}\n${cmd.summary}`);
    return 0;
  }
  const json = values.json === true;
  const wsDir = typeof values.workspace === 'string' ? values.workspace : undefined;
  if (cmd.workspace !== 'none' && !wsDir) {
    err(`缺少 --workspace 参数。\n用法：${cmd.usage}`);
    return 2;
  }
  let desk;
  try {
    desk = createDesk(cmd.workspace === 'none' ? undefined : wsDir, {
      create: cmd.workspace === 'create',
      // A desk may have the workspace open: the CLI's writes wait for it rather than fail.
      busyTimeoutMs: 60_000,
      ...(opts.ocrSpawner ? { ocrSpawner: opts.ocrSpawner } : {}),
      ...(typeof values.college === 'string' ? { college: values.college } : {}),
    });
  } catch (e) {
    const message = (e as Error).message;
    if (json) out(JSON.stringify({ ok: false, error: { code: (e as { code?: string }).code ?? 'workspace', message }, errors: [] }, null, 2));
    else err(message);
    return 1;
  }
  const fail = (code: string, message: string): void => {
    if (json) out(JSON.stringify({ ok: false, error: { code, message }, errors: [] }, null, 2));
    else err(message);
  };
  try {
    const user = typeof values.user === 'string' ? values.user.trim() : '';
    if (user && cmd.workspace !== 'none') {
      const who = await desk.dispatch('accounts.whoami', {});
      if (who.ok && (who.value as { accountsEnabled: boolean }).accountsEnabled) {
        const secret = cliSecret(values);
        if (!secret) {
          err(`环境变量 ${typeof values['secret-env'] === 'string' ? values['secret-env'] : 'DESK_SECRET'} 中没有 ${user} 的密码或 PIN（用 --secret-env 指定变量名）。`);
          return 2;
        }
        const signed = await desk.dispatch('accounts.signIn', { name: user, secret });
        if (!signed.ok) {
          fail(signed.error.code, signed.error.message);
          return 1;
        }
      }
    }
    let args;
    try {
      args = cmd.toArgs(values, positionals);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      err(`${e.message}\n用法：${cmd.usage}`);
      return 2;
    }
    // Paths on the command line become handles, as a chosen file does in the app: one rule
    // (the kinds of FILE_ARGS) for every adapter.
    const res = await desk.dispatch(cmd.call, desk.files.toHandles(cmd.call, args));
    if (!res.ok) {
      const details = Array.isArray(res.error.details) ? res.error.details : [];
      // A refusal's details that are not a list of problems (e.g. what a restore would drop) go with the error.
      const about = res.error.details !== undefined && !Array.isArray(res.error.details) ? { details: res.error.details } : {};
      if (json) out(JSON.stringify({ ok: false, error: { code: res.error.code, message: res.error.message, ...about }, errors: details }, null, 2));
      else {
        err(res.error.message);
        for (const d of details.slice(0, 50)) err(`  - ${formatDetail(d)}`);
      }
      return res.error.code === 'invalid_args' ? 2 : 1;
    }
    out(json ? JSON.stringify({ ok: true, value: res.value }, null, 2) : printed(cmd, res.value, values));
    return 0;
  } finally {
    desk.close();
  }
}

/**
 * The command's human output. The dispatcher returned what the contract promises for cmd.call
 * (its handler is typed by the same contract), so the value is that call's result.
 */
function printed<N extends ApiName>(cmd: CommandOf<N>, value: unknown, values: ParsedOptions): string {
  return cmd.print ? cmd.print(value as ApiResult<N>, values) : JSON.stringify(value, null, 2);
}

function formatDetail(d: unknown): string {
  if (d && typeof d === 'object') {
    const p = d as { file?: string; sheet?: string; row?: number; column?: string; value?: string; message?: string };
    return [p.file, p.sheet, p.row ? `第 ${p.row} 行` : '', p.column ? `列“${p.column}”` : '', p.value ? `值“${p.value}”` : '', p.message]
      .filter(Boolean)
      .join(' · ');
  }
  return String(d);
}

const isMain = process.argv[1] && /cli[\\/]main\.(ts|js|cjs|mjs)$/.test(process.argv[1]);
if (isMain) {
  configure(configFromEnv(process.env));
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`内部错误：${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}

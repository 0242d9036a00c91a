/**
 * The one dispatcher behind every adapter: checks the call name, then who is calling (deny by
 * default: shared/api/roles.ts), then resolves file handles, validates the argument with the
 * contract's zod schema before any service sees it, and turns every outcome into an envelope.
 */
import './messages.js';
import { logCall } from '../platform/index.js';
import { apiArgs, DeskError, isApiName, type ApiName, type Envelope, type Handlers } from '../../shared/api/index.js';
import type { Guard } from './access.js';
import type { FileRegistry } from './files.js';

export type Dispatch = (name: string, rawArgs: unknown) => Promise<Envelope<unknown>>;

export interface DispatchOptions {
  /** Resolves file handles in file arguments (FILE_ARGS) to paths before validation. */
  files?: FileRegistry;
  /** Raw paths in file arguments are accepted (default) or refused. */
  rawPaths?: boolean;
  /**
   * Who may make the call (electron/app/access.ts). Runs before the files are resolved, so a
   * caller without the role learns nothing about handles or paths either.
   */
  guard?: Guard;
}

export function createDispatcher(getHandlers: () => Handlers, opts: DispatchOptions = {}): Dispatch {
  return async (name, rawArgs) => {
    if (!isApiName(name)) {
      return { ok: false, error: { code: 'unknown_call', message: `未知的调用：${String(name).slice(0, 80)}` } };
    }
    let args: unknown = rawArgs ?? {};
    if (opts.guard) {
      try {
        opts.guard(name, args);
      } catch (e) {
        const error = toApiError(e);
        logCall(name, 0, error.code);
        return { ok: false, error };
      }
    }
    if (opts.files) {
      try {
        args = opts.files.resolveArgs(name, args, { rawPaths: opts.rawPaths ?? true });
      } catch (e) {
        return { ok: false, error: toApiError(e) };
      }
    }
    const parsed = apiArgs[name].safeParse(args);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(参数)'}: ${i.message}`);
      return {
        ok: false,
        error: { code: 'invalid_args', message: `参数不正确（${name}）：${issues.join('; ')}`, details: issues },
      };
    }
    const started = performance.now();
    try {
      const handler = getHandlers()[name] as (a: unknown) => unknown;
      const value = await handler(parsed.data);
      logCall(name, performance.now() - started);
      return { ok: true, value };
    } catch (e) {
      const error = toApiError(e);
      // Only the call name and the error code are logged: arguments and messages may carry PII.
      logCall(name, performance.now() - started, error.code);
      return { ok: false, error };
    }
  };
}

export function toApiError(e: unknown): { code: string; message: string; details?: unknown } {
  if (e instanceof DeskError) return { code: e.code, message: e.message, details: e.details };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `内部错误：${message}` };
}

/** Typed call for in-process users (CLI, tests). */
export async function call<K extends ApiName>(dispatch: Dispatch, name: K, args: unknown): Promise<Envelope<unknown>> {
  return dispatch(name, args);
}

/**
 * Deny by default: the dispatcher asks this guard before a call's files are resolved or its
 * handler runs. The need of every call is declared in shared/api/roles.ts; once the open college
 * has accounts, a call that needs more than 'none' needs a session (or one-shot credentials `as`,
 * the CLI's) of a role that satisfies it. Without an open college, or before its first account,
 * the desk is single-user and every call passes here (the services still check what they check).
 */
import { CALL_ROLES, credentials, DeskError, NEED_LABELS, rolesFor, type Account, type ApiName, type Need } from '../../shared/api/index.js';
import { actor, hasAccounts, whoAmI } from '../accounts/index.js';
import type { DeskContext } from './context.js';

export type Guard = (name: ApiName, rawArgs: unknown) => void;

const ROLE_LABELS: Record<Account['role'], string> = { reviewer: '审核员', supervisor: '复核人', admin: '管理员' };

/** One-shot credentials a call carries (`as`), if they are well-formed; the schema judges the rest. */
function credentialsIn(args: unknown): { name: string; secret: string } | undefined {
  if (typeof args !== 'object' || args === null || !('as' in args)) return undefined;
  const parsed = credentials.safeParse((args as { as: unknown }).as);
  return parsed.success ? parsed.data : undefined;
}

/** Throws unless the caller may make a call needing `need` on the open college. */
export function requireNeed(ctx: DeskContext, need: Need, what: string, creds?: { name: string; secret: string }): Account | null {
  if (need === 'none' || !ctx.hasWorkspace()) return null;
  const ws = ctx.ws();
  if (!hasAccounts(ws)) return null;
  // Credentials are checked by the accounts area (a wrong secret is sign_in_failed there).
  const acc = creds ? actor(ws, ['reviewer', 'supervisor', 'admin'], creds) : whoAmI(ws);
  if (!acc) throw new DeskError('sign_in_required', `请先登录：本学院已启用账户，${what}需要${NEED_LABELS[need]}。`, { need });
  if (!rolesFor(need).includes(acc.role)) {
    throw new DeskError('forbidden', `${what}需要${NEED_LABELS[need]}；${acc.name} 是${ROLE_LABELS[acc.role]}。`, { need, role: acc.role });
  }
  return acc;
}

export function createGuard(ctx: DeskContext): Guard {
  return (name, rawArgs) => {
    requireNeed(ctx, CALL_ROLES[name], `此操作（${name}）`, credentialsIn(rawArgs));
  };
}

/**
 * Accounts of a workspace (审核员 reviewer, 复核人 supervisor, 管理员 admin) and who is signed in.
 * Calls that need a role accept optional one-shot credentials `as` (CLI); otherwise the
 * signed-in session of the open workspace acts.
 */
import { z } from 'zod';

/** 审核员 / 复核人 / 管理员 */
export type Role = 'reviewer' | 'supervisor' | 'admin';
export const ROLES = ['reviewer', 'supervisor', 'admin'] as const;
export interface Account {
  name: string;
  role: Role;
}

const name = z.string().trim().min(1).max(60);
/** A password or a PIN of at least 4 characters. */
const secret = z.string().min(4).max(200);
export const credentials = z.object({ name, secret }).strict();
export type Credentials = z.output<typeof credentials>;

export const accountsArgs = {
  'accounts.create': z.object({ name, role: z.enum(ROLES), secret, as: credentials.optional() }).strict(),
  'accounts.signIn': credentials,
  'accounts.signOut': z.object({}).strict(),
  'accounts.whoami': z.object({}).strict(),
  /** Names and roles (never secrets): for admins, and for supervisors who hand out shares. */
  'accounts.list': z.object({ as: credentials.optional() }).strict(),
  'accounts.resetSecret': z.object({ name, secret, as: credentials.optional() }).strict(),
} as const;

export interface AccountsResults {
  'accounts.create': Account;
  'accounts.signIn': Account;
  'accounts.signOut': { signedOut: true };
  'accounts.whoami': { account: Account | null; accountsEnabled: boolean };
  'accounts.list': Account[];
  'accounts.resetSecret': Account;
}

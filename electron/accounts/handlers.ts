/** Handlers of the accounts area (shared/api/accounts.ts). */
import type { AccountsResults, AreaHandlers } from '../../shared/api/index.js';
import type { DeskContext } from '../app/context.js';
import { accountsFor, createAccount, hasAccounts, resetSecret, signIn, signOut, whoAmI } from './accounts.js';

export function accountsHandlers(ctx: DeskContext): AreaHandlers<AccountsResults> {
  return {
    'accounts.create': ({ as, ...input }) => createAccount(ctx.ws(), input, as, ctx.deviceId),
    'accounts.signIn': (c) => signIn(ctx.ws(), c),
    'accounts.signOut': () => {
      signOut(ctx.ws());
      return { signedOut: true };
    },
    'accounts.whoami': () => ({ account: whoAmI(ctx.ws()), accountsEnabled: hasAccounts(ctx.ws()) }),
    'accounts.list': ({ as }) => accountsFor(ctx.ws(), as),
    'accounts.resetSecret': ({ as, ...input }) => resetSecret(ctx.ws(), input, as, ctx.deviceId),
  };
}

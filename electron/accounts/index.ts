/** The accounts area's public API: who may sign in, with which role, and who acts in a call. */
export { accountsHandlers } from './handlers.js';
export {
  actor, applyAccountEvents, enrolHere, enrolledHere, lockedFor, LOCKOUT, copyAccountsFrom, ensureAccountBaseline, readAccountPayload, countAccounts, createAccount, hasAccounts, listAccounts, resetSecret, signIn, signOut, whoAmI,
} from './accounts.js';
export { accountsMissingFrom } from './loss.js';

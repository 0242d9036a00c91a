/**
 * Who may make each call (deny by default): every call of the contract declares what it needs,
 * and the dispatcher refuses a call before its handler runs when the caller does not have it.
 * The table is a `Record` over every call name, so a call added without a line here does not
 * compile (and test/unit/security/roles.test.ts checks the table against the contract too).
 *
 * - none: works signed out — signing in, who am I, the college list of this PC (each college has
 *   accounts of its own, so switching colleges cannot be gated by the open college's session).
 * - signedIn: any account (审核员 reviewer and up): reading applicants, recording decisions.
 * - supervisor: 复核人 or 管理员: import, export, sync, clone, backups, settings, team calls.
 * - admin: 管理员 only: accounts.
 *
 * Before any account exists the desk is single-user (a typed name acts as admin) and only the
 * file rules (handles, desk-made outputs) and the restore confirmation limit what a caller does.
 * The services keep their own role checks as well (defence in depth).
 */
import type { Role } from './accounts.js';
import type { ApiName } from './index.js';

export type Need = 'none' | 'signedIn' | 'supervisor' | 'admin';

export const CALL_ROLES: Record<ApiName, Need> = {
  // accounts: signing in must work signed out; who exists is for supervisors, changing them for admins
  'accounts.signIn': 'none',
  'accounts.signOut': 'none',
  'accounts.whoami': 'none',
  'accounts.list': 'supervisor',
  'accounts.create': 'admin',
  'accounts.resetSecret': 'admin',
  // 在本机登记: the holder sets a secret on this PC before they can sign in; the setup code is the proof (and it backs off).
  'accounts.enrolHere': 'none',
  // colleges of this PC (the start screen): no college's data is read or written through them
  'colleges.list': 'none',
  'colleges.current': 'none',
  'colleges.open': 'none',
  'colleges.close': 'none',
  'colleges.create': 'none',
  'colleges.forget': 'none',
  'colleges.join': 'none',
  // files: handles of what the user chose; typed paths are refused by the adapters instead
  'files.fromPath': 'signedIn',
  'files.output': 'signedIn',
  'files.describe': 'signedIn',
  'files.policy': 'none',
  // the open college
  'workspace.info': 'signedIn',
  'demo.generate': 'admin',
  'college.settings.get': 'signedIn',
  'college.settings.set': 'supervisor',
  'diagnostics.report': 'signedIn',
  // import (the list, the scans, cross-check lists)
  'import.preview': 'supervisor',
  'import.run': 'supervisor',
  'import.progress': 'signedIn',
  'import.cancel': 'supervisor',
  'import.changes': 'signedIn',
  'import.errorsXlsx': 'supervisor',
  'previous.import': 'supervisor',
  // the cross-check lists replace the list in force on every PC; the photo check writes a report
  'lists.import': 'supervisor',
  'lists.status': 'signedIn',
  'checks.photos': 'supervisor',
  // backups: a restore may drop data, and then also needs an admin's confirmation (backup.restore)
  // the list is for everyone signed in (the backup panel shows it); making and restoring are not
  'backup.list': 'signedIn',
  'backup.create': 'supervisor',
  'backup.restore': 'supervisor',
  // checks
  'checks.run': 'signedIn',
  'checks.get': 'signedIn',
  'checks.summary': 'signedIn',
  'checks.report': 'signedIn',
  // export: the tables that leave the desk
  'export.check': 'supervisor',
  'export.run': 'supervisor',
  'export.verify': 'supervisor',
  'export.history': 'supervisor',
  // OCR
  'ocr.forDocument': 'signedIn',
  'ocr.forApplicant': 'signedIn',
  'ocr.status': 'signedIn',
  'ocr.start': 'signedIn',
  'ocr.pause': 'signedIn',
  'ocr.run': 'supervisor',
  // review
  'applicants.list': 'signedIn',
  'applicants.get': 'signedIn',
  'decisions.record': 'signedIn',
  'decisions.undo': 'signedIn',
  'decisions.history': 'signedIn',
  'decisions.bulkPreview': 'signedIn',
  'decisions.bulkApprove': 'signedIn',
  'decisions.undoBulk': 'signedIn',
  'reasons.list': 'signedIn',
  'status.summary': 'signedIn',
  'assignments.set': 'supervisor',
  'assignments.list': 'signedIn',
  'conflicts.list': 'signedIn',
  'conflicts.resolve': 'supervisor',
  'signoff.pending': 'supervisor',
  'signoff.record': 'supervisor',
  'qc.draw': 'supervisor',
  'qc.queue': 'signedIn',
  'qc.record': 'signedIn',
  'qc.agreement': 'supervisor',
  'review.queue': 'signedIn',
  'review.applicant': 'signedIn',
  'documents.verdict': 'signedIn',
  'review.rotation.set': 'signedIn',
  'review.reasons.catalogue': 'signedIn',
  'review.reasons.save': 'supervisor',
  'review.dashboard': 'signedIn',
  'review.prefs.get': 'signedIn',
  'review.prefs.set': 'signedIn',
  // sync and clones
  'sync.export': 'supervisor',
  'sync.import': 'supervisor',
  'sync.withFolder': 'supervisor',
  'sync.status': 'signedIn',
  'sync.setName': 'supervisor',
  // a clone enrols the new PC: an admin's act once the college has accounts
  'workspace.clone': 'admin',
  // Enrolling a PC (and the clone that enrols one) is an admin's act; the service checks it too.
  'sync.enrol': 'admin',
  // the college's LAN hub: its light and a round now for everyone signed in (the same exchange the
  // automatic rounds make); setting it up is a supervisor's; making a hub's schema an admin's
  'hub.status': 'signedIn',
  'hub.syncNow': 'signedIn',
  'hub.configure': 'supervisor',
  'sync.hub': 'supervisor',
  'hub.init': 'admin',
  'audit.verify': 'signedIn',
};

/** The roles that satisfy a need (none of them for 'none': it needs no account at all). */
export function rolesFor(need: Exclude<Need, 'none'>): readonly Role[] {
  switch (need) {
    case 'signedIn':
      return ['reviewer', 'supervisor', 'admin'];
    case 'supervisor':
      return ['supervisor', 'admin'];
    case 'admin':
      return ['admin'];
  }
}

/**
 * Whether an account of `role` (null: nobody signed in) may make a call that needs `need`, on a
 * college that has accounts or not (before the first account the desk is single-user). The
 * dispatcher's guard refuses by the same rolesFor; the desk uses this to hide what would be refused.
 */
export function mayMake(need: Need, accountsEnabled: boolean, role: Role | null): boolean {
  if (need === 'none' || !accountsEnabled) return true;
  return role !== null && rolesFor(need).includes(role);
}

/** mayMake for a call of the contract. */
export const mayCall = (name: ApiName, accountsEnabled: boolean, role: Role | null): boolean => mayMake(CALL_ROLES[name], accountsEnabled, role);

/** The need in words, for refusals. */
export const NEED_LABELS: Record<Need, string> = {
  none: '无需登录',
  signedIn: '已登录的账户',
  supervisor: '复核人或管理员',
  admin: '管理员',
};

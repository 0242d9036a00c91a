/** Handlers of the sync area (shared/api/sync.ts): thin, the work is in electron/sync/. */
import { DeskError, type ApiParsed } from '../../shared/api/index.js';
import type { SyncResults } from '../../shared/api/sync.js';
import { createAccount, hasAccounts, listAccounts, resetSecret, signIn, signOut, whoAmI } from '../accounts/accounts.js';
import { verifyChains } from './log.js';
import {
  applicantHistory, assign, drawQc, listAssignments, listConflicts, pendingReview, qcAgreement, qcQueue, recordQc, recordReview,
  resolveConflict, undoDecision,
} from '../review/team.js';
import { syncWithFolder } from './folderSync.js';
import { buildBundle, cloneWorkspace, mergeBundle, syncStatus } from './syncService.js';
import { fileTransport } from './transport.js';
import type { DeskContext } from '../app/context.js';

type SyncHandlers = {
  [K in keyof SyncResults]: (args: ApiParsed<K>) => SyncResults[K] | Promise<SyncResults[K]>;
};

function passphraseOf(a: { passphrase?: string | undefined; passphraseEnv: string }): string {
  const p = a.passphrase ?? process.env[a.passphraseEnv];
  if (!p) throw new DeskError('passphrase_missing', `缺少同步口令：请设置环境变量 ${a.passphraseEnv}（学院统一的同步口令）。`);
  return p;
}

export function syncHandlers(ctx: DeskContext): SyncHandlers {
  return {
    'accounts.create': ({ as, ...input }) => createAccount(ctx.ws(), input, as),
    'accounts.signIn': (c) => signIn(ctx.ws(), c),
    'accounts.signOut': () => {
      signOut(ctx.ws());
      return { signedOut: true };
    },
    'accounts.whoami': () => ({ account: whoAmI(ctx.ws()), accountsEnabled: hasAccounts(ctx.ws()) }),
    'accounts.list': () => listAccounts(ctx.ws()),
    'accounts.resetSecret': ({ as, ...input }) => resetSecret(ctx.ws(), input, as),
    'assignments.set': (a) => assign(ctx.ws(), ctx.deviceId, a),
    'assignments.list': () => listAssignments(ctx.ws()),
    'decisions.undo': (a) => undoDecision(ctx.ws(), ctx.deviceId, a),
    'decisions.history': ({ idNumber }) => applicantHistory(ctx.ws(), idNumber),
    'conflicts.list': () => listConflicts(ctx.ws()),
    'conflicts.resolve': (a) => resolveConflict(ctx.ws(), ctx.deviceId, a),
    'signoff.pending': () => pendingReview(ctx.ws()),
    'signoff.record': (a) => recordReview(ctx.ws(), ctx.deviceId, a),
    'qc.draw': (a) => drawQc(ctx.ws(), ctx.deviceId, a),
    'qc.queue': () => qcQueue(ctx.ws()),
    'qc.record': (a) => recordQc(ctx.ws(), ctx.deviceId, a),
    'qc.agreement': () => qcAgreement(ctx.ws()),
    'sync.export': (a) => {
      const ws = ctx.ws();
      const { bytes, manifest } = buildBundle(ws, ctx.deviceId, { peer: a.peer, noScans: a.noScans, passphrase: passphraseOf(a) });
      const { transport, name } = fileTransport(a.out);
      transport.put(name, bytes);
      return {
        file: a.out, bytes: bytes.length, events: manifest.events.length, blobs: manifest.blobs.length, documents: manifest.documents.length,
        peer: manifest.toWorkspace, collegeId: manifest.collegeId, workspaceId: ws.workspaceId,
      };
    },
    'sync.import': (a) => {
      const { transport, name } = fileTransport(a.file);
      let bytes: Buffer;
      try {
        bytes = transport.get(name);
      } catch {
        throw new DeskError('not_found', `找不到同步包：${a.file}`);
      }
      return mergeBundle(ctx.ws(), bytes, passphraseOf(a), a.file);
    },
    'sync.status': () => syncStatus(ctx.ws()),
    'sync.withFolder': (a) => syncWithFolder(ctx.ws(), a.folder, { passphrase: passphraseOf(a), deviceId: ctx.deviceId }),
    'workspace.clone': (a) => cloneWorkspace(ctx.ws(), a.out, a.noScans),
    'audit.verify': () => {
      const r = verifyChains(ctx.ws());
      return { ok: r.problems.length === 0, ...r };
    },
  };
}

/** Handlers of the sync area (shared/api/sync.ts): thin, the work is in electron/sync/. */
import { DeskError, type AreaHandlers, type SyncResults } from '../../shared/api/index.js';
import { actor, hasAccounts, listAccounts } from '../accounts/index.js';
import { checkPassphrase } from '../platform/index.js';
import { enrolPc } from './trust.js';
import { pcName, pcNameIsSet, setPcName } from './identity.js';
import { verifyChains } from './log.js';
import { syncWithFolder } from './folderSync.js';
import { buildBundle, cloneWorkspace, forkReports, mergeAndRecheck, syncStatus } from './syncService.js';
import type { Workspace } from '../workspace/index.js';
import { fileTransport } from './transport.js';
import { initHub, syncWithHub } from './hub.js';
import { hubUrlWithPassword } from './hubUrl.js';
import type { DeskContext } from '../app/context.js';
import { deskConfig } from '../platform/index.js';

function passphraseOf(a: { passphrase?: string | undefined; passphraseEnv: string }): string {
  const p = a.passphrase ?? deskConfig().secret(a.passphraseEnv);
  if (!p) throw new DeskError('passphrase_missing', `缺少同步口令：请设置环境变量 ${a.passphraseEnv}（学院统一的同步口令）。`);
  return p;
}

/** The accounts a PC is enrolled for must be accounts of the college (a typo would lock its holder out). */
function knownAccounts(ws: Workspace, names: readonly string[] | null | undefined): void {
  if (!names) return;
  const known = new Set(listAccounts(ws).map((a) => a.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new DeskError('not_found', `学院没有这些账户：${unknown.join('、')}。请先在“备份与账户”中建立，或检查拼写。`, { unknown });
}

export function syncHandlers(ctx: DeskContext): AreaHandlers<SyncResults> {
  return {
    'sync.export': (a) => {
      const ws = ctx.ws();
      const passphrase = passphraseOf(a);
      // A bundle leaves this PC: its passphrase is all that stands between it and offline guessing.
      checkPassphrase(passphrase);
      const { bytes, manifest } = buildBundle(ws, ctx.deviceId, { peer: a.peer, noScans: a.noScans, passphrase });
      const { transport, name } = fileTransport(a.out);
      transport.putSync(name, bytes);
      return {
        file: a.out, bytes: bytes.length, events: manifest.events.length, blobs: manifest.blobs.length, documents: manifest.documents.length,
        peer: manifest.toWorkspace, collegeId: manifest.collegeId, workspaceId: ws.workspaceId,
      };
    },
    'sync.import': (a) => {
      const { transport, name } = fileTransport(a.file);
      // transport.get says what went wrong (missing, no permission, busy, I/O), not just "not found".
      return mergeAndRecheck(ctx.ws(), transport.getSync(name), passphraseOf(a), a.file);
    },
    'sync.status': () => syncStatus(ctx.ws()),
    'sync.setName': ({ name }) => {
      const ws = ctx.ws();
      setPcName(ws, name);
      return { name: pcName(ws), isDefault: !pcNameIsSet(ws) };
    },
    'sync.withFolder': (a) => {
      const passphrase = passphraseOf(a);
      checkPassphrase(passphrase);
      return syncWithFolder(ctx.ws(), a.folder, { passphrase, deviceId: ctx.deviceId });
    },
    'workspace.clone': (a) => {
      const ws = ctx.ws();
      // Enrolling the new PC is an admin's act once the college has accounts.
      const by = hasAccounts(ws) ? actor(ws, ['admin'], a.as).name : '';
      knownAccounts(ws, a.accounts);
      return cloneWorkspace(ws, a.out, a.noScans, { by, accounts: a.accounts, deviceId: ctx.deviceId });
    },
    'sync.enrol': (a) => {
      const ws = ctx.ws();
      const by = hasAccounts(ws) ? actor(ws, ['admin'], a.as).name : '创建学院的电脑';
      if (!hasAccounts(ws) && a.accounts !== null) throw new DeskError('no_accounts', '学院还没有账户：登记时请不指定账户（任何姓名）。');
      knownAccounts(ws, a.accounts);
      return enrolPc(ws, ctx.deviceId, by, { publicKey: a.publicKey, name: a.name, accounts: a.accounts });
    },
    'hub.init': (a) => initHub(hubUrlWithPassword(a.url, deskConfig().secret(a.passwordEnv))),
    'sync.hub': (a) => {
      const ws = ctx.ws();
      // The URL typed (its password, or the environment's) or the college's hub with this PC's saved password.
      const given = { url: a.url, password: deskConfig().secret(a.passwordEnv), passphrase: a.passphrase ?? deskConfig().secret(a.passphraseEnv) };
      const { url, passphrase } = ctx.hub.connection(ws, given);
      // The hub holds the college's sealed segments: the same rule as a bundle leaving the PC.
      checkPassphrase(passphrase);
      return syncWithHub(ws, url, { passphrase, deviceId: ctx.deviceId });
    },
    'hub.configure': (a) => {
      if (a.passphrase !== undefined) checkPassphrase(a.passphrase);
      return ctx.hub.configure(a);
    },
    'hub.status': () => ctx.hub.status(),
    'hub.syncNow': () => ctx.hub.syncNow(),
    'audit.verify': () => {
      const ws = ctx.ws();
      const r = verifyChains(ws);
      const forks = forkReports(ws);
      return { ok: r.problems.length === 0 && forks.every((f) => f.repaired), ...r, forks };
    },
  };
}

/**
 * Handlers of the hardening area: backups and the diagnostics report. Restore closes the open
 * workspace (so no connection of this process holds the file), swaps the database and reopens it;
 * if anything fails the previous workspace is reopened, so the desk is never left without one.
 */
import type { BackupResults, RestoreDrop } from '../../shared/api/backup.js';
import { DeskError, type AreaHandlers } from '../../shared/api/index.js';
import { actor, hasAccounts } from '../accounts/index.js';
import { createBackup, listBackups, restoreBackup, restoreLoss } from './backup.js';
import { openWorkspace } from '../workspace/index.js';
import type { DeskContext } from '../app/context.js';
import { diagnosticsReport } from './diagnostics.js';

export function backupHandlers(ctx: DeskContext): AreaHandlers<BackupResults> {
  return {
    'backup.list': () => listBackups(ctx.ws().dir),
    'backup.create': () => {
      const ws = ctx.ws();
      return createBackup(ws.dir, ws.db, 'manual');
    },
    'backup.restore': ({ id, confirmDrop }) => {
      const ws = ctx.ws();
      const dir = ws.dir;
      // Nothing that exists now is dropped without an admin saying so, with the exact counts:
      // a restore to before the accounts existed would otherwise hand the desk to whoever is next.
      const loss = restoreLoss(dir, id, ws.db);
      if (loss.accounts.length > 0 || loss.decisions > 0) {
        const drop: RestoreDrop = { accounts: loss.accounts.length, decisions: loss.decisions, accountNames: loss.accounts };
        if (!confirmDrop || confirmDrop.accounts !== drop.accounts || confirmDrop.decisions !== drop.decisions) {
          throw new DeskError(
            'restore_would_drop',
            `恢复备份 ${id} 会丢失现有的 ${drop.accounts} 个账户${drop.accountNames.length ? `（${drop.accountNames.join('、')}）` : ''}和 ${drop.decisions} 条审核结论：须由管理员确认这两个数字后才能恢复。`,
            drop,
          );
        }
        // The confirmation is an admin's (before accounts existed the typed user is the admin).
        if (hasAccounts(ws)) {
          try {
            actor(ws, ['admin']);
          } catch {
            throw new DeskError('restore_needs_admin', `恢复备份 ${id} 会丢失现有的账户或审核结论，只有管理员可以确认。`, drop);
          }
        }
      }
      ctx.setWorkspace(null);
      try {
        return restoreBackup(dir, id);
      } finally {
        // Reopened as the desk opens a college: claimed by this installation, with the desk's lock.
        ctx.setWorkspace(openWorkspace(dir, {
          deviceId: ctx.deviceId, lock: ctx.settings.lock,
          ...(ctx.settings.busyTimeoutMs !== undefined ? { busyTimeoutMs: ctx.settings.busyTimeoutMs } : {}),
        }));
      }
    },
    'diagnostics.report': ({ logLines, workspace }) => diagnosticsReport(ctx.hasWorkspace() ? ctx.ws() : null, logLines, workspace),
  };
}

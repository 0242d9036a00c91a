/**
 * Handlers of the hardening area: backups and the diagnostics report. Restore closes the open
 * workspace (so no connection of this process holds the file), swaps the database and reopens it;
 * if anything fails the previous workspace is reopened, so the desk is never left without one.
 */
import type { BackupResults } from '../../shared/api/backup.js';
import type { AreaHandlers } from '../../shared/api/index.js';
import { createBackup, listBackups, restoreBackup } from './backup.js';
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
    'backup.restore': ({ id }) => {
      const dir = ctx.ws().dir;
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

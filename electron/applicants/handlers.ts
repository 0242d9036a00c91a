/**
 * Handlers of the import area. One import runs at a time per desk; its progress is kept here so
 * the wizard can poll 'import.progress' and stop it with 'import.cancel'.
 */
import type { ApplicantsResults, AreaHandlers, ImportProgress } from '../../shared/api/index.js';
import { DeskError } from '../../shared/api/index.js';
import type { DeskContext } from '../app/context.js';
import { applicantChanges, errorsWorkbook, importList, previewList } from './importService.js';

export function importHandlers(ctx: DeskContext): AreaHandlers<ApplicantsResults> {
  let progress: ImportProgress = { running: false, phase: 'idle', done: 0, total: 0, file: null };
  let cancelRequested = false;
  return {
    'import.preview': (args) => previewList(ctx.ws(), args),
    'import.run': async (args) => {
      if (progress.running) throw new DeskError('import_busy', '另一个导入正在进行，请等待它完成或取消后再试。');
      const file = args.listPath.split(/[\\/]/).pop() ?? args.listPath;
      cancelRequested = false;
      progress = { running: true, phase: 'reading', done: 0, total: 0, file };
      try {
        const report = await importList(ctx.ws(), {
          ...args,
          deviceId: ctx.deviceId,
          onProgress: (phase, done, total) => {
            progress = { running: true, phase, done, total, file };
          },
          isCancelled: () => cancelRequested,
        });
        progress = { running: false, phase: 'done', done: report.added + report.updated + report.unchanged, total: report.added + report.updated + report.unchanged, file };
        return report;
      } catch (e) {
        progress = { ...progress, running: false, phase: e instanceof DeskError && e.code === 'import_cancelled' ? 'cancelled' : 'failed' };
        throw e;
      }
    },
    'import.progress': () => progress,
    'import.cancel': () => {
      if (!progress.running) return { cancelled: false };
      cancelRequested = true;
      return { cancelled: true };
    },
    'import.changes': ({ idNumber }) => applicantChanges(ctx.ws(), idNumber),
    'import.errorsXlsx': ({ problems, path }) => errorsWorkbook(problems, path),
  };
}

import type { ChecksResults } from '../../shared/api/checks.js';
import type { AreaHandlers } from '../../shared/api/index.js';
import { normaliseIdNumber } from '../../shared/import/normalise.js';
import type { DeskContext } from '../app/context.js';
import { crossListStatus, importCrossList } from './lists.js';
import { checkPhotos } from './photos.js';
import { checkReport, checkSummary, getResults } from './results.js';
import { recheckApplicant, runAllChecks } from './run.js';

export function checkHandlers(ctx: DeskContext): AreaHandlers<ChecksResults> {
  return {
    'checks.run': async ({ idNumber }) => {
      if (idNumber === undefined) return runAllChecks(ctx.ws());
      const started = performance.now();
      const results = await recheckApplicant(ctx.ws(), normaliseIdNumber(idNumber));
      const bySeverity = { error: 0, warning: 0, info: 0 };
      for (const r of results) bySeverity[r.severity]++;
      return { applicants: 1, results: results.length, factsComputed: 0, ms: Math.round(performance.now() - started), rulesVersion: '', bySeverity };
    },
    'checks.get': ({ idNumber }) => getResults(ctx.ws(), idNumber),
    'checks.summary': () => checkSummary(ctx.ws()),
    'checks.report': (opts) => checkReport(ctx.ws(), opts),
    'previous.import': ({ listPath, by }) => importCrossList(ctx.ws(), 'previous', listPath, { by, deviceId: ctx.deviceId }),
    'lists.import': ({ kind, listPath, by }) => importCrossList(ctx.ws(), kind, listPath, { by, deviceId: ctx.deviceId }),
    'lists.status': () => crossListStatus(ctx.ws()),
    'checks.photos': ({ folder, reportPath }) => checkPhotos(ctx.ws(), folder, reportPath),
  };
}

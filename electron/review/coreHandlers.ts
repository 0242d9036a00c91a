import type { CoreResults } from '../../shared/api/core.js';
import type { ApiParsed } from '../../shared/api/index.js';
import { schemaVersion } from '../workspace/workspace.js';
import type { DeskContext } from '../app/context.js';
import { getApplicant, listApplicants, reasonCatalogue, recordDecision, statusSummary } from './decisions.js';

type CoreHandlers = {
  [K in keyof CoreResults]: (args: ApiParsed<K>) => CoreResults[K] | Promise<CoreResults[K]>;
};

export function coreHandlers(ctx: DeskContext): CoreHandlers {
  return {
    'workspace.info': () => {
      const ws = ctx.ws();
      const n = ws.db.prepare('SELECT COUNT(*) AS n FROM applicants WHERE withdrawn = 0').get() as { n: number };
      return { workspaceId: ws.workspaceId, college: ws.college, deviceId: ctx.deviceId, schemaVersion: schemaVersion(ws.db), applicants: n.n };
    },
    'applicants.list': (q) => listApplicants(ctx.ws(), q),
    'applicants.get': ({ idNumber }) => getApplicant(ctx.ws(), idNumber),
    'decisions.record': (input) => recordDecision(ctx.ws(), ctx.deviceId, input),
    'reasons.list': ({ category }) => reasonCatalogue(ctx.ws(), category),
    'status.summary': () => statusSummary(ctx.ws()),
    // The demo maker pulls in pdfkit, canvas and exceljs; load it only when asked.
    'demo.generate': async (opts) => (await import('../demo/generate.js')).generateDemo(opts),
  };
}

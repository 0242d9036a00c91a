/** Handlers of the workspace area: what is open, and the demo college maker. */
import type { AreaHandlers, WorkspaceResults } from '../../shared/api/index.js';
import type { DeskContext } from '../app/context.js';
import { countApplicants } from '../applicants/index.js';
import { schemaVersion } from './workspace.js';

export function workspaceHandlers(ctx: DeskContext): AreaHandlers<WorkspaceResults> {
  return {
    'workspace.info': () => {
      const ws = ctx.ws();
      return { workspaceId: ws.workspaceId, college: ws.college, deviceId: ctx.deviceId, schemaVersion: schemaVersion(ws.db), applicants: countApplicants(ws.db), storageWarning: ws.storageWarning };
    },
    // The demo maker pulls in pdfkit, canvas and exceljs; load it only when asked.
    'demo.generate': async (opts) => (await import('../demo/generate.js')).generateDemo(opts),
  };
}

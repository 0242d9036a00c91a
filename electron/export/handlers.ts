import type { ExportResults } from '../../shared/api/export.js';
import type { AreaHandlers } from '../../shared/api/index.js';
import { checkExport, exportHistory, runExport } from './exportService.js';
import { verifyExport } from './verify.js';
import type { DeskContext } from '../app/context.js';

export function exportHandlers(ctx: DeskContext): AreaHandlers<ExportResults> {
  return {
    'export.check': ({ table, year, notice }) => checkExport(ctx.ws(), table, year, notice),
    'export.run': (o) => runExport(ctx.ws(), ctx.deviceId, o),
    // Needs no workspace: the provincial office verifies folders it received.
    'export.verify': ({ dir, expectKey }) => verifyExport(dir, expectKey),
    'export.history': () => exportHistory(ctx.ws()),
  };
}

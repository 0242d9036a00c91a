import type { ExportResults } from '../../shared/api/export.js';
import type { ApiParsed } from '../../shared/api/index.js';
import { checkExport, exportHistory, runExport } from './exportService.js';
import { verifyExport } from './verify.js';
import type { DeskContext } from '../app/context.js';

type ExportHandlers = {
  [K in keyof ExportResults]: (args: ApiParsed<K>) => ExportResults[K] | Promise<ExportResults[K]>;
};

export function exportHandlers(ctx: DeskContext): ExportHandlers {
  return {
    'export.check': ({ table, year }) => checkExport(ctx.ws(), table, year),
    'export.run': (o) => runExport(ctx.ws(), ctx.deviceId, o),
    // Needs no workspace: the provincial office verifies folders it received.
    'export.verify': ({ dir, expectKey }) => verifyExport(dir, expectKey),
    'export.history': () => exportHistory(ctx.ws()),
  };
}

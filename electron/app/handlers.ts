/**
 * All handlers of the API contract, merged from one factory per area (electron/<area>/handlers.ts,
 * matching shared/api/<area>.ts). Adding an area = one spread line here and one in
 * shared/api/index.ts. The composition root's own calls (colleges, files) join them here.
 */
import type { Handlers, ImportProgress } from '../../shared/api/index.js';
import { accountsHandlers } from '../accounts/index.js';
import { importHandlers } from '../applicants/index.js';
import { backupHandlers } from '../backup/index.js';
import { checkHandlers } from '../checks/index.js';
import { collegeHandlers } from '../college/index.js';
import { exportHandlers } from '../export/index.js';
import { ocrHandlers } from '../ocr/index.js';
import { reviewHandlers } from '../review/index.js';
import { syncHandlers } from '../sync/index.js';
import { workspaceHandlers } from '../workspace/index.js';
import { CollegeService, collegesHandlers } from './colleges.js';
import type { DeskContext } from './context.js';
import { filesHandlers } from './files.js';
import { deskHome } from '../platform/index.js';

/**
 * `colleges` is the desk's own college service (the adapters start it up); tests that build
 * handlers over one workspace get one of their own.
 */
export function createHandlers(ctx: DeskContext, colleges?: CollegeService): Handlers {
  const imports = importHandlers(ctx);
  // A switch of college waits for a running import: it writes into the open workspace.
  const svc = colleges ?? new CollegeService(ctx, deskHome, { busy: () => (imports['import.progress']({}) as ImportProgress).running });
  return {
    ...workspaceHandlers(ctx),
    ...collegesHandlers(svc),
    ...filesHandlers(ctx.files, ctx.settings.rawPaths ?? true),
    ...accountsHandlers(ctx),
    ...imports,
    ...backupHandlers(ctx),
    ...checkHandlers(ctx),
    ...collegeHandlers(ctx),
    ...exportHandlers(ctx),
    ...ocrHandlers(ctx),
    ...reviewHandlers(ctx),
    ...syncHandlers(ctx),
  };
}

/**
 * All handlers of the API contract, merged from one factory per area (electron/<area>/handlers.ts,
 * matching shared/api/<area>.ts). Adding an area = one spread line here and one in
 * shared/api/index.ts.
 */
import type { Handlers } from '../../shared/api/index.js';
import { accountsHandlers } from '../accounts/handlers.js';
import { importHandlers } from '../applicants/handlers.js';
import { backupHandlers } from '../backup/handlers.js';
import { checkHandlers } from '../checks/handlers.js';
import { exportHandlers } from '../export/handlers.js';
import { ocrHandlers } from '../ocr/handlers.js';
import { reviewHandlers } from '../review/handlers.js';
import { syncHandlers } from '../sync/handlers.js';
import { workspaceHandlers } from '../workspace/handlers.js';
import type { DeskContext } from './context.js';

export function createHandlers(ctx: DeskContext): Handlers {
  return {
    ...workspaceHandlers(ctx),
    ...accountsHandlers(ctx),
    ...importHandlers(ctx),
    ...backupHandlers(ctx),
    ...checkHandlers(ctx),
    ...exportHandlers(ctx),
    ...ocrHandlers(ctx),
    ...reviewHandlers(ctx),
    ...syncHandlers(ctx),
  };
}

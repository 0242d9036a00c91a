/**
 * All handlers of the API contract, merged from one factory per area. Adding an area = one
 * spread line here and one in shared/api/index.ts.
 */
import type { Handlers } from '../../shared/api/index.js';
import type { DeskContext } from './context.js';
import { checkHandlers } from '../checks/handlers.js';
import { coreHandlers } from '../review/coreHandlers.js';
import { exportHandlers } from '../export/handlers.js';
import { hardeningHandlers } from '../backup/handlers.js';
import { importHandlers } from '../applicants/handlers.js';
import { ocrHandlers } from '../ocr/handlers.js';
import { reviewHandlers } from '../review/handlers.js';
import { syncHandlers } from '../sync/handlers.js';

export function createHandlers(ctx: DeskContext): Handlers {
  return {
    ...coreHandlers(ctx),
    ...checkHandlers(ctx),
    ...exportHandlers(ctx),
    ...hardeningHandlers(ctx),
    ...importHandlers(ctx),
    ...ocrHandlers(ctx),
    ...reviewHandlers(ctx),
    ...syncHandlers(ctx),
  };
}

/**
 * All handlers of the API contract, merged from one factory per area. Adding an area = one
 * spread line here and one in shared/api/index.ts.
 */
import type { Handlers } from '../../shared/api/index.js';
import type { DeskContext } from './context.js';
import { checkHandlers } from './checkHandlers.js';
import { coreHandlers } from './coreHandlers.js';
import { exportHandlers } from './exportHandlers.js';
import { hardeningHandlers } from './backupHandlers.js';
import { importHandlers } from './importHandlers.js';
import { ocrHandlers } from './ocrHandlers.js';
import { reviewHandlers } from './reviewHandlers.js';
import { syncHandlers } from './syncHandlers.js';

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

/**
 * All handlers of the API contract, merged from one factory per area (electron/<area>/handlers.ts,
 * matching shared/api/<area>.ts). Adding an area = one spread line here and one in
 * shared/api/index.ts.
 */
import type { Handlers } from '../../shared/api/index.js';
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
import type { DeskContext } from './context.js';

export function createHandlers(ctx: DeskContext): Handlers {
  return {
    ...workspaceHandlers(ctx),
    ...accountsHandlers(ctx),
    ...importHandlers(ctx),
    ...backupHandlers(ctx),
    ...checkHandlers(ctx),
    ...collegeHandlers(ctx),
    ...exportHandlers(ctx),
    ...ocrHandlers(ctx),
    ...reviewHandlers(ctx),
    ...syncHandlers(ctx),
  };
}

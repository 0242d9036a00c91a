/**
 * The API contract: the only way the renderer (and the CLI, and the browser tests) reach data.
 * One typed map name → argument schema → result type; three thin adapters (Electron IPC, the
 * loopback HTTP host, the CLI) all call the same dispatcher. Adding a call = one schema line in an
 * area file + one handler; the compiler checks both ends.
 */
import type { z } from 'zod';
import { checksArgs, type ChecksResults } from './checks.js';
import { coreArgs, type CoreResults } from './core.js';
import { exportArgs, type ExportResults } from './export.js';
import { hardeningArgs, type HardeningResults } from './hardening.js';
import { importArgs, type ImportResults } from './import.js';
import { ocrArgs, type OcrResults } from './ocr.js';
import { reviewArgs, type ReviewResults } from './review.js';
import { syncArgs, type SyncResults } from './sync.js';

export const apiArgs = {
  ...coreArgs,
  ...checksArgs,
  ...exportArgs,
  ...hardeningArgs,
  ...importArgs,
  ...ocrArgs,
  ...reviewArgs,
  ...syncArgs,
} as const;

export type ApiResults = CoreResults & ChecksResults & ExportResults & HardeningResults & ImportResults & OcrResults & ReviewResults & SyncResults;

export type ApiName = keyof typeof apiArgs & keyof ApiResults;
/** What a caller passes (defaults may be omitted). */
export type ApiArgs<K extends ApiName> = z.input<(typeof apiArgs)[K]>;
/** What a handler receives after validation (defaults filled in). */
export type ApiParsed<K extends ApiName> = z.output<(typeof apiArgs)[K]>;
export type ApiResult<K extends ApiName> = ApiResults[K];

export type Handlers = {
  [K in ApiName]: (args: ApiParsed<K>) => ApiResult<K> | Promise<ApiResult<K>>;
};

export function isApiName(name: unknown): name is ApiName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiArgs, name);
}

export * from './envelope.js';
export * from './core.js';
export * from './checks.js';
export * from './export.js';
export * from './hardening.js';
export * from './import.js';
export * from './ocr.js';
export * from './review.js';
export * from './sync.js';

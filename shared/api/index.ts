/**
 * The API contract: the only way the renderer (and the CLI, and the browser tests) reach data.
 * One typed map name → argument schema → result type, one file per area (shared/api/<area>.ts,
 * matching electron/<area>/); three thin adapters (Electron IPC, the loopback HTTP host, the
 * CLI) all call the same dispatcher. Adding a call = one schema line in an area file + one
 * handler in that area's handlers.ts; the compiler checks both ends.
 */
import type { z } from 'zod';
import { accountsArgs, type AccountsResults } from './accounts.js';
import { applicantsArgs, type ApplicantsResults } from './applicants.js';
import { backupArgs, type BackupResults } from './backup.js';
import { checksArgs, type ChecksResults } from './checks.js';
import { collegeArgs, type CollegeResults } from './college.js';
import { collegesArgs, type CollegesResults } from './colleges.js';
import { exportArgs, type ExportResults } from './export.js';
import { filesArgs, type FileFieldsOf, type FilesResults, type HandleRef } from './files.js';
import { ocrArgs, type OcrResults } from './ocr.js';
import { reviewArgs, type ReviewResults } from './review.js';
import { syncArgs, type SyncResults } from './sync.js';
import { workspaceArgs, type WorkspaceResults } from './workspace.js';

export const apiArgs = {
  ...workspaceArgs,
  ...accountsArgs,
  ...applicantsArgs,
  ...backupArgs,
  ...checksArgs,
  ...collegeArgs,
  ...collegesArgs,
  ...filesArgs,
  ...exportArgs,
  ...ocrArgs,
  ...reviewArgs,
  ...syncArgs,
} as const;

export type ApiResults = WorkspaceResults & AccountsResults & ApplicantsResults & BackupResults & ChecksResults & CollegeResults & CollegesResults & FilesResults & ExportResults & OcrResults & ReviewResults & SyncResults;

export type ApiName = keyof typeof apiArgs & keyof ApiResults;
/**
 * What a caller passes (defaults may be omitted). A file argument (FILE_ARGS) may be a handle the
 * desk issued; the dispatcher turns it into a path before the schema (and the handler) sees it.
 */
export type ApiArgs<K extends ApiName> = {
  [P in keyof z.input<(typeof apiArgs)[K]>]: P extends FileFieldsOf<K> ? z.input<(typeof apiArgs)[K]>[P] | HandleRef : z.input<(typeof apiArgs)[K]>[P];
};
/** What a handler receives after validation (defaults filled in). */
export type ApiParsed<K extends ApiName> = z.output<(typeof apiArgs)[K]>;
export type ApiResult<K extends ApiName> = ApiResults[K];

export type Handlers = {
  [K in ApiName]: (args: ApiParsed<K>) => ApiResult<K> | Promise<ApiResult<K>>;
};

/** The handlers one area contributes: a slice of the contract, typed by its results interface. */
export type AreaHandlers<R> = {
  [K in keyof R & ApiName]: (args: ApiParsed<K>) => R[K] | Promise<R[K]>;
};

export function isApiName(name: unknown): name is ApiName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiArgs, name);
}

export * from './envelope.js';
export * from './workspace.js';
export * from './accounts.js';
export * from './applicants.js';
export * from './backup.js';
export * from './checks.js';
export * from './college.js';
export * from './colleges.js';
export * from './files.js';
export * from './documents.js';
export * from './export.js';
export * from './ocr.js';
export * from './review.js';
export * from './sync.js';
export * from './roles.js';

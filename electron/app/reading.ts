/**
 * Scans imported while the desk is open are read without a restart: a desk that reads in the
 * background (the Electron shell, the web host) starts the reading queue again after every import
 * that wrote something. The queue is started through the contract like any other call, so a
 * failure is an envelope, never a crash; the import's answer does not wait for it.
 */
import type { Dispatch } from './dispatch.js';

export function readingAfterImports(dispatch: Dispatch): Dispatch {
  return async (name, args) => {
    const res = await dispatch(name, args);
    if (res.ok && name === 'import.run' && !isDryRun(args)) void dispatch('ocr.start', {});
    return res;
  };
}

function isDryRun(args: unknown): boolean {
  return typeof args === 'object' && args !== null && (args as { dryRun?: unknown }).dryRun === true;
}

/**
 * The OCR process in the Electron app: Electron's utility process instead of the app's binary run
 * as Node (child_process.fork with the run-as-Node variable), which the packaged app cannot do once
 * its RunAsNode fuse is off. The desk's OCR client drives it through the same face as a forked
 * child (electron/ocr/client.ts); the worker script answers on `process.parentPort`. Plumbing
 * only: which script and what environment are the client's.
 */
import type { UtilityProcess } from 'electron';
import type { OcrProcess, OcrSpawner } from '../../ocr/index.js';

/** What this adapter needs of Electron's `utilityProcess` (the unit tests' stand-in has only this). */
export interface UtilityProcessApi {
  fork(modulePath: string, args?: string[], options?: { env?: NodeJS.ProcessEnv; serviceName?: string; stdio?: 'inherit' | 'ignore' | 'pipe' }): Pick<UtilityProcess, 'on' | 'postMessage' | 'kill'>;
}

/**
 * `ready`: Electron's app.whenReady() — a utility process can only be forked after it; the CLI
 * mode may ask for a read before, so requests wait for the process.
 */
export function utilityOcrSpawner(utility: UtilityProcessApi, ready: Promise<unknown>): OcrSpawner {
  return (entry, env): OcrProcess => {
    type Child = ReturnType<UtilityProcessApi['fork']>;
    let exited = false;
    const queued: ((c: Child) => void)[] = [];
    let child: Child | null = null;
    const withChild = (f: (c: Child) => void): void => {
      if (child) f(child);
      else queued.push(f);
    };
    void ready.then(() => {
      // The OCR's own log lines (model loading, errors) go to the app's console, as a fork's do.
      const c = utility.fork(entry, [], { env, serviceName: '资格审核台 OCR', stdio: 'inherit' });
      c.on('exit', () => void (exited = true));
      child = c;
      for (const f of queued.splice(0)) f(c);
    });
    return {
      send: (req) => withChild((c) => c.postMessage(req)),
      onMessage: (h) => withChild((c) => void c.on('message', h)),
      onExit: (h) => withChild((c) => void c.on('exit', (code: number) => h(`OCR process exited (${code})`))),
      // A utility process does not hold the app open: the app's windows decide when it quits.
      hold: () => undefined,
      kill: () => withChild((c) => void c.kill()),
      get exited() {
        return exited;
      },
    };
  };
}

/**
 * The desk's side of the OCR process: starts it on first use, sends one scan at a time, and ends
 * it when asked (the queue does so when it runs dry, so an idle desk holds no models in memory and
 * no test process is kept alive).
 *
 * A process, not a worker thread: the recogniser's native allocations (onnxruntime, decoded pages)
 * went to the desk's own heap, which keeps freed memory for reuse — after a batch the desk stayed
 * hundreds of MB larger, and its peak was the desk's and the OCR's together. A process gives all of
 * it back when it ends, and its peak is its own.
 *
 * How the process starts is injected (OcrSpawner): Node and the tests fork it (child_process, the
 * Node binary or, in Electron, the app's binary as Node); the Electron shell passes Electron's
 * utility process, since the packaged app has the RunAsNode fuse off and its binary cannot be
 * Node. The native modules built for Electron load in either.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OcrRead } from '../../shared/ocr/types.js';
import { deskConfig } from '../platform/index.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

/**
 * Where the OCR process's code is: next to this file when running from TypeScript (tsx, vitest),
 * or `ocrWorker.cjs` next to the bundle (dist-electron/) in the built app; the configuration may
 * name another.
 */
function workerEntry(): string {
  const configured = deskConfig().ocrWorker;
  if (configured) return configured;
  const here = import.meta.url;
  if (here.endsWith('.ts')) return fileURLToPath(new URL('./worker.ts', here));
  const bundled = fileURLToPath(new URL('./ocrWorker.cjs', here));
  // Packaged, the script is also unpacked beside the archive (electron-builder.yml): the OCR
  // process then starts from a plain file, whoever starts it.
  const unpacked = bundled.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
  if (unpacked !== bundled && existsSync(unpacked)) return unpacked;
  if (!existsSync(bundled)) throw new Error(`OCR worker not found: ${bundled}`);
  return bundled;
}

/** The OCR process as the client drives it, whichever way it was started. */
export interface OcrProcess {
  send(req: WorkerRequest): void;
  onMessage(h: (reply: WorkerReply) => void): void;
  /** The process ended (or could not start); `why` for the message of pending reads. */
  onExit(h: (why: string) => void): void;
  /** Whether it keeps the desk's process alive (Node; a no-op where the app's life decides). */
  hold(on: boolean): void;
  kill(): void;
  readonly exited: boolean;
}

/** Starts the OCR process from its entry script with the environment it needs. */
export type OcrSpawner = (entry: string, env: NodeJS.ProcessEnv) => OcrProcess;

/** The environment of the OCR process, whoever starts it. */
function ocrEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // glibc: two malloc arenas instead of eight per core, so memory one thread freed is reused
    // by the next page rather than held in another thread's arena (Linux only; elsewhere unused).
    MALLOC_ARENA_MAX: '2',
  };
}

/** child_process.fork: Node, the tests, the CLI; a TypeScript entry runs with tsx's loader. */
export const forkOcrProcess: OcrSpawner = (entry, env) => {
  const execArgv = entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  const child: ChildProcess = fork(entry, [], {
    execArgv,
    // Plain Node only: the Electron shell injects its utilityProcess starter instead (adapters/shell/ocrProcess.ts).
    env,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    send: (req) => void child.send(req),
    onMessage: (h) => void child.on('message', h),
    onExit: (h) => {
      child.on('error', (e) => h(e.message));
      child.on('exit', (code, signal) => h(`OCR process exited (${code ?? signal})`));
    },
    hold: (on) => {
      if (on) {
        child.ref();
        child.channel?.ref();
      } else {
        child.unref();
        child.channel?.unref();
      }
    },
    kill: () => void child.kill(),
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
  };
};

export interface ReadResult {
  read: OcrRead & { ocrPages: number };
  peakRss: number;
}

/** What the queue needs from a reader of scans (the worker client; a stand-in in queue tests). */
export interface ScanReader {
  read(path: string, mime: string): Promise<ReadResult>;
  close(): Promise<void>;
}

export class OcrWorkerClient implements ScanReader {
  private child: OcrProcess | null = null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: ReadResult) => void; reject: (e: Error) => void }>();

  constructor(private readonly spawn: OcrSpawner = forkOcrProcess) {}

  private start(): OcrProcess {
    if (this.child) return this.child;
    const child = this.spawn(workerEntry(), ocrEnv());
    // The OCR process keeps the desk's process alive only while a read is pending.
    child.hold(false);
    child.onMessage((reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve({ read: reply.read, peakRss: reply.peakRss });
      else p.reject(new Error(reply.message));
    });
    child.onExit((why) => {
      for (const p of this.pending.values()) p.reject(new Error(why));
      this.pending.clear();
      if (this.child === child) this.child = null;
    });
    this.child = child;
    return child;
  }

  read(path: string, mime: string): Promise<ReadResult> {
    const child = this.start();
    const id = this.nextId++;
    const req: WorkerRequest = { id, path, mime };
    return new Promise<ReadResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A pending read must keep the process alive until its answer arrives.
      child.hold(true);
      child.send(req);
    }).finally(() => {
      if (this.pending.size === 0 && this.child) this.child.hold(false);
    });
  }

  get running(): boolean {
    return this.child !== null;
  }

  async close(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exited) return;
    await new Promise<void>((resolve) => {
      c.onExit(() => resolve());
      // Held until it has gone: an unreferenced child would let the desk's process end first.
      c.hold(true);
      c.kill();
    });
  }
}

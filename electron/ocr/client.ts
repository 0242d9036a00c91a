/**
 * The desk's side of the OCR process: starts it on first use, sends one scan at a time, and ends
 * it when asked (the queue does so when it runs dry, so an idle desk holds no models in memory and
 * no test process is kept alive).
 *
 * A process, not a worker thread: the recogniser's native allocations (onnxruntime, decoded pages)
 * went to the desk's own heap, which keeps freed memory for reuse — after a batch the desk stayed
 * hundreds of MB larger, and its peak was the desk's and the OCR's together. A process gives all of
 * it back when it ends, and its peak is its own. In Electron it is the app's own binary run as Node
 * (ELECTRON_RUN_AS_NODE), so the native modules built for Electron load in it.
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
  // Packaged, the script is also unpacked beside the archive (electron-builder.yml): a process
  // started from a file inside app.asar depends on Electron's archive support in Node mode.
  const unpacked = bundled.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
  if (unpacked !== bundled && existsSync(unpacked)) return unpacked;
  if (!existsSync(bundled)) throw new Error(`OCR worker not found: ${bundled}`);
  return bundled;
}

/** A TypeScript entry runs with tsx's loader; the bundle as it is. */
function spawn(file: string): ChildProcess {
  const execArgv = file.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  return fork(file, [], {
    execArgv,
    env: {
      ...process.env,
      // Electron's binary behaves as Node; plain Node ignores it.
      ELECTRON_RUN_AS_NODE: '1',
      // glibc: two malloc arenas instead of eight per core, so memory one thread freed is reused
      // by the next page rather than held in another thread's arena (Linux only; elsewhere unused).
      MALLOC_ARENA_MAX: '2',
    },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

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
  private child: ChildProcess | null = null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: ReadResult) => void; reject: (e: Error) => void }>();

  /** Whether the OCR process keeps the desk's process alive: only while a read is pending. */
  private hold(child: ChildProcess, on: boolean): void {
    if (on) {
      child.ref();
      child.channel?.ref();
    } else {
      child.unref();
      child.channel?.unref();
    }
  }

  private start(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn(workerEntry());
    this.hold(child, false);
    child.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve({ read: reply.read, peakRss: reply.peakRss });
      else p.reject(new Error(reply.message));
    });
    const fail = (e: Error): void => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      if (this.child === child) this.child = null;
    };
    child.on('error', fail);
    child.on('exit', (code, signal) => fail(new Error(`OCR process exited (${code ?? signal})`)));
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
      this.hold(child, true);
      child.send(req);
    }).finally(() => {
      if (this.pending.size === 0 && this.child) this.hold(this.child, false);
    });
  }

  get running(): boolean {
    return this.child !== null;
  }

  async close(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      // Held until it has gone: an unreferenced child would let the desk's process end first.
      this.hold(c, true);
      c.kill();
    });
  }
}

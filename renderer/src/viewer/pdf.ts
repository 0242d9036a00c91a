/**
 * pdf.js for the viewer: one worker for the session and the page renderer every view uses (the
 * pane, its thumbnails and the off-screen preparation of the next applicant's first scan).
 */
import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { Rotation } from '../../../shared/api/index.js';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

/**
 * One pdf.js worker for the whole session. Without it every getDocument starts (and destroy
 * ends) its own worker, re-loading the 1.2 MB worker script for each scan: most of the time
 * from "next" to a painted page. Destroying a document still frees its worker-side state.
 */
let sharedWorker: pdfjs.PDFWorker | null = null;
export function pdfWorker(): pdfjs.PDFWorker {
  sharedWorker ??= new pdfjs.PDFWorker();
  return sharedWorker;
}

export type PdfDoc = Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;
export type PdfPage = Awaited<ReturnType<PdfDoc['getPage']>>;

/**
 * Renders one page onto a canvas at the scale `pick` chooses for the rotated page size (CSS
 * pixels), sharp on high-DPI screens. `target` returns null once the caller has moved on.
 * Returns the size the canvas is displayed at (null when the caller moved on).
 */
export async function drawPage(
  pdf: PdfDoc,
  pageNo: number,
  rotation: Rotation,
  target: () => HTMLCanvasElement | null,
  pick: (w: number, h: number) => number,
  started: (task: ReturnType<PdfPage['render']>) => void,
): Promise<{ w: number; h: number } | null> {
  const p = await pdf.getPage(pageNo);
  const canvas = target();
  if (!canvas) return null;
  const rot = (p.rotate + rotation) % 360;
  const base = p.getViewport({ scale: 1, rotation: rot });
  const dpr = window.devicePixelRatio || 1;
  const viewport = p.getViewport({ scale: pick(base.width, base.height) * dpr, rotation: rot });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  const shown = { w: Math.floor(viewport.width / dpr), h: Math.floor(viewport.height / dpr) };
  canvas.style.width = `${shown.w}px`;
  canvas.style.height = `${shown.h}px`;
  const task = p.render({ canvas, viewport });
  started(task);
  await task.promise;
  return shown;
}

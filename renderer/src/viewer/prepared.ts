/**
 * The next applicant's first scan made ready before the key press (an image fetched and decoded,
 * a PDF opened with page 1 drawn off screen at the scale it will be shown at), at most a few at a
 * time, only while no viewer is busy with its own first paint.
 */
import { useEffect } from 'react';
import * as pdfjs from 'pdfjs-dist';
import type { ReviewApplicant, Rotation } from '../../../shared/api/index.js';
import { docBytes, warmScansWith } from '../review/cache.js';
import { fitScale, lastBoxes } from './geometry.js';
import { viewFor } from './kindViews.js';
import { drawPage, pdfWorker, type PdfDoc } from './pdf.js';

/**
 * Viewers still busy with their first paint. The next applicant's scan is prepared only when
 * none is, so the prefetch never competes with the scan the reviewer is waiting for.
 */
let painting = 0;
let idleWaiters: (() => void)[] = [];
export function usePaintGate(done: boolean): void {
  useEffect(() => {
    if (done) return;
    painting++;
    return () => {
      if (--painting > 0) return;
      const ws = idleWaiters;
      idleWaiters = [];
      for (const w of ws) w();
    };
  }, [done]);
}
export function viewersIdle(): Promise<void> {
  if (painting === 0) return Promise.resolve();
  // A viewer that never finishes (a scan that hangs) must not stop the prefetch for good.
  return new Promise((resolve) => {
    idleWaiters.push(resolve);
    setTimeout(resolve, 2000);
  });
}

/** A PDF's first page drawn off screen, with what it was drawn for. */
export interface FirstPage {
  canvas: HTMLCanvasElement;
  rotation: Rotation;
  scale: number;
  dpr: number;
  /** Page size at scale 1, turned. */
  base: { w: number; h: number };
  shown: { w: number; h: number };
}

/** A scan made ready before its applicant is opened; the viewer that claims it owns it. */
export interface Prepared {
  image?: { url: string; natural: { w: number; h: number } };
  pdf?: { task: ReturnType<typeof pdfjs.getDocument>; doc: PdfDoc; first: FirstPage | null };
}

const MAX_PREPARED = 3;

/** One scan being prepared: `claimed` once a viewer has taken it, `dropped` when evicted. */
interface Slot {
  done: Promise<Prepared | null>;
  /** Set once done, so a viewer takes it in the same frame. */
  ready: Prepared | null;
  claimed: boolean;
  dropped: boolean;
}
const preparing = new Map<number, Slot>();

export function dispose(p: Prepared | null): void {
  if (p?.image) URL.revokeObjectURL(p.image.url);
  if (p?.pdf) {
    void p.pdf.task.destroy();
    if (p.pdf.first) p.pdf.first.canvas.width = 0;
  }
}

/**
 * Takes the prepared scan; the caller owns (and frees) what the promise gives. Null when none
 * was started. Still in flight when the key is pressed, it is waited for, not started over.
 */
export function claimPrepared(docId: number): Prepared | Promise<Prepared | null> | null {
  const slot = preparing.get(docId);
  if (!slot) return null;
  preparing.delete(docId);
  slot.claimed = true;
  return slot.ready ?? slot.done;
}

/** Uses what claimPrepared gave, at once when ready, else when it arrives (or loads instead). */
export function withPrepared(docId: number, use: (p: Prepared | null) => boolean, load: () => void, cancelled: () => boolean): void {
  const claim = claimPrepared(docId);
  const take = (p: Prepared | null): void => {
    if (cancelled()) return dispose(p);
    if (use(p)) return;
    dispose(p);
    load();
  };
  if (claim instanceof Promise) void claim.then(take);
  else take(claim);
}

/** Documents on screen now; preparing one of those again would only duplicate it. */
const onScreen = new Map<number, number>();
export function useOnScreen(docId: number): void {
  useEffect(() => {
    onScreen.set(docId, (onScreen.get(docId) ?? 0) + 1);
    return () => {
      const n = (onScreen.get(docId) ?? 1) - 1;
      if (n > 0) onScreen.set(docId, n);
      else onScreen.delete(docId);
    };
  }, [docId]);
}

/**
 * Gets the applicant's first scan ready to paint: an image fetched and decoded, or a PDF opened
 * with its first page drawn off screen at the scale its kind is shown at in the current box.
 * A failure gives null: the viewer then loads the scan itself and shows the error.
 */
export function prepareFirstScan(a: ReviewApplicant): Promise<unknown> | undefined {
  const doc = a.detail.documents[0];
  if (!doc || onScreen.has(doc.id)) return;
  const had = preparing.get(doc.id);
  if (had) return had.done;
  const isPdf = doc.mime === 'application/pdf';
  if (!isPdf && !doc.mime.startsWith('image/')) return;
  const slot: Slot = { done: Promise.resolve(null), ready: null, claimed: false, dropped: false };
  const stop = (): boolean => slot.dropped;
  slot.done = (async (): Promise<Prepared | null> => {
    const made: Prepared = {};
    try {
      await viewersIdle();
      const bytes = await docBytes(doc.id);
      if (stop()) return null;
      if (!isPdf) {
        const url = URL.createObjectURL(new Blob([bytes], { type: doc.mime }));
        made.image = { url, natural: { w: 0, h: 0 } };
        const img = new Image();
        img.src = url;
        await img.decode();
        made.image.natural = { w: img.naturalWidth, h: img.naturalHeight };
      } else {
        const task = pdfjs.getDocument({ data: new Uint8Array(bytes.slice(0)), worker: pdfWorker(), isEvalSupported: false, enableXfa: false });
        made.pdf = { task, doc: await task.promise, first: null };
        if (stop()) throw new Error('dropped');
        const rotation = a.rotations[doc.id] ?? 0;
        const view = viewFor(doc.kind);
        const canvas = document.createElement('canvas');
        const dpr = window.devicePixelRatio || 1;
        let picked = { scale: 1, base: { w: 0, h: 0 } };
        const box = made.pdf.doc.numPages > 1 ? lastBoxes.multi : lastBoxes.single;
        const shown = await drawPage(made.pdf.doc, 1, rotation, () => (stop() || !box ? null : canvas), (w, h) => {
          picked = { scale: fitScale(view.fit, view.zoom, box ?? lastBoxes.single, w, h), base: { w, h } };
          return picked.scale;
        }, () => undefined);
        if (shown) made.pdf.first = { canvas, rotation, dpr, scale: picked.scale, base: picked.base, shown };
      }
      if (stop()) throw new Error('dropped');
      slot.ready = made;
      return made;
    } catch {
      dispose(made);
      if (preparing.get(doc.id) === slot) preparing.delete(doc.id);
      return null;
    }
  })();
  preparing.set(doc.id, slot);
  while (preparing.size > MAX_PREPARED) {
    const oldest = preparing.entries().next();
    if (oldest.done) break;
    const [oldId, old] = oldest.value;
    preparing.delete(oldId);
    old.dropped = true;
    void old.done.then(dispose);
  }
  return slot.done;
}

warmScansWith(prepareFirstScan);

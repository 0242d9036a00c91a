/**
 * Shows one scan: PDFs rendered with pdf.js (worker bundled by Vite, no eval, no scripting),
 * images as images. Fit width / fit page / free zoom, rotation in steps of 90°, drag to pan,
 * page thumbnails for multi-page PDFs. Bytes come from the prefetch cache, so the next
 * applicant's first scan paints without a network wait. A corrupt or unsupported file shows a
 * clear message in place, never a blank pane.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { DocumentInfo, OcrDocumentView, Rotation } from '../../shared/api/index.js';
import { t } from './i18n.js';
import { OcrOverlay } from './ocr/OcrOverlay.js';
import { docBytes } from './review/cache.js';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

/**
 * One pdf.js worker for the whole session. Without it every getDocument starts (and destroy
 * ends) its own worker, re-loading the 1.2 MB worker script for each scan: most of the time
 * from "next" to a painted page. Destroying a document still frees its worker-side state.
 */
let sharedWorker: pdfjs.PDFWorker | null = null;
function pdfWorker(): pdfjs.PDFWorker {
  sharedWorker ??= new pdfjs.PDFWorker();
  return sharedWorker;
}

type PdfDoc = Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;
type PdfPage = Awaited<ReturnType<PdfDoc['getPage']>>;

export type Fit = 'width' | 'page' | 'free';

export interface ViewProps {
  doc: DocumentInfo;
  rotation: Rotation;
  fit: Fit;
  /** Scale used when fit is 'free' (1 = 100 %). */
  zoom: number;
  page: number;
  onPages?: (n: number) => void;
  onPage?: (p: number) => void;
  /** Reports the effective scale, so zooming from a fit continues from what is seen. */
  onScale?: (s: number) => void;
  /** Ctrl + wheel zoom: a factor to apply to the current scale. */
  onWheelZoom?: (factor: number) => void;
  /** What the OCR read on this scan; null or without fields (not read yet, failed) draws nothing. */
  ocr?: OcrDocumentView | null;
  /** The reviewer's toggle for the OCR frames. */
  showBoxes?: boolean;
  /** A field whose frame to scroll to and flash (from a click in the declared data). */
  flash?: { field: string; n: number } | null;
}

/** The OCR frames of one page, or nothing when there is nothing to draw. */
function Overlay({ ocr, showBoxes, flash, pageNo, width, height, rotation }: Pick<ViewProps, 'ocr' | 'showBoxes' | 'flash' | 'rotation'> & { pageNo: number; width: number; height: number }): React.JSX.Element | null {
  if (!ocr || !showBoxes || ocr.fields.length === 0 || width <= 0 || height <= 0) return null;
  const page = ocr.pages.find((p) => p.page === pageNo);
  if (!page) return null;
  return <OcrOverlay fields={ocr.fields} page={page} width={width} height={height} viewRotation={rotation} flash={flash} />;
}

const PAD = 16;

export function DocViewer(props: ViewProps): React.JSX.Element {
  const { doc } = props;
  if (doc.mime === 'application/pdf') return <PdfView key={doc.id} {...props} />;
  if (doc.mime.startsWith('image/')) return <ImageView key={doc.id} {...props} />;
  return <ViewerError text={t('viewer.unsupported', { mime: doc.mime })} />;
}

function ViewerError({ text, detail }: { text: string; detail?: string }): React.JSX.Element {
  return (
    <div className="viewer-msg error" role="alert">
      {text}
      {detail && <div className="viewer-detail">{detail}</div>}
    </div>
  );
}

/** Size of the scroll area, kept current as panes open, close or go full screen. */
function useBoxSize(ref: React.RefObject<HTMLElement | null>): { w: number; h: number } {
  const [size, setSize] = useState({ w: 800, h: 600 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = (): void => setSize((s) => (s.w === el.clientWidth && s.h === el.clientHeight ? s : { w: el.clientWidth, h: el.clientHeight }));
    read();
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

function fitScale(fit: Fit, zoom: number, box: { w: number; h: number }, w: number, h: number): number {
  if (fit === 'free' || w <= 0 || h <= 0) return zoom;
  const sw = Math.max(0.05, (box.w - PAD * 2) / w);
  return fit === 'width' ? sw : Math.min(sw, Math.max(0.05, (box.h - PAD * 2) / h));
}

/** Drag with the mouse to pan a zoomed scan; Ctrl + wheel to zoom. */
function usePanZoom(ref: React.RefObject<HTMLElement | null>, onWheelZoom?: (f: number) => void): void {
  const zoomRef = useRef(onWheelZoom);
  zoomRef.current = onWheelZoom;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let drag: { x: number; y: number; left: number; top: number } | null = null;
    const down = (e: PointerEvent): void => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, left: el.scrollLeft, top: el.scrollTop };
      el.classList.add('panning');
    };
    const move = (e: PointerEvent): void => {
      if (!drag) return;
      el.scrollLeft = drag.left - (e.clientX - drag.x);
      el.scrollTop = drag.top - (e.clientY - drag.y);
    };
    const up = (): void => {
      drag = null;
      el.classList.remove('panning');
    };
    const wheel = (e: WheelEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || !zoomRef.current) return;
      e.preventDefault();
      zoomRef.current(e.deltaY < 0 ? 1.15 : 1 / 1.15);
    };
    el.addEventListener('pointerdown', down);
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    el.addEventListener('wheel', wheel, { passive: false });
    return () => {
      el.removeEventListener('pointerdown', down);
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      el.removeEventListener('wheel', wheel);
    };
  }, [ref]);
}

function ImageView({ doc, rotation, fit, zoom, onScale, onWheelZoom, ocr, showBoxes, flash }: ViewProps): React.JSX.Element {
  const boxRef = useRef<HTMLDivElement>(null);
  const box = useBoxSize(boxRef);
  const [url, setUrl] = useState<string | null>(null);
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePanZoom(boxRef, onWheelZoom);

  useEffect(() => {
    let made: string | null = null;
    let cancelled = false;
    docBytes(doc.id).then(
      (bytes) => {
        if (cancelled) return;
        made = URL.createObjectURL(new Blob([bytes], { type: doc.mime }));
        setUrl(made);
      },
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
      // One object URL per mounted image, freed when it goes: no leak over 500 applicants.
      if (made) URL.revokeObjectURL(made);
    };
  }, [doc.id, doc.mime]);

  const turned = rotation === 90 || rotation === 270;
  const w = natural ? (turned ? natural.h : natural.w) : 0;
  const h = natural ? (turned ? natural.w : natural.h) : 0;
  const scale = natural ? fitScale(fit, zoom, box, w, h) : 1;
  useEffect(() => {
    if (natural) onScale?.(scale);
  }, [natural, scale, onScale]);

  if (error) return <ViewerError text={t('viewer.corrupt')} detail={error} />;
  return (
    <div className="viewer-scroll" ref={boxRef}>
      {!natural && !error && <div className="viewer-msg">{t('viewer.loading')}</div>}
      {url && (
        <div className="scan-box" style={natural ? { width: w * scale, height: h * scale } : { visibility: 'hidden' }}>
          <img
            className="scan-image"
            data-doc-id={doc.id}
            data-rotation={rotation}
            src={url}
            alt={doc.originalName}
            draggable={false}
            style={natural ? { width: natural.w * scale, height: natural.h * scale, transform: `translate(-50%, -50%) rotate(${rotation}deg)` } : undefined}
            onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
            onError={() => setError(t('viewer.imageCorrupt'))}
          />
          {natural && <Overlay ocr={ocr} showBoxes={showBoxes} flash={flash} pageNo={1} width={w * scale} height={h * scale} rotation={rotation} />}
        </div>
      )}
    </div>
  );
}

function PdfView({ doc, rotation, fit, zoom, page, onPages, onPage, onScale, onWheelZoom, ocr, showBoxes, flash }: ViewProps): React.JSX.Element {
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const box = useBoxSize(boxRef);
  const [pdf, setPdf] = useState<PdfDoc | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rendered, setRendered] = useState(false);
  // The size the canvas is displayed at (CSS pixels), for the OCR frames over it.
  const [shown, setShown] = useState<{ w: number; h: number } | null>(null);
  // Thumbnails start after the first page is painted: they share the worker with it.
  const [thumbs, setThumbs] = useState(false);
  usePanZoom(boxRef, onWheelZoom);
  useEffect(() => {
    if (rendered) setThumbs(true);
  }, [rendered]);

  useEffect(() => {
    let cancelled = false;
    let task: ReturnType<typeof pdfjs.getDocument> | null = null;
    docBytes(doc.id).then(
      (bytes) => {
        if (cancelled) return;
        // pdf.js transfers the buffer to its worker; give it a copy so the cache keeps its own.
        task = pdfjs.getDocument({ data: new Uint8Array(bytes.slice(0)), worker: pdfWorker(), isEvalSupported: false, enableXfa: false });
        task.promise.then(
          (p) => {
            if (cancelled) return;
            setPdf(p);
            onPages?.(p.numPages);
          },
          (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
        );
      },
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
      // Free the worker-side document: no leaked pdf.js documents when moving on.
      void task?.destroy();
    };
    // onPages is a notification: a new callback identity must not re-open the document.
  }, [doc.id]);

  const pageNo = pdf ? Math.min(Math.max(1, page), pdf.numPages) : 1;

  useEffect(() => {
    if (!pdf || !canvasRef.current) return;
    let cancelled = false;
    let renderTask: ReturnType<PdfPage['render']> | null = null;
    setRendered(false);
    void (async () => {
      try {
        const size = await drawPage(pdf, pageNo, rotation, () => (cancelled ? null : canvasRef.current), (w, h) => {
          const scale = fitScale(fit, zoom, box, w, h);
          onScale?.(scale);
          return scale;
        }, (task) => {
          renderTask = task;
        });
        if (!cancelled) {
          setShown(size);
          setRendered(true);
        }
      } catch (e) {
        if (!cancelled && !(e instanceof Error && e.name === 'RenderingCancelledException')) setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      cancelled = true;
      renderTask?.cancel();
    };
    // onScale is a notification: a new callback identity must not re-render the page.
  }, [pdf, pageNo, rotation, fit, zoom, box]);

  if (error) return <ViewerError text={t('viewer.corrupt')} detail={error} />;
  return (
    <div className="viewer-pdf">
      {pdf && pdf.numPages > 1 && thumbs && (
        <div className="viewer-thumbs" aria-label={t('viewer.page', { page: pageNo, pages: pdf.numPages })}>
          {Array.from({ length: Math.min(pdf.numPages, 60) }, (_, i) => (
            <Thumb key={i} pdf={pdf} pageNo={i + 1} rotation={rotation} active={i + 1 === pageNo} onClick={() => onPage?.(i + 1)} />
          ))}
        </div>
      )}
      <div className="viewer-main">
        {pdf && pdf.numPages > 1 && (
          <div className="viewer-pages">
            <button type="button" disabled={pageNo <= 1} onClick={() => onPage?.(pageNo - 1)}>{t('viewer.prev')}</button>
            <span>{t('viewer.page', { page: pageNo, pages: pdf.numPages })}</span>
            <button type="button" disabled={pageNo >= pdf.numPages} onClick={() => onPage?.(pageNo + 1)}>{t('viewer.next')}</button>
          </div>
        )}
        <div className="viewer-scroll" ref={boxRef}>
          {!pdf && <div className="viewer-msg">{t('viewer.loading')}</div>}
          <div className="scan-pdf-box" style={shown ? { width: shown.w, height: shown.h } : undefined}>
            <canvas ref={canvasRef} className="scan-pdf" data-doc-id={doc.id} data-rotation={rotation} data-page={pageNo} data-rendered={rendered ? 'true' : 'false'} />
            {rendered && shown && <Overlay ocr={ocr} showBoxes={showBoxes} flash={flash} pageNo={pageNo} width={shown.w} height={shown.h} rotation={rotation} />}
          </div>
        </div>
      </div>
    </div>
  );
}

/**
 * Renders one page onto a canvas at the scale `pick` chooses for the rotated page size (CSS
 * pixels), sharp on high-DPI screens. `target` returns null once the caller has moved on.
 * Returns the size the canvas is displayed at (null when the caller moved on).
 */
async function drawPage(
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

function Thumb({ pdf, pageNo, rotation, active, onClick }: { pdf: PdfDoc; pageNo: number; rotation: Rotation; active: boolean; onClick: () => void }): React.JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let cancelled = false;
    let task: ReturnType<PdfPage['render']> | null = null;
    void (async () => {
      try {
        await drawPage(pdf, pageNo, rotation, () => (cancelled ? null : ref.current), (w) => 72 / w, (x) => {
          task = x;
        });
      } catch {
        // A thumbnail that fails leaves a blank tile; the main view shows the error.
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, pageNo, rotation]);
  return (
    <button type="button" className={`thumb${active ? ' active' : ''}`} onClick={onClick} aria-label={String(pageNo)} aria-current={active}>
      <canvas ref={ref} />
      <span>{pageNo}</span>
    </button>
  );
}

/**
 * Shows one scan: PDFs rendered with pdf.js (worker bundled by Vite, no eval, no scripting),
 * images as images. Fit width / fit page / free zoom, rotation in steps of 90°, drag to pan,
 * page thumbnails for multi-page PDFs. Bytes come from the prefetch cache, so the next
 * applicant's first scan paints without a network wait. A corrupt or unsupported file shows a
 * clear message in place, never a blank pane.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import * as pdfjs from 'pdfjs-dist';
import type { DocumentInfo, OcrDocumentView, Rotation } from '../../shared/api/index.js';
import { t } from './i18n.js';
import { LIMITS } from '../../shared/limits.js';
import { OcrOverlay } from './ocr/OcrOverlay.js';
import { DocFetchError, docBytes, prefetchesSettled } from './review/cache.js';
import { fitScale, lastBoxes, useBoxSize, usePanZoom, type Box } from './viewer/geometry.js';
import { rememberView, viewFor, type Fit, type KindView } from './viewer/kindViews.js';
import { drawPage, pdfWorker, type PdfDoc, type PdfPage } from './viewer/pdf.js';
import { usePaintGate, useOnScreen, withPrepared, type FirstPage, type Prepared } from './viewer/prepared.js';

export { viewFor, type Fit, type KindView } from './viewer/kindViews.js';

export interface ViewProps {
  doc: DocumentInfo;
  rotation: Rotation;
  /** Set when the reviewer chose one in this pane (remembered for the kind); else the kind's own. */
  fit?: Fit | undefined;
  /** Scale used when fit is 'free' (1 = 100 %). */
  zoom?: number | undefined;
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


type ShownProps = Omit<ViewProps, 'fit' | 'zoom'> & KindView & { badge: React.ReactNode };

export function DocViewer(props: ViewProps): React.JSX.Element {
  const { doc, fit, zoom } = props;
  const view: KindView = fit ? { fit, zoom: zoom ?? 1 } : viewFor(doc.kind);
  useEffect(() => {
    if (fit) rememberView(doc.kind, { fit, zoom: zoom ?? 1 });
  }, [doc.kind, fit, zoom]);
  // What the pane shows at, over the scan's lower right corner (a zero-height anchor after the
  // scroll area takes no room); a viewer showing an error shows none.
  const badge = (
    <div style={{ position: 'relative', height: 0 }}>
      <span className="zoom-badge" data-testid="zoom" data-fit={view.fit} data-zoom={view.zoom.toFixed(2)} style={{ position: 'absolute', right: 10, bottom: 6, padding: '0 6px', fontSize: 12, borderRadius: 3, background: 'rgba(255,255,255,0.85)', color: '#555', pointerEvents: 'none' }}>
        {view.fit === 'free' ? `${Math.round(view.zoom * 100)}%` : t(view.fit === 'width' ? 'viewer.fitWidth' : 'viewer.fitPage')}
      </span>
    </div>
  );
  const shown: ShownProps = { ...props, fit: view.fit, zoom: view.zoom, badge };
  if (doc.mime === 'application/pdf') return <PdfView key={doc.id} {...shown} />;
  if (doc.mime.startsWith('image/')) return <ImageView key={doc.id} {...shown} />;
  return <ViewerError text={t('viewer.unsupported', { mime: doc.mime })} />;
}

/**
 * What went wrong, in the reader's language. pdf.js and fetch fail with English texts ("Invalid
 * PDF structure."), which must not surface in the Chinese desk: they are recognised by the error's
 * name and said in words; the original text is kept for the English desk only.
 */
function problemText(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  const name = e instanceof Error ? e.name : '';
  if (name === 'InvalidPDFException') return t('viewer.pdfInvalid', { raw });
  if (name === 'PasswordException') return t('viewer.pdfPassword', { raw });
  if (name === 'MissingPDFException' || (e instanceof DocFetchError && /\b404\b/.test(raw))) return t('viewer.fileMissing', { raw });
  if (name === 'UnexpectedResponseException' || e instanceof DocFetchError || e instanceof TypeError) return t('viewer.fetchFailed', { raw });
  return t('viewer.pdfBroken', { raw });
}

function ViewerError({ text, detail }: { text: string; detail?: string }): React.JSX.Element {
  return (
    <div className="viewer-msg error" role="alert">
      {text}
      {detail && <div className="viewer-detail">{detail}</div>}
    </div>
  );
}


function ImageView({ doc, rotation, fit, zoom, onScale, onWheelZoom, ocr, showBoxes, flash, badge }: ShownProps): React.JSX.Element {
  const boxRef = useRef<HTMLDivElement>(null);
  const box = useBoxSize(boxRef);
  useEffect(() => {
    if (box.w > 0 && box.h > 0) lastBoxes.single = box;
  }, [box]);
  const [url, setUrl] = useState<string | null>(null);
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePanZoom(boxRef, onWheelZoom);
  usePaintGate(!!natural || !!error);
  useOnScreen(doc.id);

  // A layout effect: a prepared (already decoded) image is in place before the first paint.
  useLayoutEffect(() => {
    let made: string | null = null;
    let cancelled = false;
    const load = (): void => {
      docBytes(doc.id).then(
        (bytes) => {
          if (cancelled) return;
          made = URL.createObjectURL(new Blob([bytes], { type: doc.mime }));
          setUrl(made);
        },
        (e: unknown) => !cancelled && setError(problemText(e)),
      );
    };
    const use = (pre: Prepared | null): boolean => {
      if (!pre?.image) return false;
      made = pre.image.url;
      setUrl(made);
      setNatural(pre.image.natural);
      return true;
    };
    withPrepared(doc.id, use, load, () => cancelled);
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
    <>
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
              onLoad={(e) => {
                const n = { w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight };
                setNatural((had) => (had && had.w === n.w && had.h === n.h ? had : n));
              }}
              onError={() => setError(t('viewer.imageCorrupt'))}
            />
            {natural && <Overlay ocr={ocr} showBoxes={showBoxes} flash={flash} pageNo={1} width={w * scale} height={h * scale} rotation={rotation} />}
          </div>
        )}
      </div>
      {badge}
    </>
  );
}

function PdfView({ doc, rotation, fit, zoom, page, onPages, onPage, onScale, onWheelZoom, ocr, showBoxes, flash, badge }: ShownProps): React.JSX.Element {
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [pdf, setPdf] = useState<PdfDoc | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rendered, setRendered] = useState(false);
  // The size the canvas is displayed at (CSS pixels), for the OCR frames over it.
  const [shown, setShown] = useState<{ w: number; h: number } | null>(null);
  // Painted once (stays so while a zoom redraws): the next applicant's scan may be prepared.
  const [painted, setPainted] = useState(false);
  // Thumbnails start after the first page is painted and the next applicant's first scan is
  // prepared: they share the pdf.js worker and the main thread with both.
  const [thumbs, setThumbs] = useState(false);
  const box = useBoxSize(boxRef);
  // What the canvas holds now, so a change that keeps the scale (a taller box under fit width)
  // draws nothing again.
  const drawnRef = useRef<{ pageNo: number; rotation: Rotation; base: Box; scale: number } | null>(null);
  // The first page as the prefetch drew it off screen, until the first draw uses (or drops) it.
  const firstRef = useRef<FirstPage | null>(null);
  usePanZoom(boxRef, onWheelZoom);
  usePaintGate(painted || !!error);
  useOnScreen(doc.id);
  useEffect(() => {
    if (!rendered) return;
    setPainted(true);
    let live = true;
    // Capped: a slow prefetch must not keep the thumbnails away for long.
    const cap = new Promise((resolve) => setTimeout(resolve, 1500));
    void Promise.race([prefetchesSettled(), cap]).then(() => live && setThumbs(true));
    return () => {
      live = false;
    };
  }, [rendered]);

  // Layout effects here and below: a prepared document is opened and its page copied in before
  // the first paint, without waiting for a task of its own.
  useLayoutEffect(() => {
    let cancelled = false;
    let task: ReturnType<typeof pdfjs.getDocument> | null = null;
    const load = (): void => {
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
            (e: unknown) => !cancelled && setError(problemText(e)),
          );
        },
        (e: unknown) => !cancelled && setError(problemText(e)),
      );
    };
    const use = (pre: Prepared | null): boolean => {
      if (!pre?.pdf) return false;
      task = pre.pdf.task;
      firstRef.current = pre.pdf.first;
      setPdf(pre.pdf.doc);
      onPages?.(pre.pdf.doc.numPages);
      return true;
    };
    withPrepared(doc.id, use, load, () => cancelled);
    return () => {
      cancelled = true;
      if (firstRef.current) firstRef.current.canvas.width = 0;
      firstRef.current = null;
      // The document is destroyed below: nothing may draw from it any more (a remount in
      // development would otherwise render the destroyed one).
      setPdf(null);
      // Free the worker-side document: no leaked pdf.js documents when moving on.
      void task?.destroy();
    };
    // onPages is a notification: a new callback identity must not re-open the document.
  }, [doc.id]);

  // A PDF of thousands of pages is not a certificate: only the first pages can be shown (named below).
  const pages = pdf ? Math.min(pdf.numPages, LIMITS.pdf.maxViewPages) : 0;
  const pageNo = pdf ? Math.min(Math.max(1, page), pages) : 1;

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!pdf || !canvas) return;
    // Read here, not from state: in the commit that opens the document the thumbnail column
    // has just appeared and the state still holds the box without it.
    const el = boxRef.current;
    const real = el && el.clientWidth > 0 && el.clientHeight > 0 ? { w: el.clientWidth, h: el.clientHeight } : box;
    if (pdf.numPages > 1) lastBoxes.multi = real;
    else lastBoxes.single = real;
    const drawn = drawnRef.current;
    if (drawn && drawn.pageNo === pageNo && drawn.rotation === rotation && fitScale(fit, zoom, real, drawn.base.w, drawn.base.h) === drawn.scale) return;
    drawnRef.current = null;
    const first = firstRef.current;
    firstRef.current = null;
    if (first) {
      // Drawn ahead for this page, turn and scale: copied in, no trip to the worker.
      const scale = fitScale(fit, zoom, real, first.base.w, first.base.h);
      const same = pageNo === 1 && first.rotation === rotation && first.dpr === (window.devicePixelRatio || 1) && Math.abs(scale - first.scale) < 1e-9;
      if (same) {
        canvas.width = first.canvas.width;
        canvas.height = first.canvas.height;
        canvas.style.width = `${first.shown.w}px`;
        canvas.style.height = `${first.shown.h}px`;
        canvas.getContext('2d')?.drawImage(first.canvas, 0, 0);
      }
      first.canvas.width = 0;
      if (same) {
        drawnRef.current = { pageNo, rotation, base: first.base, scale };
        onScale?.(scale);
        setShown(first.shown);
        setRendered(true);
        return;
      }
    }
    let cancelled = false;
    let renderTask: ReturnType<PdfPage['render']> | null = null;
    setRendered(false);
    void (async () => {
      try {
        let picked: { base: Box; scale: number } | null = null;
        const size = await drawPage(pdf, pageNo, rotation, () => (cancelled ? null : canvasRef.current), (w, h) => {
          const scale = fitScale(fit, zoom, real, w, h);
          picked = { base: { w, h }, scale };
          onScale?.(scale);
          return scale;
        }, (task) => {
          renderTask = task;
        });
        if (!cancelled) {
          if (picked) drawnRef.current = { pageNo, rotation, ...(picked as { base: Box; scale: number }) };
          setShown(size);
          setRendered(true);
        }
      } catch (e) {
        if (!cancelled && !(e instanceof Error && e.name === 'RenderingCancelledException')) setError(problemText(e));
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
      {/* The column is there from the start (the page is drawn once, for the box beside it);
          its thumbnails come after the page is painted. */}
      {pdf && pdf.numPages > 1 && (
        <div className="viewer-thumbs" aria-label={t('viewer.page', { page: pageNo, pages: pdf.numPages })}>
          {thumbs && Array.from({ length: Math.min(pages, 60) }, (_, i) => (
            <Thumb key={i} pdf={pdf} pageNo={i + 1} rotation={rotation} active={i + 1 === pageNo} onClick={() => onPage?.(i + 1)} />
          ))}
        </div>
      )}
      <div className="viewer-main">
        {pdf && pdf.numPages > 1 && (
          <div className="viewer-pages">
            <button type="button" disabled={pageNo <= 1} onClick={() => onPage?.(pageNo - 1)}>{t('viewer.prev')}</button>
            <span>{t('viewer.page', { page: pageNo, pages: pdf.numPages })}</span>
            <button type="button" disabled={pageNo >= pages} onClick={() => onPage?.(pageNo + 1)}>{t('viewer.next')}</button>
            {pdf.numPages > pages && <span className="warn" data-testid="viewer-page-cap">{t('sec.viewPageCap', { shown: pages })}</span>}
          </div>
        )}
        <div className="viewer-scroll" ref={boxRef}>
          {!pdf && <div className="viewer-msg">{t('viewer.loading')}</div>}
          <div className="scan-pdf-box" style={shown ? { width: shown.w, height: shown.h } : undefined}>
            <canvas ref={canvasRef} className="scan-pdf" data-doc-id={doc.id} data-rotation={rotation} data-page={pageNo} data-rendered={rendered ? 'true' : 'false'} />
            {rendered && shown && <Overlay ocr={ocr} showBoxes={showBoxes} flash={flash} pageNo={pageNo} width={shown.w} height={shown.h} rotation={rotation} />}
          </div>
        </div>
        {badge}
      </div>
    </div>
  );
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

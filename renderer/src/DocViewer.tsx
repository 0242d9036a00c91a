/**
 * Shows one scan: PDFs rendered with pdf.js (worker bundled by Vite, no eval, no scripting),
 * images as images. A corrupt or unsupported file shows a clear message in place.
 */
import { useEffect, useRef, useState } from 'react';
import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { DocumentInfo } from '../../shared/api/index.js';
import { docUrl } from './api.js';
import { t } from './i18n.js';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

type PdfDoc = Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;

export function DocViewer({ doc }: { doc: DocumentInfo }): React.JSX.Element {
  if (doc.mime === 'application/pdf') return <PdfView key={doc.id} doc={doc} />;
  if (doc.mime.startsWith('image/')) return <ImageView key={doc.id} doc={doc} />;
  return <div className="viewer-msg error">{t('viewer.unsupported', { mime: doc.mime })}</div>;
}

function ImageView({ doc }: { doc: DocumentInfo }): React.JSX.Element {
  const [error, setError] = useState<string | null>(null);
  if (error) return <div className="viewer-msg error" role="alert">{t('viewer.error', { message: error })}</div>;
  return (
    <div className="viewer-scroll">
      <img
        className="scan-image"
        data-doc-id={doc.id}
        src={docUrl(doc.id)}
        alt={doc.originalName}
        onError={() => setError('图片无法解码（文件可能已损坏）')}
      />
    </div>
  );
}

function PdfView({ doc }: { doc: DocumentInfo }): React.JSX.Element {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [pdf, setPdf] = useState<PdfDoc | null>(null);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [rendered, setRendered] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const task = pdfjs.getDocument({ url: docUrl(doc.id), isEvalSupported: false, enableXfa: false, withCredentials: true });
    task.promise.then(
      (p) => {
        if (cancelled) void p.destroy();
        else setPdf(p);
      },
      (e: unknown) => {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      cancelled = true;
      // Free the worker-side document: no leaked pdf.js documents when moving on.
      void task.destroy();
    };
  }, [doc.id]);

  useEffect(() => {
    if (!pdf || !canvasRef.current) return;
    let cancelled = false;
    let renderTask: ReturnType<Awaited<ReturnType<PdfDoc['getPage']>>['render']> | null = null;
    setRendered(false);
    void (async () => {
      try {
        const p = await pdf.getPage(page);
        if (cancelled || !canvasRef.current) return;
        const container = canvasRef.current.parentElement;
        const base = p.getViewport({ scale: 1 });
        const width = Math.max(200, (container?.clientWidth ?? 800) - 16);
        const scale = (width / base.width) * (window.devicePixelRatio || 1);
        const viewport = p.getViewport({ scale });
        const canvas = canvasRef.current;
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.style.width = `${Math.floor(viewport.width / (window.devicePixelRatio || 1))}px`;
        renderTask = p.render({ canvas, viewport });
        await renderTask.promise;
        if (!cancelled) setRendered(true);
      } catch (e) {
        if (!cancelled && !(e instanceof Error && e.name === 'RenderingCancelledException')) setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      cancelled = true;
      renderTask?.cancel();
    };
  }, [pdf, page]);

  if (error) return <div className="viewer-msg error" role="alert">{t('viewer.error', { message: error })}</div>;
  return (
    <div className="viewer-pdf">
      {pdf && pdf.numPages > 1 && (
        <div className="viewer-pages">
          <button type="button" disabled={page <= 1} onClick={() => setPage((x) => x - 1)}>{t('viewer.prev')}</button>
          <span>{t('viewer.page', { page, pages: pdf.numPages })}</span>
          <button type="button" disabled={page >= pdf.numPages} onClick={() => setPage((x) => x + 1)}>{t('viewer.next')}</button>
        </div>
      )}
      {!pdf && <div className="viewer-msg">{t('viewer.loading')}</div>}
      <div className="viewer-scroll">
        <canvas ref={canvasRef} className="scan-pdf" data-doc-id={doc.id} data-rendered={rendered ? 'true' : 'false'} />
      </div>
    </div>
  );
}

/**
 * Handlers of the OCR area. One reading queue per open workspace; a workspace that is closed or
 * switched stops its queue (the queue sees the database closed and winds down its worker).
 */
import type { OcrResults } from '../../shared/api/ocr.js';
import type { AreaHandlers } from '../../shared/api/index.js';
import { OcrService } from './service.js';
import type { Workspace } from '../workspace/index.js';
import type { DeskContext } from '../app/context.js';

const services = new WeakMap<Workspace, OcrService>();

/** The reading queue of a workspace (created on first use). */
export function ocrServiceFor(ws: Workspace): OcrService {
  let s = services.get(ws);
  if (!s) {
    s = new OcrService(ws);
    services.set(ws, s);
  }
  return s;
}

export function ocrHandlers(ctx: DeskContext): AreaHandlers<OcrResults> {
  const svc = (): OcrService => ocrServiceFor(ctx.ws());
  return {
    'ocr.forDocument': ({ documentId }) => svc().forDocument(documentId),
    'ocr.forApplicant': ({ idNumber }) => svc().forApplicant(idNumber),
    'ocr.status': () => svc().status(),
    'ocr.start': ({ idNumber }) => svc().start(idNumber),
    'ocr.pause': () => svc().pause(),
    'ocr.run': ({ idNumber }) => svc().run(idNumber),
  };
}

/**
 * Handlers of the OCR area. One reading queue per open workspace; a workspace that is closed or
 * switched stops its queue (the queue sees the database closed and winds down its worker).
 */
import type { OcrResults } from '../../shared/api/ocr.js';
import type { AreaHandlers } from '../../shared/api/index.js';
import type { OcrSpawner } from './client.js';
import { OcrService } from './service.js';
import type { Workspace } from '../workspace/index.js';
import type { DeskContext } from '../app/context.js';

const services = new WeakMap<Workspace, OcrService>();

/** The reading queue of a workspace (created on first use, its process started by `spawn`). */
export function ocrServiceFor(ws: Workspace, spawn?: OcrSpawner): OcrService {
  let s = services.get(ws);
  if (!s) {
    s = new OcrService(ws, spawn ? { spawn } : {});
    services.set(ws, s);
  }
  return s;
}

export function ocrHandlers(ctx: DeskContext): AreaHandlers<OcrResults> {
  const svc = (): OcrService => ocrServiceFor(ctx.ws(), ctx.settings.ocrSpawner);
  return {
    'ocr.forDocument': ({ documentId }) => svc().forDocument(documentId),
    'ocr.forApplicant': ({ idNumber }) => svc().forApplicant(idNumber),
    'ocr.status': () => svc().status(),
    'ocr.start': ({ idNumber }) => svc().start(idNumber),
    'ocr.pause': () => svc().pause(),
    'ocr.run': ({ idNumber }) => svc().run(idNumber),
  };
}

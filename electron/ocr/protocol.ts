/** Messages between the desk and its OCR process. */
import type { OcrRead } from '../../shared/ocr/types.js';

export interface WorkerRequest {
  id: number;
  /** The stored blob; the worker reads the bytes itself so large scans are not copied twice. */
  path: string;
  mime: string;
}

export type WorkerReply =
  | { id: number; ok: true; read: OcrRead & { ocrPages: number }; peakRss: number }
  | { id: number; ok: false; message: string };

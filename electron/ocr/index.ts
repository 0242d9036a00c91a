/** The OCR area's public API: the background reading queue and what it has read. */
export { ocrHandlers, ocrServiceFor } from './handlers.js';
export { OcrService, unreadApplicants } from './service.js';
export { forkOcrProcess, type OcrProcess, type OcrSpawner } from './client.js';

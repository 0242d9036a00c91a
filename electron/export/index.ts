/** The export area's public API: review tables (XLSX + signed PDF + manifest) and their verification. */
export { exportHandlers } from './handlers.js';
export { checkExport, exportHistory, runExport, type RunExportOptions } from './exportService.js';
export { verifyExport } from './verify.js';

/** The backup area's public API: copies of the database before risky steps, restore, diagnostics. */
export { backupHandlers } from './handlers.js';
export { backupBefore, backupBeforeSync, backupOnOpen, createBackup, listBackups, restoreBackup } from './backup.js';
export { appVersion, diagnosticsReport, formatDiagnostics } from './diagnostics.js';

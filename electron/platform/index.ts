/** The platform under every area: configuration passed in at the edge, resources, the log, this PC's identity. */
export { configFromEnv, configure, deskConfig, resetConfig, type DeskConfig } from './config.js';
export { findPackageFile, findResource, OCR_MODEL_ASSETS, OCR_MODELS_PACKAGE, ocrModelFiles, resourceRoots, type OcrModelFiles } from './resources.js';
export { log, logCall, logDir, scrub, tailLog, type LogLevel } from './log.js';
export { computerName, deskHome, deviceId } from './device.js';
export { renameWithRetry, writeFileAtomic } from './files.js';
export { zipEntries, zipFolder } from './zip.js';
export { MemorySecretStore, ProtectedFileSecretStore, type SecretCipher, type SecretStore } from './secrets.js';

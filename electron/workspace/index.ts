/** The storage core: one college's workspace on this PC (database, migrations, meta, signing key). */
export { workspaceHandlers } from './handlers.js';
export { DB_FILE, UNNAMED_COLLEGE, migrate, openWorkspace, schemaVersion, type OpenOptions, type Workspace } from './workspace.js';
export { allMeta, deleteMeta, getMeta, initMeta, setMeta } from './meta.js';
export { openSqlite, type Db } from './sqlite.js';
export { LATEST_VERSION, MIGRATIONS } from './migrations/index.js';
export { adoptCollegeKey, collegeKey, dropWorkspaceKey, isFounder, collegeKeyPem, keyFingerprint, signBytes, verifyBytes, workspaceKey, type WorkspaceKey } from './keys.js';
export { acquireDeskLock, describeHolder, LOCK_FILE, processAlive, type DeskLock, type LockHolder } from './lock.js';
export { networkLocation, networkWarning } from './location.js';
export { peekWorkspace } from './peek.js';

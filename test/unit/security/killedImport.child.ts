/**
 * Child of the orphan-scan test: imports a list with its scans into a workspace (as the CLI does,
 * without the desk's lock) and SIGKILLs itself once the scans are on disk and before the rows
 * naming them commit — what a registrar closing the desk from the task manager mid-import does.
 *   killedImport WS LIST ATTACHMENTS
 */
import { importList } from '../../../electron/applicants/importService.js';
import { openWorkspace } from '../../../electron/workspace/workspace.js';

const [wsDir, listPath, attachmentsPath] = process.argv.slice(2);
if (!wsDir || !listPath || !attachmentsPath) throw new Error('usage: killedImport WS LIST ATTACHMENTS');
const ws = openWorkspace(wsDir);
await importList(ws, { listPath, attachmentsPath, beforeCommit: () => process.kill(process.pid, 'SIGKILL') });
throw new Error('the import committed: the kill did not happen');

/**
 * Child process of crash.test.ts: imports a bundle and SIGKILLs itself from inside the import
 * transaction after `KILL_AFTER` events were inserted (a connection-local temp trigger calls a
 * JS function), so the crash point is exact and the test does not depend on timing.
 */
import { readFileSync } from 'node:fs';
import { openWorkspace } from '../../../electron/workspace/workspace.js';
import { mergeBundle } from '../../../electron/sync/syncService.js';

const [dir, bundle, killAfter] = process.argv.slice(2);
if (!dir || !bundle || !killAfter) throw new Error('usage: crashImport.child.ts WS BUNDLE KILL_AFTER');
const ws = openWorkspace(dir);
let inserted = 0;
ws.db.function('crash_point', () => {
  inserted += 1;
  if (inserted >= Number(killAfter)) process.kill(process.pid, 'SIGKILL');
  return 0;
});
ws.db.exec('CREATE TEMP TRIGGER crash_after_insert AFTER INSERT ON main.decision_events BEGIN SELECT crash_point(); END');
mergeBundle(ws, readFileSync(bundle), process.env.DESK_SYNC_PASSPHRASE ?? '');
process.stdout.write('import finished without crash\n');

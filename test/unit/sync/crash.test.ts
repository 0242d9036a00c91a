import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../electron/workspace/workspace.js';
import { verifyChains } from '../../../electron/sync/log.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { buildBundle, mergeBundle } from '../../../electron/sync/syncService.js';
import { college, dumpHash, idOf, stateOf } from './helpers.js';

const child = fileURLToPath(new URL('./crashImport.child.ts', import.meta.url));
const PW = 'crash-pass';

describe('crash safety', () => {
  it('a SIGKILL in the middle of an import leaves an intact workspace and the import can be redone', () => {
    const [a, b] = college(2, 400, true);
    if (!a || !b) throw new Error('no pcs');
    for (let i = 0; i < 400; i++) recordDecision(a, 'dev-a', { idNumber: idOf(i), decision: 'approve', reasons: [], note: '', reviewer: '张老师' });
    const file = join(b.dir, '..', 'a.zsbsync');
    writeFileSync(file, buildBundle(a, 'dev-a', { peer: b.workspaceId, noScans: true, passphrase: PW }).bytes);
    const before = dumpHash(b);
    b.close();

    const r = spawnSync(process.execPath, ['--import', 'tsx', child, b.dir, file, '250'], {
      env: { ...process.env, DESK_SYNC_PASSPHRASE: PW }, encoding: 'utf8', timeout: 120_000,
    });
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).not.toContain('finished');

    const again = openWorkspace(b.dir);
    try {
      expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(dumpHash(again)).toBe(before);
      expect(mergeBundle(again, readFileSync(file), PW).eventsAdded).toBe(400);
      expect(verifyChains(again).problems).toEqual([]);
      expect(stateOf(again)).toEqual(stateOf(a));
    } finally {
      again.close();
      a.close();
    }
  });
});

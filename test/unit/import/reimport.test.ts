import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changedSinceDecidedAll } from '../../../electron/review/state.js';
import { createDispatcher } from '../../../electron/app/dispatch.js';
import { createContext } from '../../../electron/app/context.js';
import { createHandlers } from '../../../electron/app/handlers.js';
import { importList } from '../../../electron/applicants/importService.js';
import type { Workspace } from '../../../electron/workspace/workspace.js';
import { csv, HEADER, newWorkspace, row, tempDir, validId } from './helpers.js';

let ws: Workspace | null = null;
afterEach(() => ws?.close());

type Dispatch = ReturnType<typeof createDispatcher>;

/**
 * Records a decision through the contract. No waiting for the clock: "changed since decided" is
 * decided by the order of events (the import's HLC against what the decision had seen).
 */
async function decide(dispatch: Dispatch, idNumber: string): Promise<void> {
  const env = await dispatch('decisions.record', { idNumber, decision: 'approve', note: '已核实', reviewer: '李老师' });
  expect(env).toMatchObject({ ok: true });
}

describe('re-import of a newer list', () => {
  it('updates, adds, withdraws, keeps decisions, records every change and flags changed-since-decided', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const v1 = join(dir, 'v1.csv');
    writeFileSync(v1, csv([HEADER, row(1), row(2), row(3), row(4)]));
    await importList(ws, { listPath: v1 });
    const handlers = createHandlers(createContext('dev', ws));
    const dispatch = createDispatcher(() => handlers);
    for (const n of [1, 2, 4]) await decide(dispatch, validId(n));

    const v2 = join(dir, 'v2.csv');
    // 1: decided, phone and school change → flagged. 2: decided, unchanged. 3: undecided, name changes.
    // 4: decided, removed → withdrawn (decision kept). 5: new.
    writeFileSync(v2, csv([HEADER, row(1, { 手机号: '13900000000', 专科学校: '湖南新学院' }), row(2), row(3, { 姓名: '改名' }), row(5)]));
    // 4 has a decision: the importer confirms that one decided applicant leaves the list (issue 15).
    const r = await importList(ws, { listPath: v2, confirmWithdrawDecided: 1 });
    expect({ added: r.added, updated: r.updated, unchanged: r.unchanged, withdrawn: r.withdrawn, changed: r.changedSinceDecided, withdrawnDecided: r.withdrawnDecided })
      .toEqual({ added: 1, updated: 2, unchanged: 1, withdrawn: 1, changed: 1, withdrawnDecided: 1 });

    expect([...changedSinceDecidedAll(ws).keys()]).toEqual([validId(1)]);
    expect(ws.db.prepare('SELECT withdrawn FROM applicants WHERE id_number = ?').get(validId(4))).toEqual({ withdrawn: 1 });
    // Every decision kept (the two imports are list events of the same log).
    expect(ws.db.prepare("SELECT COUNT(*) AS n FROM decision_events WHERE kind <> 'list'").get()).toEqual({ n: 3 });

    const env = await dispatch('import.changes', { idNumber: validId(1) });
    expect(env.ok).toBe(true);
    const value = (env as { value: { changedSinceDecided: string | null; changes: { field: string; oldValue: string; newValue: string; file: string }[] } }).value;
    expect(value.changedSinceDecided).not.toBeNull();
    expect(value.changes.map((c) => [c.field, c.oldValue, c.newValue, c.file])).toEqual([
      ['phone', row(1)[4], '13900000000', 'v2.csv'],
      ['school', '湖南示范职业技术学院', '湖南新学院', 'v2.csv'],
    ]);

    // A new decision clears the flag; the history stays.
    await decide(dispatch, validId(1));
    expect([...changedSinceDecidedAll(ws).keys()]).toEqual([]);

    // Back on the list: reinstated, recorded.
    const v3 = join(dir, 'v3.csv');
    writeFileSync(v3, csv([HEADER, row(1, { 手机号: '13900000000', 专科学校: '湖南新学院' }), row(2), row(3, { 姓名: '改名' }), row(4), row(5)]));
    const r3 = await importList(ws, { listPath: v3 });
    expect([r3.updated, r3.withdrawn]).toEqual([1, 0]);
    const hist = ws.db.prepare("SELECT field, old_value, new_value FROM applicant_changes WHERE id_number = ? ORDER BY id").all(validId(4));
    expect(hist).toEqual([
      { field: 'withdrawn', old_value: '0', new_value: '1' },
      { field: 'withdrawn', old_value: '1', new_value: '0' },
    ]);
  });
});

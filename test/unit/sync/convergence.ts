/**
 * What the convergence properties share (restoreConvergence: bundles; hubConvergence: the hub and
 * a USB folder): the local work a PC does between exchanges — decide, undo, rule, import a
 * corrected list, back up, restore and decide again at once — the refusals that are the policy
 * working, and what "converged" means.
 */
import { expect } from 'vitest';
import { DeskError } from '../../../shared/api/index.js';
import { createBackupSync, restoreBackup } from '../../../electron/backup/backup.js';
import { recordDecision, undoDecision } from '../../../electron/review/decisions.js';
import { resolveConflict } from '../../../electron/review/team.js';
import { verifyChains } from '../../../electron/sync/log.js';
import { forkReports } from '../../../electron/sync/syncService.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { applicantFor, importApplicants } from '../../fixtures/workspace.js';
import { stateOf } from './helpers.js';

/** The work one PC does on its own. */
export type LocalAction =
  | { t: 'decide'; pc: number; app: number; decision: 'approve' | 'reject' | 'return' }
  | { t: 'undo'; pc: number; app: number }
  | { t: 'resolve'; pc: number; app: number }
  | { t: 'list'; pc: number; app: number; version: number }
  | { t: 'backup'; pc: number }
  | { t: 'restore'; pc: number; pick: number; app: number };

/** Runs f; a DeskError whose code is one of `allowed` (the policy working) is swallowed, anything else thrown. */
export function attemptAllowing(allowed: ReadonlySet<string>): (f: () => unknown) => void {
  return (f) => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof DeskError) || !allowed.has(e.code)) throw e;
    }
  };
}

export interface College {
  pcs: Workspace[];
  ids: string[];
}

/** A backup of each PC, so every restore goes back before something. */
export function firstBackups(pcs: readonly Workspace[]): { pc: number; id: string }[] {
  return pcs.map((w, i) => ({ pc: i, id: createBackupSync(w.dir, w.db, 'manual').id }));
}

/** Does `a` on its PC (a restored PC replaces its workspace in `c.pcs`). */
export async function playLocal(c: College, a: LocalAction, backups: { pc: number; id: string }[], attempt: (f: () => unknown) => void): Promise<void> {
  const w = c.pcs[a.pc];
  if (!w) return;
  const idNumber = 'app' in a ? (c.ids[a.app] ?? '') : '';
  const dev = `dev-${a.pc}`;
  const reviewer = `r${a.pc}`;
  if (a.t === 'decide') {
    attempt(() => recordDecision(w, dev, { idNumber, decision: a.decision, reasons: a.decision === 'approve' ? [] : ['blurry'], note: '', reviewer }));
  } else if (a.t === 'undo') {
    attempt(() => undoDecision(w, dev, { idNumber, reviewer }));
  } else if (a.t === 'resolve') {
    attempt(() => resolveConflict(w, dev, { idNumber, decision: 'return', reasons: ['missing_docs'], note: '', by: 'sup' }));
  } else if (a.t === 'list') {
    // A corrected list: applicant `app` renamed (version 0 = back to the first name).
    const list = c.ids.map((_, i) => applicantFor(i, i === a.app && a.version > 0 ? { name: `更正${a.version}号` } : {}));
    await importApplicants(w, list, { checks: false });
  } else if (a.t === 'backup') {
    backups.push({ pc: a.pc, id: createBackupSync(w.dir, w.db, 'manual').id });
  } else {
    const mine = backups.filter((b) => b.pc === a.pc);
    const b = mine[a.pick % Math.max(1, mine.length)];
    if (!b) return;
    w.close();
    restoreBackup(w.dir, b.id);
    const back = openWorkspace(w.dir);
    c.pcs[a.pc] = back;
    // … and decides again at once, as the registrar whose PC it is would (what used to fork the college).
    attempt(() => recordDecision(back, dev, { idNumber, decision: 'reject', reasons: ['blurry'], note: '', reviewer }));
  }
}

function listOf(ws: Workspace): unknown[] {
  return ws.db.prepare('SELECT id_number, name, withdrawn, version_hlc FROM applicants ORDER BY id_number').all();
}

/** Converged: every PC has the first one's events, list, decisions and conflicts; chains whole, no fork. */
export function expectConverged(pcs: readonly Workspace[]): void {
  const first = pcs[0];
  if (!first) throw new Error('no pc');
  const expected = stateOf(first);
  for (const w of pcs) {
    expect(stateOf(w)).toEqual(expected);
    expect(listOf(w)).toEqual(listOf(first));
    expect(verifyChains(w).problems).toEqual([]);
    expect(forkReports(w)).toEqual([]);
  }
}

/**
 * What the other areas derive from events of their kinds. Sync only moves events; the area that
 * owns a kind applies it, inside the merge's transaction, so an arrived list, account or
 * cross-check list commits together with the events that carry it or not at all.
 *
 * The `crosslist` kind (cross-check lists such as last year's examinees, owned by the checks
 * area) needs no applying: the checks read the latest event of each kind.
 */
import type { EventKind, SyncEvent } from '../../shared/sync/events.js';
import { readListPayload } from '../../shared/sync/list.js';
import { applyAccountEvents, ensureAccountBaseline, readAccountPayload } from '../accounts/index.js';
import { applyListEvents, ensureListBaseline } from '../applicants/index.js';
import { ensureCrossListBaseline, readableCrossList } from '../checks/index.js';
import type { Workspace } from '../workspace/index.js';

/** The device id baseline events record: they are the desk's, not a person's. */
export const BASELINE_DEVICE = 'baseline';

export interface Projection {
  kinds: readonly EventKind[];
  /** Can this version apply the event faithfully? (checked before anything is written) */
  readable?(e: SyncEvent): boolean;
  /** This PC's own data from before it was events becomes events, before anything arrived is applied. */
  baseline?(ws: Workspace): void;
  /** Applies arrived events; returns how many rows of the owner's tables changed. */
  apply?(ws: Workspace, events: SyncEvent[]): number;
  /** The checks read this data: run them again after a merge that brought such events. */
  recheck: boolean;
}

/** A function, not a constant: the areas' modules import each other, nothing runs at load time. */
export function projections(): Projection[] {
  return [
    {
      kinds: ['list'],
      readable: (e) => readListPayload(e.payload) !== null,
      baseline: (ws) => void ensureListBaseline(ws, BASELINE_DEVICE),
      apply: (ws, events) => applyListEvents(ws, events).applicants.length,
      recheck: true,
    },
    {
      kinds: ['account'],
      readable: (e) => readAccountPayload(e.payload) !== null,
      baseline: (ws) => void ensureAccountBaseline(ws, BASELINE_DEVICE),
      apply: (ws, events) => applyAccountEvents(ws, events),
      recheck: false,
    },
    {
      // The checks area reads the list in force straight from the events (the latest per kind);
      // nothing to apply, but a pre-issue-17 table list becomes an event before it travels.
      kinds: ['crosslist'],
      readable: readableCrossList,
      baseline: (ws) => void ensureCrossListBaseline(ws, BASELINE_DEVICE),
      recheck: true,
    },
  ];
}

/** Makes every baseline due (before a bundle is cut: a PC's older data must travel too). */
export function ensureBaselines(ws: Workspace): void {
  for (const p of projections()) p.baseline?.(ws);
}

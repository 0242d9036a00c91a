/**
 * Per-document verdicts (材料判定): 清晰/模糊 (clarity) and 一致/不一致 with the declared data
 * (match). Each is a `verdict` event in the synced log naming one scan of one applicant and one
 * aspect. The scan is named by its sha256, not by the document row id: row ids are local to a PC,
 * the scan's content is the same on every PC that has it.
 *
 * The current verdict per scan and aspect is the event with the greatest HLC (last writer wins):
 * two reviewers judging the same scan differently is not worth a conflict queue of its own — the
 * decision the verdicts feed is where conflicts are caught. Clearing a verdict is an event too
 * (value null), so a clear made on one PC also clears it on the others after sync.
 */
import type { JsonValue, SyncEvent } from './events.js';

export const VERDICT_ASPECTS = ['clarity', 'match'] as const;
export type VerdictAspect = (typeof VERDICT_ASPECTS)[number];

/** 清晰 / 模糊 */
export const CLARITY_VALUES = ['clear', 'blurry'] as const;
export type ClarityValue = (typeof CLARITY_VALUES)[number];
/** 一致 / 不一致 (with the applicant's declared data) */
export const MATCH_VALUES = ['match', 'mismatch'] as const;
export type MatchValue = (typeof MATCH_VALUES)[number];
export type VerdictValue = ClarityValue | MatchValue;

/** What a `verdict` event carries in its payload. */
export interface VerdictPayload {
  sha256: string;
  /** The document kind on the writing PC, so the history reads well where the scan is missing. */
  documentKind: string;
  aspect: VerdictAspect;
  /** null = the verdict was cleared. */
  value: VerdictValue | null;
}

export function verdictPayload(p: VerdictPayload): { [k: string]: JsonValue } {
  return { sha256: p.sha256, documentKind: p.documentKind, aspect: p.aspect, value: p.value };
}

function valueFits(aspect: VerdictAspect, v: unknown): v is VerdictValue | null {
  if (v === null) return true;
  return aspect === 'clarity' ? (CLARITY_VALUES as readonly unknown[]).includes(v) : (MATCH_VALUES as readonly unknown[]).includes(v);
}

/**
 * The verdict of an event, or null for other kinds and for a payload this version does not
 * understand (an event from a newer PC is kept in the log, just not shown as a verdict).
 */
export function readVerdict(e: Pick<SyncEvent, 'kind' | 'payload'>): VerdictPayload | null {
  if (e.kind !== 'verdict') return null;
  const { sha256, documentKind, aspect, value } = e.payload;
  if (typeof sha256 !== 'string' || (aspect !== 'clarity' && aspect !== 'match') || !valueFits(aspect, value)) return null;
  return { sha256, documentKind: typeof documentKind === 'string' ? documentKind : '', aspect, value };
}

export type VerdictEvent = Pick<SyncEvent, 'id' | 'kind' | 'hlc' | 'payload' | 'reviewer' | 'at'>;

export interface CurrentVerdict {
  sha256: string;
  aspect: VerdictAspect;
  value: VerdictValue;
  reviewer: string;
  at: string;
  eventId: string;
}

/** The verdicts in force after these events (any order, duplicates allowed): latest HLC wins, a clear removes. */
export function currentVerdicts(events: readonly VerdictEvent[]): CurrentVerdict[] {
  const latest = new Map<string, { e: VerdictEvent; v: VerdictPayload }>();
  for (const e of events) {
    const v = readVerdict(e);
    if (!v) continue;
    const key = `${v.sha256}\u0000${v.aspect}`;
    const had = latest.get(key);
    // Ties on the HLC cannot happen between PCs (the node id is part of it); the id keeps it total anyway.
    if (!had || e.hlc > had.e.hlc || (e.hlc === had.e.hlc && e.id > had.e.id)) latest.set(key, { e, v });
  }
  const out: CurrentVerdict[] = [];
  for (const { e, v } of latest.values()) {
    if (v.value !== null) out.push({ sha256: v.sha256, aspect: v.aspect, value: v.value, reviewer: e.reviewer, at: e.at, eventId: e.id });
  }
  return out.sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : a.aspect < b.aspect ? -1 : a.aspect > b.aspect ? 1 : 0));
}

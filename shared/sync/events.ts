/**
 * The synced event log (审核事件日志): every decision, undo, resolution, 复核, assignment and QC step
 * is one immutable event. Events are identified by id, ordered by their HLC, chained by hash per
 * origin workspace (one workspace = one PC's copy of the college), and point at the events they
 * supersede. Pure types and helpers; hashing itself happens in electron/ (no node: here).
 */
import type { Decision } from '../domain.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/**
 * decision = 初审 by a reviewer; undo = restores the state before the latest decision;
 * resolve = a supervisor settles a conflict; review = 复核 confirm/overturn by a supervisor;
 * assign = the coordinator hands applicants to a reviewer; qc_draw / qc_review = blind QC sample.
 */
export type EventKind = 'decision' | 'undo' | 'resolve' | 'review' | 'assign' | 'qc_draw' | 'qc_review';
export const EVENT_KINDS = ['decision', 'undo', 'resolve', 'review', 'assign', 'qc_draw', 'qc_review'] as const;
/** Kinds that change an applicant's current decision (they carry idNumber). */
export const STATE_KINDS: readonly EventKind[] = ['decision', 'undo', 'resolve', 'review'];

export interface SyncEvent {
  id: string;
  /** Workspace id of the PC that wrote the event; its hash chain. */
  origin: string;
  /** 1, 2, 3 … per origin, without gaps. */
  originSeq: number;
  deviceId: string;
  hlc: string;
  kind: EventKind;
  /** Set only for state kinds: the applicant whose decision this event sets. */
  idNumber: string | null;
  /** The applicant the event is about (also for QC events), or null (assignments). */
  subject: string | null;
  /** The resulting decision; null = back to 待审 (an undo of the first decision). */
  decision: Decision | null;
  reasons: string[];
  note: string;
  /** Who: the account name (or the typed name before accounts exist). */
  reviewer: string;
  /** Wall-clock ISO time on the writing PC (for people; ordering uses hlc). */
  at: string;
  /** Ids of the events this one replaces (the heads its writer saw). */
  supersedes: string[];
  payload: { [k: string]: JsonValue };
  prevHash: string;
  hash: string;
}

/** Key-sorted JSON, so the same event hashes the same on every PC. */
export function canonicalJson(v: JsonValue): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k] ?? null)}`).join(',')}}`;
}

/** The text whose sha256 is the event's hash: every field but the hash, prevHash included. */
export function eventHashInput(e: Omit<SyncEvent, 'hash'>): string {
  return canonicalJson([
    e.id, e.origin, e.originSeq, e.deviceId, e.hlc, e.kind, e.idNumber, e.subject, e.decision,
    e.reasons, e.note, e.reviewer, e.at, [...e.supersedes].sort(), e.payload, e.prevHash,
  ]);
}

/** prevHash of an origin's first event. */
export const GENESIS_HASH = '0'.repeat(64);

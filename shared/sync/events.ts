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
 * assign = the coordinator hands applicants to a reviewer; qc_draw / qc_review = blind QC sample;
 * verdict = a reviewer's 清晰/模糊 or 一致/不一致 on one scan (shared/sync/verdicts.ts), not a state kind;
 * reasons = a supervisor's edit of the reason catalogue (the whole catalogue; the latest wins);
 * settings = a change of the college's settings (the keys it names; the latest per key wins);
 * list = one import of the applicant list: the rows it changed (shared/sync/list.ts), applied by
 * the applicants area (latest version per applicant wins);
 * account = an admin's change of one sign-in account (name, role, scrypt salt and hash; the
 * latest per name wins), applied by the accounts area;
 * crosslist = a cross-check list imported (上年考生, 上半年已录取: kind, file, ID numbers; the latest per
 * kind wins), read by the checks area (electron/checks/lists.ts; its entry in electron/sync/projections.ts).
 * enrol = an admin lets a PC's key write, for some accounts or any (shared/sync/trust.ts);
 * seal = an admin vouches for the events written before events were signed (origin → last hash).
 */
export const EVENT_KINDS = [
  'decision', 'undo', 'resolve', 'review', 'assign', 'qc_draw', 'qc_review', 'verdict', 'reasons', 'settings', 'list', 'account', 'crosslist',
  'enrol', 'seal',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
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
  /**
   * Ed25519 signature (base64) of the writing PC over the event's content and the place its
   * writer gave it (shared/sync/trust.ts signingInput); absent on events older than signatures.
   * Not part of the hash: a fork repair re-chains an event without touching what was signed.
   */
  sig?: string;
}

/** A copy with object keys sorted at every level, so equal values serialise equally. */
function sortKeys(v: JsonValue): JsonValue {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(sortKeys);
  const out: { [k: string]: JsonValue } = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k] ?? null);
  return out;
}

/** Key-sorted JSON, so the same event hashes the same on every PC. */
export function canonicalJson(v: JsonValue): string {
  return JSON.stringify(sortKeys(v));
}

/**
 * The text whose sha256 is the event's hash: every field but the hash, prevHash included. One
 * JSON.stringify over a fixed-order array (only the free-form payload needs key sorting) keeps
 * hashing cheap enough for 10,000-event bundles.
 */
export function eventHashInput(e: Omit<SyncEvent, 'hash'>): string {
  const payload = Object.keys(e.payload).length === 0 ? {} : sortKeys(e.payload);
  return JSON.stringify([
    e.id, e.origin, e.originSeq, e.deviceId, e.hlc, e.kind, e.idNumber, e.subject, e.decision,
    e.reasons, e.note, e.reviewer, e.at, [...e.supersedes].sort(), payload, e.prevHash,
  ]);
}

/** prevHash of an origin's first event. */
export const GENESIS_HASH = '0'.repeat(64);

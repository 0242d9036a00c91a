/**
 * Cross-check lists (比对名单): lists of ID numbers the province (or the college) hands out, each
 * disqualifying the applicants on it for its own reason. The content of a list travels in the
 * event log (a `crosslist` event carries the kind, the source file and the ID numbers); the list
 * in force for a kind is the latest such event. Pure: kinds, labels and the payload's shape.
 */
import type { JsonValue } from '../sync/events.js';

/** previous = 上年已参加专升本考试; admitted = 上半年已通过其他计划录取. */
export const CROSS_LIST_KINDS = ['previous', 'admitted'] as const;
export type CrossListKind = (typeof CROSS_LIST_KINDS)[number];

export interface CrossListInfo {
  kind: CrossListKind;
  /** Name of the list as the registrar knows it. */
  label: string;
  labelEn: string;
  /** The catalogue check that flags applicants on it. */
  checkId: string;
}

export const CROSS_LISTS: Readonly<Record<CrossListKind, CrossListInfo>> = {
  previous: { kind: 'previous', label: '上年专升本考生名单', labelEn: 'last year\'s examinees', checkId: 'previous_exam' },
  admitted: { kind: 'admitted', label: '上半年已被其他计划录取考生名单', labelEn: 'admitted in the first half through another plan', checkId: 'admitted_other_plan' },
};

/** What a `crosslist` event carries. */
export interface CrossListPayload {
  list: CrossListKind;
  /** File name the list was imported from (for people; no path). */
  file: string;
  /** The ID numbers, normalised, sorted, without duplicates. */
  ids: string[];
}

export function crossListPayload(p: CrossListPayload): { [k: string]: JsonValue } {
  return { list: p.list, file: p.file, ids: [...p.ids] };
}

/** The payload of an event, or null when it is not one this desk can read (a newer desk's). */
export function readCrossListPayload(payload: { [k: string]: JsonValue }): CrossListPayload | null {
  const { list, file, ids } = payload;
  if (typeof list !== 'string' || !(CROSS_LIST_KINDS as readonly string[]).includes(list)) return null;
  if (typeof file !== 'string' || !Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) return null;
  return { list: list as CrossListKind, file, ids: ids as string[] };
}

/**
 * The number keys of the reasons (1–9, then 0): a reason keeps its key in every category, so a
 * reviewer's fingers learn "2 = 姓名与报名信息不一致" once and it holds for a veteran and for a
 * competition winner alike.
 *
 * Plain catalogue positions would keep keys stable too, but the seed catalogue already has eleven
 * reasons, so 其他（见备注） — the one used most after the general ones — would get no key at all.
 * Reasons meant for different categories never show together, so they may share a key: each
 * reason, in catalogue order, takes the smallest key that no reason already numbered and shown
 * together with it (a common category, or a reason for every category) holds. With the seed
 * catalogue every reason gets a key and no category needs more than eight.
 */
import type { Reason } from '../domain.js';

/** The keys in the order they are given out: 1–9, then 0 for the tenth. */
export const REASON_KEYS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0] as const;

/** Two reasons can be offered on the same applicant (one is for every category, or they share one). */
function together(a: Pick<Reason, 'categories'>, b: Pick<Reason, 'categories'>): boolean {
  if (a.categories.length === 0 || b.categories.length === 0) return true;
  return a.categories.some((c) => b.categories.includes(c));
}

/**
 * code → key for the reasons in use, in catalogue order. A reason that finds all ten keys taken
 * by reasons shown with it gets none (it is still there to tick with the mouse or Space).
 */
export function reasonKeys(inUse: readonly Pick<Reason, 'code' | 'categories'>[]): Record<string, number> {
  const out: Record<string, number> = {};
  const numbered: { reason: Pick<Reason, 'categories'>; slot: number }[] = [];
  for (const r of inUse) {
    const taken = new Set(numbered.filter((n) => together(n.reason, r)).map((n) => n.slot));
    const slot = REASON_KEYS.findIndex((_, i) => !taken.has(i));
    if (slot < 0) continue;
    numbered.push({ reason: r, slot });
    out[r.code] = REASON_KEYS[slot] as number;
  }
  return out;
}

/** Where a key sorts among the keys (0 comes after 9). */
export function keyOrder(key: number | undefined): number {
  return key === undefined ? 99 : key === 0 ? 10 : key;
}

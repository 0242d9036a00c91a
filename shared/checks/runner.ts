/**
 * Runs the catalogue over one applicant, and finds peers (duplicates) over a whole population.
 * Pure: the service layer feeds rows and scan facts in and stores what comes out.
 */
import { CHECKS } from './catalogue.js';
import { CROSS_LIST_KINDS, type CrossListKind } from './lists.js';
import type { Rules } from './rules.js';
import type { CheckInput, CheckResult, Peers, Severity } from './types.js';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function checkApplicant(input: CheckInput, rules: Rules): CheckResult[] {
  const out: CheckResult[] = [];
  for (const c of CHECKS) {
    if (c.categories.length > 0 && !c.categories.includes(input.declared.category)) continue;
    for (const x of c.run(input, rules)) {
      out.push({
        checkId: c.id,
        severity: c.severity,
        ...x,
        ...(c.suggestedReason === undefined ? {} : { suggestedReason: c.suggestedReason }),
      });
    }
  }
  return out.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}

/** Hamming distance of two 16-hex-digit (64-bit) hashes, in two 32-bit halves (no BigInt). */
export function hamming64(a: string, b: string): number {
  const pop = (x: number): number => {
    let v = x >>> 0;
    let n = 0;
    while (v) {
      v &= v - 1;
      n++;
    }
    return n;
  };
  return pop(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) + pop(parseInt(a.slice(8, 16), 16) ^ parseInt(b.slice(8, 16), 16));
}

/** The four 16-bit bands of a 64-bit hash: two hashes within distance 3 share at least one band. */
export function bands(hash: string): number[] {
  return [0, 4, 8, 12].map((i) => parseInt(hash.slice(i, i + 4), 16));
}

/** How many peers a duplicate finding names at most. */
export const PEER_CAP = 20;

export interface PopulationRow {
  idNumber: string;
  phone: string;
  documents: { id: number; sha256: string; dhash: string | null; kind: string; bands?: readonly number[] }[];
}

/**
 * Peers of every applicant: shared phone, shared first 17 ID digits, byte-identical scans and
 * near-identical images (dHash within `maxDistance`, same document kind, different sha256).
 * Near-duplicates are found through band buckets, so the cost grows with the number of
 * documents, not with its square.
 */
export function findPeers(rows: readonly PopulationRow[], lists: CrossLists, maxDistance: number): Map<string, Peers> {
  const group = <K>(keyOf: (r: PopulationRow) => K | null): Map<K, string[]> => {
    const m = new Map<K, string[]>();
    for (const r of rows) {
      const k = keyOf(r);
      if (k === null) continue;
      const list = m.get(k);
      if (list) list.push(r.idNumber);
      else m.set(k, [r.idNumber]);
    }
    return m;
  };
  const byPhone = group((r) => (r.phone.trim() ? r.phone.trim() : null));
  const byId17 = group((r) => (r.idNumber.length >= 17 ? r.idNumber.slice(0, 17) : null));
  const bySha = new Map<string, Set<string>>();
  // Flattened documents: near-duplicates are found by sorting packed (kind, band, value, index)
  // numbers per band and comparing within runs of equal keys, with no per-bucket allocations.
  const docs: { owner: string; id: number; sha: string; hash: string }[] = [];
  const kinds = new Map<string, number>();
  const packed: number[][] = [[], [], [], []];
  for (const r of rows) {
    for (const d of r.documents) {
      const s = bySha.get(d.sha256);
      if (s) s.add(r.idNumber);
      else bySha.set(d.sha256, new Set([r.idNumber]));
      if (!d.dhash) continue;
      let k = kinds.get(d.kind);
      if (k === undefined) kinds.set(d.kind, (k = kinds.size));
      const b = d.bands ?? bands(d.dhash);
      for (let i = 0; i < 4; i++) packed[i]?.push(((k * 65536 + (b[i] ?? 0)) * 2 ** 21) + docs.length);
      docs.push({ owner: r.idNumber, id: d.id, sha: d.sha256, hash: d.dhash });
    }
  }
  const near = new Map<number, Set<string>>();
  for (const list of packed) {
    const sorted = Float64Array.from(list).sort();
    for (let start = 0; start < sorted.length;) {
      const key = Math.floor((sorted[start] ?? 0) / 2 ** 21);
      let end = start + 1;
      while (end < sorted.length && Math.floor((sorted[end] ?? 0) / 2 ** 21) === key) end++;
      for (let x = start; x < end; x++) {
        // A document already tied to PEER_CAP others needs no more: keeps a run of identical
        // (e.g. blank) scans from costing quadratic memory.
        if ((near.get((sorted[x] ?? 0) % 2 ** 21)?.size ?? 0) >= PEER_CAP) continue;
        for (let y = x + 1; y < end; y++) {
          const a = docs[(sorted[x] ?? 0) % 2 ** 21];
          const b = docs[(sorted[y] ?? 0) % 2 ** 21];
          if (!a || !b || a.owner === b.owner || a.sha === b.sha || hamming64(a.hash, b.hash) > maxDistance) continue;
          const ai = (sorted[x] ?? 0) % 2 ** 21;
          const bi = (sorted[y] ?? 0) % 2 ** 21;
          if (!near.has(ai)) near.set(ai, new Set());
          if (!near.has(bi)) near.set(bi, new Set());
          const na = near.get(ai);
          const nb = near.get(bi);
          if (na && na.size < PEER_CAP) na.add(b.owner);
          if (nb && nb.size < PEER_CAP) nb.add(a.owner);
        }
      }
      start = end;
    }
  }
  const similarByDoc = new Map<number, string[]>();
  for (const [i, owners] of near) {
    const d = docs[i];
    if (d) similarByDoc.set(d.id, [...owners].sort());
  }
  // At most PEER_CAP peers are named: a list where everyone shares one phone must not cost
  // N² memory (10,000 applicants × 9,999 names ran out of memory).
  const others = (list: Iterable<string> | undefined, self: string): string[] => {
    const out = new Set<string>();
    for (const x of list ?? []) {
      if (x !== self) out.add(x);
      if (out.size >= PEER_CAP) break;
    }
    return [...out];
  };
  const out = new Map<string, Peers>();
  for (const r of rows) {
    const sameScan: Peers['sameScan'] = [];
    const similarScan: Peers['similarScan'] = [];
    for (const d of r.documents) {
      const same = others(bySha.get(d.sha256), r.idNumber);
      if (same.length) sameScan.push({ documentId: d.id, others: same });
      const similar = similarByDoc.get(d.id);
      if (similar?.length) similarScan.push({ documentId: d.id, others: similar });
    }
    out.set(r.idNumber, {
      samePhone: others(byPhone.get(r.phone.trim()), r.idNumber),
      sameId17: others(byId17.get(r.idNumber.slice(0, 17)), r.idNumber),
      sameScan,
      similarScan,
      onLists: listsOf(lists, r.idNumber),
    });
  }
  return out;
}

/** The ID numbers of each cross-check list in force (a kind without a list is absent). */
export type CrossLists = Partial<Record<CrossListKind, ReadonlySet<string>>>;

/** The lists an ID number is on, in the order of CROSS_LIST_KINDS. */
export function listsOf(lists: CrossLists, idNumber: string): CrossListKind[] {
  return CROSS_LIST_KINDS.filter((k) => lists[k]?.has(idNumber) === true);
}

/** Counts per check id and severity, for the summary and the CLI. */
export function summarise(results: Iterable<{ idNumber: string; results: readonly CheckResult[] }>): CheckSummary {
  const byCheck: CheckSummary['byCheck'] = {};
  let applicants = 0;
  const withSeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const a of results) {
    applicants++;
    const seen = new Set<Severity>();
    const seenCheck = new Set<string>();
    for (const r of a.results) {
      seen.add(r.severity);
      const e = (byCheck[r.checkId] ??= { severity: r.severity, results: 0, applicants: 0 });
      e.results++;
      if (!seenCheck.has(r.checkId)) e.applicants++;
      seenCheck.add(r.checkId);
    }
    for (const s of seen) withSeverity[s]++;
  }
  return { applicants, withSeverity, byCheck };
}

export interface CheckSummary {
  /** Applicants checked. */
  applicants: number;
  /** Applicants with at least one result of each severity. */
  withSeverity: Record<Severity, number>;
  byCheck: Record<string, { severity: Severity; results: number; applicants: number }>;
}

/**
 * Runs the catalogue over one applicant, and finds peers (duplicates) over a whole population.
 * Pure: the service layer feeds rows and scan facts in and stores what comes out.
 */
import { CHECKS } from './catalogue.js';
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

export interface PopulationRow {
  idNumber: string;
  phone: string;
  documents: { id: number; sha256: string; dhash: string | null; kind: string }[];
}

/**
 * Peers of every applicant: shared phone, shared first 17 ID digits, byte-identical scans and
 * near-identical images (dHash within `maxDistance`, same document kind, different sha256).
 * Near-duplicates are found through band buckets, so the cost grows with the number of
 * documents, not with its square.
 */
export function findPeers(rows: readonly PopulationRow[], previous: ReadonlySet<string>, maxDistance: number): Map<string, Peers> {
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
  const buckets = new Map<string, { id: string; sha: string; hash: string }[]>();
  for (const r of rows) {
    for (const d of r.documents) {
      const s = bySha.get(d.sha256);
      if (s) s.add(r.idNumber);
      else bySha.set(d.sha256, new Set([r.idNumber]));
      if (!d.dhash) continue;
      bands(d.dhash).forEach((b, i) => {
        const key = `${d.kind}:${i}:${b}`;
        const list = buckets.get(key);
        const entry = { id: r.idNumber, sha: d.sha256, hash: d.dhash ?? '' };
        if (list) list.push(entry);
        else buckets.set(key, [entry]);
      });
    }
  }
  const others = (list: readonly string[] | undefined, self: string): string[] => [...new Set(list ?? [])].filter((x) => x !== self);
  const out = new Map<string, Peers>();
  for (const r of rows) {
    const sameScan: Peers['sameScan'] = [];
    const similarScan: Peers['similarScan'] = [];
    for (const d of r.documents) {
      const same = others([...(bySha.get(d.sha256) ?? [])], r.idNumber);
      if (same.length) sameScan.push({ documentId: d.id, others: same });
      if (!d.dhash) continue;
      const near = new Set<string>();
      bands(d.dhash).forEach((b, i) => {
        for (const e of buckets.get(`${d.kind}:${i}:${b}`) ?? []) {
          if (e.id !== r.idNumber && e.sha !== d.sha256 && hamming64(e.hash, d.dhash ?? '') <= maxDistance) near.add(e.id);
        }
      });
      if (near.size) similarScan.push({ documentId: d.id, others: [...near].sort() });
    }
    out.set(r.idNumber, {
      samePhone: others(byPhone.get(r.phone.trim()), r.idNumber),
      sameId17: others(byId17.get(r.idNumber.slice(0, 17)), r.idNumber),
      sameScan,
      similarScan,
      previousExaminee: previous.has(r.idNumber),
    });
  }
  return out;
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

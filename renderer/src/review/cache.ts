/**
 * Prefetch cache of the review desk: the next applicant's view data and the bytes of their scans
 * are fetched while the reviewer looks at the current one, so moving on paints from memory.
 * Bounded (least recently used out) so 500 applicants later the renderer holds no more than
 * at the start; object URLs are made per mounted image and revoked on unmount, not here.
 */
import type { ReviewApplicant } from '../../../shared/api/index.js';
import { call, docUrl } from '../api.js';

const MAX_DOCS = 24;
const MAX_APPLICANTS = 8;

const docs = new Map<number, Promise<ArrayBuffer>>();
const applicants = new Map<string, Promise<ReviewApplicant>>();
/** What each applicant promise resolved to, so a prefetched applicant renders in the first frame. */
const settled = new WeakMap<Promise<ReviewApplicant>, ReviewApplicant>();

/** Decodes (images) or opens and draws (PDFs) an applicant's first scan ahead; set by the viewer. */
type ScanWarmer = (a: ReviewApplicant) => Promise<unknown> | undefined;
let warmer: ScanWarmer | null = null;
export function warmScansWith(fn: ScanWarmer): void {
  warmer = fn;
}

function touch<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
  return value;
}

export class DocFetchError extends Error {}

/** The stored bytes of a scan; a failed fetch is not cached, so a retry asks again. */
export function docBytes(id: number): Promise<ArrayBuffer> {
  const hit = docs.get(id);
  if (hit) return touch(docs, id, hit, MAX_DOCS);
  const p = fetch(docUrl(id), { credentials: 'same-origin' }).then(async (res) => {
    if (!res.ok) throw new DocFetchError(`HTTP ${res.status}`);
    return res.arrayBuffer();
  });
  p.catch(() => docs.delete(id));
  return touch(docs, id, p, MAX_DOCS);
}

export function loadApplicant(idNumber: string): Promise<ReviewApplicant> {
  const hit = applicants.get(idNumber);
  if (hit) return touch(applicants, idNumber, hit, MAX_APPLICANTS);
  const p = call('review.applicant', { idNumber });
  p.then(
    (a) => settled.set(p, a),
    () => applicants.delete(idNumber),
  );
  return touch(applicants, idNumber, p, MAX_APPLICANTS);
}

/** The applicant's view data if it has already arrived, else null (no fetch). */
export function peekApplicant(idNumber: string): ReviewApplicant | null {
  const p = applicants.get(idNumber);
  return (p && settled.get(p)) ?? null;
}

/** After a decision, an undo or a rotation the cached view of that applicant is stale. */
export function forgetApplicant(idNumber: string): void {
  applicants.delete(idNumber);
}

export function forgetAll(): void {
  applicants.clear();
}

/**
 * Warms the cache with an applicant's view and the scans the viewer opens first, then lets the
 * viewer get the first scan ready to paint (decoded image, or PDF page drawn off screen).
 */
export function prefetchApplicant(idNumber: string): void {
  const p = loadApplicant(idNumber).then(
    (a) => {
      for (const d of a.detail.documents.slice(0, 2)) docBytes(d.id).catch(() => undefined);
      return warmer?.(a);
    },
    () => undefined,
  );
  inFlight.add(p);
  void p.finally(() => inFlight.delete(p));
}

const inFlight = new Set<Promise<unknown>>();

/** Resolves once every prefetch started so far is done (secondary work waits for it). */
export function prefetchesSettled(): Promise<void> {
  return Promise.allSettled([...inFlight]).then(() => undefined);
}

export function cacheSizes(): { docs: number; applicants: number } {
  return { docs: docs.size, applicants: applicants.size };
}

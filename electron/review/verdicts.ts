/**
 * Per-document verdicts (材料判定: 清晰/模糊, 一致/不一致) as events of the synced log. A verdict
 * names its scan by sha256 (document row ids differ between PCs); here it is mapped back to this
 * PC's document ids. The state is always derived from the log (shared/sync/verdicts.ts).
 */
import { DeskError, type DocumentVerdict, type VerdictEntry, type VerdictReasons } from '../../shared/api/index.js';
import { DOCUMENT_KIND_CODES, type DocumentKind, type Reason } from '../../shared/domain.js';
import type { SyncEvent } from '../../shared/sync/events.js';
import { currentVerdicts, readVerdict, verdictPayload, type VerdictAspect, type VerdictValue } from '../../shared/sync/verdicts.js';
import { requireApplicant } from '../applicants/index.js';
import { documentById, documentRecordsOf } from '../documents/index.js';
import { appendEvents, eventsOfKind } from '../sync/index.js';
import type { Workspace } from '../workspace/index.js';
import { authorizeReviewer } from './access.js';

/** The applicant's verdict events, in causal (HLC) order. */
export function verdictEvents(ws: Workspace, idNumber: string): SyncEvent[] {
  return eventsOfKind(ws.db, ['verdict'], idNumber);
}

const asKind = (k: string): DocumentKind | null => ((DOCUMENT_KIND_CODES as readonly string[]).includes(k) ? (k as DocumentKind) : null);

/** Current verdicts per document and the verdict history, for documents given as {id, sha256}. */
export function verdictsOf(
  events: readonly SyncEvent[],
  documents: readonly { id: number; sha256: string }[],
): { verdicts: DocumentVerdict[]; verdictLog: VerdictEntry[] } {
  const idOf = new Map(documents.map((d) => [d.sha256, d.id]));
  const byDoc = new Map<number, DocumentVerdict>();
  for (const v of currentVerdicts(events)) {
    const documentId = idOf.get(v.sha256);
    // A verdict on a scan this PC does not have (yet) stays in the log and the history only.
    if (documentId === undefined) continue;
    const dv = byDoc.get(documentId) ?? { documentId, clarity: null, match: null };
    if (v.aspect === 'clarity') dv.clarity = v.value === 'clear' || v.value === 'blurry' ? v.value : null;
    else dv.match = v.value === 'match' || v.value === 'mismatch' ? v.value : null;
    byDoc.set(documentId, dv);
  }
  const verdictLog: VerdictEntry[] = [];
  for (const e of events) {
    const v = readVerdict(e);
    if (!v) continue;
    verdictLog.push({
      eventId: e.id, documentId: idOf.get(v.sha256) ?? null, documentKind: asKind(v.documentKind), aspect: v.aspect, value: v.value,
      reviewer: e.reviewer, at: e.at,
    });
  }
  return { verdicts: [...byDoc.values()].sort((a, b) => a.documentId - b.documentId), verdictLog };
}

/**
 * The reasons of the applicant's catalogue a 模糊 / 不一致 verdict preselects. The seeded codes
 * first; a supervisor who retired them and wrote their own is matched by wording, because the
 * catalogue is theirs to edit.
 */
export function verdictReasons(reasons: readonly Reason[]): VerdictReasons {
  const pick = (code: string, label: RegExp, codeLike: RegExp): string | null =>
    (reasons.find((r) => r.code === code) ?? reasons.find((r) => label.test(r.label) || codeLike.test(r.code)))?.code ?? null;
  return {
    blurry: pick('blurry', /模糊|不清/, /blur|illegible|unclear/),
    mismatch: pick('name_mismatch', /不一致/, /mismatch/),
  };
}

export interface VerdictInput {
  idNumber: string;
  documentId: number;
  aspect: VerdictAspect;
  value: VerdictValue | null;
  reviewer: string;
}

/**
 * Records one aspect of one scan. Who: the same rule as for decisions (signed-in account,
 * reviewers only on their assigned applicants); an open conflict does not block looking at scans.
 * Setting what is already in force appends nothing, so repeated key presses add no noise.
 */
export function recordVerdict(
  ws: Workspace, deviceId: string, input: VerdictInput,
): { idNumber: string; verdicts: DocumentVerdict[]; entry: VerdictEntry | null } {
  const applicant = requireApplicant(ws.db, input.idNumber);
  if (applicant.withdrawn) throw new DeskError('withdrawn', `考生 ${applicant.declared.name} 已从最新名单中移除，不能再判定材料。`);
  const doc = documentById(ws.db, input.documentId);
  if (!doc || doc.idNumber !== input.idNumber) throw new DeskError('not_found', `编号为 ${input.documentId} 的材料不属于该考生。`);
  const who = authorizeReviewer(ws, input.idNumber, input.reviewer.trim());
  const documents = documentRecordsOf(ws.db, input.idNumber);
  // Read, compare and append in one transaction: two windows must not both see "unchanged".
  return ws.db.transaction(() => {
    const before = verdictsOf(verdictEvents(ws, input.idNumber), documents);
    const had = before.verdicts.find((v) => v.documentId === doc.id)?.[input.aspect] ?? null;
    if (had === input.value) return { idNumber: input.idNumber, verdicts: before.verdicts, entry: null };
    const [e] = appendEvents(ws, deviceId, [{
      kind: 'verdict', subject: input.idNumber, reviewer: who.name,
      payload: verdictPayload({ sha256: doc.sha256, documentKind: doc.kind, aspect: input.aspect, value: input.value }),
    }]);
    if (!e) throw new Error('no event appended');
    const after = verdictsOf(verdictEvents(ws, input.idNumber), documents);
    return { idNumber: input.idNumber, verdicts: after.verdicts, entry: after.verdictLog.find((x) => x.eventId === e.id) ?? null };
  }).immediate();
}

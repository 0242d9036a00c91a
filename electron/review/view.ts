/**
 * The applicant view in one round trip (declared data, scans, state and history, findings,
 * verdicts, "changed since decided", the reasons of the category), scan rotations a reviewer
 * gave, and the desk's preferences.
 */
import { DeskError, type ApplicantDetail } from '../../shared/api/index.js';
import type { PeerRef, ReviewApplicant, ReviewFinding, Rotation } from '../../shared/api/review.js';
import { maskId } from '../../shared/idcard.js';
import { reasonKeys } from '../../shared/review/reasonKeys.js';
import { findApplicant } from '../applicants/index.js';
import { findingsOf } from '../checks/index.js';
import { documentById } from '../documents/index.js';
import { eventsOfKind } from '../sync/index.js';
import type { Workspace } from '../workspace/index.js';
import { getApplicant } from './decisions.js';
import { reasonsInUse } from './reasons.js';
import { changedSinceDecidedOf, stateOf } from './state.js';
import { verdictReasons, verdictsOf } from './verdicts.js';

const RANK = { error: 0, warning: 1, info: 2 } as const;

/** The applicants a duplicate finding names, by name and masked ID (one that left the list keeps its masked ID). */
function peerRefs(ws: Workspace, ids: readonly string[] | undefined): PeerRef[] {
  return (ids ?? []).map((id) => ({ idNumber: id, idMasked: maskId(id), name: findApplicant(ws.db, id)?.declared.name ?? '' }));
}

function findings(ws: Workspace, idNumber: string): ReviewFinding[] {
  return findingsOf(ws, idNumber)
    .map((r): ReviewFinding => {
      const message = r.message || r.checkId;
      return {
        checkId: r.checkId, severity: r.severity, message, messageEn: r.messageEn || message, field: r.field ?? null,
        documentId: r.documentId ?? null, suggestedReason: r.suggestedReason ?? null, peers: peerRefs(ws, r.peers),
      };
    })
    .sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

export function rotationsOf(ws: Workspace, detail: ApplicantDetail): Record<number, Rotation> {
  const out: Record<number, Rotation> = {};
  if (detail.documents.length === 0) return out;
  const get = ws.db.prepare('SELECT rotation FROM review_rotations WHERE sha256 = ?');
  for (const d of detail.documents) {
    const r = get.get(d.sha256) as { rotation: Rotation } | undefined;
    // A stored 0 is a reviewer's choice too (it overrides the rotation OCR suggests).
    if (r) out[d.id] = r.rotation;
  }
  return out;
}

/** Everything the applicant view needs in one round trip. */
export function reviewApplicant(ws: Workspace, idNumber: string): ReviewApplicant {
  const detail = getApplicant(ws, idNumber);
  const reasons = reasonsInUse(ws, detail.declared.category);
  return {
    detail,
    rotations: rotationsOf(ws, detail),
    reasons,
    findings: findings(ws, idNumber),
    changedAt: changedSinceDecidedOf(ws, idNumber, stateOf(ws, idNumber)),
    ...verdictsOf(eventsOfKind(ws.db, ['verdict'], idNumber), detail.documents),
    verdictReasons: verdictReasons(reasons),
    // Numbered over the whole catalogue in use, not this category's list: a key means one reason everywhere.
    reasonKeys: reasonKeys(reasonsInUse(ws)),
  };
}

export function setRotation(ws: Workspace, documentId: number, rotation: Rotation): { documentId: number; rotation: Rotation } {
  const doc = documentById(ws.db, documentId);
  if (!doc) throw new DeskError('not_found', `找不到编号为 ${documentId} 的材料。`);
  ws.db
    .prepare('INSERT INTO review_rotations (sha256, rotation, updated_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET rotation = excluded.rotation, updated_at = excluded.updated_at')
    .run(doc.sha256, rotation, new Date().toISOString());
  return { documentId, rotation };
}

export function getPrefs(ws: Workspace): Record<string, string> {
  return Object.fromEntries((ws.db.prepare('SELECT key, value FROM review_prefs').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
}

export function setPref(ws: Workspace, key: string, value: string): { key: string; value: string } {
  ws.db
    .prepare('INSERT INTO review_prefs (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
    .run(key, value, new Date().toISOString());
  return { key, value };
}

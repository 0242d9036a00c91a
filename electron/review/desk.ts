/**
 * The review workspace's services: the queue index, one-trip applicant view (with the
 * per-document verdicts), scan rotation, the reason catalogue a supervisor edits, bulk approve,
 * the dashboard and preferences.
 */
import { DeskError, type ApplicantDetail } from '../../shared/api/index.js';
import type { CountByStatus, Dashboard, ReasonEntry, ReviewApplicant, ReviewFinding, Rotation } from '../../shared/api/review.js';
import { CATEGORY_CODES, type CategoryCode, type Decision, type DecisionStatus, type Reason } from '../../shared/domain.js';
import type { Workspace } from '../workspace/workspace.js';
import { authorizeSupervisor } from './team.js';
import { reasonEntries } from './queue.js';
import { getApplicant, recordDecision } from './decisions.js';
import { verdictEvents, verdictReasons, verdictsOf } from './verdicts.js';

interface CheckRow {
  check_id: string;
  severity: ReviewFinding['severity'];
  message: string;
  message_en: string;
  field: string | null;
  document_id: number | null;
  suggested_reason: string | null;
}

function findings(ws: Workspace, idNumber: string): ReviewFinding[] {
  const rows = ws.db
    .prepare('SELECT check_id, severity, message, message_en, field, document_id, suggested_reason FROM check_results WHERE id_number = ?')
    .all(idNumber) as CheckRow[];
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return rows
    .map((r): ReviewFinding => {
      const message = r.message || r.check_id;
      return {
        checkId: r.check_id,
        severity: r.severity,
        message,
        messageEn: r.message_en || message,
        field: r.field || null,
        documentId: r.document_id,
        suggestedReason: r.suggested_reason || null,
      };
    })
    .sort((a, b) => rank[a.severity] - rank[b.severity]);
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
  const changed = ws.db.prepare('SELECT changed_at FROM changed_since_decided WHERE id_number = ?').get(idNumber) as { changed_at: string } | undefined;
  const reasons = reasonEntries(ws)
    .filter((r) => !r.retired && (r.categories.length === 0 || r.categories.includes(detail.declared.category)))
    .map(({ code, label, categories }): Reason => ({ code, label, categories }));
  return {
    detail,
    rotations: rotationsOf(ws, detail),
    reasons,
    findings: findings(ws, idNumber),
    changedAt: changed?.changed_at ?? null,
    ...verdictsOf(verdictEvents(ws, idNumber), detail.documents),
    verdictReasons: verdictReasons(reasons),
  };
}

export function setRotation(ws: Workspace, documentId: number, rotation: Rotation): { documentId: number; rotation: Rotation } {
  const doc = ws.db.prepare('SELECT sha256 FROM documents WHERE id = ?').get(documentId) as { sha256: string } | undefined;
  if (!doc) throw new DeskError('not_found', `找不到编号为 ${documentId} 的材料。`);
  ws.db
    .prepare('INSERT INTO review_rotations (sha256, rotation, updated_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET rotation = excluded.rotation, updated_at = excluded.updated_at')
    .run(doc.sha256, rotation, new Date().toISOString());
  return { documentId, rotation };
}

/**
 * A supervisor's edit of the catalogue: the list given is the new order. A code left out is
 * retired, never deleted, because decisions in the log cite it. The role is checked here, not
 * only in the UI: a reviewer's call is refused with `supervisor_only`.
 */
export function saveReasons(ws: Workspace, reasons: (Reason & { retired: boolean })[], editorName: string): ReasonEntry[] {
  const editor = authorizeSupervisor(ws, editorName.trim()).name;
  const codes = reasons.map((r) => r.code);
  const dup = codes.find((c, i) => codes.indexOf(c) !== i);
  if (dup) throw new DeskError('duplicate_reason', `理由代码重复：${dup}`);
  const at = new Date().toISOString();
  ws.db.transaction(() => {
    ws.db.prepare('UPDATE review_reasons SET retired = 1, updated_at = ?, updated_by = ? WHERE retired = 0').run(at, editor);
    const up = ws.db.prepare(
      `INSERT INTO review_reasons (code, label, categories, position, retired, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET label = excluded.label, categories = excluded.categories, position = excluded.position,
         retired = excluded.retired, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    );
    reasons.forEach((r, i) => up.run(r.code, r.label, JSON.stringify(r.categories), i, r.retired ? 1 : 0, at, editor));
  })();
  return reasonEntries(ws);
}

/**
 * Approves a filtered set in one transaction (all or nothing), one logged decision per applicant
 * through the same recordDecision as a single approval. Already-approved applicants are skipped
 * so a repeated bulk action adds no noise to the log.
 */
export function bulkApprove(ws: Workspace, deviceId: string, idNumbers: string[], reviewer: string): { approved: number; skipped: number } {
  const unique = [...new Set(idNumbers)];
  const status = ws.db.prepare('SELECT decision FROM current_decisions WHERE id_number = ?');
  let approved = 0;
  ws.db.transaction(() => {
    for (const id of unique) {
      const cur = status.get(id) as { decision: Decision } | undefined;
      if (cur?.decision === 'approve') continue;
      recordDecision(ws, deviceId, { idNumber: id, decision: 'approve', reasons: [], note: '批量通过', reviewer });
      approved++;
    }
  })();
  return { approved, skipped: unique.length - approved };
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

/** Dates of the desk are China time (UTC+8) whatever the PC's zone: a 'day' is a Hunan working day. */
export function chinaDate(iso: string | Date): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}

/** 2月23日 (the notice's deadline for the tables) of the review season that contains `today`. */
export function defaultDeadline(today: string): string {
  const year = Number(today.slice(0, 4));
  return today <= `${year}-02-23` ? `${year}-02-23` : `${year + 1}-02-23`;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function dashboard(ws: Workspace, todayArg?: string): Dashboard {
  const today = todayArg ?? chinaDate(new Date());
  const zero = (): CountByStatus => ({ pending: 0, approve: 0, reject: 0, return: 0 });
  const byCat = new Map<CategoryCode, CountByStatus>(CATEGORY_CODES.map((c) => [c, zero()]));
  const byStatus = zero();
  let total = 0;
  const rows = ws.db
    .prepare(
      `SELECT a.category, COALESCE(d.decision, 'pending') AS status, COUNT(*) AS n
       FROM applicants a LEFT JOIN current_decisions d ON d.id_number = a.id_number WHERE a.withdrawn = 0 GROUP BY 1, 2`,
    )
    .all() as { category: CategoryCode; status: DecisionStatus; n: number }[];
  for (const r of rows) {
    const c = byCat.get(r.category);
    if (c) c[r.status] += r.n;
    byStatus[r.status] += r.n;
    total += r.n;
  }
  // Pace counts applicants finished per China-time day (their current decision's time), so an
  // undone or corrected decision is not counted twice.
  const current = ws.db
    .prepare('SELECT d.reviewer, d.at FROM current_decisions d JOIN applicants a ON a.id_number = d.id_number WHERE a.withdrawn = 0')
    .all() as { reviewer: string; at: string }[];
  const perDay = new Map<string, number>();
  const reviewers = new Map<string, { decided: number; today: number }>();
  for (const e of current) {
    const day = chinaDate(e.at);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    const r = reviewers.get(e.reviewer) ?? { decided: 0, today: 0 };
    r.decided++;
    if (day === today) r.today++;
    reviewers.set(e.reviewer, r);
  }
  const recentDays = [...perDay.keys()].filter((d) => d <= today).sort().slice(-3);
  const pace = recentDays.length ? recentDays.reduce((s, d) => s + (perDay.get(d) ?? 0), 0) / recentDays.length : null;
  const deadline = getPrefs(ws).deadline ?? defaultDeadline(today);
  const projectedFinish = byStatus.pending === 0 ? today : pace ? addDays(today, Math.ceil(byStatus.pending / pace) - 1) : null;
  const flagged = (ws.db
    .prepare(
      `SELECT COUNT(DISTINCT c.id_number) AS n FROM check_results c JOIN applicants a ON a.id_number = c.id_number
       LEFT JOIN current_decisions d ON d.id_number = c.id_number
       WHERE a.withdrawn = 0 AND c.severity = 'error' AND COALESCE(d.decision, 'pending') = 'approve'`,
    )
    .get() as { n: number }).n;
  const changed = (ws.db.prepare('SELECT COUNT(*) AS n FROM changed_since_decided').get() as { n: number }).n;
  return {
    total,
    byStatus,
    byCategory: [...byCat].map(([category, counts]) => ({ category, counts })),
    byReviewer: [...reviewers].map(([reviewer, r]) => ({ reviewer, ...r })).sort((a, b) => b.decided - a.decided),
    today,
    todayDecisions: perDay.get(today) ?? 0,
    pacePerDay: pace,
    deadline,
    projectedFinish,
    onTrack: projectedFinish ? projectedFinish <= deadline : null,
    blockers: { undecided: byStatus.pending, flagged, changedSinceDecided: changed },
  };
}

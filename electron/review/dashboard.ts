/**
 * The progress dashboard: counts by status (冲突 included) and category, pace per China-time
 * day, the projected finish against the deadline of the rules year (the notice's 2月23日 lives in
 * resources/rules/<year>.json, like every other date of the policy), each reviewer's share, and
 * what still blocks a final export.
 */
import type { CountByStatus, Dashboard } from '../../shared/api/review.js';
import { CATEGORY_CODES, type CategoryCode } from '../../shared/domain.js';
import { listApplicantRecords } from '../applicants/index.js';
import { findingCounts, loadRules } from '../checks/index.js';
import { chinaDate } from '../../shared/chinaTime.js';
import type { Workspace } from '../workspace/index.js';
import { assignmentMap } from './access.js';
import { allStates, changedSinceDecidedAll, stateIn } from './state.js';
import { getPrefs } from './view.js';

/** Dates of the desk are China time (UTC+8) whatever the PC's zone: a 'day' is a Hunan working day. */
export { chinaDate };

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function dashboard(ws: Workspace, todayArg?: string): Dashboard {
  const today = todayArg ?? chinaDate(new Date());
  const zero = (): CountByStatus => ({ pending: 0, approve: 0, reject: 0, return: 0, conflict: 0 });
  const byCat = new Map<CategoryCode, CountByStatus>(CATEGORY_CODES.map((c) => [c, zero()]));
  const byStatus = zero();
  const states = allStates(ws);
  const findings = findingCounts(ws);
  // Pace counts applicants finished per China-time day (their current decision's time), so an
  // undone or corrected decision is not counted twice.
  const perDay = new Map<string, number>();
  const reviewers = new Map<string, { decided: number; today: number }>();
  let total = 0;
  let flagged = 0;
  const onList = new Set<string>();
  for (const a of listApplicantRecords(ws.db)) {
    onList.add(a.declared.idNumber);
    const s = stateIn(states, a.declared.idNumber);
    byCat.get(a.declared.category)![s.status]++;
    byStatus[s.status]++;
    total++;
    const cur = s.current;
    if (!cur) continue;
    const day = chinaDate(cur.at);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    const r = reviewers.get(cur.reviewer) ?? { decided: 0, today: 0 };
    r.decided++;
    if (day === today) r.today++;
    reviewers.set(cur.reviewer, r);
    // Approved over an error finding without a recorded override (decisions older than overrides).
    if (cur.decision === 'approve' && (findings.get(a.declared.idNumber)?.error ?? 0) > 0 && !Array.isArray(cur.payload.override)) flagged++;
  }
  const recentDays = [...perDay.keys()].filter((d) => d <= today).sort().slice(-3);
  const pace = recentDays.length ? recentDays.reduce((s, d) => s + (perDay.get(d) ?? 0), 0) / recentDays.length : null;
  // The rules the checks apply carry the deadline; a college may set an earlier one of its own (a pref).
  const { rules } = loadRules();
  const own = getPrefs(ws).deadline;
  const deadline = own && /^\d{4}-\d{2}-\d{2}$/.test(own) ? own : rules.deadline;
  const open = byStatus.pending + byStatus.conflict;
  const projectedFinish = open === 0 ? today : pace ? addDays(today, Math.ceil(open / pace) - 1) : null;
  return {
    total,
    byStatus,
    byCategory: [...byCat].map(([category, counts]) => ({ category, counts })),
    byReviewer: [...reviewers].map(([reviewer, r]) => ({ reviewer, ...r })).sort((a, b) => b.decided - a.decided),
    today,
    todayDecisions: perDay.get(today) ?? 0,
    pacePerDay: pace,
    deadline,
    rulesDeadline: rules.deadline,
    rulesYear: rules.year,
    projectedFinish,
    onTrack: projectedFinish ? projectedFinish <= deadline : null,
    blockers: { undecided: byStatus.pending, conflicts: byStatus.conflict, flagged, changedSinceDecided: changedSinceDecidedAll(ws, states).size },
    assignments: shares(ws, states, onList),
  };
}

/** Each reviewer's share (分配) and how many of it have a decision in force. */
function shares(ws: Workspace, states: ReturnType<typeof allStates>, onList: ReadonlySet<string>): Dashboard['assignments'] {
  const by = new Map<string, { assigned: number; decided: number }>();
  for (const [id, reviewer] of assignmentMap(ws)) {
    if (!reviewer || !onList.has(id)) continue;
    const r = by.get(reviewer) ?? { assigned: 0, decided: 0 };
    r.assigned++;
    if (stateIn(states, id).current?.decision) r.decided++;
    by.set(reviewer, r);
  }
  return [...by].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([reviewer, r]) => ({ reviewer, ...r }));
}

/**
 * The queue index and the reason catalogue, read by both the contract's core calls
 * (applicants.list, reasons.list) and the review workspace's own calls.
 */
import type { QueueIndex, QueueRow, ReasonEntry } from '../../shared/api/review.js';
import type { CategoryCode, Decision } from '../../shared/domain.js';
import { maskId, maskPhone } from '../../shared/idcard.js';
import { pinyinInitials } from '../../shared/pinyin.js';
import type { Workspace } from '../workspace/workspace.js';

const initialsCache = new Map<string, string>();
function initials(name: string): string {
  let v = initialsCache.get(name);
  if (v === undefined) {
    v = pinyinInitials(name);
    initialsCache.set(name, v);
  }
  return v;
}

function flagsByApplicant(ws: Workspace): Map<string, { error: number; warning: number }> {
  const out = new Map<string, { error: number; warning: number }>();
  const rows = ws.db
    .prepare("SELECT id_number, SUM(severity = 'error') AS e, SUM(severity = 'warning') AS w FROM check_results GROUP BY id_number")
    .all() as { id_number: string; e: number; w: number }[];
  for (const r of rows) out.set(r.id_number, { error: r.e, warning: r.w });
  return out;
}

function changedByApplicant(ws: Workspace): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of ws.db.prepare('SELECT id_number, changed_at FROM changed_since_decided').all() as { id_number: string; changed_at: string }[]) {
    out.set(r.id_number, r.changed_at);
  }
  return out;
}

const NO_FLAGS = { error: 0, warning: 0 };

/** Every applicant still on the list, for the renderer to filter and count locally. */
export function queueIndex(ws: Workspace): QueueIndex {
  const flags = flagsByApplicant(ws);
  const changed = changedByApplicant(ws);
  const rows = ws.db
    .prepare(
      `SELECT a.id_number, a.name, a.phone, a.category, a.row_no, d.decision, d.reviewer, d.at
       FROM applicants a LEFT JOIN current_decisions d ON d.id_number = a.id_number
       WHERE a.withdrawn = 0 ORDER BY a.row_no, a.id_number`,
    )
    .all() as { id_number: string; name: string; phone: string; category: CategoryCode; row_no: number; decision: Decision | null; reviewer: string | null; at: string | null }[];
  return {
    rows: rows.map(
      (r): QueueRow => ({
        idNumber: r.id_number,
        idMasked: maskId(r.id_number),
        name: r.name,
        initials: initials(r.name),
        phone: r.phone,
        phoneMasked: maskPhone(r.phone),
        category: r.category,
        status: r.decision ?? 'pending',
        reviewer: r.reviewer,
        decidedAt: r.at,
        rowNo: r.row_no,
        flags: flags.get(r.id_number) ?? NO_FLAGS,
        changedAt: changed.get(r.id_number) ?? null,
      }),
    ),
  };
}

/** The whole catalogue, retired codes included (old decisions still cite them). */
export function reasonEntries(ws: Workspace): ReasonEntry[] {
  return (ws.db.prepare('SELECT code, label, categories, retired FROM review_reasons ORDER BY position, code').all() as { code: string; label: string; categories: string; retired: number }[]).map(
    (r) => ({ code: r.code, label: r.label, categories: JSON.parse(r.categories) as CategoryCode[], retired: r.retired === 1 }),
  );
}


/**
 * The reason catalogue (审核理由目录): one catalogue per college, synced as data. A supervisor's
 * edit is a `reasons` event of the log carrying the whole catalogue; the one with the greatest
 * HLC is in force on every PC. Before the first edit the catalogue is the workspace's own table
 * (seeded from SEED_REASONS by migration 0005, and edited there by desks older than this one).
 * Codes are never deleted, only retired: decisions in the log cite them and the exported tables
 * print their labels.
 *
 * validateReasons is the one rule for the reasons of a decision, a 复核 overturn, a 裁定 and a
 * QC review: every code in the catalogue, in use (not retired), meant for the applicant's
 * category, and at least one for 不通过 / 退回补正.
 */
import { DeskError, type ReasonEntry } from '../../shared/api/index.js';
import { CATEGORY_CODES, SEED_REASONS, decisionNeedsReason, type CategoryCode, type Decision, type Reason } from '../../shared/domain.js';
import type { JsonValue } from '../../shared/sync/events.js';
import { authorizeSupervisor } from './access.js';
import { appendEvents, eventsOfKind } from '../sync/index.js';
import type { Workspace } from '../workspace/index.js';

function tableCatalogue(ws: Workspace): ReasonEntry[] {
  return (ws.db.prepare('SELECT code, label, categories, retired FROM review_reasons ORDER BY position, code').all() as { code: string; label: string; categories: string; retired: number }[]).map(
    (r) => ({ code: r.code, label: r.label, categories: JSON.parse(r.categories) as CategoryCode[], retired: r.retired === 1 }),
  );
}

function fromPayload(p: { [k: string]: JsonValue }): ReasonEntry[] | null {
  const list = p.reasons;
  if (!Array.isArray(list)) return null;
  const out: ReasonEntry[] = [];
  for (const r of list) {
    if (!r || typeof r !== 'object' || Array.isArray(r)) return null;
    const { code, label, categories, retired } = r;
    if (typeof code !== 'string' || typeof label !== 'string' || !Array.isArray(categories)) return null;
    out.push({
      code, label, retired: retired === true,
      categories: categories.filter((c): c is CategoryCode => typeof c === 'string' && (CATEGORY_CODES as readonly string[]).includes(c)),
    });
  }
  return out;
}

/**
 * Seed reasons a catalogue does not know are appended: codes are never deleted (only retired), so
 * a seed code that is absent was added to the desk after the catalogue was written (issue 17's
 * 上半年已录取, 医学类专业, 燎原计划), and a finding that suggests it must find it.
 */
function withNewSeeds(list: ReasonEntry[]): ReasonEntry[] {
  const known = new Set(list.map((r) => r.code));
  const added = SEED_REASONS.filter((r) => !known.has(r.code)).map((r) => ({ code: r.code, label: r.label, categories: [...r.categories], retired: false }));
  return added.length === 0 ? list : [...list, ...added];
}

/** The whole catalogue in force, retired codes included (old decisions still cite them). */
export function reasonEntries(ws: Workspace): ReasonEntry[] {
  const edits = eventsOfKind(ws.db, ['reasons']);
  for (let i = edits.length - 1; i >= 0; i--) {
    const e = edits[i];
    const list = e ? fromPayload(e.payload) : null;
    // An edit this version cannot read (from a newer desk) is skipped, not shown half.
    if (list) return withNewSeeds(list);
  }
  return withNewSeeds(tableCatalogue(ws));
}

/** The reasons in use for a category (retired codes left out). */
export function reasonsInUse(ws: Workspace, category?: CategoryCode): Reason[] {
  return reasonEntries(ws)
    .filter((r) => !r.retired && (!category || r.categories.length === 0 || r.categories.includes(category)))
    .map(({ code, label, categories }) => ({ code, label, categories }));
}

/** The one rule for the reasons of any decision; returns them without duplicates, in the order given. */
export function validateReasons(ws: Workspace, input: { decision: Decision; reasons: readonly string[]; category: CategoryCode }): string[] {
  const catalogue = new Map(reasonEntries(ws).map((r) => [r.code, r]));
  const unique = [...new Set(input.reasons)];
  const unknown = unique.filter((c) => !catalogue.has(c));
  if (unknown.length > 0) {
    const inUse = [...catalogue.values()].filter((r) => !r.retired).map((r) => r.code);
    throw new DeskError('unknown_reason', `未知的审核理由代码：${unknown.join(', ')}（可用：${inUse.join(', ')}）。`, { unknown });
  }
  const retired = unique.filter((c) => catalogue.get(c)?.retired);
  if (retired.length > 0) {
    throw new DeskError('reason_retired', `审核理由已停用：${retired.map((c) => catalogue.get(c)?.label ?? c).join('、')}。请选择目录中在用的理由。`, { retired });
  }
  const foreign = unique.filter((c) => {
    const cats = catalogue.get(c)?.categories ?? [];
    return cats.length > 0 && !cats.includes(input.category);
  });
  if (foreign.length > 0) {
    throw new DeskError('reason_not_for_category', `审核理由不适用于该考生的报考类别：${foreign.map((c) => catalogue.get(c)?.label ?? c).join('、')}。`, { foreign });
  }
  if (decisionNeedsReason(input.decision) && unique.length === 0) {
    throw new DeskError('reason_required', '“不通过”和“退回补正”必须选择至少一个理由。');
  }
  return unique;
}

/** Labels of codes as the catalogue names them (a code the catalogue lost is shown as is). */
export function reasonLabeller(ws: Workspace): (code: string) => string {
  const labels = new Map(reasonEntries(ws).map((r) => [r.code, r.label]));
  return (code) => labels.get(code) ?? code;
}

/**
 * A supervisor's edit of the catalogue: the list given is the new order. A code left out is
 * retired, never deleted, because decisions in the log cite it. The role is checked here, not
 * only in the UI: a reviewer's call is refused with `supervisor_only`. The edit is an event, so
 * it reaches every PC of the college with the next sync.
 */
export function saveReasons(ws: Workspace, deviceId: string, reasons: (Reason & { retired: boolean })[], editorName: string): ReasonEntry[] {
  const editor = authorizeSupervisor(ws, editorName.trim()).name;
  const codes = reasons.map((r) => r.code);
  const dup = codes.find((c, i) => codes.indexOf(c) !== i);
  if (dup) throw new DeskError('duplicate_reason', `理由代码重复：${dup}`);
  const given = new Set(codes);
  const kept = reasonEntries(ws).filter((r) => !given.has(r.code)).map((r) => ({ ...r, retired: true }));
  const next: ReasonEntry[] = [...reasons.map((r) => ({ code: r.code, label: r.label, categories: [...r.categories], retired: r.retired })), ...kept];
  appendEvents(ws, deviceId, [{
    kind: 'reasons', reviewer: editor,
    payload: { reasons: next.map((r) => ({ code: r.code, label: r.label, categories: r.categories, retired: r.retired })) },
  }]);
  return reasonEntries(ws);
}

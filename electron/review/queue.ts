/**
 * The queue index: every applicant still on the list with its state (./state.ts), findings and
 * "changed since decided", for the renderer to filter and count locally (10,000 rows in a few
 * milliseconds) and for applicants.list to filter through the contract with the same rules.
 */
import type { QueueIndex, QueueRow } from '../../shared/api/review.js';
import { maskId, maskPhone } from '../../shared/idcard.js';
import { pinyinInitials } from '../../shared/pinyin.js';
import { queueApplicants } from '../applicants/index.js';
import { findingCounts } from '../checks/index.js';
import { unreadApplicants } from '../ocr/index.js';
import type { Workspace } from '../workspace/index.js';
import { assignmentMap } from './access.js';
import { allStates, changedSinceDecidedAll, stateIn } from './state.js';

const initialsCache = new Map<string, string>();
function initials(name: string): string {
  let v = initialsCache.get(name);
  if (v === undefined) {
    v = pinyinInitials(name);
    initialsCache.set(name, v);
  }
  return v;
}

const NO_FLAGS = { error: 0, warning: 0 };

export function queueIndex(ws: Workspace): QueueIndex {
  const states = allStates(ws);
  const findings = findingCounts(ws);
  const changed = changedSinceDecidedAll(ws, states);
  const assigned = assignmentMap(ws);
  const applicants = queueApplicants(ws.db);
  const unread = unreadApplicants(ws, applicants.map((a) => a.idNumber));
  return {
    rows: applicants.map((a): QueueRow => {
      const s = stateIn(states, a.idNumber);
      const f = findings.get(a.idNumber);
      // In conflict, the row names who decided last (the heads are listed in the conflicts panel).
      const shown = s.current ?? (s.conflict ? s.latest : null);
      return {
        idNumber: a.idNumber,
        idMasked: maskId(a.idNumber),
        name: a.name,
        initials: initials(a.name),
        phone: a.phone,
        phoneMasked: maskPhone(a.phone),
        category: a.category,
        status: s.status,
        reviewer: shown?.reviewer ?? null,
        decidedAt: shown?.at ?? null,
        rowNo: a.rowNo,
        flags: f ? { error: f.error, warning: f.warning } : NO_FLAGS,
        changedAt: changed.get(a.idNumber) ?? null,
        assignee: assigned.get(a.idNumber) || null,
        ocrPending: unread.has(a.idNumber),
      };
    }),
  };
}

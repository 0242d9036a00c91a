/**
 * The queue (审核队列): search, filters with counts, sort and a windowed list of applicants.
 * Lists show masked ID numbers and phones only, so a screenshot of the queue leaks neither.
 */
import { CATEGORIES, DECISION_STATUSES, type CategoryCode, type DecisionStatus } from '../../../shared/domain.js';
import type { QueueRow } from '../../../shared/api/index.js';
import { QUEUE_SORTS, type QueueCounts, type QueueFilter, type QueueSort } from '../../../shared/pinyinSearch.js';
import { categoryLabel, fmtNum as fmtNumUncached, statusLabel, t, useLang, type Lang, type MessageKey } from '../i18n.js';
import { VirtualList } from './VirtualList.js';

export const ROW_HEIGHT = 50;

/**
 * fmtNum builds a number format per call (~0.1 ms on the desk's PCs) and the queue prints about
 * fifteen counts per keystroke; the counts repeat (10,000, 2,500, …), so their text is kept.
 */
const numCache = new Map<number, string>();
let numLang: Lang | null = null;
function fmtNum(n: number, lang: Lang): string {
  if (numLang !== lang) {
    numCache.clear();
    numLang = lang;
  }
  let s = numCache.get(n);
  if (s === undefined) {
    s = fmtNumUncached(n);
    if (numCache.size > 4096) numCache.clear();
    numCache.set(n, s);
  }
  return s;
}

export interface QueueProps {
  rows: QueueRow[];
  counts: QueueCounts;
  filter: QueueFilter;
  onFilter: (f: QueueFilter) => void;
  reviewers: string[];
  /** Reviewers who have a share (分配), for the share filter. */
  assignees: string[];
  selected: string | null;
  onSelect: (idNumber: string) => void;
  onBulk: () => void;
  /** 待审 rows in the filter (the server's rule decides which of them a bulk approval takes). */
  bulkCount: number;
  /** How many the last bulk approval took, while it can still be undone as a unit. */
  lastBulk: number | null;
  onUndoBulk: () => void;
  searchRef: React.RefObject<HTMLInputElement | null>;
}

export function Queue(p: QueueProps): React.JSX.Element {
  const { filter: f, counts } = p;
  const lang = useLang();
  const num = (n: number): string => fmtNum(n, lang);
  const set = (patch: Partial<QueueFilter>): void => p.onFilter({ ...f, ...patch });
  const index = p.rows.findIndex((r) => r.idNumber === p.selected);
  return (
    <aside className="queue">
      <input
        ref={p.searchRef}
        className="search"
        type="search"
        aria-label={t('queue.searchLabel')}
        placeholder={t('queue.search')}
        value={f.search ?? ''}
        onChange={(e) => set({ search: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === 'Escape') e.currentTarget.blur();
        }}
      />
      <div className="filters">
        <select aria-label={t('queue.categoryLabel')} data-testid="category-filter" value={f.category ?? ''} onChange={(e) => set({ category: (e.target.value || undefined) as CategoryCode | undefined })}>
          <option value="">{t('queue.allCategories')}</option>
          {CATEGORIES.map((c) => (
            <option key={c.code} value={c.code}>
              {categoryLabel(c.code)}（{num(counts.byCategory[c.code])}）
            </option>
          ))}
        </select>
        <select aria-label={t('queue.statusLabel')} data-testid="status-filter" value={f.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as DecisionStatus | undefined })}>
          <option value="">{t('queue.allStatus')}</option>
          {DECISION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}（{num(counts.byStatus[s])}）
            </option>
          ))}
        </select>
      </div>
      <div className="filters">
        <select aria-label={t('queue.reviewerLabel')} value={f.reviewer ?? ''} onChange={(e) => set({ reviewer: e.target.value || undefined })}>
          <option value="">{t('queue.allReviewers')}</option>
          {p.reviewers.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
        {/* 分配: a reviewer's share, or the applicants nobody was given ('' kept apart from "all"). */}
        <select aria-label={t('queue.assigneeLabel')} data-testid="assignee-filter" value={f.assignee === undefined ? '*' : f.assignee} onChange={(e) => set({ assignee: e.target.value === '*' ? undefined : e.target.value })}>
          <option value="*">{t('queue.allShares')}</option>
          {p.assignees.map((r) => <option key={r} value={r}>{t('queue.shareOf', { name: r })}</option>)}
          <option value="">{t('queue.noShare')}</option>
        </select>
        <select aria-label={t('queue.sortLabel')} value={f.sort ?? 'row'} onChange={(e) => set({ sort: e.target.value as QueueSort })}>
          {QUEUE_SORTS.map((s) => <option key={s} value={s}>{t(`queue.sort.${s}` as MessageKey)}</option>)}
        </select>
      </div>
      <div className="filters toggles">
        <label title={t('queue.keyE')}>
          <input type="checkbox" aria-label={t('queue.flagged')} checked={!!f.flagged} onChange={(e) => set({ flagged: e.target.checked || undefined })} />
          {t('queue.flaggedShort')}（{num(counts.flagged)}）<kbd>E</kbd>
        </label>
        <label>
          <input type="checkbox" aria-label={t('queue.changed')} checked={!!f.changed} onChange={(e) => set({ changed: e.target.checked || undefined })} />
          {t('queue.changedShort')}（{num(counts.changed)}）
        </label>
      </div>
      <div className="count">
        <span data-testid="queue-count">{t('queue.count', { n: num(p.rows.length) })}</span>
        {index >= 0 && <span className="muted"> · {t('queue.position', { i: num(index + 1), n: num(p.rows.length) })}</span>}
        <button type="button" className="bulk" disabled={p.bulkCount === 0} onClick={p.onBulk} title={t('queue.bulkTip')}>
          {t('queue.bulk', { n: num(p.bulkCount) })}
        </button>
        {p.lastBulk !== null && (
          <button type="button" className="bulk undo-bulk" data-testid="undo-bulk" onClick={p.onUndoBulk}>
            {t('queue.bulkUndo', { n: num(p.lastBulk) })}
          </button>
        )}
      </div>
      <VirtualList
        className="queue-list"
        label={t('queue.listLabel')}
        items={p.rows}
        rowHeight={ROW_HEIGHT}
        activeIndex={index}
        empty={<div className="empty">{t('queue.empty')}</div>}
        renderRow={(r) => (
          <li
            key={r.idNumber}
            role="option"
            aria-selected={r.idNumber === p.selected}
            className={r.idNumber === p.selected ? 'selected' : ''}
            style={{ height: ROW_HEIGHT }}
            data-id-masked={r.idMasked}
            onClick={() => p.onSelect(r.idNumber)}
          >
            <span className="name">
              {r.name}
              {r.flags.error > 0 && <span className="flag error" title={t('queue.flagged')}>!</span>}
              {r.changedAt && <span className="flag changed" title={t('queue.changed')}>Δ</span>}
              {r.ocrPending && <span className="flag ocr" data-testid="ocr-pending" title={t('queue.ocrPendingTip')}>{t('queue.ocrPending')}</span>}
              {r.assignee && <span className="assignee" title={t('queue.shareOf', { name: r.assignee })}>→{r.assignee}</span>}
            </span>
            <span className={`status status-${r.status}`}>{statusLabel(r.status)}</span>
            <span className="id" title={r.phoneMasked}>{r.idMasked}</span>
            <span className="cat">{categoryLabel(r.category)}</span>
          </li>
        )}
      />
    </aside>
  );
}

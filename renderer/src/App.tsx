/**
 * The review desk (资格审核台): the queue on the left, the applicant with the scans on the right,
 * the decision bar at the bottom. The queue index is loaded once and filtered locally (10,000
 * rows in a few milliseconds); a decision updates its row in place instead of reloading. The
 * filters, the position in the queue and the reviewer survive a restart (localStorage).
 */
import { startTransition, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { BulkPreview, QueueIndex, QueueRow, WorkspaceInfo } from '../../shared/api/index.js';
import { queueView, type QueueFilter } from '../../shared/pinyinSearch.js';
import { useAccount } from './admin/Account.js';
import { ApiFailure, call } from './api.js';
import { fmtNum, setLang, statusLabel, t, useLang } from './i18n.js';
import { OcrProgress } from './ocr/OcrProgress.js';
import { ApplicantView, type Decided } from './review/ApplicantView.js';
import { forgetAll, forgetApplicant, prefetchApplicant } from './review/cache.js';
import { BulkDialog, DashboardDialog, HelpDialog, ReasonsDialog } from './review/Dialogs.js';
import { onJump } from './review/jump.js';
import { enterTicks, isControl, isTextField, keyOwner, leaveControl } from './review/keys.js';
import { Queue } from './review/Queue.js';
import { QcDialog, TeamDialog } from './team/TeamPanel.js';
import { StartScreen } from './colleges/StartScreen.js';

type Dialog = 'help' | 'dashboard' | 'reasons' | 'bulk' | 'team' | 'qc' | 'colleges' | null;

/** How long the typing in the search box pauses before the applicant view follows the first match. */
const FOLLOW_FILTER_MS = 150;

function stored<T>(key: string, fallback: T): T {
  try {
    const v = localStorage.getItem(key);
    return v === null ? fallback : (JSON.parse(v) as T);
  } catch {
    return fallback;
  }
}

export interface AppProps {
  /** Toolbar slot for the import wizard's button (mounted by the desk shell). */
  toolbarSlot?: React.ReactNode;
}

export function App({ toolbarSlot }: AppProps = {}): React.JSX.Element {
  const lang = useLang();
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  const [index, setIndex] = useState<QueueIndex | null>(null);
  const [filter, setFilter] = useState<QueueFilter>(() => stored('desk.filter', {}));
  const [selected, setSelected] = useState<string | null>(() => stored<string | null>('desk.selected', null));
  const [typedReviewer, setReviewer] = useState(() => localStorage.getItem('desk.reviewer') ?? '');
  // Once accounts exist, decisions are recorded as the signed-in account (the service refuses any
  // other name); the typed name is the desk without accounts.
  const acct = useAccount();
  const reviewer = acct.enabled ? (acct.account?.name ?? '') : typedReviewer;
  const canEditReasons = !acct.enabled || (acct.account !== null && acct.account.role !== 'reviewer');
  // The supervisor's screens (分配, 复核, 抽检 figures) are not even offered to a reviewer; the
  // service refuses their calls anyway. A desk without accounts has no roles.
  const isSupervisor = canEditReasons;
  const isAdmin = !acct.enabled || acct.account?.role === 'admin';
  /** Blind QC items waiting (a reviewer reaches them through the 抽检 button). */
  const [qcWaiting, setQcWaiting] = useState(0);
  const [autoAdvance, setAutoAdvance] = useState(() => stored('desk.autoAdvance', true));
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<string | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  /** The last bulk approval, undoable as one unit until the next one. */
  const [lastBulk, setLastBulk] = useState<{ bulkId: string; approved: number } | null>(null);
  const [version, setVersion] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const reviewerRef = useRef<HTMLInputElement>(null);

  const reload = useCallback(async () => {
    try {
      setIndex(await call('review.queue', {}));
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : String(e));
    }
  }, []);

  useEffect(() => {
    call('workspace.info', {}).then(setInfo, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    void reload();
  }, [reload]);
  const refreshQc = useCallback(() => {
    call('qc.queue', {}).then((q) => setQcWaiting(q.length), () => setQcWaiting(0));
  }, []);
  useEffect(refreshQc, [refreshQc, acct.account]);
  // The window (and the taskbar) names the open college.
  useEffect(() => {
    if (info) document.title = t('app.windowTitle', { college: info.college });
  }, [info, lang]);
  // Written after the keystroke's frame, not in its commit (effects of a typed key run before
  // the browser paints the new count).
  useEffect(() => {
    setTimeout(() => localStorage.setItem('desk.filter', JSON.stringify(filter)), 0);
  }, [filter]);
  useEffect(() => localStorage.setItem('desk.selected', JSON.stringify(selected)), [selected]);
  useEffect(() => localStorage.setItem('desk.autoAdvance', JSON.stringify(autoAdvance)), [autoAdvance]);
  useEffect(() => {
    if (reviewer.trim()) localStorage.setItem('desk.reviewer', reviewer.trim());
  }, [reviewer]);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 4000);
    return () => clearTimeout(timer);
  }, [toast]);

  const all = useMemo(() => index?.rows ?? [], [index]);
  const { rows, counts } = useMemo(() => queueView(all, filter), [all, filter]);
  const reviewers = useMemo(() => [...new Set(all.map((r) => r.reviewer).filter((r): r is string => !!r))].sort(), [all]);
  const assignees = useMemo(() => [...new Set(all.map((r) => r.assignee).filter((r): r is string => !!r))].sort(), [all]);
  const pos = rows.findIndex((r) => r.idNumber === selected);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  // Deferred: a new filter changes who is next, and re-rendering the applicant view for the
  // prefetch hint must not hold up the queue count. None while a search leaves the selection out
  // of the list (until the view follows the first match): the applicant view would otherwise
  // prefetch, decode and draw the first match of every keystroke.
  const nextNow = pos >= 0 ? (rows[pos + 1]?.idNumber ?? null) : null;
  const nextId = useDeferredValue(nextNow);
  // Moving through the queue, the next applicant is fetched (its first scan prepared once the
  // current one has painted) in the same commit, not after the deferred render. Not while a new
  // search leaves the selection out of the list: that would fetch an applicant per keystroke.
  useEffect(() => {
    if (pos >= 0 && nextNow) prefetchApplicant(nextNow);
  }, [pos, nextNow]);
  // Only 待审 rows can be taken by a bulk approval (the server's rule decides which of them are).
  const bulkCandidates = useMemo(() => {
    let n = 0;
    for (const r of rows) if (r.status === 'pending') n++;
    return n;
  }, [rows]);

  // First start, or the remembered applicant left the list: begin at the first row of the filter.
  useEffect(() => {
    if (index && (!selected || !all.some((r) => r.idNumber === selected))) setSelected(rows[0]?.idNumber ?? null);
  }, [index, rows, selected, all]);
  // A new search or filter that leaves the current applicant out jumps to its first match. Only
  // on filter changes: a decision that moves a row out of a 待审 filter must not jump.
  // The queue and its count show at once; the applicant (data, scans decoded and painted) follows
  // once the typing pauses, as a transition: loading an applicant per keystroke of 'zsf' would
  // hold up the next keystroke's count behind scans nobody looks at.
  useEffect(() => {
    const timer = setTimeout(() => {
      const current = rowsRef.current;
      startTransition(() => setSelected((sel) => (current.some((r) => r.idNumber === sel) ? sel : (current[0]?.idNumber ?? sel))));
    }, FOLLOW_FILTER_MS);
    return () => clearTimeout(timer);
  }, [filter]);

  const move = useCallback(
    (delta: number) => {
      if (rows.length === 0) return;
      const i = pos < 0 ? (delta > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, pos + delta));
      const next = rows[i];
      if (next) setSelected(next.idNumber);
    },
    [rows, pos],
  );
  /** Home / End: the first or the last applicant of the queue as filtered. */
  const moveTo = useCallback((i: number) => {
    const r = rows[i < 0 ? rows.length - 1 : i];
    if (r) setSelected(r.idNumber);
  }, [rows]);
  /** Shift+J / Shift+K: the next (previous) 待审 applicant after this one, whatever the filter shows in between. */
  const movePending = useCallback(
    (dir: 1 | -1) => {
      for (let i = pos + dir; i >= 0 && i < rows.length; i += dir) {
        const r = rows[i];
        if (r?.status === 'pending') return setSelected(r.idNumber);
      }
      setToast(t(dir > 0 ? 'keys.noNextPending' : 'keys.noPrevPending'));
    },
    [rows, pos],
  );
  /** P / E: one key narrows the queue to 待审 (or to 有问题), the same key widens it again. */
  const toggleFilter = useCallback((which: 'pending' | 'flagged') => {
    setFilter((f) => (which === 'pending' ? { ...f, status: f.status === 'pending' ? undefined : 'pending' } : { ...f, flagged: f.flagged ? undefined : true }));
  }, []);

  // A finding that names a duplicate, an export blocker, a 复核 item: bring that applicant up.
  // When the filter hides it, the filter makes way (the sort stays) rather than the jump failing.
  useEffect(
    () =>
      onJump((id) => {
        const row = all.find((r) => r.idNumber === id);
        if (!row) return setToast(t('jump.notOnList'));
        setDialog(null);
        if (!rowsRef.current.some((r) => r.idNumber === id)) setFilter((f) => ({ sort: f.sort }));
        setSelected(id);
        setToast(t('jump.done', { name: row.name }));
      }),
    [all],
  );

  const patchRow = useCallback((idNumber: string, patch: Partial<QueueRow>) => {
    setIndex((ix) => ix && { ...ix, rows: ix.rows.map((r) => (r.idNumber === idNumber ? { ...r, ...patch } : r)) });
  }, []);

  // Stable callbacks for the applicant view (memoised: typing in the search box must not
  // re-render the scans), reading the current rows through a ref.
  const posRef = useRef(pos);
  posRef.current = pos;
  const onDecided = useCallback(
    (d: Decided, advance: boolean) => {
      // The next row is taken before the row changes: under a 待审 filter the decided row leaves.
      const following = rowsRef.current[posRef.current + 1]?.idNumber ?? null;
      patchRow(d.idNumber, { status: d.status, reviewer: d.reviewer, decidedAt: d.at, changedAt: null });
      setToast(t('decision.saved', { decision: `${d.name} · ${statusLabel(d.status)}` }));
      if (advance && following) setSelected(following);
    },
    [patchRow],
  );
  const onNeedReviewer = useCallback(() => reviewerRef.current?.focus(), []);

  /** Undo acts on the applicant in view and says what it restored. */
  const undo = useCallback(async () => {
    const target = selected;
    if (!target) return setToast(t('decision.nothingToUndo'));
    if (!reviewer.trim()) {
      reviewerRef.current?.focus();
      return setToast(t('decision.needReviewer'));
    }
    try {
      const res = await call('decisions.undo', { idNumber: target, reviewer: reviewer.trim() });
      forgetApplicant(target);
      const fresh = await call('review.applicant', { idNumber: target });
      patchRow(target, { status: fresh.detail.status, reviewer: fresh.detail.current?.reviewer ?? null, decidedAt: fresh.detail.current?.at ?? null });
      setVersion((v) => v + 1);
      const name = all.find((r) => r.idNumber === target)?.name ?? '';
      setToast(t('decision.undoneDetail', { name, undone: statusLabel(res.undone), restored: statusLabel(res.restored) }));
    } catch (e) {
      setToast(e instanceof Error ? e.message : String(e));
    }
  }, [selected, reviewer, patchRow, all]);

  // Every row of the filter goes to the server, not only those this PC shows as 待审: the server's
  // rule takes the undecided ones and names the rest (已有结论, 冲突 …) in the dialog, so the
  // reviewer sees why a row in the filter is left out instead of it silently missing from the count.
  const previewBulk = useCallback(
    (): Promise<BulkPreview> => call('decisions.bulkPreview', { idNumbers: rowsRef.current.map((r) => r.idNumber), reviewer: reviewer.trim() }),
    [reviewer],
  );

  const bulkApprove = useCallback(async () => {
    setDialog(null);
    try {
      const ids = rowsRef.current.map((r) => r.idNumber);
      const res = await call('decisions.bulkApprove', { idNumbers: ids, reviewer: reviewer.trim() });
      forgetAll();
      await reload();
      setVersion((v) => v + 1);
      setLastBulk(res.bulkId ? { bulkId: res.bulkId, approved: res.approved } : null);
      // The dialog hands the focus back to the bulk button; the keys belong to the desk again.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      setToast(t('queue.bulkDone', { n: fmtNum(res.approved) }));
    } catch (e) {
      setToast(e instanceof Error ? e.message : String(e));
    }
  }, [reviewer, reload]);

  const undoBulk = useCallback(async () => {
    if (!lastBulk) return;
    try {
      const res = await call('decisions.undoBulk', { bulkId: lastBulk.bulkId, reviewer: reviewer.trim() });
      setLastBulk(null);
      forgetAll();
      await reload();
      setVersion((v) => v + 1);
      setToast(t('queue.bulkUndone', { n: fmtNum(res.undone), kept: res.kept > 0 ? t('queue.bulkKept', { n: fmtNum(res.kept) }) : '' }));
    } catch (e) {
      setToast(e instanceof Error ? e.message : String(e));
    }
  }, [lastBulk, reviewer, reload]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (dialog) return;
      // A control keeps its keys (Enter presses the focused button); Esc hands them back to the desk.
      if (leaveControl(e) || enterTicks(e)) {
        e.preventDefault();
        return;
      }
      if (keyOwner(e) === 'control' || isTextField(e.target)) return;
      const k = e.key;
      if ((e.ctrlKey || e.metaKey) && k.toLowerCase() === 'z') {
        e.preventDefault();
        void undo();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      let handled = true;
      if (k === 'J' || (k === 'ArrowDown' && e.shiftKey)) movePending(1);
      else if (k === 'K' || (k === 'ArrowUp' && e.shiftKey)) movePending(-1);
      else if (k === 'j' || k === 'ArrowDown') move(1);
      else if (k === 'k' || k === 'ArrowUp') move(-1);
      else if (k === 'Home') moveTo(0);
      else if (k === 'End') moveTo(-1);
      else if (k === 'p' || k === 'P') toggleFilter('pending');
      else if (k === 'e' || k === 'E') toggleFilter('flagged');
      else if (k === '/') searchRef.current?.select();
      else if (k === '?') setDialog('help');
      else if (k === 'd' || k === 'D') setDialog('dashboard');
      else if (k === 'u' || k === 'U') void undo();
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, move, moveTo, movePending, toggleFilter, undo]);

  const closeDialog = useCallback(() => setDialog(null), []);

  // While a control has the focus the shortcuts rest (Enter presses that control); say so.
  const [onControl, setOnControl] = useState(false);
  useEffect(() => {
    const update = (): void => setOnControl(isControl(document.activeElement) && !isTextField(document.activeElement));
    // After focusout the next element is not active yet: look once the focus has moved.
    const later = (): void => void setTimeout(update, 0);
    document.addEventListener('focusin', update);
    document.addEventListener('focusout', later);
    return () => {
      document.removeEventListener('focusin', update);
      document.removeEventListener('focusout', later);
    };
  }, []);

  return (
    <div className="app" lang={lang}>
      <header className="topbar">
        <h1>{t('app.title')}</h1>
        {info && (
          <button type="button" className="college-switch" data-testid="college-name" title={t('start.switchTitle')} onClick={() => setDialog('colleges')}>
            {info.college} ▾
          </button>
        )}
        <span className="subtitle">{t('app.subtitle')}</span>
        <span className="toolbar-slot" data-slot="import">{toolbarSlot}</span>
        {isSupervisor && acct.loaded && (
          <button type="button" className="top" data-tool="team" onClick={() => setDialog('team')}>{t('team.button')}</button>
        )}
        {!isSupervisor && qcWaiting > 0 && (
          <button type="button" className="top" data-tool="qc" onClick={() => setDialog('qc')}>
            {t('team.qcButton')}<span className="tool-badge">{fmtNum(qcWaiting)}</span>
          </button>
        )}
        <OcrProgress onStopped={() => void reload()} />
        <span className="spacer" />
        {/* With accounts the signed-in account decides (the chip names it); the typed name is the desk without accounts. */}
        <label className="reviewer-field" hidden={acct.enabled}>
          {t('toolbar.reviewer')}
          <input
            ref={reviewerRef}
            className="reviewer"
            aria-label={t('decision.reviewer')}
            placeholder={t('decision.reviewerPlaceholder')}
            value={reviewer}
            readOnly={acct.enabled}
            title={acct.enabled ? t('toolbar.reviewerFromAccount') : undefined}
            onChange={(e) => setReviewer(e.target.value)}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === 'Escape') && e.currentTarget.blur()}
          />
        </label>
        <label className="toggle">
          <input type="checkbox" aria-label={t('toolbar.autoAdvance')} checked={autoAdvance} onChange={(e) => setAutoAdvance(e.target.checked)} />
          {t('toolbar.autoAdvance')}
        </label>
        <button type="button" className="top" onClick={() => setDialog('dashboard')}>{t('toolbar.dashboard')}</button>
        <button type="button" className="top" onClick={() => setDialog('reasons')}>{t('toolbar.reasons')}</button>
        <button type="button" className="top" onClick={() => setDialog('help')} title={t('toolbar.help')} aria-label={t('toolbar.help')}>?</button>
        <button type="button" className="top lang" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>{t('app.lang')}</button>
      </header>
      {error && <div className="banner error" role="alert">{t('error.load', { message: error })}</div>}
      {info?.storageWarning && <div className="banner storage-warn" role="alert" data-testid="storage-warning">⚠ {info.storageWarning}</div>}
      <main className="layout">
        <Queue
          rows={rows}
          counts={counts}
          filter={filter}
          onFilter={setFilter}
          reviewers={reviewers}
          assignees={assignees}
          selected={selected}
          onSelect={setSelected}
          onBulk={() => setDialog('bulk')}
          bulkCount={bulkCandidates}
          lastBulk={lastBulk?.approved ?? null}
          onUndoBulk={() => void undoBulk()}
          searchRef={searchRef}
        />
        <section className="detail">
          {selected && all.some((r) => r.idNumber === selected) ? (
            <ApplicantView
              key={selected}
              idNumber={selected}
              nextId={nextId}
              reviewer={reviewer}
              autoAdvance={autoAdvance}
              keysEnabled={dialog === null}
              onDecided={onDecided}
              onNeedReviewer={onNeedReviewer}
              version={version}
            />
          ) : (
            <div className="placeholder">{index ? t('applicant.none') : t('viewer.loading')}</div>
          )}
        </section>
      </main>
      {/* The key hints get a line of their own: at 1366 px the toolbar has no room for them. */}
      <footer className="keybar" data-testid="key-hint">{onControl ? t('keys.focusHint') : t('keys.hint')}</footer>
      {toast && <div className="toast" role="status" data-testid="toast">{toast}</div>}
      {dialog === 'help' && <HelpDialog onClose={closeDialog} />}
      {dialog === 'colleges' && <StartScreen onClose={closeDialog} />}
      {dialog === 'dashboard' && <DashboardDialog onClose={closeDialog} />}
      {dialog === 'reasons' && <ReasonsDialog editor={reviewer} canEdit={canEditReasons} onClose={closeDialog} onSaved={() => { forgetAll(); setVersion((v) => v + 1); }} />}
      {dialog === 'team' && (
        <TeamDialog
          by={reviewer} accountsEnabled={acct.enabled} isAdmin={isAdmin} selection={rows.map((r) => r.idNumber)}
          onChanged={() => { forgetAll(); void reload(); setVersion((v) => v + 1); refreshQc(); }}
          onClose={closeDialog}
        />
      )}
      {dialog === 'qc' && <QcDialog by={reviewer} accountsEnabled={acct.enabled} onChanged={() => { refreshQc(); }} onClose={() => { closeDialog(); refreshQc(); }} />}
      {dialog === 'bulk' && <BulkDialog reviewer={reviewer.trim()} preview={previewBulk} onConfirm={() => void bulkApprove()} onClose={closeDialog} />}
    </div>
  );
}

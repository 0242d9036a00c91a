/**
 * The review desk's dialogs: the keyboard legend, the progress dashboard, the reason catalogue a
 * supervisor edits, and the confirmation that names how many applicants a bulk approval touches.
 */
import { useEffect, useRef, useState } from 'react';
import type { BulkExcluded, BulkPreview, Dashboard, ReasonEntry } from '../../../shared/api/index.js';
import { CATEGORIES, DECISION_STATUSES, type CategoryCode } from '../../../shared/domain.js';
import { ApiFailure, call } from '../api.js';
import { DateField } from '../DateField.js';
import { categoryLabel, fmtDate, fmtNum, statusLabel, t, type MessageKey } from '../i18n.js';

export function Modal({ title, onClose, children, className }: { title: string; onClose: () => void; children: React.ReactNode; className?: string }): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      prev?.focus();
    };
  }, [onClose]);
  return (
    <div className="modal-back" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal ${className ?? ''}`} role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} ref={ref}>
        <header>
          <h2>{title}</h2>
          <button type="button" className="close" onClick={onClose} aria-label={t('common.close')}>×</button>
        </header>
        {children}
      </div>
    </div>
  );
}

const KEYS: [string, MessageKey][] = [
  ['A / Enter', 'help.approve'],
  ['1 – 9 · 0', 'help.reasons'],
  ['R', 'help.reject'],
  ['T', 'help.return'],
  ['U / Ctrl+Z', 'help.undo'],
  ['J / ↓ · K / ↑', 'help.nextPrev'],
  ['Shift+J · Shift+K', 'help.nextPending'],
  ['Home · End', 'help.firstLast'],
  ['P', 'help.onlyPending'],
  ['E', 'help.onlyFlagged'],
  ['+ / −', 'help.zoom'],
  ['W / H', 'help.fit'],
  ['O (Shift+O)', 'help.rotate'],
  ['Shift+B', 'help.ocrBoxes'],
  ['[ / ]', 'help.docs'],
  [', / .', 'help.pages'],
  ['S · X', 'help.side'],
  ['F', 'help.full'],
  ['B / M', 'help.verdict'],
  ['N', 'help.note'],
  ['/', 'help.search'],
  ['D', 'help.dashboard'],
  ['?', 'help.legend'],
  ['Esc', 'help.escape'],
];

export function HelpDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  return (
    <Modal title={t('help.title')} onClose={onClose} className="help">
      <table className="keys">
        <tbody>
          {KEYS.map(([k, m]) => (
            <tr key={k}>
              <td><kbd>{k}</kbd></td>
              <td>{t(m)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}

const EXCLUDED_ORDER: (keyof BulkExcluded)[] = ['decided', 'conflict', 'findings', 'ocrPending', 'notAssigned', 'notOnList'];

/**
 * 批量通过: the server's rule says how many of the 待审 applicants in the filter it takes and why
 * the others are left out; nothing is approved until the reviewer confirms that number.
 */
export function BulkDialog({ reviewer, preview, onConfirm, onClose }: { reviewer: string; preview: () => Promise<BulkPreview>; onConfirm: () => void; onClose: () => void }): React.JSX.Element {
  const [p, setP] = useState<BulkPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!reviewer) return;
    let live = true;
    preview().then((v) => live && setP(v), (e: unknown) => live && setError(e instanceof ApiFailure || e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [preview, reviewer]);
  const excluded = p ? EXCLUDED_ORDER.filter((k) => p.excluded[k] > 0) : [];
  return (
    <Modal title={t('queue.bulkTitle')} onClose={onClose} className="confirm bulk-dialog">
      {!reviewer ? (
        <p data-testid="confirm-text">{t('decision.needReviewer')}</p>
      ) : error ? (
        <p className="banner error">{error}</p>
      ) : !p ? (
        <p>{t('queue.bulkChecking')}</p>
      ) : (
        <>
          <p data-testid="confirm-text">{p.eligible > 0 ? t('queue.bulkWill', { n: fmtNum(p.eligible) }) : t('queue.bulkNone')}</p>
          {excluded.length > 0 && (
            <>
              <p>{t('queue.bulkLeftOut')}</p>
              <ul data-testid="bulk-excluded">
                {excluded.map((k) => <li key={k}>{t(`bulk.excluded.${k}` as MessageKey, { n: fmtNum(p.excluded[k]) })}</li>)}
              </ul>
            </>
          )}
        </>
      )}
      <div className="modal-actions">
        <button type="button" onClick={onClose}>{t('common.cancel')}</button>
        {p && p.eligible > 0 && <button type="button" className="btn approve" data-testid="confirm" autoFocus onClick={onConfirm}>{t('queue.bulkApproveN', { n: fmtNum(p.eligible) })}</button>}
      </div>
    </Modal>
  );
}

function Bar({ done, total }: { done: number; total: number }): React.JSX.Element {
  const p = total ? done / total : 0;
  return (
    <span className="bar" title={t('dashboard.progress', { p: fmtNum(p, true) })}>
      <span style={{ width: `${p * 100}%` }} />
    </span>
  );
}

export function DashboardDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const [d, setD] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [own, setOwn] = useState('');
  const load = (): void => {
    call('review.dashboard', {}).then((v) => {
      setD(v);
      setOwn(v.deadline === v.rulesDeadline ? '' : v.deadline);
    }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(load, []);
  // The college's own earlier date (DateField: YYYY-MM-DD, no locale picker); empty goes back to the rules' deadline.
  const saveDeadline = (value: string): void => {
    call('review.prefs.set', { key: 'deadline', value }).then(load, (e: unknown) => setError(String(e)));
  };
  return (
    <Modal title={t('dashboard.title')} onClose={onClose} className="dashboard">
      {error && <div className="banner error">{error}</div>}
      {!d ? (
        <p>{t('viewer.loading')}</p>
      ) : (
        <div className="dash">
          <section className="dash-head">
            <div><b>{fmtNum(d.total)}</b><span>{t('dashboard.total')}</span></div>
            <div><b>{fmtNum(d.total - d.byStatus.pending - d.byStatus.conflict)}</b><span>{t('dashboard.decided')}（{fmtNum(d.total ? (d.total - d.byStatus.pending - d.byStatus.conflict) / d.total : 0, true)}）</span></div>
            <div><b>{fmtNum(d.todayDecisions)}</b><span>{t('dashboard.today')}</span></div>
            <div><b>{d.pacePerDay === null ? '—' : t('dashboard.perDay', { n: fmtNum(d.pacePerDay) })}</b><span>{t('dashboard.pace')}</span></div>
          </section>
          <section className="dash-time">
            <div data-testid="deadline">
              {t('dashboard.deadline')}：<b>{fmtDate(d.deadline)}</b>
              <span className="muted"> {d.deadline === d.rulesDeadline ? t('dashboard.fromRules', { year: d.rulesYear }) : t('dashboard.ownDeadline', { date: fmtDate(d.rulesDeadline), year: d.rulesYear })}</span>
            </div>
            <label>
              {t('dashboard.ownLabel')}
              <DateField value={own} onCommit={saveDeadline} label={t('dashboard.ownLabel')} placeholder={t('dashboard.datePlaceholder')} allowEmpty />
            </label>
            <div>
              {t('dashboard.projected')}：<b data-testid="projected">{d.projectedFinish ? fmtDate(d.projectedFinish) : t('dashboard.noPace')}</b>
              {d.onTrack !== null && <span className={d.onTrack ? 'ok' : 'bad'}> · {d.onTrack ? t('dashboard.onTrack') : t('dashboard.late')}</span>}
            </div>
          </section>
          <table className="grid">
            <thead>
              <tr><th>{t('dashboard.category')}</th>{DECISION_STATUSES.map((s) => <th key={s}>{statusLabel(s)}</th>)}<th /></tr>
            </thead>
            <tbody>
              {d.byCategory.filter((c) => Object.values(c.counts).some((n) => n > 0)).map((c) => {
                const total = DECISION_STATUSES.reduce((n, s) => n + c.counts[s], 0);
                return (
                  <tr key={c.category}>
                    <td>{categoryLabel(c.category)}</td>
                    {DECISION_STATUSES.map((s) => <td key={s} className={s === 'conflict' && c.counts.conflict > 0 ? 'bad' : undefined}>{fmtNum(c.counts[s])}</td>)}
                    <td><Bar done={total - c.counts.pending - c.counts.conflict} total={total} /></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {d.assignments.length > 0 && (
            <table className="grid" data-testid="dash-shares">
              <thead><tr><th>{t('team.reviewer')}</th><th>{t('team.assignedN')}</th><th>{t('team.decidedN')}</th><th /></tr></thead>
              <tbody>
                {d.assignments.map((s) => <tr key={s.reviewer}><td>{s.reviewer}</td><td>{fmtNum(s.assigned)}</td><td>{fmtNum(s.decided)}</td><td><Bar done={s.decided} total={s.assigned} /></td></tr>)}
              </tbody>
            </table>
          )}
          {d.byReviewer.length > 0 && (
            <table className="grid">
              <thead><tr><th>{t('dashboard.reviewer')}</th><th>{t('dashboard.decided')}</th><th>{t('dashboard.today')}</th></tr></thead>
              <tbody>
                {d.byReviewer.map((r) => <tr key={r.reviewer}><td>{r.reviewer}</td><td>{fmtNum(r.decided)}</td><td>{fmtNum(r.today)}</td></tr>)}
              </tbody>
            </table>
          )}
          <section className="blockers">
            <h3>{t('dashboard.blockers')}</h3>
            {d.blockers.undecided === 0 && !d.blockers.conflicts && !d.blockers.flagged && !d.blockers.changedSinceDecided ? (
              <p className="ok">{t('dashboard.noBlockers')}</p>
            ) : (
              <ul>
                {d.blockers.undecided > 0 && <li>{t('dashboard.undecided', { n: fmtNum(d.blockers.undecided) })}</li>}
                {d.blockers.conflicts > 0 && <li className="bad" data-testid="dash-conflicts">{t('dashboard.conflicts', { n: fmtNum(d.blockers.conflicts) })}</li>}
                {!!d.blockers.flagged && <li>{t('dashboard.flagged', { n: fmtNum(d.blockers.flagged) })}</li>}
                {!!d.blockers.changedSinceDecided && <li>{t('dashboard.changedN', { n: fmtNum(d.blockers.changedSinceDecided) })}</li>}
              </ul>
            )}
          </section>
        </div>
      )}
    </Modal>
  );
}

/**
 * The catalogue, editable by a supervisor or an admin. A reviewer sees it read-only with a hint;
 * the service refuses a reviewer's save anyway (supervisor_only), this only spares the attempt.
 */
export function ReasonsDialog({ editor, canEdit, onClose, onSaved }: { editor: string; canEdit: boolean; onClose: () => void; onSaved: () => void }): React.JSX.Element {
  const [rows, setRows] = useState<ReasonEntry[] | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    call('review.reasons.catalogue', {}).then(setRows, (e: unknown) => setMessage({ kind: 'error', text: String(e) }));
  }, []);
  const patch = (i: number, p: Partial<ReasonEntry>): void => setRows((rs) => rs && rs.map((r, j) => (j === i ? { ...r, ...p } : r)));
  const save = (): void => {
    if (!rows) return;
    if (!editor.trim()) return setMessage({ kind: 'error', text: t('decision.needReviewer') });
    call('review.reasons.save', { reasons: rows, editor: editor.trim() }).then(
      (saved) => {
        setRows(saved);
        setMessage({ kind: 'ok', text: t('reasons.saved') });
        onSaved();
      },
      (e: unknown) => setMessage({ kind: 'error', text: e instanceof ApiFailure ? e.message : String(e) }),
    );
  };
  return (
    <Modal title={t('reasons.title')} onClose={onClose} className="reasons-editor">
      {!canEdit && <p className="banner warn" data-testid="reasons-readonly">{t('reasons.supervisorOnly')}</p>}
      {!rows ? (
        <p>{t('viewer.loading')}</p>
      ) : (
        <>
          <table className="grid">
            <thead><tr><th>{t('reasons.code')}</th><th>{t('reasons.label')}</th><th>{t('reasons.categories')}</th><th>{t('reasons.retired')}</th></tr></thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} className={r.retired ? 'retired' : ''}>
                  <td><input value={r.code} aria-label={t('reasons.code')} readOnly={!canEdit} onChange={(e) => patch(i, { code: e.target.value })} size={14} /></td>
                  <td><input value={r.label} aria-label={t('reasons.label')} readOnly={!canEdit} onChange={(e) => patch(i, { label: e.target.value })} size={24} /></td>
                  <td className="cats">
                    {CATEGORIES.map((c) => (
                      <label key={c.code} title={categoryLabel(c.code)}>
                        <input
                          type="checkbox"
                          checked={r.categories.includes(c.code)}
                          disabled={!canEdit}
                          onChange={(e) => patch(i, { categories: e.target.checked ? [...r.categories, c.code] : r.categories.filter((x: CategoryCode) => x !== c.code) })}
                        />
                        {categoryLabel(c.code).slice(0, 4)}
                      </label>
                    ))}
                  </td>
                  <td><input type="checkbox" aria-label={t('reasons.retired')} checked={r.retired} disabled={!canEdit} onChange={(e) => patch(i, { retired: e.target.checked })} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="modal-actions">
            {canEdit && <button type="button" onClick={() => setRows((rs) => rs && [...rs, { code: `custom_${rs.length + 1}`, label: '', categories: [], retired: false }])}>{t('reasons.add')}</button>}
            <span className="spacer" />
            {message && <span className={`message ${message.kind}`} role="status">{message.text}</span>}
            {canEdit && <button type="button" className="btn approve" onClick={save}>{t('common.save')}</button>}
          </div>
        </>
      )}
    </Modal>
  );
}

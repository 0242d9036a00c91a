/**
 * 冲突: applicants two PCs decided differently at the same time. Both heads side by side, each
 * named by its reviewer and the PC it was decided on, and a supervisor's ruling (decision +
 * reason + note) that supersedes them; the ruling is an event like any other, so it travels to
 * the other PCs with the next sync.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ConflictItem, HistoryEntry } from '../../../shared/api/index.js';
import { DECISIONS, decisionNeedsReason, type Decision, type Reason } from '../../../shared/domain.js';
import { ApiFailure, call } from '../api.js';
import { categoryLabel, fmtDateTime, statusLabel, t } from '../i18n.js';

const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));

function Head({ n, h, reasonLabel }: { n: number; h: HistoryEntry; reasonLabel: (c: string) => string }): React.JSX.Element {
  return (
    <div className="conflict-head" data-reviewer={h.reviewer}>
      <h4>{t('conf.head', { n })}</h4>
      <dl>
        <dt>{t('conf.reviewer')}</dt><dd>{h.reviewer}</dd>
        <dt>{t('conf.pc')}</dt><dd data-pc={h.pcName} title={h.origin}>{h.pcName}</dd>
        <dt>{t('conf.time')}</dt><dd>{fmtDateTime(h.at)}</dd>
        <dt>{t('conf.decision')}</dt><dd className={`decision ${h.decision ?? ''}`}>{h.decision ? statusLabel(h.decision) : '—'}</dd>
        <dt>{t('conf.reasons')}</dt><dd>{h.reasons.length ? h.reasons.map(reasonLabel).join('；') : '—'}</dd>
        <dt>{t('conf.note')}</dt><dd>{h.note || '—'}</dd>
      </dl>
    </div>
  );
}

function ResolveForm({ item, reasons, by, onResolved }: { item: ConflictItem; reasons: Reason[]; by: string; onResolved: () => void }): React.JSX.Element {
  const [decision, setDecision] = useState<Decision>('approve');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [supervisor, setSupervisor] = useState(by);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const applicable = reasons.filter((r) => r.categories.length === 0 || r.categories.includes(item.category));
  const needsReason = decisionNeedsReason(decision);
  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call('conflicts.resolve', {
        idNumber: item.idNumber, decision, reasons: reason ? [reason] : [], note, ...(supervisor.trim() ? { by: supervisor.trim() } : {}),
      });
      onResolved();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="conflict-resolve" onSubmit={(e) => void submit(e)}>
      <label>
        {t('conf.resolveAs')}
        <select data-testid="resolve-decision" value={decision} onChange={(e) => setDecision(e.target.value as Decision)}>
          {DECISIONS.map((d) => <option key={d} value={d}>{statusLabel(d)}</option>)}
        </select>
      </label>
      <label>
        {t('conf.reason')}
        <select data-testid="resolve-reason" value={reason} onChange={(e) => setReason(e.target.value)} required={needsReason}>
          <option value="">—</option>
          {applicable.map((r) => <option key={r.code} value={r.code}>{r.label}</option>)}
        </select>
      </label>
      <label>
        {t('conf.note')}
        <input data-testid="resolve-note" value={note} placeholder={t('conf.reasonPlaceholder')} onChange={(e) => setNote(e.target.value)} />
      </label>
      <label>
        {t('conf.by')}
        <input data-testid="resolve-by" value={supervisor} onChange={(e) => setSupervisor(e.target.value)} />
      </label>
      <button type="submit" disabled={busy || (needsReason && !reason)}>{t('conf.save')}</button>
      {error && <p className="sync-msg bad" role="alert">{t('common.failed', { message: error })}</p>}
    </form>
  );
}

/** `canResolve`: a 复核人 or an admin (the service refuses anyone else's ruling); a reviewer sees both sides only. */
export function ConflictsPanel({ by, canResolve = true, onCount, onResolved }: { by: string; canResolve?: boolean; onCount: (n: number) => void; onResolved: () => void }): React.JSX.Element {
  const [items, setItems] = useState<ConflictItem[] | null>(null);
  const [reasons, setReasons] = useState<Reason[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = useCallback(() => {
    call('conflicts.list', {}).then(
      (list) => {
        setItems(list);
        onCount(list.length);
      },
      (e: unknown) => setError(message(e)),
    );
  }, [onCount]);
  useEffect(load, [load]);
  useEffect(() => {
    call('reasons.list', {}).then(setReasons, (e: unknown) => setError(message(e)));
  }, []);
  const labels = useMemo(() => new Map(reasons.map((r) => [r.code, r.label])), [reasons]);
  const reasonLabel = (c: string): string => labels.get(c) ?? c;

  if (error) return <p className="sync-msg bad" role="alert">{t('common.failed', { message: error })}</p>;
  if (!items) return <p className="muted">…</p>;
  return (
    <div className="conflicts">
      {done && <p className="sync-msg ok" role="status">{t('conf.saved', { name: done })}</p>}
      {items.length === 0 && <p className="muted" data-testid="conflicts-empty">{t('conf.empty')}</p>}
      {items.map((it) => (
        <article key={it.idNumber} className="conflict" data-id={it.idNumber}>
          <h3>{it.name} · {it.idMasked} · {categoryLabel(it.category)}</h3>
          <div className="conflict-heads">
            {it.heads.map((h, i) => <Head key={h.eventId} n={i + 1} h={h} reasonLabel={reasonLabel} />)}
          </div>
          {canResolve ? (
            <ResolveForm
              item={it}
              reasons={reasons}
              by={by}
              onResolved={() => {
                setDone(it.name);
                onResolved();
                load();
              }}
            />
          ) : (
            <p className="muted" data-testid="resolve-supervisor-only">{t('conf.supervisorOnly')}</p>
          )}
        </article>
      ))}
    </div>
  );
}

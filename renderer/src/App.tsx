/**
 * The desk's first screen: the queue on the left; the applicant's declared data, the scans and
 * the decision bar on the right.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApplicantDetail, ApplicantSummary, WorkspaceInfo } from '../../shared/api/index.js';
import { CATEGORIES, CATEGORY_FIELDS, DECISIONS, type CategoryCode, type Decision, type DecisionStatus, type DeclaredField, type Reason } from '../../shared/domain.js';
import { ApiFailure, call } from './api.js';
import { DocViewer } from './DocViewer.js';
import { categoryLabel, docLabel, fieldLabel, setLang, statusLabel, t, useLang } from './i18n.js';

const BASIC_FIELDS: DeclaredField[] = ['name', 'sex', 'idNumber', 'phone', 'category', 'school', 'major', 'gradYear'];

export function App(): React.JSX.Element {
  const lang = useLang();
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  const [rows, setRows] = useState<ApplicantSummary[]>([]);
  const [category, setCategory] = useState<CategoryCode | ''>('');
  const [status, setStatus] = useState<DecisionStatus | ''>('');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | null>(() => localStorage.getItem('desk.selected'));
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const list = await call('applicants.list', {
        ...(category ? { category } : {}),
        ...(status ? { status } : {}),
        ...(search.trim() ? { search: search.trim() } : {}),
      });
      setRows(list);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : String(e));
    }
  }, [category, status, search]);

  useEffect(() => {
    call('workspace.info', {}).then(setInfo, (e: unknown) => setError(String(e)));
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  useEffect(() => {
    if (selected) localStorage.setItem('desk.selected', selected);
  }, [selected]);

  const index = rows.findIndex((r) => r.idNumber === selected);
  const move = useCallback(
    (delta: number) => {
      if (rows.length === 0) return;
      const next = rows[Math.min(rows.length - 1, Math.max(0, (index < 0 ? -1 : index) + delta))];
      if (next) setSelected(next.idNumber);
    },
    [rows, index],
  );

  return (
    <div className="app" lang={lang}>
      <header className="topbar">
        <h1>{t('app.title')}</h1>
        <span className="subtitle">{info ? `${info.college} · ${t('app.subtitle')}` : t('app.subtitle')}</span>
        <span className="spacer" />
        <span className="hint">{t('keys.hint')}</span>
        <button type="button" className="lang" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>{t('app.lang')}</button>
      </header>
      {error && <div className="banner error" role="alert">{t('error.load', { message: error })}</div>}
      <main className="layout">
        <aside className="queue">
          <input className="search" type="search" placeholder={t('queue.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
          <div className="filters">
            <select aria-label="category" value={category} onChange={(e) => setCategory(e.target.value as CategoryCode | '')}>
              <option value="">{t('queue.allCategories')}</option>
              {CATEGORIES.map((c) => <option key={c.code} value={c.code}>{categoryLabel(c.code)}</option>)}
            </select>
            <select aria-label="status" value={status} onChange={(e) => setStatus(e.target.value as DecisionStatus | '')}>
              <option value="">{t('queue.allStatus')}</option>
              {(['pending', ...DECISIONS] as DecisionStatus[]).map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
            </select>
          </div>
          <div className="count">{t('queue.count', { n: rows.length })}</div>
          <ul className="queue-list" role="listbox">
            {rows.length === 0 && <li className="empty">{t('queue.empty')}</li>}
            {rows.map((r) => (
              <li
                key={r.idNumber}
                role="option"
                aria-selected={r.idNumber === selected}
                className={r.idNumber === selected ? 'selected' : ''}
                data-id-masked={r.idMasked}
                onClick={() => setSelected(r.idNumber)}
              >
                <span className="name">{r.name}</span>
                <span className="id">{r.idMasked}</span>
                <span className="cat">{categoryLabel(r.category)}</span>
                <span className={`status status-${r.status}`}>{statusLabel(r.status)}</span>
              </li>
            ))}
          </ul>
        </aside>
        <section className="detail">
          {selected ? (
            <ApplicantView key={selected} idNumber={selected} onDecided={reload} onMove={move} />
          ) : (
            <div className="placeholder">{t('applicant.none')}</div>
          )}
        </section>
      </main>
    </div>
  );
}

function ApplicantView({ idNumber, onDecided, onMove }: { idNumber: string; onDecided: () => Promise<void>; onMove: (d: number) => void }): React.JSX.Element {
  const [detail, setDetail] = useState<ApplicantDetail | null>(null);
  const [reasons, setReasons] = useState<Reason[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [reviewer, setReviewer] = useState(() => localStorage.getItem('desk.reviewer') ?? '');
  const [docIndex, setDocIndex] = useState(0);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const load = useCallback(async () => {
    const d = await call('applicants.get', { idNumber });
    setDetail(d);
    setReasons(await call('reasons.list', { category: d.declared.category }));
  }, [idNumber]);

  useEffect(() => {
    load().catch((e: unknown) => setMessage({ kind: 'error', text: e instanceof Error ? e.message : String(e) }));
  }, [load]);

  const decide = useCallback(
    async (decision: Decision, advance: boolean) => {
      if (!reviewer.trim()) return setMessage({ kind: 'error', text: t('decision.needReviewer') });
      if (decision !== 'approve' && picked.length === 0) return setMessage({ kind: 'error', text: t('decision.needReason') });
      try {
        localStorage.setItem('desk.reviewer', reviewer.trim());
        const res = await call('decisions.record', { idNumber, decision, reasons: decision === 'approve' ? [] : picked, note, reviewer: reviewer.trim() });
        setMessage({ kind: 'ok', text: t('decision.saved', { decision: statusLabel(res.status) }) });
        await load();
        await onDecided();
        if (advance) onMove(1);
      } catch (e) {
        setMessage({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
      }
    },
    [idNumber, picked, note, reviewer, load, onDecided, onMove],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) return;
      if (e.key === 'a' || e.key === 'A') void decide('approve', true);
      else if (e.key === 'j') onMove(1);
      else if (e.key === 'k') onMove(-1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [decide, onMove]);

  const doc = detail?.documents[docIndex] ?? detail?.documents[0];
  const catFields = useMemo(() => (detail ? CATEGORY_FIELDS[detail.declared.category] : []), [detail]);
  if (!detail) return <div className="placeholder">{message ? message.text : t('viewer.loading')}</div>;
  const d = detail.declared;
  const value = (f: DeclaredField): string => (f === 'category' ? categoryLabel(d.category) : String(d[f] ?? ''));

  return (
    <div className="applicant">
      <div className="declared">
        <h2>
          {d.name} <span className={`status status-${detail.status}`} data-testid="current-status">{statusLabel(detail.status)}</span>
        </h2>
        {detail.withdrawn && <div className="banner warn">{t('applicant.withdrawn')}</div>}
        <h3>{t('applicant.basic')}</h3>
        <dl>
          {BASIC_FIELDS.map((f) => (
            <div key={f} className="field"><dt>{fieldLabel(f)}</dt><dd data-field={f}>{value(f) || '—'}</dd></div>
          ))}
        </dl>
        {catFields.length > 0 && (
          <>
            <h3>{t('applicant.categoryFields')}</h3>
            <dl>
              {catFields.map((f) => (
                <div key={f} className="field"><dt>{fieldLabel(f)}</dt><dd data-field={f}>{value(f) || '—'}</dd></div>
              ))}
            </dl>
          </>
        )}
        <h3>{t('applicant.history')}</h3>
        {detail.history.length === 0 ? (
          <p className="muted">{t('applicant.noHistory')}</p>
        ) : (
          <ol className="history">
            {detail.history.map((h) => (
              <li key={h.id}>
                <b>{statusLabel(h.decision)}</b> · {h.reviewer} · {new Date(h.at).toLocaleString('zh-CN')}
                {h.reasons.length > 0 && <> · {h.reasons.map((c) => reasons.find((r) => r.code === c)?.label ?? c).join('、')}</>}
                {h.note && <> · {h.note}</>}
              </li>
            ))}
          </ol>
        )}
      </div>
      <div className="docs">
        <div className="doc-tabs" role="tablist">
          {detail.documents.map((x, i) => (
            <button key={x.id} type="button" role="tab" aria-selected={x === doc} className={x === doc ? 'active' : ''} onClick={() => setDocIndex(i)}>
              {docLabel(x.kind)}
            </button>
          ))}
        </div>
        {doc ? <DocViewer doc={doc} /> : <div className="viewer-msg">{t('applicant.noDocuments')}</div>}
      </div>
      <div className="decision-bar">
        <div className="reasons" aria-label={t('decision.reasons')}>
          {reasons.map((r, i) => (
            <label key={r.code}>
              <input
                type="checkbox"
                value={r.code}
                checked={picked.includes(r.code)}
                onChange={(e) => setPicked((p) => (e.target.checked ? [...p, r.code] : p.filter((c) => c !== r.code)))}
              />
              {i + 1}. {r.label}
            </label>
          ))}
        </div>
        <div className="decision-row">
          <input className="reviewer" aria-label={t('decision.reviewer')} placeholder={t('decision.reviewerPlaceholder')} value={reviewer} onChange={(e) => setReviewer(e.target.value)} />
          <input className="note" aria-label={t('decision.note')} placeholder={t('decision.note')} value={note} onChange={(e) => setNote(e.target.value)} />
          <button type="button" className="btn approve" onClick={() => void decide('approve', true)}>{t('decision.approve')}</button>
          <button type="button" className="btn reject" onClick={() => void decide('reject', false)}>{t('decision.reject')}</button>
          <button type="button" className="btn return" onClick={() => void decide('return', false)}>{t('decision.return')}</button>
        </div>
        {message && <div className={`message ${message.kind}`} role="status">{message.text}</div>}
      </div>
    </div>
  );
}

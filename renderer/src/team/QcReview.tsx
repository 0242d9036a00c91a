/**
 * 抽检 — the blind second review: the drawn applicants, one at a time, with their declared data
 * and scans but never the first decision, its reviewer or its reasons (the queue of the service
 * carries none, and this pane shows nothing of the history the applicant call also returns). Only
 * after the second decision is saved does the desk say whether the two agreed.
 */
import { useCallback, useEffect, useState } from 'react';
import type { QcItem, ReviewApplicant } from '../../../shared/api/index.js';
import { DECISIONS, decisionNeedsReason, type Decision } from '../../../shared/domain.js';
import { ApiFailure, call } from '../api.js';
import { DocViewer } from '../DocViewer.js';
import { categoryLabel, docLabel, fieldLabel, fmtNum, statusLabel, t } from '../i18n.js';

const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));

const SHOWN_FIELDS = ['name', 'idNumber', 'category', 'school', 'major', 'gradYear'] as const;

export function QcReview({ by, accountsEnabled, onRecorded }: { by: string; accountsEnabled: boolean; onRecorded: () => void }): React.JSX.Element {
  const [items, setItems] = useState<QcItem[] | null>(null);
  const [current, setCurrent] = useState<string | null>(null);
  const [data, setData] = useState<ReviewApplicant | null>(null);
  const [doc, setDoc] = useState(0);
  const [decision, setDecision] = useState<Decision>('approve');
  const [picked, setPicked] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(() => {
    call('qc.queue', {}).then(
      (list) => {
        setItems(list);
        setCurrent((c) => (c && list.some((x) => x.idNumber === c) ? c : (list[0]?.idNumber ?? null)));
      },
      (e: unknown) => setMsg({ ok: false, text: message(e) }),
    );
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    setData(null);
    setDoc(0);
    setDecision('approve');
    setPicked([]);
    setNote('');
    if (current) call('review.applicant', { idNumber: current }).then(setData, (e: unknown) => setMsg({ ok: false, text: message(e) }));
  }, [current]);

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (!current) return;
    const name = items?.find((x) => x.idNumber === current)?.name ?? '';
    try {
      const r = await call('qc.record', {
        idNumber: current, decision, reasons: decision === 'approve' ? [] : picked, note,
        ...(!accountsEnabled && by.trim() ? { by: by.trim() } : {}),
      });
      setMsg({ ok: true, text: t(r.agreed ? 'qc.agreed' : 'qc.disagreed', { name }) });
      setCurrent(null);
      load();
      onRecorded();
    } catch (err) {
      setMsg({ ok: false, text: t('common.failed', { message: message(err) }) });
    }
  };

  const d = data?.detail.declared;
  const docs = data?.detail.documents ?? [];
  const shown = docs[doc];
  return (
    <div className="qc-review" data-testid="qc-review">
      {msg && <p className={`sync-msg ${msg.ok ? 'ok' : 'bad'}`} role={msg.ok ? 'status' : 'alert'}>{msg.text}</p>}
      {items === null ? <p className="muted">{t('viewer.loading')}</p> : items.length === 0 ? <p className="muted" data-testid="qc-empty">{t('qc.empty')}</p> : (
        <div className="qc-layout">
          <ul className="qc-list" aria-label={t('team.blindQueue')}>
            <li className="muted">{t('qc.count', { n: fmtNum(items.length) })}</li>
            {items.map((q) => (
              <li key={q.idNumber}>
                <button type="button" className={q.idNumber === current ? 'on' : ''} data-id-masked={q.idMasked} onClick={() => setCurrent(q.idNumber)}>
                  {q.name}<span className="muted"> {q.idMasked} · {categoryLabel(q.category)}</span>
                </button>
              </li>
            ))}
          </ul>
          {d && data ? (
            <div className="qc-pane">
              <div className="qc-side">
                <dl className="qc-declared">
                  {SHOWN_FIELDS.map((f) => (
                    <div key={f} className="field"><dt>{fieldLabel(f)}</dt><dd>{f === 'category' ? categoryLabel(d.category) : String(d[f] ?? '') || '—'}</dd></div>
                  ))}
                </dl>
                <form className="team-form qc-form" onSubmit={(e) => void submit(e)} data-testid="qc-form">
                  {DECISIONS.map((x) => (
                    <label key={x}><input type="radio" name="qc-decision" value={x} checked={decision === x} onChange={() => setDecision(x)} />{statusLabel(x)}</label>
                  ))}
                  {decision !== 'approve' && (
                    <span className="qc-reasons">
                      {data.reasons.map((r) => (
                        <label key={r.code}>
                          <input type="checkbox" checked={picked.includes(r.code)} onChange={(e) => setPicked((p) => (e.target.checked ? [...p, r.code] : p.filter((c) => c !== r.code)))} />
                          {r.label}
                        </label>
                      ))}
                    </span>
                  )}
                  <label>{t('conf.note')}<input value={note} onChange={(e) => setNote(e.target.value)} /></label>
                  <button type="submit" data-testid="qc-submit" disabled={decisionNeedsReason(decision) && picked.length === 0}>{t('qc.save')}</button>
                </form>
              </div>
              <div className="qc-docs">
                <div className="doc-tabs" role="tablist">
                  {docs.map((x, i) => (
                    <button key={x.id} type="button" role="tab" aria-selected={i === doc} className={i === doc ? 'active' : ''} onClick={() => setDoc(i)}>{docLabel(x.kind)}</button>
                  ))}
                </div>
                <div className="qc-doc">
                  {shown ? <DocViewer key={shown.id} doc={shown} rotation={data.rotations[shown.id] ?? 0} page={1} /> : <div className="viewer-msg">{t('applicant.noDocuments')}</div>}
                </div>
              </div>
            </div>
          ) : (
            <p className="muted">{t('viewer.loading')}</p>
          )}
        </div>
      )}
    </div>
  );
}

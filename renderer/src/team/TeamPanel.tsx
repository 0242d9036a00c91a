/**
 * 团队 (the supervisor's screens): hand out shares of the queue (分配: by category, by row range or
 * the applicants the queue shows now), the 复核 queue of 初审 decisions to confirm or overturn, the
 * QC sample (抽检: draw k %, the blind second review, agreement per first reviewer) and, for
 * admins, the accounts. The desk shows this dialog only to supervisors and admins (or on a desk
 * without accounts); the service refuses every one of these calls to a reviewer anyway.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Account, CollegeSettings, Dashboard, QcAgreement, ReviewItem } from '../../../shared/api/index.js';
import { CATEGORIES, DECISIONS, decisionNeedsReason, type CategoryCode, type Decision, type Reason } from '../../../shared/domain.js';
import { AccountsPanel } from '../admin/AccountsPanel.js';
import { ApiFailure, call } from '../api.js';
import { categoryLabel, fmtDateTime, fmtNum, statusLabel, t, type MessageKey } from '../i18n.js';
import { Modal } from '../review/Dialogs.js';
import { jumpTo } from '../review/jump.js';
import { QcReview } from './QcReview.js';

const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));

export type TeamTab = 'assign' | 'signoff' | 'qc' | 'accounts';

export interface TeamDialogProps {
  /** The acting name on a desk without accounts (with accounts the session acts). */
  by: string;
  accountsEnabled: boolean;
  isAdmin: boolean;
  /** The applicants the queue shows now (its filter and search), for "assign these". */
  selection: string[];
  onChanged: () => void;
  onClose: () => void;
}

/** `by` only where a typed name is the identity (no accounts); a session never takes another name. */
const actingAs = (accountsEnabled: boolean, by: string): { by?: string } => (!accountsEnabled && by.trim() ? { by: by.trim() } : {});

function useReasons(): Reason[] {
  const [reasons, setReasons] = useState<Reason[]>([]);
  useEffect(() => {
    call('reasons.list', {}).then(setReasons, () => undefined);
  }, []);
  return reasons;
}

function Msg({ msg }: { msg: { ok: boolean; text: string } | null }): React.JSX.Element | null {
  if (!msg) return null;
  return <p className={`sync-msg ${msg.ok ? 'ok' : 'bad'}`} role={msg.ok ? 'status' : 'alert'}>{msg.text}</p>;
}

function AssignTab({ by, accountsEnabled, selection, onChanged }: Pick<TeamDialogProps, 'by' | 'accountsEnabled' | 'selection' | 'onChanged'>): React.JSX.Element {
  const [people, setPeople] = useState<Account[]>([]);
  const [reviewer, setReviewer] = useState('');
  const [mode, setMode] = useState<'selection' | 'category' | 'rows'>('selection');
  const [category, setCategory] = useState<CategoryCode>('veteran');
  const [fromRow, setFromRow] = useState('');
  const [toRow, setToRow] = useState('');
  const [shares, setShares] = useState<Dashboard['assignments'] | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const load = useCallback(() => {
    call('review.dashboard', {}).then((d) => setShares(d.assignments), (e: unknown) => setMsg({ ok: false, text: message(e) }));
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    if (accountsEnabled) call('accounts.list', {}).then(setPeople, (e: unknown) => setMsg({ ok: false, text: message(e) }));
  }, [accountsEnabled]);
  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    setMsg(null);
    const scope = mode === 'category' ? { category } : mode === 'rows' ? { fromRow: Number(fromRow), toRow: Number(toRow) } : { idNumbers: selection };
    try {
      const r = await call('assignments.set', { reviewer: reviewer.trim(), ...scope, ...actingAs(accountsEnabled, by) });
      setMsg({ ok: true, text: r.reviewer ? t('team.assigned', { n: fmtNum(r.assigned), name: r.reviewer }) : t('team.unassigned', { n: fmtNum(r.assigned) }) });
      load();
      onChanged();
    } catch (err) {
      setMsg({ ok: false, text: t('common.failed', { message: message(err) }) });
    }
  };
  const rowsOk = mode !== 'rows' || (/^\d+$/.test(fromRow) && /^\d+$/.test(toRow) && Number(fromRow) <= Number(toRow));
  return (
    <section className="team-tab" data-tab="assign">
      <form className="team-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('team.to')}
          {accountsEnabled ? (
            <select data-testid="assign-reviewer" value={reviewer} onChange={(e) => setReviewer(e.target.value)}>
              <option value="">{t('team.nobody')}</option>
              {people.map((p) => <option key={p.name} value={p.name}>{p.name}（{t(`acct.role.${p.role}` as MessageKey)}）</option>)}
            </select>
          ) : (
            <input data-testid="assign-reviewer" value={reviewer} placeholder={t('team.namePlaceholder')} onChange={(e) => setReviewer(e.target.value)} />
          )}
        </label>
        <fieldset className="team-scope">
          <legend>{t('team.which')}</legend>
          <label>
            <input type="radio" name="scope" checked={mode === 'selection'} onChange={() => setMode('selection')} data-testid="scope-selection" />
            {t('team.scopeSelection', { n: fmtNum(selection.length) })}
          </label>
          <label>
            <input type="radio" name="scope" checked={mode === 'category'} onChange={() => setMode('category')} data-testid="scope-category" />
            {t('team.scopeCategory')}
            <select value={category} disabled={mode !== 'category'} onChange={(e) => setCategory(e.target.value as CategoryCode)}>
              {CATEGORIES.map((c) => <option key={c.code} value={c.code}>{categoryLabel(c.code)}</option>)}
            </select>
          </label>
          <label>
            <input type="radio" name="scope" checked={mode === 'rows'} onChange={() => setMode('rows')} data-testid="scope-rows" />
            {t('team.scopeRows')}
            <input className="row-no" inputMode="numeric" value={fromRow} disabled={mode !== 'rows'} aria-label={t('team.fromRow')} onChange={(e) => setFromRow(e.target.value.trim())} />
            –
            <input className="row-no" inputMode="numeric" value={toRow} disabled={mode !== 'rows'} aria-label={t('team.toRow')} onChange={(e) => setToRow(e.target.value.trim())} />
          </label>
        </fieldset>
        <button type="submit" data-testid="assign-submit" disabled={!rowsOk || (mode === 'selection' && selection.length === 0)}>
          {reviewer ? t('team.assign') : t('team.unassign')}
        </button>
      </form>
      <Msg msg={msg} />
      <h3>{t('team.shares')}</h3>
      {shares === null ? <p className="muted">{t('viewer.loading')}</p> : shares.length === 0 ? <p className="muted">{t('team.noShares')}</p> : (
        <table className="grid" data-testid="shares">
          <thead><tr><th>{t('team.reviewer')}</th><th>{t('team.assignedN')}</th><th>{t('team.decidedN')}</th></tr></thead>
          <tbody>{shares.map((s) => <tr key={s.reviewer}><td>{s.reviewer}</td><td>{fmtNum(s.assigned)}</td><td>{fmtNum(s.decided)}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}

function OverturnForm({ item, reasons, by, accountsEnabled, onDone }: { item: ReviewItem; reasons: Reason[]; by: string; accountsEnabled: boolean; onDone: (text: string) => void }): React.JSX.Element {
  const options = DECISIONS.filter((d) => d !== item.decision);
  const [decision, setDecision] = useState<Decision>(options[0] ?? 'reject');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const applicable = reasons.filter((r) => r.categories.length === 0 || r.categories.includes(item.category));
  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    try {
      await call('signoff.record', { idNumber: item.idNumber, verdict: 'overturn', decision, reasons: reason ? [reason] : [], note, ...actingAs(accountsEnabled, by) });
      onDone(t('team.overturned', { name: item.name, decision: statusLabel(decision) }));
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <form className="team-form inline" onSubmit={(e) => void submit(e)} data-testid="overturn-form">
      <label>{t('team.overturnTo')}
        <select value={decision} onChange={(e) => setDecision(e.target.value as Decision)} data-testid="overturn-decision">
          {options.map((d) => <option key={d} value={d}>{statusLabel(d)}</option>)}
        </select>
      </label>
      <label>{t('team.reason')}
        <select value={reason} onChange={(e) => setReason(e.target.value)} required={decisionNeedsReason(decision)} data-testid="overturn-reason">
          <option value="">—</option>
          {applicable.map((r) => <option key={r.code} value={r.code}>{r.label}</option>)}
        </select>
      </label>
      <label>{t('conf.note')}<input value={note} onChange={(e) => setNote(e.target.value)} data-testid="overturn-note" /></label>
      <button type="submit">{t('team.saveOverturn')}</button>
      {error && <span className="bad" role="alert">{error}</span>}
    </form>
  );
}

const SHOWN = 200;

function SignoffTab({ by, accountsEnabled, onChanged }: Pick<TeamDialogProps, 'by' | 'accountsEnabled' | 'onChanged'>): React.JSX.Element {
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const [settings, setSettings] = useState<CollegeSettings | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const reasons = useReasons();
  const labels = useMemo(() => new Map(reasons.map((r) => [r.code, r.label])), [reasons]);
  const load = useCallback(() => {
    call('signoff.pending', {}).then(setItems, (e: unknown) => setMsg({ ok: false, text: message(e) }));
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    call('college.settings.get', {}).then(setSettings, () => undefined);
  }, []);
  const done = (text: string): void => {
    setOpen(null);
    setMsg({ ok: true, text });
    load();
    onChanged();
  };
  const confirm = async (it: ReviewItem): Promise<void> => {
    try {
      await call('signoff.record', { idNumber: it.idNumber, verdict: 'confirm', ...actingAs(accountsEnabled, by) });
      done(t('team.confirmed', { name: it.name, decision: statusLabel(it.decision) }));
    } catch (e) {
      setMsg({ ok: false, text: t('common.failed', { message: message(e) }) });
    }
  };
  return (
    <section className="team-tab" data-tab="signoff">
      {settings && <p className="muted">{settings.signoffRequired ? t('team.signoffRequired') : t('team.signoffOptional')}</p>}
      <Msg msg={msg} />
      {items === null ? <p className="muted">{t('viewer.loading')}</p> : items.length === 0 ? <p className="muted" data-testid="signoff-empty">{t('team.signoffEmpty')}</p> : (
        <>
          <p>{t('team.signoffCount', { n: fmtNum(items.length) })}{items.length > SHOWN ? t('team.firstN', { n: SHOWN }) : ''}</p>
          <table className="grid signoff" data-testid="signoff-list">
            <thead><tr><th>{t('team.applicant')}</th><th>{t('team.first')}</th><th>{t('conf.reasons')}</th><th>{t('team.byWhom')}</th><th /></tr></thead>
            <tbody>
              {items.slice(0, SHOWN).map((it) => (
                <tr key={it.idNumber} data-id-masked={it.idMasked}>
                  <td>
                    <button type="button" className="link" onClick={() => jumpTo(it.idNumber)} title={t('jump.title')}>{it.name}</button>
                    <div className="muted">{it.idMasked} · {categoryLabel(it.category)}</div>
                  </td>
                  <td className={`decision ${it.decision}`}>{statusLabel(it.decision)}</td>
                  <td>{[it.reasons.map((c) => labels.get(c) ?? c).join('、'), it.note].filter(Boolean).join('；') || '—'}</td>
                  <td>{it.reviewer}<div className="muted">{fmtDateTime(it.at)}</div></td>
                  <td className="actions">
                    <button type="button" data-testid="signoff-confirm" onClick={() => void confirm(it)}>{t('team.confirm')}</button>
                    <button type="button" data-testid="signoff-overturn" onClick={() => setOpen(open === it.idNumber ? null : it.idNumber)}>{t('team.overturn')}</button>
                    {open === it.idNumber && <OverturnForm item={it} reasons={reasons} by={by} accountsEnabled={accountsEnabled} onDone={done} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function QcTab({ by, accountsEnabled, onChanged }: Pick<TeamDialogProps, 'by' | 'accountsEnabled' | 'onChanged'>): React.JSX.Element {
  const [percent, setPercent] = useState('10');
  const [agreement, setAgreement] = useState<QcAgreement[] | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [version, setVersion] = useState(0);
  const load = useCallback(() => {
    call('qc.agreement', {}).then(setAgreement, (e: unknown) => setMsg({ ok: false, text: message(e) }));
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    call('college.settings.get', {}).then((s) => s.qcPercent > 0 && setPercent(String(s.qcPercent)), () => undefined);
  }, []);
  const draw = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    try {
      const r = await call('qc.draw', { percent: Number(percent), ...actingAs(accountsEnabled, by) });
      setMsg({ ok: true, text: t('team.drawn', { n: fmtNum(r.drawn) }) });
      setVersion((v) => v + 1);
      load();
    } catch (err) {
      setMsg({ ok: false, text: t('common.failed', { message: message(err) }) });
    }
  };
  const valid = Number(percent) >= 0.1 && Number(percent) <= 100;
  return (
    <section className="team-tab" data-tab="qc">
      <form className="team-form inline" onSubmit={(e) => void draw(e)}>
        <label>{t('team.drawPercent')}
          <input className="row-no" inputMode="decimal" value={percent} onChange={(e) => setPercent(e.target.value.trim())} data-testid="qc-percent" />%
        </label>
        <button type="submit" disabled={!valid} data-testid="qc-draw">{t('team.draw')}</button>
        <span className="muted">{t('team.drawHint')}</span>
      </form>
      <Msg msg={msg} />
      <h3>{t('team.agreement')}</h3>
      {agreement === null ? <p className="muted">{t('viewer.loading')}</p> : agreement.length === 0 ? <p className="muted">{t('team.noQc')}</p> : (
        <table className="grid" data-testid="qc-agreement">
          <thead><tr><th>{t('team.firstReviewer')}</th><th>{t('team.sampled')}</th><th>{t('team.reviewed')}</th><th>{t('team.agreed')}</th><th>{t('team.rate')}</th></tr></thead>
          <tbody>
            {agreement.map((a) => (
              <tr key={a.reviewer} data-reviewer={a.reviewer}>
                <td>{a.reviewer}</td><td>{fmtNum(a.sampled)}</td><td>{fmtNum(a.reviewed)}</td><td>{fmtNum(a.agreed)}</td>
                <td className={a.rate !== null && a.rate < 0.9 ? 'bad' : undefined}>{a.rate === null ? '—' : fmtNum(a.rate, true)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('team.blindQueue')}</h3>
      <QcReview key={version} by={by} accountsEnabled={accountsEnabled} onRecorded={() => { load(); onChanged(); }} />
    </section>
  );
}

const TABS: { id: TeamTab; label: MessageKey }[] = [
  { id: 'assign', label: 'team.tab.assign' },
  { id: 'signoff', label: 'team.tab.signoff' },
  { id: 'qc', label: 'team.tab.qc' },
  { id: 'accounts', label: 'team.tab.accounts' },
];

export function TeamDialog(p: TeamDialogProps): React.JSX.Element {
  const [tab, setTab] = useState<TeamTab>('assign');
  const tabs = TABS.filter((x) => x.id !== 'accounts' || p.isAdmin);
  return (
    <Modal title={t('team.title')} onClose={p.onClose} className="team-dialog">
      <div className="team-tabs" role="tablist">
        {tabs.map((x) => (
          <button key={x.id} type="button" role="tab" aria-selected={tab === x.id} className={tab === x.id ? 'on' : ''} data-tab={x.id} onClick={() => setTab(x.id)}>{t(x.label)}</button>
        ))}
      </div>
      {tab === 'assign' && <AssignTab by={p.by} accountsEnabled={p.accountsEnabled} selection={p.selection} onChanged={p.onChanged} />}
      {tab === 'signoff' && <SignoffTab by={p.by} accountsEnabled={p.accountsEnabled} onChanged={p.onChanged} />}
      {tab === 'qc' && <QcTab by={p.by} accountsEnabled={p.accountsEnabled} onChanged={p.onChanged} />}
      {tab === 'accounts' && p.isAdmin && <AccountsPanel enabled={p.accountsEnabled} />}
    </Modal>
  );
}

/** 抽检 for a reviewer: only the blind queue (the draw and the figures are the supervisor's). */
export function QcDialog({ by, accountsEnabled, onChanged, onClose }: Pick<TeamDialogProps, 'by' | 'accountsEnabled' | 'onChanged' | 'onClose'>): React.JSX.Element {
  return (
    <Modal title={t('team.qcTitle')} onClose={onClose} className="team-dialog">
      <QcReview by={by} accountsEnabled={accountsEnabled} onRecorded={onChanged} />
    </Modal>
  );
}

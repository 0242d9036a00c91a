/**
 * 同步: the two-way exchange through a folder (USB stick / shared folder), the college's LAN hub
 * (HubPanel), the sync status of
 * this PC (its name, the other PCs by name, clock drift either way, forks and how they were
 * repaired, the college's signing key, this PC's enrolment) and the audit-log check. Drift beyond the limit is shown
 * as a warning on purpose: a PC with a wrong date still syncs, but someone must fix it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AuditReport, DriftReport, FileHandleInfo, ForkReport, SyncFolderReport, SyncStatus } from '../../../shared/api/index.js';
import { shortFingerprint } from '../../../shared/fingerprint.js';
import { DEFAULT_MAX_DRIFT_MS } from '../../../shared/sync/hlc.js';
import { ApiFailure, call } from '../api.js';
import { nativeFiles, pickNative, useTypedPaths } from '../files/files.js';
import { mayCall } from '../../../shared/api/roles.js';
import { useAccount } from '../admin/Account.js';
import { EnrolForm, TrustInfo } from './TrustPanel.js';
import { fmtDate, fmtDateTime, fmtNum, t, type MessageKey } from '../i18n.js';
import { HubPanel } from './HubPanel.js';

const FOLDER_KEY = 'desk.syncFolder';
const short = (id: string): string => `${id.slice(0, 8)}…`;
const total = (marks: Record<string, number>): number => Object.values(marks).reduce((a, b) => a + b, 0);
const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));
const LIMIT_MIN = DEFAULT_MAX_DRIFT_MS / 60000;

/** 60 分钟 / 5 小时 / 2 天: a span people read at a glance. */
function span(ms: number): string {
  const min = Math.round(ms / 60000);
  if (min < 120) return `${min} ${t('sync.unit.min')}`;
  const h = Math.round(ms / 3_600_000);
  return h < 48 ? `${h} ${t('sync.unit.hour')}` : `${Math.round(ms / 86_400_000)} ${t('sync.unit.day')}`;
}

function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${fmtNum(n / 1024)} KB` : `${fmtNum(n / 1024 / 1024)} MB`;
}

function Drift({ d }: { d: DriftReport }): React.JSX.Element {
  const pc = d.pcName || short(d.origin);
  return (
    <p className="sync-drift" role="alert" data-direction={d.direction ?? 'ahead'}>
      {d.direction === 'behind'
        ? t('sync.driftBehind', { pc, span: span(d.driftMs), limit: LIMIT_MIN })
        : t('sync.driftWarn', { pc, span: span(d.driftMs), limit: LIMIT_MIN })}
    </p>
  );
}

function Fork({ f }: { f: ForkReport }): React.JSX.Element {
  return (
    <div className={`sync-fork ${f.repaired ? 'ok' : 'bad'}`} data-fork={f.origin} role="status">
      <p>{t('sync.fork', { pc: f.pcName, seq: f.originSeq })} <strong>{f.repaired ? t('sync.forkRepaired') : t('sync.forkOpen')}</strong></p>
      {f.step && <p className="muted">{f.step}</p>}
    </div>
  );
}

function NameForm({ status, onSaved }: { status: SyncStatus; onSaved: () => void }): React.JSX.Element {
  const [name, setName] = useState(status.nameIsDefault ? '' : status.name);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = (e: React.FormEvent): void => {
    e.preventDefault();
    setError(null);
    call('sync.setName', { name: name.trim() }).then(
      (r) => {
        setSaved(r.name);
        onSaved();
      },
      (err: unknown) => setError(message(err)),
    );
  };
  return (
    <form className="sync-name" onSubmit={save}>
      <label>
        {t('sync.name')}
        <input data-testid="sync-name" translate="no" value={name} placeholder={status.nameIsDefault ? status.name : ''} maxLength={60} onChange={(e) => setName(e.target.value)} />
      </label>
      <button type="submit">{t('sync.nameSave')}</button>
      <span className="muted">{t('sync.nameHint')}</span>
      {saved && <p className="sync-msg ok" role="status">{t('sync.nameSaved', { name: saved })}</p>}
      {error && <p className="sync-msg bad" role="alert">{t('common.failed', { message: error })}</p>}
    </form>
  );
}

export function SyncPanel({ onSynced, by = '' }: { onSynced: (conflicts: number) => void; by?: string }): React.JSX.Element {
  const [folder, setFolder] = useState(() => localStorage.getItem(FOLDER_KEY) ?? '');
  // In the window the folder is chosen in a dialog (a handle); a typed path only where the desk
  // takes one (files.policy): the web host's browser has no way to name a folder to write into.
  const [chosen, setChosen] = useState<FileHandleInfo | null>(null);
  const typedPaths = useTypedPaths() === true;
  const acct = useAccount();
  const mayEnrol = mayCall('sync.enrol', acct.enabled, acct.account?.role ?? null);
  // The passphrase is never stored: whoever syncs types the college's passphrase.
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<SyncFolderReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [audit, setAudit] = useState<AuditReport | null>(null);

  const loadStatus = useCallback(() => {
    call('sync.status', {}).then(setStatus, (e: unknown) => setError(message(e)));
  }, []);
  useEffect(loadStatus, [loadStatus]);

  const run = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      if (!chosen) localStorage.setItem(FOLDER_KEY, folder.trim());
      const r = await call('sync.withFolder', { folder: chosen ? { handle: chosen.handle } : folder.trim(), passphrase });
      setReport(r);
      onSynced(r.conflicts);
      loadStatus();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const verify = (): void => {
    setAudit(null);
    call('audit.verify', {}).then(setAudit, (e: unknown) => setError(message(e)));
  };

  return (
    <div className="sync-panel">
      <form onSubmit={(e) => void run(e)}>
        <label>
          {t('sync.folder')}
          {chosen ? (
            <strong data-testid="sync-folder-chosen"> {t('sync.chosenFolder', { name: chosen.name })}</strong>
          ) : typedPaths ? (
            <input data-testid="sync-folder" value={folder} placeholder={t('sync.folderPlaceholder')} onChange={(e) => setFolder(e.target.value)} required />
          ) : (
            !nativeFiles() && <span className="muted" data-testid="sync-folder-unavailable"> {t('sec.notInBrowser')}</span>
          )}
          {nativeFiles() && (
            <button type="button" onClick={() => void pickNative('syncFolder', true).then((h) => h && setChosen(h), (err: unknown) => setError(message(err)))}>
              {t('sync.chooseFolder')}
            </button>
          )}
        </label>
        <label>
          {t('sync.passphrase')}
          <input data-testid="sync-passphrase" type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy || (!chosen && (!typedPaths || !folder.trim())) || !passphrase}>{busy ? t('sync.running') : t('sync.run')}</button>
      </form>
      {error && <p className="sync-msg bad" role="alert">{t('common.failed', { message: error })}</p>}
      {report && (
        <div className="sync-msg ok" role="status" data-written={report.written.bytes}>
          <p>{t('sync.done', { files: report.read.files, read: bytes(report.read.bytes), events: report.read.events, scans: report.read.scans })}</p>
          <p>
            {report.written.files === 0
              ? t('sync.wroteNothing')
              : t('sync.written', { files: report.written.files, bytes: bytes(report.written.bytes), events: report.written.events, scans: report.written.scans })}
          </p>
          {report.unchanged > 0 && <p>{t('sync.unchanged', { n: report.unchanged })}</p>}
          {report.cleaned > 0 && <p>{t('sync.cleaned', { n: report.cleaned })}</p>}
          {report.skipped.map((s) => <p key={s.file} className="bad" data-code={s.code}>{t('sync.skipped', { file: s.file, message: s.message })}</p>)}
          {report.forks.map((f) => <Fork key={`${f.origin}#${f.originSeq}`} f={f} />)}
          {report.conflicts > 0 && <p className="warn">{t('sync.conflictsAfter', { n: report.conflicts })}</p>}
        </div>
      )}

      <HubPanel by={by} />

      <section>
        <h2>{t('sync.status')}</h2>
        {status && (
          <>
            {status.clockBehindMs > 0 && <p className="sync-drift" role="alert" data-direction="self">{t('sync.clockBehind', { span: span(status.clockBehindMs) })}</p>}
            {status.recentDrift.map((d) => <Drift key={`${d.origin}|${d.direction ?? 'ahead'}`} d={d} />)}
            {status.forks.map((f) => <Fork key={`${f.origin}#${f.originSeq}`} f={f} />)}
            <p>
              {t('sync.thisPc')}: <strong data-testid="sync-this-pc" translate="no">{status.name}</strong> · {t('sync.events')} {fmtNum(total(status.marks))}
            </p>
            <NameForm status={status} onSaved={loadStatus} />
            <TrustInfo trust={status.trust} />
            {/* Enrolling another PC is an admin's (before accounts, the founding PC's). */}
            {mayEnrol && <EnrolForm onEnrolled={loadStatus} />}
            <p>
              {t('sync.collegeKey')}:{' '}
              {status.collegeKeyFingerprint ? <code data-testid="college-key" translate="no">{shortFingerprint(status.collegeKeyFingerprint)}</code> : <span className="warn">{t('sync.collegeKeyMissing')}</span>}
            </p>
            {status.epochs.map((e) => (
              <p key={e.origin} className="muted" data-epoch={e.reason}>
                {t('sync.epoch', { date: fmtDate(e.until), reason: t(`sync.epoch.${e.reason}` as MessageKey) })}
              </p>
            ))}
            {status.pendingScans > 0 && <p className="muted">{t('sync.pendingScans', { n: status.pendingScans })}</p>}
            {status.peers.length === 0 ? (
              <p className="muted">{t('sync.noPeers')}</p>
            ) : (
              <table className="grid">
                <thead>
                  <tr><th>{t('sync.peer')}</th><th>{t('sync.lastBundle')}</th><th>{t('sync.events')}</th></tr>
                </thead>
                <tbody>
                  {status.peers.map((p) => (
                    <tr key={p.workspaceId} data-peer={p.workspaceId}>
                      <td title={p.workspaceId} translate="no">{p.name}</td>
                      <td>{p.lastBundleAt ? fmtDateTime(p.lastBundleAt) : '—'}</td>
                      <td>{t('sync.peerEvents', { n: fmtNum(total(p.marks)) })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
        <button type="button" data-testid="audit-verify" onClick={verify}>{t('sync.audit')}</button>
        {audit && (
          <div className={`audit ${audit.ok ? 'ok' : 'bad'}`} role="status" data-ok={audit.ok}>
            {audit.ok ? t('sync.auditOk', { events: audit.events, origins: audit.origins }) : t('sync.auditBad', { n: audit.problems.length + audit.forks.filter((f) => !f.repaired).length })}
            {!audit.ok && (
              <ul>
                {audit.problems.slice(0, 20).map((p) => <li key={p.eventId}>{short(p.origin)} #{p.originSeq} · {p.problem}</li>)}
              </ul>
            )}
            {audit.forks.map((f) => <Fork key={`${f.origin}#${f.originSeq}`} f={f} />)}
          </div>
        )}
      </section>
    </div>
  );
}

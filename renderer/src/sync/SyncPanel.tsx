/**
 * 同步: the two-way exchange through a folder (USB stick / shared folder), the sync status of
 * this PC (peers, last bundle, clock drift) and the audit-log check. Drift beyond the limit is
 * shown as a warning on purpose: a PC with a wrong date still syncs, but someone must fix it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AuditReport, FileHandleInfo, SyncFolderReport, SyncStatus } from '../../../shared/api/index.js';
import { DEFAULT_MAX_DRIFT_MS } from '../../../shared/sync/hlc.js';
import { ApiFailure, call } from '../api.js';
import { nativeFiles, pickNative } from '../files/files.js';
import { fmtDateTime, fmtNum, t } from '../i18n.js';

const FOLDER_KEY = 'desk.syncFolder';
const short = (id: string): string => `${id.slice(0, 8)}…`;
const total = (marks: Record<string, number>): number => Object.values(marks).reduce((a, b) => a + b, 0);
const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));

export function SyncPanel({ onSynced }: { onSynced: (conflicts: number) => void }): React.JSX.Element {
  const [folder, setFolder] = useState(() => localStorage.getItem(FOLDER_KEY) ?? '');
  // In the window the folder is chosen in a dialog (a handle); a typed path remains for a browser.
  const [chosen, setChosen] = useState<FileHandleInfo | null>(null);
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

  const added = report ? report.imported.reduce((a, r) => a + r.eventsAdded, 0) : 0;
  return (
    <div className="sync-panel">
      <form onSubmit={(e) => void run(e)}>
        <label>
          {t('sync.folder')}
          {chosen ? (
            <strong data-testid="sync-folder-chosen"> {t('sync.chosenFolder', { name: chosen.name })}</strong>
          ) : (
            <input data-testid="sync-folder" value={folder} placeholder={t('sync.folderPlaceholder')} onChange={(e) => setFolder(e.target.value)} required />
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
        <button type="submit" disabled={busy || (!chosen && !folder.trim()) || !passphrase}>{busy ? t('sync.running') : t('sync.run')}</button>
      </form>
      {error && <p className="sync-msg bad" role="alert">{t('common.failed', { message: error })}</p>}
      {report && (
        <div className="sync-msg ok" role="status">
          <p>{t('sync.done', { files: report.imported.length, events: added, out: report.exported.events })}</p>
          {report.unchanged > 0 && <p>{t('sync.unchanged', { n: report.unchanged })}</p>}
          {report.skipped.map((s) => <p key={s.file} className="bad">{t('sync.skipped', { file: s.file, message: s.message })}</p>)}
          {report.conflicts > 0 && <p className="warn">{t('sync.conflictsAfter', { n: report.conflicts })}</p>}
        </div>
      )}

      <section>
        <h2>{t('sync.status')}</h2>
        {status && (
          <>
            {status.recentDrift.map((d) => (
              <p key={d.hlc} className="sync-drift" role="alert">
                {t('sync.driftWarn', { origin: short(d.origin), minutes: Math.round(d.driftMs / 60000), limit: DEFAULT_MAX_DRIFT_MS / 60000 })}
              </p>
            ))}
            <p>{t('sync.thisPc')}: <code>{short(status.workspaceId)}</code> · {t('sync.events')} {fmtNum(total(status.marks))}</p>
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
                      <td><code>{short(p.workspaceId)}</code></td>
                      <td>{p.lastBundleAt ? fmtDateTime(p.lastBundleAt) : '—'}</td>
                      <td>{fmtNum(total(p.marks))}</td>
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
            {audit.ok ? t('sync.auditOk', { events: audit.events, origins: audit.origins }) : t('sync.auditBad', { n: audit.problems.length })}
            {!audit.ok && (
              <ul>
                {audit.problems.slice(0, 20).map((p) => <li key={p.eventId}>{short(p.origin)} #{p.originSeq} · {p.problem}</li>)}
              </ul>
            )}
          </div>
        )}
      </section>
    </div>
  );
}

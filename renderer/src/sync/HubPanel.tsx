/**
 * 同步服务器 (issue 18): the college's LAN hub. The light in the toolbar (同步中 / 已同步 hh:mm /
 * 离线) polls `hub.status`; the sync happens in the main process, so nothing here waits for the
 * hub. The form sets the hub: the address goes to the college settings without its password (every
 * PC gets it), the password and the passphrase stay on this PC in the OS's protected storage.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HubStatus } from '../../../shared/api/index.js';
import { ApiFailure, call } from '../api.js';
import { fmtDateTime, t } from '../i18n.js';

const POLL_MS = 5000;
const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));

/** hh:mm in China time, as the light shows it. */
function hhmm(iso: string): string {
  return new Date(iso).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, hour: '2-digit', minute: '2-digit' });
}

/** The hub's status, polled while mounted (the toolbar is mounted as long as a college is open). */
export function useHubStatus(): { status: HubStatus | null; refresh: () => void } {
  const [status, setStatus] = useState<HubStatus | null>(null);
  const refresh = useCallback(() => {
    call('hub.status', {}).then(setStatus, () => setStatus(null));
  }, []);
  useEffect(() => {
    refresh();
    const id = window.setInterval(refresh, POLL_MS);
    return () => window.clearInterval(id);
  }, [refresh]);
  return { status, refresh };
}

export function hubLightText(s: HubStatus): string {
  switch (s.state) {
    case 'syncing':
      return t('hub.light.syncing');
    case 'synced':
      return t('hub.light.synced', { time: s.lastSyncAt ? hhmm(s.lastSyncAt) : '' });
    case 'offline':
      return t('hub.light.offline');
    case 'error':
      return t('hub.light.error');
    default:
      return t('hub.light.idle');
  }
}

/**
 * The hub's light; nothing when the college has no hub. As the toolbar's sync button (`tool`) it
 * stands in for 同步 and opens the sync tool; in the sync tool it syncs now.
 */
export function HubLight({ status, onOpen, tool = false }: { status: HubStatus | null; onOpen: () => void; tool?: boolean }): React.JSX.Element | null {
  if (!status || status.state === 'off') return null;
  const detail = status.lastError ? status.lastError.message : status.lastSyncAt ? t('hub.lastSync', { at: fmtDateTime(status.lastSyncAt) }) : '';
  const title = tool ? [t('tools.sync'), detail].filter(Boolean).join(' · ') : detail;
  return (
    <button type="button" className={`top hub-light hub-${status.state}`} data-testid="hub-light" data-state={status.state} {...(tool ? { 'data-tool': 'sync' } : {})} title={title} onClick={onOpen}>
      <span className="hub-dot" aria-hidden="true" />
      {hubLightText(status)}
    </button>
  );
}

/** The hub section of the sync tool: its state, "sync now", and the settings form. */
export function HubPanel({ by }: { by: string }): React.JSX.Element {
  const { status, refresh } = useHubStatus();
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // Only the first status fills the field; later polls must not overwrite what is being typed.
  const filled = useRef(false);
  useEffect(() => {
    if (status && !filled.current) {
      filled.current = true;
      setUrl(status.url);
    }
  }, [status]);

  const save = (e: React.FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    call('hub.configure', { url: url.trim(), ...(password ? { password } : {}), ...(passphrase ? { passphrase } : {}), ...(by ? { by } : {}) }).then(
      () => {
        setPassword('');
        setPassphrase('');
        setSaved(true);
        refresh();
      },
      (err: unknown) => setError(message(err)),
    ).finally(() => setBusy(false));
  };
  const now = (): void => {
    setError(null);
    call('hub.syncNow', {}).then(refresh, (err: unknown) => setError(message(err)));
  };

  return (
    <section className="hub-panel" data-testid="hub-panel">
      <h2>{t('hub.title')}</h2>
      {status && status.state !== 'off' && (
        <p role="status" data-state={status.state}>
          <HubLight status={status} onOpen={now} />{' '}
          {status.lastError && <span className="bad">{status.lastError.message}</span>}
          {status.last && status.state === 'synced' && (
            <span className="muted">{t('hub.last', { read: status.last.readEvents, written: status.last.writtenEvents, scans: status.last.readScans + status.last.writtenScans })}</span>
          )}{' '}
          <button type="button" data-testid="hub-sync-now" onClick={now} disabled={status.state === 'syncing'}>{t('hub.syncNow')}</button>
        </p>
      )}
      <form onSubmit={save}>
        <label>
          {t('hub.url')}
          <input data-testid="hub-url" translate="no" value={url} placeholder="postgres://zsb@192.168.1.10:5432/zsb_hub" onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label>
          {t('hub.password')}
          <input data-testid="hub-password" type="password" autoComplete="off" value={password} placeholder={status?.passwordSaved ? t('hub.savedPlaceholder') : ''} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label>
          {t('hub.passphrase')}
          <input data-testid="hub-passphrase" type="password" autoComplete="off" value={passphrase} placeholder={status?.passphraseSaved ? t('hub.savedPlaceholder') : ''} onChange={(e) => setPassphrase(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>{url.trim() ? t('hub.save') : t('hub.remove')}</button>
        <p className="muted">{status?.secrets === 'memory' ? t('hub.hintMemory') : t('hub.hint')}</p>
      </form>
      {saved && <p className="sync-msg ok" role="status">{status?.secrets === 'memory' ? t('hub.savedMemory') : t('hub.saved')}</p>}
      {error && <p className="sync-msg bad" role="alert">{t('common.failed', { message: error })}</p>}
    </section>
  );
}

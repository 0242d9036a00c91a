/**
 * 备份与诊断: the workspace's backups (list, create, restore after a confirmation that names the
 * backup's time) and the diagnostics report for support, copied to the clipboard. The report
 * carries no applicant data, so copying it anywhere is safe.
 */
import { useCallback, useEffect, useState } from 'react';
import type { BackupInfo, RestoreDrop } from '../../../shared/api/index.js';
import { ApiFailure, call } from '../api.js';
import { fmtDateTime, fmtNum, t, type MessageKey } from '../i18n.js';

const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));
const size = (b: number): string => (b >= 1 << 20 ? `${fmtNum(b / (1 << 20))} MB` : `${fmtNum(Math.ceil(b / 1024))} KB`);

/** navigator.clipboard needs a secure context and focus; the old execCommand path covers the rest. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    // Deprecated but still the only synchronous fallback in Chromium without clipboard permission.
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

export function BackupPanel(): React.JSX.Element {
  const [list, setList] = useState<BackupInfo[] | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirm, setConfirm] = useState<BackupInfo | null>(null);
  // A restore that would drop accounts or decisions existing now: what it would drop, to confirm.
  const [drop, setDrop] = useState<{ backup: BackupInfo; drop: RestoreDrop } | null>(null);
  const [manual, setManual] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    call('backup.list', {}).then(setList, (e: unknown) => setMsg({ ok: false, text: t('common.failed', { message: message(e) }) }));
  }, []);
  useEffect(load, [load]);

  const act = async (f: () => Promise<string>): Promise<void> => {
    setBusy(true);
    setMsg(null);
    try {
      setMsg({ ok: true, text: await f() });
    } catch (e) {
      setMsg({ ok: false, text: t('common.failed', { message: message(e) }) });
    } finally {
      setBusy(false);
    }
  };
  const create = (): Promise<void> =>
    act(async () => {
      const b = await call('backup.create', {});
      load();
      return t('backup.created', { time: fmtDateTime(b.at) });
    });
  const restore = (b: BackupInfo, confirmDrop?: RestoreDrop): Promise<void> =>
    act(async () => {
      setConfirm(null);
      setDrop(null);
      try {
        await call('backup.restore', { id: b.id, ...(confirmDrop ? { confirmDrop: { accounts: confirmDrop.accounts, decisions: confirmDrop.decisions } } : {}) });
      } catch (e) {
        if (e instanceof ApiFailure && e.error.code === 'restore_would_drop' && !confirmDrop) setDrop({ backup: b, drop: e.error.details as RestoreDrop });
        throw e;
      }
      // Everything on screen came from the replaced database.
      setTimeout(() => window.location.reload(), 1500);
      return t('backup.restored', { time: fmtDateTime(b.at) });
    });
  const diagnostics = (): Promise<void> =>
    act(async () => {
      const r = await call('diagnostics.report', { logLines: 50 });
      const text = JSON.stringify(r, null, 2);
      if (await copyText(text)) {
        setManual(null);
        return t('diag.copied');
      }
      setManual(text);
      return t('diag.manual');
    });

  return (
    <div className="backup-panel">
      <section>
        <h2>{t('backup.list')}</h2>
        {list && list.length === 0 && <p className="muted">{t('backup.none')}</p>}
        {list && list.length > 0 && (
          <table className="grid" data-testid="backup-list">
            <thead>
              <tr><th>{t('backup.at')}</th><th>{t('backup.reason')}</th><th>{t('backup.size')}</th><th>{t('backup.counts')}</th><th /></tr>
            </thead>
            <tbody>
              {list.map((b) => (
                <tr key={b.id} data-backup={b.id}>
                  <td>{fmtDateTime(b.at)}</td>
                  <td>{t(`backup.reason.${b.reason}` as MessageKey)}</td>
                  <td>{size(b.size)}</td>
                  <td>{fmtNum(b.applicants)} / {fmtNum(b.decisions)}</td>
                  <td><button type="button" disabled={busy} onClick={() => setConfirm(b)}>{t('backup.restore')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {confirm && (
          <div className="backup-confirm" role="alertdialog" aria-label={t('backup.restore')}>
            <p>{t('backup.confirm', { time: fmtDateTime(confirm.at) })}</p>
            <button type="button" data-testid="backup-confirm" onClick={() => void restore(confirm)}>{t('backup.restore')}</button>
            <button type="button" onClick={() => setConfirm(null)}>{t('common.cancel')}</button>
          </div>
        )}
        {drop && (
          <div className="backup-confirm danger" role="alertdialog" aria-label={t('backup.restore')} data-testid="backup-drop">
            <p>{t('sec.restoreDrop', { accounts: drop.drop.accounts, names: drop.drop.accountNames.join('、'), decisions: drop.drop.decisions })}</p>
            <button type="button" data-testid="backup-drop-confirm" onClick={() => void restore(drop.backup, drop.drop)}>{t('sec.restoreDropConfirm')}</button>
            <button type="button" onClick={() => setDrop(null)}>{t('common.cancel')}</button>
          </div>
        )}
        <button type="button" data-testid="backup-create" disabled={busy} onClick={() => void create()}>{t('backup.create')}</button>
        <button type="button" data-testid="diag-copy" disabled={busy} onClick={() => void diagnostics()}>{t('diag.copy')}</button>
      </section>
      {msg && <p className={`sync-msg ${msg.ok ? 'ok' : 'bad'}`} role="status">{msg.text}</p>}
      {manual !== null && <textarea className="diag-text" readOnly value={manual} rows={12} onFocus={(e) => e.currentTarget.select()} />}
    </div>
  );
}

/**
 * 账户管理 for admins: list, add, reset a password/PIN. Before any account exists it offers to
 * create the first one (an admin), which switches the workspace to signed-in reviewing.
 */
import { useCallback, useEffect, useState } from 'react';
import { ROLES, type Account, type Role } from '../../../shared/api/index.js';
import { ApiFailure, call } from '../api.js';
import { t, type MessageKey } from '../i18n.js';

const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));

export function AccountsPanel({ enabled }: { enabled: boolean }): React.JSX.Element {
  const [list, setList] = useState<Account[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(enabled ? 'reviewer' : 'admin');
  const [secret, setSecret] = useState('');
  const [reset, setReset] = useState<{ name: string; secret: string } | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const load = useCallback(() => {
    call('accounts.list', {}).then(setList, (e: unknown) => setMsg({ ok: false, text: t('common.failed', { message: message(e) }) }));
  }, []);
  useEffect(load, [load]);
  const run = async (f: () => Promise<string>): Promise<void> => {
    try {
      setMsg({ ok: true, text: await f() });
    } catch (e) {
      setMsg({ ok: false, text: t('common.failed', { message: message(e) }) });
    }
  };
  const create = (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    return run(async () => {
      const a = await call('accounts.create', { name: name.trim(), role, secret });
      setName('');
      setSecret('');
      // The first account turns sign-in on: start over at the sign-in dialog.
      if (!enabled) window.location.reload();
      load();
      return t('acct.created', { name: a.name });
    });
  };
  const doReset = (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    const r = reset;
    if (!r) return Promise.resolve();
    return run(async () => {
      await call('accounts.resetSecret', { name: r.name, secret: r.secret });
      setReset(null);
      return t('acct.resetDone', { name: r.name });
    });
  };
  return (
    <section className="accounts-panel">
      <h2>{t('acct.manage')}</h2>
      {!enabled && <p className="muted">{t('acct.firstAdmin')}</p>}
      {list.length > 0 && (
        <table className="grid" data-testid="account-list">
          <thead><tr><th>{t('acct.name')}</th><th>{t('acct.role')}</th><th /></tr></thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.name}>
                <td>{a.name}</td>
                <td>{t(`acct.role.${a.role}` as MessageKey)}</td>
                <td><button type="button" onClick={() => setReset({ name: a.name, secret: '' })}>{t('acct.reset')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reset && (
        <form className="conflict-resolve" onSubmit={(e) => void doReset(e)}>
          <label>
            {t('acct.newSecret', { name: reset.name })}
            <input type="password" autoComplete="new-password" minLength={6} required value={reset.secret} onChange={(e) => setReset({ ...reset, secret: e.target.value })} />
          </label>
          <button type="submit">{t('common.save')}</button>
          <button type="button" onClick={() => setReset(null)}>{t('common.cancel')}</button>
        </form>
      )}
      <form className="conflict-resolve" onSubmit={(e) => void create(e)}>
        <label>
          {t('acct.name')}
          <input data-testid="account-name" value={name} required onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('acct.role')}
          <select data-testid="account-role" value={role} disabled={!enabled} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`acct.role.${r}` as MessageKey)}</option>)}
          </select>
        </label>
        <label>
          {t('acct.secret')}
          <input data-testid="account-secret" type="password" autoComplete="new-password" minLength={6} required value={secret} onChange={(e) => setSecret(e.target.value)} />
        </label>
        <button type="submit">{t('acct.create')}</button>
        <p className="muted">{t('acct.secretRule')}</p>
      </form>
      {msg && <p className={`sync-msg ${msg.ok ? 'ok' : 'bad'}`} role="status">{msg.text}</p>}
    </section>
  );
}

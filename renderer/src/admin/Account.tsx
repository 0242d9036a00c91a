/**
 * Sign-in for workspaces with accounts (issue 7): nobody reviews before signing in, the toolbar
 * shows who is signed in, and after N idle minutes (default 10, localStorage `desk.idleMinutes`)
 * the session ends and the sign-in dialog returns — a desk left open in the registrar's office
 * must not keep deciding in someone's name.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Account } from '../../../shared/api/index.js';
import { ApiFailure, call } from '../api.js';
import { t, type MessageKey } from '../i18n.js';

const IDLE_KEY = 'desk.idleMinutes';
const REVIEWER_KEY = 'desk.reviewer';
const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));

export function idleMinutes(): number {
  const n = Number(localStorage.getItem(IDLE_KEY));
  return Number.isFinite(n) && n > 0 ? n : 10;
}

export const roleLabel = (a: Account): string => t(`acct.role.${a.role}` as MessageKey);

export interface AccountState {
  enabled: boolean;
  account: Account | null;
  loaded: boolean;
  notice: string | null;
  signedIn(a: Account): void;
  signOut(notice?: string): Promise<void>;
}

type Shared = Pick<AccountState, 'enabled' | 'account' | 'loaded' | 'notice'>;

// One session state for the whole page: the toolbar's sign-in and the review screen's reviewer
// field must never disagree (e.g. after an idle sign-out), so every useAccount() reads this store.
let shared: Shared = { enabled: false, account: null, loaded: false, notice: null };
const listeners = new Set<() => void>();
let asked = false;

function update(patch: Partial<Shared>): void {
  shared = { ...shared, ...patch };
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!asked) {
    asked = true;
    call('accounts.whoami', {}).then(
      (r) => update({ enabled: r.accountsEnabled, account: r.account, loaded: true }),
      // No workspace open yet: nothing to sign in to.
      () => update({ loaded: true }),
    );
  }
  return () => void listeners.delete(listener);
}

export function useAccount(): AccountState {
  const state = useSyncExternalStore(subscribe, () => shared);
  const signedIn = useCallback((a: Account) => {
    update({ notice: null, account: a });
    // The review screen records decisions under its reviewer name, which must be the session's.
    if (localStorage.getItem(REVIEWER_KEY) !== a.name) {
      localStorage.setItem(REVIEWER_KEY, a.name);
      window.location.reload();
    }
  }, []);
  const signOut = useCallback(async (why?: string) => {
    try {
      await call('accounts.signOut', {});
    } finally {
      update({ account: null, notice: why ?? null });
    }
  }, []);
  return { ...state, signedIn, signOut };
}

/** Signs out after the idle limit; any key, click, wheel or pointer move restarts the count. */
export function useIdleSignOut(active: boolean, onIdle: () => void): void {
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (!active) return undefined;
    const ms = idleMinutes() * 60_000;
    const arm = (): void => {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(onIdle, ms);
    };
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, arm, { passive: true });
    arm();
    return () => {
      window.clearTimeout(timer.current);
      for (const e of events) window.removeEventListener(e, arm);
    };
  }, [active, onIdle]);
}

export function SignInDialog({ notice, onSignedIn }: { notice: string | null; onSignedIn: (a: Account) => void }): React.JSX.Element {
  const [name, setName] = useState(() => localStorage.getItem(REVIEWER_KEY) ?? '');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  // 在本机登记: the account exists in the college but has no secret on this PC yet (clones carry none).
  const [enrol, setEnrol] = useState(false);
  const [setupCode, setSetupCode] = useState('');
  const [again, setAgain] = useState('');
  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      if (enrol) {
        if (secret !== again) {
          setError(t('acct.enrolMismatch'));
          return;
        }
        await call('accounts.enrolHere', { name: name.trim(), secret, setupCode: setupCode.trim() });
      }
      onSignedIn(await call('accounts.signIn', { name: name.trim(), secret }));
    } catch (err) {
      if (err instanceof ApiFailure && err.error.code === 'account_not_enrolled_here') setEnrol(true);
      setSecret('');
      setAgain('');
      setError(message(err));
    }
  };
  return (
    <div className="modal-back signin-back">
      <form className="modal tool-dialog signin" role="dialog" aria-modal="true" aria-label={t(enrol ? 'acct.enrolTitle' : 'acct.signInTitle')} onSubmit={(e) => void submit(e)}>
        <header><h2>{t(enrol ? 'acct.enrolTitle' : 'acct.signInTitle')}</h2></header>
        {notice && <p className="sync-msg warn" role="status">{notice}</p>}
        {enrol && <p className="muted" data-testid="enrol-hint">{t('acct.enrolHint')}</p>}
        <label>
          {t('acct.name')}
          <input data-testid="signin-name" value={name} autoFocus onChange={(e) => setName(e.target.value)} required />
        </label>
        {enrol && (
          <label>
            {t('acct.setupCode')}
            <input data-testid="enrol-code" autoComplete="off" value={setupCode} placeholder="XXXXX-XXXXX-XXXXX-XXXXX" onChange={(e) => setSetupCode(e.target.value)} required />
          </label>
        )}
        <label>
          {t(enrol ? 'acct.enrolSecret' : 'acct.secret')}
          <input data-testid="signin-secret" type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} required />
        </label>
        {enrol && (
          <label>
            {t('acct.newSecretAgain')}
            <input data-testid="enrol-again" type="password" autoComplete="off" value={again} onChange={(e) => setAgain(e.target.value)} required />
          </label>
        )}
        {error && <p className="sync-msg bad" role="alert">{error}</p>}
        <div className="modal-actions">
          {!enrol && <button type="button" className="link" data-testid="enrol-open" onClick={() => { setEnrol(true); setError(null); }}>{t('acct.enrolOpen')}</button>}
          {enrol && <button type="button" onClick={() => { setEnrol(false); setError(null); }}>{t('acct.enrolBack')}</button>}
          <button type="submit" data-testid="signin-submit">{t(enrol ? 'acct.enrolSubmit' : 'acct.signIn')}</button>
        </div>
      </form>
    </div>
  );
}

/**
 * 本机登记信息 and 登记电脑 (issue 19): this PC's public key for an admin to enrol, whether it is
 * enrolled and for which accounts, the college's root fingerprint the office compares across
 * PCs; and, for an admin (or the founding PC before accounts exist), enrolling another PC by the
 * key it shows — with each account's one-time setup code to set its secret there.
 */
import { useState } from 'react';
import type { SetupCode, TrustReport } from '../../../shared/api/index.js';
import { shortFingerprint } from '../../../shared/fingerprint.js';
import { ApiFailure, call } from '../api.js';
import { t } from '../i18n.js';

const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));

export function TrustInfo({ trust }: { trust: TrustReport }): React.JSX.Element {
  return (
    <div className="trust" data-testid="trust-info" data-enrolled={trust.enrolled}>
      <h3>{t('trust.title')}</h3>
      <p>
        {t('trust.key')}: <code data-testid="trust-key" className="selectable" translate="no">{trust.publicKey}</code>
      </p>
      <p className="muted">{t('trust.fingerprint')}: <code translate="no">{shortFingerprint(trust.fingerprint)}</code></p>
      {trust.root ? (
        <p className="sync-msg ok">{t('trust.root')}</p>
      ) : trust.enrolled ? (
        <p className="sync-msg ok">{t('trust.enrolled', { accounts: trust.accounts === null ? t('trust.anyName') : trust.accounts.join('、') })}</p>
      ) : (
        <p className="sync-msg warn" role="alert">{t('trust.notEnrolled')}</p>
      )}
      <p>
        {t('trust.rootFingerprint')}:{' '}
        {trust.rootFingerprint ? <code data-testid="trust-root" translate="no">{shortFingerprint(trust.rootFingerprint)}</code> : <span className="warn">{t('trust.rootMissing')}</span>}
      </p>
    </div>
  );
}

export function EnrolForm({ onEnrolled }: { onEnrolled: () => void }): React.JSX.Element {
  const [publicKey, setPublicKey] = useState('');
  const [name, setName] = useState('');
  const [accounts, setAccounts] = useState('');
  const [done, setDone] = useState<{ fingerprint: string; setupCodes: SetupCode[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: React.FormEvent): void => {
    e.preventDefault();
    setError(null);
    setDone(null);
    const list = accounts.split(/[,，、\s]+/).map((a) => a.trim()).filter((a) => a !== '');
    call('sync.enrol', { publicKey: publicKey.trim(), name: name.trim() || undefined, accounts: list.length > 0 ? list : null }).then(
      (r) => {
        setDone(r);
        setPublicKey('');
        onEnrolled();
      },
      (err: unknown) => setError(message(err)),
    );
  };
  return (
    <form className="trust-enrol" onSubmit={submit}>
      <h3>{t('trust.enrolTitle')}</h3>
      <label>
        {t('trust.enrolKey')}
        <input data-testid="enrol-key" value={publicKey} autoComplete="off" onChange={(e) => setPublicKey(e.target.value)} required minLength={40} />
      </label>
      <label>
        {t('trust.enrolName')}
        <input data-testid="enrol-name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('trust.enrolAccounts')}
        <input data-testid="enrol-accounts" value={accounts} onChange={(e) => setAccounts(e.target.value)} />
      </label>
      <button type="submit" data-testid="enrol-submit">{t('trust.enrolSubmit')}</button>
      {done && (
        <div className="sync-msg ok" role="status">
          <p>{t('trust.enrolled.done', { fp: shortFingerprint(done.fingerprint) })}</p>
          {done.setupCodes.length > 0 && <p>{t('trust.setupCode')}</p>}
          {done.setupCodes.map((c) => (
            <p key={c.account}>{c.account}：<strong data-testid="enrol-setup-code" data-account={c.account} className="selectable" translate="no">{c.code}</strong></p>
          ))}
        </div>
      )}
      {error && <p className="sync-msg bad" role="alert">{t('common.failed', { message: error })}</p>}
    </form>
  );
}

import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { CurrentCollege } from '../../shared/api/index.js';
import { App } from './App.js';
import { SignInDialog, useAccount } from './admin/Account.js';
import { call } from './api.js';
import { StartScreen } from './colleges/StartScreen.js';
import { DeskTools } from './DeskTools.js';
import { t } from './i18n.js';
import './styles.css';

/**
 * The start screen when no college is open, the desk when one is — and only the sign-in while the
 * college has accounts and nobody is signed in: the desk reads nothing then (the calls would be
 * refused anyway), and an idle sign-out takes the applicant data off the screen.
 */
function Root(): React.JSX.Element {
  const acct = useAccount();
  const [current, setCurrent] = useState<CurrentCollege | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('colleges.current', {}).then(setCurrent, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  if (error) return <div className="banner error" role="alert">{t('error.load', { message: error })}</div>;
  if (!current) return <div className="placeholder start-loading">{t('viewer.loading')}</div>;
  if (!current.college) return <StartScreen notice={current.notice} />;
  if (!acct.loaded) return <div className="placeholder start-loading">{t('viewer.loading')}</div>;
  if (acct.enabled && !acct.account) return <SignInDialog notice={acct.notice} onSignedIn={acct.signedIn} />;
  return <App toolbarSlot={<DeskTools />} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

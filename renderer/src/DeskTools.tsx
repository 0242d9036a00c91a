/**
 * The toolbar's tools: import, export, sync between PCs, conflicts (with a count badge), backups
 * and, when the workspace has accounts, who is signed in. Each opens its self-contained panel as
 * a dialog. After an import, a sync that brought decisions, or a ruling, the desk reloads on
 * close, so the queue, checks and counts come fresh from the log.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { BackupPanel } from './admin/BackupPanel.js';
import { roleLabel, SignInDialog, useAccount, useIdleSignOut, idleMinutes } from './admin/Account.js';
import { AccountsPanel } from './admin/AccountsPanel.js';
import type { ApiName } from '../../shared/api/index.js';
import { mayCall } from '../../shared/api/roles.js';
import { call } from './api.js';
import { ExportPanel } from './export/ExportPanel.js';
import { t } from './i18n.js';
import { ImportWizard } from './import/ImportWizard.js';
import { ListsPanel } from './checks/ListsPanel.js';
import { onJump } from './review/jump.js';
import { ConflictsPanel } from './sync/ConflictsPanel.js';
import { HubLight, useHubStatus } from './sync/HubPanel.js';
import { SyncPanel } from './sync/SyncPanel.js';

function ToolDialog({ title, onClose, children }: { title: string; onClose: () => void; children: React.ReactNode }): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-back">
      <div className="modal tool-dialog" role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} ref={ref}>
        <header>
          <h2>{title}</h2>
          <button type="button" className="close" onClick={onClose} aria-label={t('common.close')}>×</button>
        </header>
        {children}
      </div>
    </div>
  );
}

type Tool = 'import' | 'lists' | 'export' | 'sync' | 'conflicts' | 'backup';

export function DeskTools(): React.JSX.Element {
  const [open, setOpen] = useState<Tool | null>(null);
  const [changed, setChanged] = useState(false);
  const [conflicts, setConflicts] = useState(0);
  const acct = useAccount();
  // The hub's light: polled here, the sync itself runs in the main process.
  const hub = useHubStatus();
  const refreshConflicts = useCallback(() => {
    // Before a workspace is open there is nothing to count.
    call('conflicts.list', {}).then((l) => setConflicts(l.length), () => undefined);
  }, []);
  useEffect(refreshConflicts, [refreshConflicts]);
  // A jump to an applicant (an export blocker) shows the desk: the dialog makes way.
  useEffect(() => onJump(() => setOpen(null)), []);
  const onIdle = useCallback(() => {
    setOpen(null);
    void acct.signOut(t('acct.idle', { minutes: idleMinutes() }));
  }, [acct]);
  useIdleSignOut(acct.account !== null, onIdle);
  const close = (): void => {
    setOpen(null);
    if (changed) window.location.reload();
  };
  // Tools whose calls the signed-in role would be refused are not offered (the service refuses them anyway).
  const may = (name: ApiName): boolean => mayCall(name, acct.enabled, acct.account?.role ?? null);
  const dialog = (tool: Tool, title: string, body: React.ReactNode): React.ReactNode =>
    open === tool && createPortal(<ToolDialog title={title} onClose={close}>{body}</ToolDialog>, document.body);
  return (
    <>
      {may('import.run') && <button type="button" className="top" data-tool="import" onClick={() => setOpen('import')}>{t('tools.import')}</button>}
      {may('lists.import') && <button type="button" className="top wide-only" data-tool="lists" onClick={() => setOpen('lists')}>{t('tools.lists')}</button>}
      {may('export.run') && <button type="button" className="top" data-tool="export" onClick={() => setOpen('export')}>{t('tools.export')}</button>}
      {/* With a hub the sync tool's button is its light (同步中 / 已同步 hh:mm / 离线): one button, so the
          toolbar still fits 1366 px. */}
      {hub.status && hub.status.state !== 'off' ? (
        <HubLight status={hub.status} onOpen={() => may('sync.withFolder') && setOpen('sync')} tool />
      ) : (
        may('sync.withFolder') && <button type="button" className="top" data-tool="sync" onClick={() => setOpen('sync')}>{t('tools.sync')}</button>
      )}
      <button type="button" className="top" data-tool="conflicts" onClick={() => setOpen('conflicts')}>
        {t('tools.conflicts')}
        {conflicts > 0 && <span className="tool-badge" data-testid="conflict-badge">{conflicts}</span>}
      </button>
      {(may('backup.create') || may('accounts.create')) && <button type="button" className="top" data-tool="backup" onClick={() => setOpen('backup')}>{t('tools.backup')}</button>}
      {acct.account && (
        <span className="account-chip" data-testid="account-chip">
          {t('acct.signedIn', { name: acct.account.name, role: roleLabel(acct.account) })}
          <button type="button" className="top" onClick={() => void acct.signOut()}>{t('acct.signOut')}</button>
        </span>
      )}
      {/* Dialogs live under <body>, not inside the toolbar, so they inherit none of its styles.
          The wizard brings its own dialog frame and step header. */}
      {open === 'import' && createPortal(<ImportWizard onClose={close} onImported={() => setChanged(true)} {...(may('lists.import') ? { onOpenLists: () => setOpen('lists') } : {})} />, document.body)}
      {dialog('lists', t('tools.listsTitle'), <ListsPanel by={acct.account?.name ?? localStorage.getItem('desk.reviewer') ?? ''} onChanged={() => setChanged(true)} />)}
      {dialog('export', t('tools.exportTitle'), <ExportPanel by={acct.account?.name ?? localStorage.getItem('desk.reviewer') ?? ''} />)}
      {dialog(
        'sync',
        t('tools.syncTitle'),
        <SyncPanel
          by={acct.account?.name ?? localStorage.getItem('desk.reviewer') ?? ''}
          onSynced={(n) => {
            setChanged(true);
            setConflicts(n);
          }}
        />,
      )}
      {dialog('conflicts', t('tools.conflictsTitle'), <ConflictsPanel by={acct.account?.name ?? localStorage.getItem('desk.reviewer') ?? ''} canResolve={may('conflicts.resolve')} onCount={setConflicts} onResolved={() => setChanged(true)} />)}
      {dialog(
        'backup',
        t('tools.backupTitle'),
        <>
          <BackupPanel />
          {/* Admins manage accounts; before any exists, anyone may create the first (admin) one. */}
          {acct.loaded && may('accounts.create') && <AccountsPanel enabled={acct.enabled} />}
        </>,
      )}
      {acct.loaded && acct.enabled && !acct.account && createPortal(<SignInDialog notice={acct.notice} onSignedIn={acct.signedIn} />, document.body)}
    </>
  );
}

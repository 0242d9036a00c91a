/**
 * The toolbar's import and export entries: each opens its self-contained panel as a dialog.
 * After an import the desk reloads, so the queue, checks and counts come fresh from the log.
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { ExportPanel } from './export/ExportPanel.js';
import { t } from './i18n.js';
import { ImportWizard } from './import/ImportWizard.js';

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
          <button type="button" className="close" onClick={onClose} aria-label="×">×</button>
        </header>
        {children}
      </div>
    </div>
  );
}

export function DeskTools(): React.JSX.Element {
  const [open, setOpen] = useState<'import' | 'export' | null>(null);
  const [imported, setImported] = useState(false);
  const close = (): void => {
    setOpen(null);
    if (imported) window.location.reload();
  };
  return (
    <>
      <button type="button" className="top" data-tool="import" onClick={() => setOpen('import')}>{t('tools.import')}</button>
      <button type="button" className="top" data-tool="export" onClick={() => setOpen('export')}>{t('tools.export')}</button>
      {/* Dialogs live under <body>, not inside the toolbar, so they inherit none of its styles.
          The wizard brings its own dialog frame and step header. */}
      {open === 'import' && createPortal(<ImportWizard onClose={close} onImported={() => setImported(true)} />, document.body)}
      {open === 'export' &&
        createPortal(
          <ToolDialog title={t('tools.exportTitle')} onClose={close}>
            <ExportPanel />
          </ToolDialog>,
          document.body,
        )}
    </>
  );
}

/**
 * 导出与校验: pick a table, see what blocks a final export, export (signed, or a 草稿), and
 * verify a folder. Self-contained; reaches data only through the API contract.
 */
import { useCallback, useEffect, useState } from 'react';
import type { DecisionStatus } from '../../../shared/domain.js';
import type { ExportCheck, ExportResult, ExportTableId, VerifyReport } from '../../../shared/api/index.js';
import { ApiFailure, call } from '../api.js';
import { categoryLabel, statusLabel, t, type MessageKey } from '../i18n.js';
import { jumpTo } from '../review/jump.js';

const TABLES: { id: ExportTableId; label: MessageKey }[] = [
  { id: 'exempt', label: 'export.table.exempt' },
  { id: 'poverty', label: 'export.table.poverty' },
  { id: 'notice', label: 'export.table.notice' },
];

function problemsOf(e: unknown): { message: string; items: string[] } {
  if (e instanceof ApiFailure) {
    const details = Array.isArray(e.error.details) ? (e.error.details as { file?: string; message?: string }[]) : [];
    return { message: e.error.message, items: details.map((d) => [d.file, d.message].filter(Boolean).join('：')) };
  }
  return { message: e instanceof Error ? e.message : String(e), items: [] };
}

export function ExportPanel(): React.JSX.Element {
  const [table, setTable] = useState<ExportTableId>('exempt');
  const [check, setCheck] = useState<ExportCheck | null>(null);
  const [out, setOut] = useState('');
  const [p12Path, setP12Path] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<{ message: string; items: string[] } | null>(null);
  const [verifyDir, setVerifyDir] = useState('');
  const [verified, setVerified] = useState<VerifyReport | null>(null);
  const [verifyError, setVerifyError] = useState<{ message: string; items: string[] } | null>(null);

  const refresh = useCallback(async () => {
    try {
      setCheck(await call('export.check', { table }));
    } catch (e) {
      setError(problemsOf(e));
    }
  }, [table]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const doExport = async (draft: boolean): Promise<void> => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await call('export.run', { table, out, draft, ...(p12Path && !draft ? { p12Path, passphrase } : {}) });
      setResult(r);
      setVerifyDir(r.dir);
    } catch (e) {
      setError(problemsOf(e));
    } finally {
      setBusy(false);
      void refresh();
    }
  };

  const doVerify = async (): Promise<void> => {
    setVerified(null);
    setVerifyError(null);
    try {
      setVerified(await call('export.verify', { dir: verifyDir }));
    } catch (e) {
      setVerifyError(problemsOf(e));
    }
  };

  const blocked = (check?.blockers.length ?? 0) > 0;
  return (
    <section className="export-panel" aria-label={t('tools.export')}>
      <h2>{t('export.heading')}</h2>
      <label>
        {t('export.table')}{' '}
        <select value={table} onChange={(e) => setTable(e.target.value as ExportTableId)}>
          {TABLES.map((x) => (
            <option key={x.id} value={x.id}>{t(x.label)}</option>
          ))}
        </select>
      </label>
      {check && (
        <p data-testid="export-summary">
          {t('export.summary', { title: check.title, rows: check.rows })}
          {(Object.keys(check.byStatus) as DecisionStatus[]).map((s) => `${statusLabel(s)} ${check.byStatus[s]}`).join(t('export.sep'))}
        </p>
      )}
      {check && blocked && (
        <div role="alert">
          <p>{t('export.blockers', { n: check.blockers.length })}</p>
          <ul>
            {check.blockers.slice(0, 200).map((b, i) => (
              <li key={i}>
                <button type="button" className="link" data-testid="blocker-link" title={t('jump.title')} onClick={() => jumpTo(b.idNumber)}>{b.name}</button>（{b.idMasked}，{categoryLabel(b.category)}）：{b.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <label>
        {t('export.out')}<input value={out} onChange={(e) => setOut(e.target.value)} placeholder={t('export.outPlaceholder')} />
      </label>
      <label>
        {t('export.p12')}<input value={p12Path} onChange={(e) => setP12Path(e.target.value)} />
      </label>
      <label>
        {t('export.passphrase')}<input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" />
      </label>
      <div>
        <button type="button" disabled={busy || !out || blocked} onClick={() => void doExport(false)}>{t('export.final')}</button>{' '}
        <button type="button" disabled={busy || !out} onClick={() => void doExport(true)}>{t('export.draft')}</button>
      </div>
      {result && (
        <div role="status">
          <p>{t(result.draft ? 'export.doneDraft' : 'export.done', { rows: result.rows, dir: result.dir })}</p>
          <ul>{result.files.map((f) => <li key={f.name}>{f.name}（SHA-256 {f.sha256.slice(0, 16)}…）</li>)}</ul>
          {!result.draft && <p>{result.pdfSigner ? t('export.signer', { signer: result.pdfSigner }) : t('export.unsigned')}</p>}
        </div>
      )}
      {error && (
        <div role="alert">
          <p>{error.message}</p>
          <ul>{error.items.slice(0, 200).map((m, i) => <li key={i}>{m}</li>)}</ul>
        </div>
      )}

      <h2>{t('export.verifyHeading')}</h2>
      <label>
        {t('export.verifyDir')}<input value={verifyDir} onChange={(e) => setVerifyDir(e.target.value)} />
      </label>
      <button type="button" disabled={!verifyDir} onClick={() => void doVerify()}>{t('export.verify')}</button>
      {verified && (
        <p role="status">
          {t('export.verified', { title: verified.title, college: verified.college, rows: verified.rows, at: verified.exportedAt })}
          {verified.pdfSigner ? t('export.pdfValid', { signer: verified.pdfSigner }) : t('export.pdfNoCert')}
        </p>
      )}
      {verifyError && (
        <div role="alert">
          <p>{verifyError.message}</p>
          <ul>{verifyError.items.map((m, i) => <li key={i}>{m}</li>)}</ul>
        </div>
      )}
    </section>
  );
}

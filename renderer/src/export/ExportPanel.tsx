/**
 * 导出与校验: pick a table, see what blocks a final export, export (signed, or a 草稿), and
 * verify a folder. Self-contained; reaches data only through the API contract. The tables go to
 * the college's 导出 folder unless a save dialog names another place; afterwards the folder is
 * shown in Explorer (window) or downloaded as a .zip (browser).
 */
import { useCallback, useEffect, useState } from 'react';
import type { DecisionStatus } from '../../../shared/domain.js';
import type { ExportCheck, ExportResult, ExportTableId, FileHandleInfo, VerifyReport } from '../../../shared/api/index.js';
import { ApiFailure, call } from '../api.js';
import { FileField, FileIcon } from '../files/FileField.js';
import { downloadUrl, nativeFiles, revealNative, saveNative } from '../files/files.js';
import { categoryLabel, statusLabel, t, type MessageKey } from '../i18n.js';

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
  /** Where the next export goes: a place a save dialog named, or null for the college's 导出 folder. */
  const [out, setOut] = useState<FileHandleInfo | null>(null);
  /** The folder of the last export (opened, downloaded or verified from here). */
  const [lastOut, setLastOut] = useState<FileHandleInfo | null>(null);
  const [p12, setP12] = useState<FileHandleInfo | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<{ message: string; items: string[] } | null>(null);
  const [verifyDir, setVerifyDir] = useState<FileHandleInfo | null>(null);
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
      const stamp = new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16).replace(/[-:]/g, '').replace(' ', '-');
      const target = out ?? (await call('files.output', { kind: 'exportFolder', name: `${check?.title ?? table}${draft ? '（草稿）' : ''} ${stamp}` }));
      const r = await call('export.run', { table, out: { handle: target.handle }, draft, ...(p12 && !draft ? { p12Path: { handle: p12.handle }, passphrase } : {}) });
      setResult(r);
      setLastOut(target);
      // A folder named in a save dialog takes one export (verify refuses files it does not know).
      setOut(null);
    } catch (e) {
      setError(problemsOf(e));
    } finally {
      setBusy(false);
      void refresh();
    }
  };

  const doVerify = async (dir: FileHandleInfo): Promise<void> => {
    setVerified(null);
    setVerifyError(null);
    try {
      setVerified(await call('export.verify', { dir: { handle: dir.handle } }));
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
              <li key={i}>{b.name}（{b.idMasked}，{categoryLabel(b.category)}）：{b.message}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="export-out" data-testid="export-out">
        {t('export.outHeading')}：{out ? <strong><FileIcon folder /> {out.name}</strong> : <span className="muted">{t('export.outDefault')}</span>}
        {nativeFiles() && (
          <button type="button" onClick={() => void saveNative('exportFolder', `${check?.title ?? table}`).then((h) => h && setOut(h), (e: unknown) => setError(problemsOf(e)))}>
            {t('export.outChoose')}
          </button>
        )}
        {out && <button type="button" className="link" onClick={() => setOut(null)}>{t('start.whereReset')}</button>}
      </div>
      <FileField kind="p12" label={t('export.p12')} value={p12} onChange={setP12} testId="export-p12" />
      <label>
        {t('export.passphrase')}<input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" />
      </label>
      <div>
        <button type="button" disabled={busy || blocked} onClick={() => void doExport(false)}>{t('export.final')}</button>{' '}
        <button type="button" disabled={busy} onClick={() => void doExport(true)}>{t('export.draft')}</button>
      </div>
      {result && (
        <div role="status">
          <p>{t(result.draft ? 'export.doneDraft' : 'export.done', { rows: result.rows, dir: result.dir })}</p>
          <ul>{result.files.map((f) => <li key={f.name}>{f.name}（SHA-256 {f.sha256.slice(0, 16)}…）</li>)}</ul>
          {!result.draft && <p>{result.pdfSigner ? t('export.signer', { signer: result.pdfSigner }) : t('export.unsigned')}</p>}
          {lastOut && (
            <p className="export-after">
              {nativeFiles() ? (
                <button type="button" data-testid="export-open-folder" onClick={() => void revealNative(lastOut.handle).catch((e: unknown) => setError(problemsOf(e)))}>{t('export.openFolder')}</button>
              ) : (
                <a className="export-download" data-testid="export-download" href={downloadUrl(lastOut.handle)} download={`${lastOut.name}.zip`}>{t('export.downloadZip')}</a>
              )}{' '}
              <button type="button" onClick={() => void doVerify(lastOut)}>{t('export.verifyJust')}</button>
            </p>
          )}
        </div>
      )}
      {error && (
        <div role="alert">
          <p>{error.message}</p>
          <ul>{error.items.slice(0, 200).map((m, i) => <li key={i}>{m}</li>)}</ul>
        </div>
      )}

      <h2>{t('export.verifyHeading')}</h2>
      <FileField kind="verifyFolder" label={t('export.verifyFolder')} value={verifyDir} onChange={setVerifyDir} testId="export-verify-dir" />
      <button type="button" disabled={!verifyDir} onClick={() => verifyDir && void doVerify(verifyDir)}>{t('export.verify')}</button>
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

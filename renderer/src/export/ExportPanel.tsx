/**
 * 导出与校验: pick a table, see what blocks a final export, export (signed, or a 草稿), and
 * verify a folder. Self-contained; reaches data only through the API contract.
 */
import { useCallback, useEffect, useState } from 'react';
import { DECISION_LABELS, categoryInfo, type DecisionStatus } from '../../../shared/domain.js';
import type { ExportCheck, ExportResult, ExportTableId, VerifyReport } from '../../../shared/api/index.js';
import { ApiFailure, call } from '../api.js';

const TABLES: { id: ExportTableId; label: string }[] = [
  { id: 'exempt', label: '免试资格审核表（报省教育厅学生处）' },
  { id: 'poverty', label: '建档立卡脱贫家庭考生资格审核表（报民族教育处）' },
  { id: 'notice', label: '公示名单（身份证号已脱敏）' },
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
    <section className="export-panel" aria-label="导出与校验">
      <h2>导出审核表</h2>
      <label>
        表格{' '}
        <select value={table} onChange={(e) => setTable(e.target.value as ExportTableId)}>
          {TABLES.map((t) => (
            <option key={t.id} value={t.id}>{t.label}</option>
          ))}
        </select>
      </label>
      {check && (
        <p data-testid="export-summary">
          《{check.title}》：可导出 {check.rows} 人；
          {(Object.keys(check.byStatus) as DecisionStatus[]).map((s) => `${DECISION_LABELS[s]} ${check.byStatus[s]}`).join('，')}
        </p>
      )}
      {check && blocked && (
        <div role="alert">
          <p>以下 {check.blockers.length} 项未处理，正式导出前需处理（或先导出草稿）：</p>
          <ul>
            {check.blockers.slice(0, 200).map((b, i) => (
              <li key={i}>{b.name}（{b.idMasked}，{categoryInfo(b.category).label}）：{b.message}</li>
            ))}
          </ul>
        </div>
      )}
      <label>
        输出目录（空目录）<input value={out} onChange={(e) => setOut(e.target.value)} placeholder="D:\\专升本\\报送\\免试审核表" />
      </label>
      <label>
        学校证书（.p12/.pfx，可选）<input value={p12Path} onChange={(e) => setP12Path(e.target.value)} />
      </label>
      <label>
        证书密码<input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" />
      </label>
      <div>
        <button type="button" disabled={busy || !out || blocked} onClick={() => void doExport(false)}>正式导出（签名）</button>{' '}
        <button type="button" disabled={busy || !out} onClick={() => void doExport(true)}>导出草稿</button>
      </div>
      {result && (
        <div role="status">
          <p>已导出 {result.rows} 人{result.draft ? '（草稿，未签名）' : ''}：{result.dir}</p>
          <ul>{result.files.map((f) => <li key={f.name}>{f.name}（SHA-256 {f.sha256.slice(0, 16)}…）</li>)}</ul>
          {!result.draft && <p>{result.pdfSigner ? `PDF 签名证书：${result.pdfSigner}` : 'PDF 未加证书签名（仅清单已签名）'}</p>}
        </div>
      )}
      {error && (
        <div role="alert">
          <p>{error.message}</p>
          <ul>{error.items.slice(0, 200).map((m, i) => <li key={i}>{m}</li>)}</ul>
        </div>
      )}

      <h2>校验导出目录</h2>
      <label>
        目录<input value={verifyDir} onChange={(e) => setVerifyDir(e.target.value)} />
      </label>
      <button type="button" disabled={!verifyDir} onClick={() => void doVerify()}>校验</button>
      {verified && (
        <p role="status">
          校验通过：《{verified.title}》{verified.college}，{verified.rows} 人，导出于 {verified.exportedAt}；
          {verified.pdfSigner ? `PDF 签名有效（${verified.pdfSigner}）` : 'PDF 无证书签名'}
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

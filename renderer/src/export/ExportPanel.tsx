/**
 * 导出与校验: pick a table, see what blocks a final export (applicants still open or waiting for
 * 复核/抽检, and the table's own rules: 学校名称/代码, an empty table, the 公示 contact), fill in
 * what only the user can say (the college data if no settings screen has it yet, that a table
 * has no applicants, the 公示期), export (signed, or a 草稿), and verify a folder.
 * Self-contained; reaches data only through the API contract. The tables go to the college's 导出
 * folder unless a save dialog names another place; afterwards the folder is shown in Explorer
 * (window) or downloaded as a .zip (browser).
 */
import { useCallback, useEffect, useState } from 'react';
import type { DecisionStatus } from '../../../shared/domain.js';
import type { CollegeSettings, ExportCheck, ExportResult, ExportTableId, FileHandleInfo, NoticeTermsInput, VerifyReport } from '../../../shared/api/index.js';
import { ApiFailure, call } from '../api.js';
import { DateField } from '../DateField.js';
import { FileField, FileIcon } from '../files/FileField.js';
import { downloadUrl, nativeFiles, revealNative, saveNative } from '../files/files.js';
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

/** 学校名称, 学校代码 and the 公示 contact, until the full settings screen exists. */
function CollegeForm({ settings, by, onSaved }: { settings: CollegeSettings; by: string; onSaved: (s: CollegeSettings) => void }): React.JSX.Element {
  const [name, setName] = useState(settings.name);
  const [code, setCode] = useState(settings.code);
  const [phone, setPhone] = useState(settings.noticePhone);
  const [email, setEmail] = useState(settings.noticeEmail);
  const [days, setDays] = useState(String(settings.noticeDays));
  const [who, setWho] = useState(by);
  const [error, setError] = useState<string | null>(null);
  const save = async (): Promise<void> => {
    setError(null);
    try {
      const patch = { name, code, noticePhone: phone, noticeEmail: email, noticeDays: Number(days) };
      onSaved(await call('college.settings.set', { patch, ...(who.trim() ? { by: who.trim() } : {}) }));
    } catch (e) {
      setError(problemsOf(e).message);
    }
  };
  return (
    <fieldset className="college-form" data-testid="college-form">
      <legend>{t('forms.collegeHeading')}</legend>
      <label>{t('forms.name')}<input value={name} onChange={(e) => setName(e.target.value)} /></label>
      <label>{t('forms.code')}<input value={code} inputMode="numeric" maxLength={5} onChange={(e) => setCode(e.target.value)} /></label>
      <label>{t('forms.phone')}<input value={phone} onChange={(e) => setPhone(e.target.value)} /></label>
      <label>{t('forms.email')}<input value={email} type="email" onChange={(e) => setEmail(e.target.value)} /></label>
      <label>{t('forms.days')}<input value={days} type="number" min={1} max={60} onChange={(e) => setDays(e.target.value)} /></label>
      <label>{t('forms.by')}<input value={who} onChange={(e) => setWho(e.target.value)} /></label>
      <button type="button" onClick={() => void save()}>{t('forms.save')}</button>
      {error && <p role="alert">{error}</p>}
    </fieldset>
  );
}

export function ExportPanel({ by = '' }: { by?: string }): React.JSX.Element {
  const [table, setTable] = useState<ExportTableId>('exempt');
  const [check, setCheck] = useState<ExportCheck | null>(null);
  const [settings, setSettings] = useState<CollegeSettings | null>(null);
  const [editCollege, setEditCollege] = useState(false);
  const [confirmNone, setConfirmNone] = useState(false);
  const [noticeStart, setNoticeStart] = useState('');
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

  const notice: NoticeTermsInput | undefined = table === 'notice' && noticeStart ? { start: noticeStart } : undefined;
  const refresh = useCallback(async () => {
    try {
      setSettings(await call('college.settings.get', {}));
      const terms = table === 'notice' && noticeStart ? { notice: { start: noticeStart } } : {};
      setCheck(await call('export.check', { table, ...terms }));
    } catch (e) {
      setError(problemsOf(e));
    }
  }, [table, noticeStart]);

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
      const r = await call('export.run', {
        table, out: { handle: target.handle }, draft, confirmNone, ...(notice ? { notice } : {}), ...(p12 && !draft ? { p12Path: { handle: p12.handle }, passphrase } : {}),
      });
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

  // An empty table is no blocker once the user has said it has no applicants.
  const rules = (check?.rules ?? []).filter((r) => !(r.code === 'empty' && confirmNone));
  const blocked = (check?.blockers.length ?? 0) > 0 || rules.length > 0;
  const collegeMissing = (check?.rules ?? []).some((r) => r.code === 'college_name' || r.code === 'college_code' || r.code === 'notice_contact');
  const n = check?.notice;
  return (
    <section className="export-panel" aria-label={t('tools.export')}>
      <h2>{t('export.heading')}</h2>
      {settings && (
        <p data-testid="export-college">
          {t('forms.college', { name: settings.name, code: settings.code || t('forms.codeUnset') })}{' '}
          <button type="button" onClick={() => setEditCollege((x) => !x)}>{t('forms.edit')}</button>
        </p>
      )}
      {settings && (editCollege || collegeMissing) && (
        <CollegeForm
          key={`${settings.name}|${settings.code}|${settings.noticePhone}|${settings.noticeEmail}`}
          settings={settings}
          by={by}
          onSaved={(s) => {
            setSettings(s);
            setEditCollege(false);
            void refresh();
          }}
        />
      )}
      <label>
        {t('export.table')}{' '}
        <select value={table} onChange={(e) => { setTable(e.target.value as ExportTableId); setConfirmNone(false); }}>
          {TABLES.map((x) => (
            <option key={x.id} value={x.id}>{t(x.label)}</option>
          ))}
        </select>
      </label>
      {check && (
        <div data-testid="export-summary">
          <p>
            {t('export.summary', { title: check.title, rows: check.rows })}
            {(Object.keys(check.byStatus) as DecisionStatus[]).map((s) => `${statusLabel(s)} ${check.byStatus[s]}`).join(t('export.sep'))}
          </p>
          {check.reviewPeriod && <p>{t('forms.period', { from: check.reviewPeriod.from, to: check.reviewPeriod.to })}</p>}
          {check.totals.length > 0 && (
            <ul>
              {check.totals.map((x) => (
                <li key={x.category}>{t('forms.totals', { category: categoryLabel(x.category), approve: x.approve, reject: x.reject, ret: x.return })}</li>
              ))}
            </ul>
          )}
          {check.signoff && <p>{t('forms.signoff')}</p>}
        </div>
      )}
      {table === 'notice' && n && (
        <fieldset data-testid="notice-terms">
          <legend>{t('forms.noticeHeading')}</legend>
          <label>{t('forms.noticeStart')}<DateField value={noticeStart || n.start} onCommit={setNoticeStart} label={t('forms.noticeStart')} placeholder={t('forms.datePlaceholder')} testId="notice-start" /></label>
          <p>{t('forms.noticeTerms', { start: n.start, end: n.end, days: n.days, contact: [n.phone, n.email].filter(Boolean).join('；') || t('forms.noContact') })}</p>
        </fieldset>
      )}
      {check?.rules.some((r) => r.code === 'empty') && (
        <label data-testid="confirm-none">
          <input type="checkbox" style={{ minWidth: 0, marginLeft: 0 }} checked={confirmNone} onChange={(e) => setConfirmNone(e.target.checked)} /> {t('forms.confirmNone')}
        </label>
      )}
      {check && rules.length > 0 && (
        <div role="alert" data-testid="export-rules">
          <p>{t('forms.rules')}</p>
          <ul>{rules.map((r) => <li key={r.code}>{r.message}</li>)}</ul>
        </div>
      )}
      {check && check.blockers.length > 0 && (
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
          <p>{t(result.draft ? 'export.doneDraft' : 'export.done', { rows: result.rows, dir: result.dir })} {t('forms.pages', { pages: result.pages })}</p>
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

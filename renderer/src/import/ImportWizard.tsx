/**
 * 导入向导: choose files → preview the first rows and confirm the column mapping → a dry run shows
 * what would change (and every refusal, row by row) → import with a progress bar and cancel.
 * Files are chosen, not typed (FileField: the native dialog or a drop in the window, an upload in
 * a browser) and reach the desk as handles. Errors can be saved as xlsx for the platform administrator.
 */
import { useEffect, useRef, useState } from 'react';
import {
  IMPORT_TARGETS,
  type ColumnMapping,
  type FileHandleInfo,
  type ImportPreview,
  type ImportProblem,
  type ImportProgress,
  type ImportReport,
  type ImportTarget,
} from '../../../shared/api/index.js';
import type { DeclaredField } from '../../../shared/domain.js';
import { ApiFailure, call } from '../api.js';
import { FileField } from '../files/FileField.js';
import { nativeFiles, saveNative } from '../files/files.js';
import { fieldLabel } from '../i18n.js';
import { extraTargetKey, phaseKey, useImportT } from './strings.js';
import './ImportWizard.css';

export interface ImportWizardProps {
  onClose(): void;
  onImported?(report: ImportReport): void;
  /** Opens 名单与照片 (the cross-check lists and the photo check), also imports before review. */
  onOpenLists?(): void;
}

type Step =
  | { kind: 'choose' }
  | { kind: 'preview'; preview: ImportPreview }
  | { kind: 'check'; preview: ImportPreview; report: ImportReport }
  | { kind: 'running' }
  | { kind: 'refused'; problems: ImportProblem[]; message: string; back: ImportPreview | null }
  | { kind: 'done'; report: ImportReport };

const EXTRA = new Set<ImportTarget>(['ignore', 'rowNo', 'attachments', 'examNo']);

function problemsOf(e: unknown): { problems: ImportProblem[]; message: string; code: string } {
  if (e instanceof ApiFailure) {
    const details = Array.isArray(e.error.details) ? (e.error.details as ImportProblem[]) : [];
    return { problems: details.filter((d) => d && typeof d === 'object' && 'code' in d), message: e.error.message, code: e.error.code };
  }
  return { problems: [], message: e instanceof Error ? e.message : String(e), code: 'internal' };
}

export function ImportWizard({ onClose, onImported, onOpenLists }: ImportWizardProps): React.JSX.Element {
  const t = useImportT();
  const [list, setList] = useState<FileHandleInfo | null>(null);
  const [attachments, setAttachments] = useState<FileHandleInfo | null>(null);
  const [sheet, setSheet] = useState<string | undefined>(undefined);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  /** The importer ticked the red box: this many applicants with a decision may leave the list. */
  const [withdrawOk, setWithdrawOk] = useState(false);
  const polling = useRef<number | null>(null);

  useEffect(() => () => {
    if (polling.current !== null) window.clearInterval(polling.current);
  }, []);

  const listRef = { handle: list?.handle ?? '' };
  const base = (): { listPath: { handle: string }; attachmentsPath?: { handle: string }; sheet?: string; mapping?: ColumnMapping } => ({
    listPath: listRef,
    ...(attachments ? { attachmentsPath: { handle: attachments.handle } } : {}),
    ...(sheet ? { sheet } : {}),
    ...(Object.keys(mapping).length ? { mapping } : {}),
  });

  async function preview(nextSheet = sheet, nextMapping = mapping): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const p = await call('import.preview', {
        listPath: listRef,
        ...(nextSheet ? { sheet: nextSheet } : {}),
        ...(Object.keys(nextMapping).length ? { mapping: nextMapping } : {}),
        rows: 8,
      });
      setStep({ kind: 'preview', preview: p });
    } catch (e) {
      const p = problemsOf(e);
      setStep({ kind: 'refused', problems: p.problems, message: p.message, back: null });
    } finally {
      setBusy(false);
    }
  }

  async function check(p: ImportPreview): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const report = await call('import.run', { ...base(), dryRun: true });
      setWithdrawOk(false);
      setStep({ kind: 'check', preview: p, report });
    } catch (e) {
      const x = problemsOf(e);
      setStep({ kind: 'refused', problems: x.problems, message: x.message, back: p });
    } finally {
      setBusy(false);
    }
  }

  async function run(p: ImportPreview, withdrawnDecided: number): Promise<void> {
    setStep({ kind: 'running' });
    setProgress(null);
    polling.current = window.setInterval(() => {
      call('import.progress', {}).then(setProgress, () => undefined);
    }, 400);
    try {
      // The number the importer confirmed; the service refuses if the list would withdraw another.
      const report = await call('import.run', { ...base(), ...(withdrawnDecided > 0 ? { confirmWithdrawDecided: withdrawnDecided } : {}) });
      setStep({ kind: 'done', report });
      onImported?.(report);
    } catch (e) {
      const x = problemsOf(e);
      setStep({ kind: 'refused', problems: x.problems, message: x.code === 'import_cancelled' ? t('wiz.cancelled') : x.message, back: p });
    } finally {
      if (polling.current !== null) window.clearInterval(polling.current);
      polling.current = null;
    }
  }

  function choose(header: string, target: ImportTarget | ''): void {
    const next = { ...mapping };
    if (target === '') delete next[header];
    else next[header] = target;
    setMapping(next);
    void preview(sheet, next);
  }

  const targetLabel = (x: ImportTarget): string => (EXTRA.has(x) ? t(extraTargetKey(x as 'ignore')) : fieldLabel(x as DeclaredField));
  const steps = ['choose', 'preview', 'check', 'done'] as const;
  const current = step.kind === 'running' || step.kind === 'refused' ? 'check' : step.kind;

  return (
    <div className="iw-backdrop" role="dialog" aria-modal="true" aria-label={t('wiz.title')}>
      <div className="iw">
        <header className="iw-head">
          <h2>{t('wiz.title')}</h2>
          <ol className="iw-steps">
            {steps.map((s) => (
              <li key={s} className={s === current ? 'iw-on' : ''}>{t(`wiz.step.${s}`)}</li>
            ))}
          </ol>
          <button type="button" className="iw-close" onClick={onClose} disabled={step.kind === 'running'} aria-label={t('wiz.close')}>×</button>
        </header>
        {error && <p className="iw-error">{t('wiz.error', { message: error })}</p>}

        {step.kind === 'choose' && (
          <form className="iw-body" onSubmit={(e) => { e.preventDefault(); void preview(); }}>
            <FileField kind="list" label={t('wiz.list')} value={list} onChange={setList} testId="iw-list" />
            <FileField kind="attachments" label={t('wiz.attachments')} value={attachments} onChange={setAttachments} testId="iw-attachments" />
            <footer className="iw-foot">
              {onOpenLists && <button type="button" className="iw-link" data-testid="iw-open-lists" onClick={onOpenLists}>{t('wiz.openLists')}</button>}
              <button type="submit" disabled={busy || !list}>{t('wiz.preview')}</button>
            </footer>
          </form>
        )}

        {step.kind === 'preview' && (
          <div className="iw-body">
            {step.preview.sheets.length > 1 && (
              <label className="iw-inline">{t('wiz.sheet')}
                <select value={step.preview.sheet ?? ''} onChange={(e) => { setSheet(e.target.value); void preview(e.target.value); }}>
                  {step.preview.sheets.map((s) => <option key={s} value={s}>{s}</option>)}
                </select>
              </label>
            )}
            {step.preview.headerRow === null ? <p className="iw-error">{t('wiz.noHeader')}</p> : (
              <p>{t('wiz.format', { format: step.preview.format, row: step.preview.headerRow, n: step.preview.dataRows })}</p>
            )}
            {step.preview.remembered && <p className="iw-note">{t('wiz.remembered')}</p>}
            {step.preview.columns.length > 0 && (
              <table className="iw-table iw-mapping">
                <thead><tr><th>{t('wiz.column')}</th><th>{t('wiz.target')}</th><th /></tr></thead>
                <tbody>
                  {step.preview.columns.map((c) => (
                    <tr key={c.index} className={c.target === null ? 'iw-unknown' : ''}>
                      <td>{c.header}</td>
                      <td>
                        <select value={mapping[c.header] ?? c.target ?? ''} onChange={(e) => choose(c.header, e.target.value as ImportTarget | '')} data-testid={`iw-map-${c.index}`}>
                          <option value="">{t('wiz.unknown')}</option>
                          {IMPORT_TARGETS.map((x) => <option key={x} value={x}>{targetLabel(x)}</option>)}
                        </select>
                      </td>
                      <td>{c.ambiguous ? t('wiz.ambiguous') : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {step.preview.missing.length > 0 && (
              <p className="iw-error">{t('wiz.missing', { fields: step.preview.missing.map((f) => fieldLabel(f)).join('、') })}</p>
            )}
            {step.preview.rows.length > 0 && (
              <>
                <h3>{t('wiz.firstRows')}</h3>
                <div className="iw-scroll">
                  <table className="iw-table">
                    <thead><tr><th>{t('wiz.row')}</th>{step.preview.columns.map((c) => <th key={c.index}>{c.header}</th>)}</tr></thead>
                    <tbody>
                      {step.preview.rows.map((r) => (
                        <tr key={r.row}><td>{r.row}</td>{step.preview.columns.map((c) => <td key={c.index}>{r.cells[c.index] ?? ''}</td>)}</tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
            <footer className="iw-foot">
              <button type="button" onClick={() => setStep({ kind: 'choose' })}>{t('wiz.back')}</button>
              <button type="button" disabled={busy || step.preview.missing.length > 0} onClick={() => void check(step.preview)}>
                {busy ? t('wiz.checking') : t('wiz.check')}
              </button>
            </footer>
          </div>
        )}

        {step.kind === 'check' && (
          <div className="iw-body">
            <p>{t('wiz.wouldChange', { added: step.report.added, updated: step.report.updated, unchanged: step.report.unchanged, withdrawn: step.report.withdrawn })}</p>
            {step.report.attachments && (
              <p data-testid="iw-attachments-checked">{t('wiz.attachmentsChecked', { files: step.report.attachments.files, accepted: step.report.attachments.accepted })}</p>
            )}
            {step.report.changedSinceDecided > 0 && <p className="iw-warn">{t('wiz.changedDecided', { n: step.report.changedSinceDecided })}</p>}
            {step.report.withdrawnDecided > 0 && (
              <div className="iw-danger" role="alert" data-testid="iw-withdraw-decided">
                <p>{t('wiz.withdrawDecided', { n: step.report.withdrawnDecided })}</p>
                <label>
                  <input type="checkbox" checked={withdrawOk} onChange={(e) => setWithdrawOk(e.target.checked)} data-testid="iw-withdraw-confirm" />
                  {t('wiz.withdrawConfirm', { n: step.report.withdrawnDecided })}
                </label>
              </div>
            )}
            <ReportTables report={step.report} />
            <footer className="iw-foot">
              <button type="button" onClick={() => setStep({ kind: 'preview', preview: step.preview })}>{t('wiz.back')}</button>
              <button
                type="button" className={step.report.withdrawnDecided > 0 ? 'iw-primary iw-danger-button' : 'iw-primary'} data-testid="iw-confirm"
                disabled={step.report.withdrawnDecided > 0 && !withdrawOk}
                onClick={() => void run(step.preview, step.report.withdrawnDecided)}
              >
                {step.report.withdrawnDecided > 0 ? t('wiz.confirmWithdraw', { n: step.report.withdrawnDecided }) : t('wiz.confirm')}
              </button>
            </footer>
          </div>
        )}

        {step.kind === 'running' && (
          <div className="iw-body">
            <p>{t('wiz.running')} {progress ? t(phaseKey(progress.phase)) : ''}</p>
            <progress max={progress?.total || 1} value={progress?.total ? progress.done : undefined} className="iw-progress" />
            {progress && progress.total > 0 && <p className="iw-note">{progress.done} / {progress.total}</p>}
            <footer className="iw-foot">
              <button type="button" onClick={() => { call('import.cancel', {}).catch((e: unknown) => setError(problemsOf(e).message)); }}>{t('wiz.cancel')}</button>
            </footer>
          </div>
        )}

        {step.kind === 'refused' && (
          <div className="iw-body">
            <p className="iw-error">{step.problems.length > 0 ? t('wiz.refused') : step.message}</p>
            {step.problems.length > 0 && <ProblemTable problems={step.problems} />}
            {step.problems.length > 0 && <SaveErrors problems={step.problems} />}
            <footer className="iw-foot">
              <button type="button" onClick={() => (step.back ? setStep({ kind: 'preview', preview: step.back }) : setStep({ kind: 'choose' }))}>{t('wiz.back')}</button>
            </footer>
          </div>
        )}

        {step.kind === 'done' && (
          <div className="iw-body">
            <p>{t('wiz.done', { added: step.report.added, updated: step.report.updated, unchanged: step.report.unchanged, withdrawn: step.report.withdrawn, documents: step.report.documents })}</p>
            {step.report.changedSinceDecided > 0 && <p className="iw-warn">{t('wiz.changedDecided', { n: step.report.changedSinceDecided })}</p>}
            <ReportTables report={step.report} />
            {step.report.warnings.length > 0 && <SaveErrors problems={step.report.warnings} />}
            <footer className="iw-foot"><button type="button" className="iw-primary" onClick={onClose}>{t('wiz.finish')}</button></footer>
          </div>
        )}
      </div>
    </div>
  );
}

function ReportTables({ report }: { report: ImportReport }): React.JSX.Element {
  const t = useImportT();
  return (
    <>
      {report.normalisations.length > 0 && (
        <details>
          <summary>{t('wiz.normalised', { n: report.normalisations.length })}</summary>
          <div className="iw-scroll">
            <table className="iw-table">
              <thead><tr><th>{t('col.row')}</th><th>{t('col.column')}</th><th>{t('col.from')}</th><th>{t('col.to')}</th></tr></thead>
              <tbody>
                {report.normalisations.slice(0, 500).map((n, i) => (
                  <tr key={i}><td>{n.row}</td><td>{n.column}</td><td>{n.from}</td><td>{n.to}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      {report.warnings.length > 0 && (
        <details open>
          <summary>{t('wiz.warnings', { n: report.warnings.length })}</summary>
          <ProblemTable problems={report.warnings} />
        </details>
      )}
    </>
  );
}

function ProblemTable({ problems }: { problems: ImportProblem[] }): React.JSX.Element {
  const t = useImportT();
  return (
    <div className="iw-scroll">
      <table className="iw-table iw-problems" data-testid="iw-problems">
        <thead><tr><th>{t('col.file')}</th><th>{t('col.sheet')}</th><th>{t('col.row')}</th><th>{t('col.column')}</th><th>{t('col.value')}</th><th>{t('col.problem')}</th></tr></thead>
        <tbody>
          {problems.slice(0, 1000).map((p, i) => (
            <tr key={i}><td>{p.file}</td><td>{p.sheet ?? ''}</td><td>{p.row ?? ''}</td><td>{p.column ?? ''}</td><td>{p.value ?? ''}</td><td>{p.message}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Save the table as xlsx: where a save dialog says (the window), or as a download (any browser). */
function SaveErrors({ problems }: { problems: ImportProblem[] }): React.JSX.Element {
  const t = useImportT();
  const [msg, setMsg] = useState<string | null>(null);
  async function save(): Promise<void> {
    try {
      const target = await saveNative('report', '导入问题.xlsx');
      if (!target) return;
      await call('import.errorsXlsx', { problems, path: { handle: target.handle } });
      setMsg(t('wiz.saved', { path: target.name }));
    } catch (e) {
      setMsg(problemsOf(e).message);
    }
  }
  async function download(): Promise<void> {
    try {
      const r = await call('import.errorsXlsx', { problems });
      const bytes = Uint8Array.from(atob(r.base64 ?? ''), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = '导入问题.xlsx';
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setMsg(problemsOf(e).message);
    }
  }
  return (
    <div className="iw-save">
      {nativeFiles() && <button type="button" onClick={() => void save()}>{t('wiz.saveErrors')}</button>}
      <button type="button" onClick={() => void download()}>{t('wiz.download')}</button>
      {msg && <span className="iw-note">{msg}</span>}
    </div>
  );
}

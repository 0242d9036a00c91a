/**
 * 名单与照片 (before review): the cross-check lists the province hands out (上年考生, 上半年已被其他
 * 计划录取) imported from a file the user chooses, and the college's photo folder checked against
 * the applicant list, with the report table on screen and as an xlsx (a save dialog or the
 * college's outbox in the window, a download in a browser). Files only as handles (FileField).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CrossListImportReport, CrossListStatus, FileHandleInfo, PhotoCheckReport, PhotoProblemCode } from '../../../shared/api/index.js';
import { CROSS_LIST_KINDS, type CrossListKind } from '../../../shared/checks/lists.js';
import { ApiFailure, call } from '../api.js';
import { FileField } from '../files/FileField.js';
import { downloadUrl, nativeFiles, revealNative, saveNative } from '../files/files.js';
import { fmtDateTime, t, useLang, type MessageKey } from '../i18n.js';

const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));

const LIST_LABEL: Record<CrossListKind, MessageKey> = { previous: 'lists.kind.previous', admitted: 'lists.kind.admitted' };
const PROBLEM_LABEL: Record<PhotoProblemCode, MessageKey> = {
  missing: 'photos.code.missing',
  duplicate: 'photos.code.duplicate',
  wrong_type: 'photos.code.wrong_type',
  unreadable: 'photos.code.unreadable',
  wrong_pixels: 'photos.code.wrong_pixels',
  too_large: 'photos.code.too_large',
  too_small: 'photos.code.too_small',
  not_portrait: 'photos.code.not_portrait',
  not_on_list: 'photos.code.not_on_list',
  no_id_in_name: 'photos.code.no_id_in_name',
};
const REPORT_NAME = '学籍照片核对报告.xlsx';

export function ListsPanel({ by, onChanged }: { by: string; onChanged: () => void }): React.JSX.Element {
  useLang();
  const [status, setStatus] = useState<CrossListStatus[]>([]);
  const [kind, setKind] = useState<CrossListKind>('previous');
  const [file, setFile] = useState<FileHandleInfo | null>(null);
  const [imported, setImported] = useState<CrossListImportReport | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [folder, setFolder] = useState<FileHandleInfo | null>(null);
  const [photos, setPhotos] = useState<PhotoCheckReport | null>(null);
  /** The xlsx of the last photo check (in the outbox, or where a save dialog said). */
  const [reportOut, setReportOut] = useState<FileHandleInfo | null>(null);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const photosRef = useRef<HTMLDivElement>(null);
  // The result lies below the fold of a 768-px screen: brought into view when it arrives.
  useEffect(() => {
    if (photos) photosRef.current?.scrollIntoView({ block: 'start' });
  }, [photos]);

  const refresh = useCallback(() => {
    call('lists.status', {}).then(setStatus, (e: unknown) => setListError(message(e)));
  }, []);
  useEffect(refresh, [refresh]);

  const doImport = async (): Promise<void> => {
    if (!file) return;
    setBusy(true);
    setListError(null);
    setImported(null);
    try {
      const r = await call('lists.import', { kind, listPath: { handle: file.handle }, ...(by.trim() ? { by: by.trim() } : {}) });
      setImported(r);
      setFile(null);
      onChanged();
    } catch (e) {
      setListError(message(e));
    } finally {
      setBusy(false);
      refresh();
    }
  };

  /** Checks the folder and writes the report: into `target`, or a fresh file of the outbox. */
  const doPhotos = async (target?: FileHandleInfo): Promise<void> => {
    if (!folder) return;
    setBusy(true);
    setPhotoError(null);
    try {
      const out = target ?? (await call('files.output', { kind: 'report', name: REPORT_NAME }));
      const r = await call('checks.photos', { folder: { handle: folder.handle }, reportPath: { handle: out.handle } });
      setPhotos(r);
      setReportOut(out);
    } catch (e) {
      setPhotoError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const saveAs = async (): Promise<void> => {
    try {
      const target = await saveNative('report', REPORT_NAME);
      if (target) await doPhotos(target);
    } catch (e) {
      setPhotoError(message(e));
    }
  };

  const codes = photos ? (Object.keys(photos.counts) as PhotoProblemCode[]).filter((c) => photos.counts[c] > 0) : [];
  return (
    <section className="lists-panel" aria-label={t('tools.lists')}>
      <h2>{t('lists.heading')}</h2>
      <table className="lists-status" data-testid="lists-status">
        <thead><tr><th>{t('lists.col.list')}</th><th>{t('lists.col.file')}</th><th>{t('lists.col.listed')}</th><th>{t('lists.col.matched')}</th><th>{t('lists.col.by')}</th></tr></thead>
        <tbody>
          {CROSS_LIST_KINDS.map((k) => {
            const s = status.find((x) => x.kind === k);
            return (
              <tr key={k} data-list={k}>
                <td>{t(LIST_LABEL[k])}</td>
                {s?.imported ? (
                  <>
                    <td>{s.file}</td>
                    <td>{s.listed}</td>
                    <td className={s.matched > 0 ? 'lists-hit' : ''}>{s.matched}</td>
                    <td>{s.by ? `${s.by}（${fmtDateTime(s.at)}）` : t('lists.thisPcOnly')}</td>
                  </>
                ) : (
                  <td colSpan={4} className="muted">{t('lists.none')}</td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <label>
        {t('lists.kind')}
        <select data-testid="lists-kind" value={kind} onChange={(e) => setKind(e.target.value as CrossListKind)}>
          {CROSS_LIST_KINDS.map((k) => <option key={k} value={k}>{t(LIST_LABEL[k])}</option>)}
        </select>
      </label>
      <FileField kind="crossList" label={t('lists.file')} value={file} onChange={setFile} testId="lists-file" hint={t('lists.hint')} />
      <button type="button" data-testid="lists-import" disabled={busy || !file} onClick={() => void doImport()}>{t('lists.import')}</button>
      {imported && (
        <div role="status" data-testid="lists-imported">
          <p>{t('lists.imported', { label: t(LIST_LABEL[imported.kind]), file: imported.file, listed: imported.listed, matched: imported.matched })}</p>
          {imported.rejected.length + imported.invalid.length > 0 && (
            <ul className="lists-problems">
              {[...imported.rejected.map((x) => ({ ...x, kept: false })), ...imported.invalid.map((x) => ({ ...x, kept: true }))].slice(0, 200).map((x, i) => (
                <li key={i}>{x.value}：{x.problem}{x.kept ? t('lists.keptAsWritten') : t('lists.notImported')}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {listError && <p role="alert">{listError}</p>}

      <h2>{t('photos.heading')}</h2>
      <p className="muted">{t('photos.intro')}</p>
      <FileField kind="photoFolder" label={t('photos.folder')} value={folder} onChange={(f) => { setFolder(f); setPhotos(null); setReportOut(null); }} testId="photos-folder" />
      <button type="button" data-testid="photos-run" disabled={busy || !folder} onClick={() => void doPhotos()}>{busy ? t('photos.running') : t('photos.run')}</button>
      {photoError && <p role="alert">{photoError}</p>}
      {photos && (
        <div role="status" data-testid="photos-result" ref={photosRef}>
          <p>
            {t('photos.summary', { applicants: photos.applicants, files: photos.files, ok: photos.ok })}
            {codes.length > 0 ? ` ${codes.map((c) => `${t(PROBLEM_LABEL[c])} ${photos.counts[c]}`).join(t('export.sep'))}` : ` ${t('photos.allGood')}`}
          </p>
          <p>{t('photos.spec', { types: photos.spec.types.join('/').toUpperCase(), w: photos.spec.minWidth === photos.spec.maxWidth ? photos.spec.minWidth : `${photos.spec.minWidth}–${photos.spec.maxWidth}`, h: photos.spec.minHeight === photos.spec.maxHeight ? photos.spec.minHeight : `${photos.spec.minHeight}–${photos.spec.maxHeight}`, minKb: Math.round(photos.spec.minBytes / 1024), maxKb: Math.round(photos.spec.maxBytes / 1024) })}</p>
          {reportOut && (
            <p className="lists-report">
              {nativeFiles() ? (
                <>
                  <button type="button" data-testid="photos-save" onClick={() => void saveAs()}>{t('photos.saveAs')}</button>
                  <button type="button" data-testid="photos-open-folder" onClick={() => void revealNative(reportOut.handle).catch((e: unknown) => setPhotoError(message(e)))}>{t('photos.openReport')}</button>
                </>
              ) : (
                <a data-testid="photos-download" href={downloadUrl(reportOut.handle)} download={REPORT_NAME}>{t('photos.download')}</a>
              )}
            </p>
          )}
          {photos.rows.length > 0 && (
            <div className="lists-scroll">
              <table className="lists-photos" data-testid="photos-table">
                <thead><tr><th>{t('photos.col.row')}</th><th>{t('photos.col.id')}</th><th>{t('photos.col.name')}</th><th>{t('photos.col.file')}</th><th>{t('photos.col.problem')}</th><th>{t('photos.col.fix')}</th></tr></thead>
                <tbody>
                  {photos.rows.slice(0, 1000).flatMap((r) => r.problems.map((p, i) => (
                    <tr key={`${r.idNumber}|${r.files.join('|')}|${i}`} data-code={p.code}>
                      <td>{r.rowNo ?? ''}</td><td>{r.idNumber}</td><td>{r.name}</td><td>{p.file}</td>
                      <td><strong>{t(PROBLEM_LABEL[p.code])}</strong><br />{p.message}</td><td>{p.fix}</td>
                    </tr>
                  )))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * One file or folder the user gives the desk (名单, 附件, 证书, 同步包 …), as a handle. In the
 * window: the native dialog and drag-and-drop onto the field; in a browser: a file input (or a
 * folder input) that uploads into the desk's inbox, with progress. A typed path is offered only
 * where the desk takes one (files.policy: the CLI's and the tests' desks; never the window's or
 * the web host's, whose callers name files only by what the user chose).
 */
import { useRef, useState } from 'react';
import { FILE_KINDS, type FileHandleInfo, type FileKind } from '../../../shared/api/index.js';
import { ApiFailure } from '../api.js';
import { t } from '../i18n.js';
import { acceptOf, dropNative, fmtBytes, nativeFiles, pickNative, typedPath, uploadFolder, uploadOne, useTypedPaths, type UploadProgress } from './files.js';
import './files.css';

export interface FileFieldProps {
  kind: FileKind;
  label: string;
  value: FileHandleInfo | null;
  onChange(v: FileHandleInfo | null): void;
  /** data-testid prefix: -chosen, -file, -folder, -path, -use, -pick, -pick-folder. */
  testId: string;
  hint?: string;
  disabled?: boolean;
}

/** A file or folder symbol drawn in SVG: emoji fonts are not on every PC (nor in the test browser). */
export function FileIcon({ folder }: { folder: boolean }): React.JSX.Element {
  return (
    <svg className="ff-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
      {folder ? (
        <path d="M1.5 3.5h4.2l1.4 1.5h7.4v8.5H1.5z" fill="#f2c14e" stroke="#b8860b" strokeWidth="1" />
      ) : (
        <>
          <path d="M3.5 1.5h6l3 3v10h-9z" fill="#fff" stroke="#6b7380" strokeWidth="1" />
          <path d="M9.5 1.5v3h3" fill="none" stroke="#6b7380" strokeWidth="1" />
        </>
      )}
    </svg>
  );
}

const message = (e: unknown): string => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));

export function FileField({ kind, label, value, onChange, testId, hint, disabled }: FileFieldProps): React.JSX.Element {
  const spec = FILE_KINDS[kind];
  const native = nativeFiles() !== null;
  const wantsFile = spec.shape !== 'folder';
  const wantsFolder = spec.shape !== 'file';
  const uploadable = spec.io === 'in' && spec.maxBytes > 0;
  const [busy, setBusy] = useState<UploadProgress | 'picking' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [over, setOver] = useState(false);
  const folderInput = useRef<HTMLInputElement>(null);
  const typedPaths = useTypedPaths() === true;

  const run = async (f: () => Promise<FileHandleInfo | null>): Promise<void> => {
    setError(null);
    setBusy('picking');
    try {
      const h = await f();
      if (h) onChange(h);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };

  const onFiles = (list: FileList | null, asFolder: boolean): void => {
    const files = list ? [...list] : [];
    if (files.length === 0) return;
    if (asFolder) {
      void run(() => uploadFolder(kind, files, (p) => setBusy(p)));
    } else {
      const f = files[0] as File;
      void run(() => uploadOne(kind, f, f.name, null, (sent) => setBusy({ files: 0, totalFiles: 1, bytes: sent, totalBytes: f.size })));
    }
  };

  const onDrop = (e: React.DragEvent): void => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const f = e.dataTransfer.files[0];
    if (!f) return;
    if (native) void run(() => dropNative(kind, f));
    // A browser hands over a dropped file's bytes but not a dropped folder's contents.
    else if (uploadable && wantsFile) onFiles(e.dataTransfer.files, false);
    else setError(t('files.dropFolderInBrowser'));
  };

  const applyTyped = (): void => {
    if (!typed.trim()) return;
    void run(() => typedPath(kind, typed.trim()));
  };

  const progress = busy !== null && busy !== 'picking' ? busy : null;
  // In a browser a folder the desk writes into can only be typed (the loopback host shares this PC's disk).
  const typedOnly = !native && !uploadable;
  const typedInput = (
    <span className="ff-typed">
      <input
        data-testid={`${testId}-path`}
        value={typed}
        placeholder={t('files.pathPlaceholder')}
        disabled={disabled}
        onChange={(e) => setTyped(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            // Enter applies the path; it must not submit the form around the field.
            e.preventDefault();
            applyTyped();
          }
        }}
      />
      <button type="button" data-testid={`${testId}-use`} disabled={disabled || !typed.trim()} onClick={applyTyped}>{t('files.usePath')}</button>
    </span>
  );

  return (
    <div
      className={`ff${over ? ' ff-over' : ''}`}
      data-testid={testId}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="ff-label">{label}{hint && <span className="ff-hint">{hint}</span>}</div>
      <div className="ff-row">
        {value ? (
          <span className="ff-chosen" data-testid={`${testId}-chosen`} title={value.name} translate="no">
            <FileIcon folder={value.folder} /> {value.name}
            {value.bytes !== null && value.bytes > 0 && <span className="ff-size"> · {fmtBytes(value.bytes)}</span>}
          </span>
        ) : (
          <span className="ff-empty">{typedOnly ? t(typedPaths ? 'files.typeBelow' : 'sec.notInBrowser') : native ? t('files.dropHere') : t('files.noneChosen')}</span>
        )}
        {native && wantsFile && (
          <button type="button" data-testid={`${testId}-pick`} disabled={disabled || busy !== null} onClick={() => void run(() => pickNative(kind, false))}>
            {t(value ? 'files.change' : wantsFolder ? 'files.chooseZip' : 'files.chooseFile')}
          </button>
        )}
        {native && wantsFolder && (
          <button type="button" data-testid={`${testId}-pick-folder`} disabled={disabled || busy !== null} onClick={() => void run(() => pickNative(kind, true))}>
            {t('files.chooseFolder')}
          </button>
        )}
        {!native && uploadable && wantsFile && (
          <label className="ff-upload">
            {t(wantsFolder ? 'files.chooseZip' : value ? 'files.change' : 'files.chooseFile')}
            <input type="file" data-testid={`${testId}-file`} accept={acceptOf(kind) || undefined} disabled={disabled || busy !== null} onChange={(e) => {
              onFiles(e.target.files, false);
              e.target.value = '';
            }} />
          </label>
        )}
        {!native && uploadable && wantsFolder && (
          <label className="ff-upload">
            {t('files.chooseFolder')}
            <input
              type="file"
              ref={(el) => {
                folderInput.current = el;
                // webkitdirectory is not in React's typings; set as an attribute.
                el?.setAttribute('webkitdirectory', '');
              }}
              data-testid={`${testId}-folder`}
              multiple
              disabled={disabled || busy !== null}
              onChange={(e) => {
                onFiles(e.target.files, true);
                e.target.value = '';
              }}
            />
          </label>
        )}
        {value && (
          <button type="button" className="ff-clear" disabled={disabled || busy !== null} onClick={() => onChange(null)} aria-label={t('files.clear')}>×</button>
        )}
      </div>
      {progress && (
        <div className="ff-progress" role="status">
          <progress max={progress.totalBytes || 1} value={progress.bytes} />
          <span>
            {progress.totalFiles > 1
              ? t('files.uploadingFolder', { files: progress.files, total: progress.totalFiles, size: fmtBytes(progress.totalBytes) })
              : t('files.uploading', { done: fmtBytes(progress.bytes), size: fmtBytes(progress.totalBytes) })}
          </span>
        </div>
      )}
      {error && <div className="ff-error" role="alert">{error}</div>}
      {!typedPaths ? null : typedOnly ? (
        typedInput
      ) : (
        <details className="ff-advanced">
          <summary>{t('files.advanced')}</summary>
          {typedInput}
        </details>
      )}
    </div>
  );
}

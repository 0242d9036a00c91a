/**
 * 开始页面: the colleges this PC knows (name, 学校代码, counts, last sync; the demo marked 演示),
 * 新建学院, 加入学院 (from a bundle or a copy another PC made) and opening a college kept elsewhere.
 * Shown when no college is open, and as a dialog from the toolbar to switch. Opening a college
 * switches the desk (the old one is closed by the desk) and the page starts afresh on it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { CollegeEntry, CurrentCollege, FileHandleInfo } from '../../../shared/api/index.js';
import { ApiFailure, call } from '../api.js';
import { FileField, FileIcon } from '../files/FileField.js';
import { nativeFiles, saveNative } from '../files/files.js';
import { fmtDateTime, fmtNum, setLang, t, useLang } from '../i18n.js';
import iconUrl from '../../../resources/icons/icon-256.png';
import './colleges.css';

/** Settings of the page that belong to one college: a new one starts without them. */
const PER_COLLEGE_KEYS = ['desk.filter', 'desk.selected', 'desk.syncFolder'];

/** After a switch the desk is another college: the page starts afresh on it (queue, caches, filters). */
export function startAfresh(): void {
  for (const k of PER_COLLEGE_KEYS) localStorage.removeItem(k);
  window.location.reload();
}

interface Problem {
  code: string;
  message: string;
  /** A lock held by another PC can be taken over once the user made sure it is not in use. */
  takeOver?: { id: string };
}

function problemOf(e: unknown, id?: string): Problem {
  if (e instanceof ApiFailure) {
    const d = e.error.details as { sameHost?: boolean } | undefined;
    return { code: e.error.code, message: e.error.message, ...(e.error.code === 'workspace_locked' && d?.sameHost === false && id ? { takeOver: { id } } : {}) };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export interface StartScreenProps {
  /** Why the college of the last session was not reopened. */
  notice?: CurrentCollege['notice'];
  /** As a dialog over the open desk (switching), with a way back. */
  onClose?: () => void;
}

export function StartScreen({ notice, onClose }: StartScreenProps): React.JSX.Element {
  const lang = useLang();
  const [list, setList] = useState<CollegeEntry[] | null>(null);
  const [years, setYears] = useState<number[]>([]);
  const [problem, setProblem] = useState<Problem | null>(notice ? { code: notice.code, message: notice.message, ...(notice.code === 'workspace_locked' && (notice.details as { sameHost?: boolean } | undefined)?.sameHost === false && notice.id ? { takeOver: { id: notice.id } } : {}) } : null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(() => {
    call('colleges.list', {}).then(setList, (e: unknown) => setProblem(problemOf(e)));
    call('colleges.current', {}).then((c) => setYears(c.ruleYears), () => undefined);
  }, []);
  useEffect(load, [load]);
  // As a dialog over the desk it closes with Esc, like the desk's other dialogs.
  useEffect(() => {
    if (!onClose) return undefined;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  useEffect(() => {
    if (!onClose) document.title = t('start.windowTitle');
  }, [onClose, lang]);

  const act = async (what: string, f: () => Promise<unknown>, id?: string): Promise<void> => {
    setBusy(what);
    setProblem(null);
    try {
      await f();
      startAfresh();
    } catch (e) {
      setProblem(problemOf(e, id));
      setBusy(null);
      load();
    }
  };

  const open = (c: CollegeEntry, takeOver = false): Promise<void> => act(c.demo && c.notYetMade ? 'demo' : `open:${c.id}`, () => call('colleges.open', { id: c.id, takeOver }), c.id);

  const body = (
    <div className="start" data-testid="start-screen">
      {problem && (
        <div className="start-problem" role="alert" data-testid="start-problem" data-code={problem.code}>
          <p>{problem.message}</p>
          {problem.takeOver && (
            <button type="button" className="start-danger" onClick={() => {
              const c = list?.find((x) => x.id === problem.takeOver?.id);
              if (c) void open(c, true);
            }}>{t('start.takeOver')}</button>
          )}
        </div>
      )}
      {busy === 'demo' && <p className="start-busy" role="status">{t('start.makingDemo')}</p>}
      <div className="start-grid">
        <section className="start-open" aria-label={t('start.openHeading')}>
          <h2>{t('start.openHeading')}</h2>
          {list === null ? (
            <p className="muted">{t('viewer.loading')}</p>
          ) : (
            <ul className="start-list">
              {list.map((c) => (
                <li key={c.id} className={c.open ? 'current' : ''} data-college={c.demo ? 'demo' : c.name}>
                  <div className="start-name">
                    <strong>{c.name}</strong>
                    {c.demo && <span className="start-badge demo">{t('start.demo')}</span>}
                    {c.open && <span className="start-badge open">{t('start.current')}</span>}
                    {c.code && <span className="muted"> · {t('start.code')} {c.code}</span>}
                    {c.year !== null && <span className="muted"> · {c.year}</span>}
                  </div>
                  <div className="start-facts muted">
                    {c.notYetMade
                      ? t('start.demoNotMade')
                      : c.applicants === null
                        ? '—'
                        : t('start.counts', { applicants: fmtNum(c.applicants), decided: fmtNum(c.decided ?? 0) })}
                    {!c.notYetMade && <> · {c.lastSyncAt ? t('start.lastSync', { at: fmtDateTime(c.lastSyncAt) }) : t('start.neverSynced')}</>}
                    {c.lastOpenedAt && <> · {t('start.lastOpened', { at: fmtDateTime(c.lastOpenedAt) })}</>}
                  </div>
                  <div className="start-where muted" title={c.folder} translate="no">{c.folder}</div>
                  {c.problem && <div className="start-bad">{c.problem}</div>}
                  {c.storageWarning && <div className="start-warn">⚠ {c.storageWarning}</div>}
                  <div className="start-actions">
                    {c.open && onClose ? (
                      <button type="button" onClick={onClose}>{t('start.back')}</button>
                    ) : (
                      <button type="button" className="start-primary" disabled={busy !== null || c.problem !== null} onClick={() => void open(c)} data-testid={`open-${c.demo ? 'demo' : c.id}`}>
                        {busy === `open:${c.id}` || (busy === 'demo' && c.demo) ? t('start.opening') : t('start.open')}
                      </button>
                    )}
                    {!c.demo && !c.open && (
                      <button type="button" className="link" disabled={busy !== null} onClick={() => {
                        if (window.confirm(t('start.forgetConfirm', { name: c.name }))) void call('colleges.forget', { id: c.id }).then(load, (e: unknown) => setProblem(problemOf(e)));
                      }}>{t('start.forget')}</button>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
          <OpenElsewhere busy={busy !== null} onOpen={(h) => void act('elsewhere', () => call('colleges.open', { folder: { handle: h.handle } }))} />
          {onClose && list?.some((c) => c.open) && (
            <p><button type="button" className="link" data-testid="close-college" onClick={() => void act('close', () => call('colleges.close', {}))}>{t('start.toStart')}</button></p>
          )}
        </section>
        <div className="start-side">
          <NewCollege busy={busy !== null} years={years} onCreate={(a) => void act('create', () => call('colleges.create', a))} />
          <JoinCollege busy={busy !== null} onJoin={(a) => void act('join', () => call('colleges.join', a))} />
        </div>
      </div>
    </div>
  );

  if (onClose) {
    return (
      <div className="modal-back">
        <div className="modal start-dialog" role="dialog" aria-modal="true" aria-label={t('start.switchTitle')}>
          <header>
            <h2>{t('start.switchTitle')}</h2>
            <button type="button" className="close" onClick={onClose} aria-label={t('common.close')}>×</button>
          </header>
          {body}
        </div>
      </div>
    );
  }
  return (
    <div className="start-page" lang={lang}>
      <header className="start-top">
        <img src={iconUrl} alt="" width={28} height={28} />
        <h1>{t('app.title')}</h1>
        <span className="subtitle">{t('start.subtitle')}</span>
        <span className="spacer" />
        <button type="button" className="top lang" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>{t('app.lang')}</button>
      </header>
      {body}
    </div>
  );
}

function NewCollege({ busy, years, onCreate }: { busy: boolean; years: number[]; onCreate: (a: { name: string; code?: string; year?: number; folder?: { handle: string }; by?: string }) => void }): React.JSX.Element {
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  // The newest year whose rules the desk ships (a year without rules would have no checks).
  const [year, setYear] = useState('');
  const chosenYear = year || String(years[0] ?? '');
  const [folder, setFolder] = useState<FileHandleInfo | null>(null);
  const native = nativeFiles() !== null;
  const codeOk = code === '' || /^\d{5}$/.test(code);
  const yearN = Number(chosenYear);
  const yearOk = years.includes(yearN);
  return (
    <section className="start-new" aria-label={t('start.newHeading')}>
      <h2>{t('start.newHeading')}</h2>
      <form onSubmit={(e) => {
        e.preventDefault();
        const by = localStorage.getItem('desk.reviewer')?.trim();
        onCreate({ name: name.trim(), ...(code ? { code } : {}), year: yearN, ...(folder ? { folder: { handle: folder.handle } } : {}), ...(by ? { by } : {}) });
      }}>
        <label>{t('start.name')}<input data-testid="new-name" value={name} onChange={(e) => setName(e.target.value)} placeholder={t('start.namePlaceholder')} required minLength={2} maxLength={60} /></label>
        <div className="start-pair">
          <label>{t('start.code')}<input data-testid="new-code" value={code} onChange={(e) => setCode(e.target.value.trim())} placeholder="14306" inputMode="numeric" maxLength={5} aria-invalid={!codeOk} /></label>
          <label>{t('start.year')}
            <select data-testid="new-year" value={chosenYear} onChange={(e) => setYear(e.target.value)}>
              {years.map((y) => <option key={y} value={y}>{y}</option>)}
            </select>
          </label>
        </div>
        {!codeOk && <p className="start-bad">{t('start.codeHint')}</p>}
        <div className="start-where-choice">
          <span>{t('start.where')}</span>
          {folder ? <strong><FileIcon folder /> {folder.name}</strong> : <span className="muted"> {t('start.whereDefault')}</span>}
          {native && (
            <button type="button" className="link" onClick={() => {
              void saveNative('collegeFolder', name.trim() || t('start.namePlaceholder')).then((h) => h && setFolder(h), () => undefined);
            }}>{t('start.whereChoose')}</button>
          )}
          {folder && <button type="button" className="link" onClick={() => setFolder(null)}>{t('start.whereReset')}</button>}
        </div>
        <button type="submit" className="start-primary" data-testid="new-create" disabled={busy || name.trim().length < 2 || !codeOk || !yearOk}>{t('start.create')}</button>
      </form>
    </section>
  );
}

function JoinCollege({ busy, onJoin }: { busy: boolean; onJoin: (a: { source: { handle: string }; passphrase?: string }) => void }): React.JSX.Element {
  const [bundle, setBundle] = useState<FileHandleInfo | null>(null);
  const [clone, setClone] = useState<FileHandleInfo | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const source = bundle ?? clone;
  return (
    <section className="start-join" aria-label={t('start.joinHeading')}>
      <h2>{t('start.joinHeading')}</h2>
      <p className="muted">{t('start.joinHint')}</p>
      <FileField kind="bundle" label={t('start.joinBundle')} value={bundle} onChange={(v) => { setBundle(v); if (v) setClone(null); }} testId="join-bundle" />
      <FileField kind="clone" label={t('start.joinClone')} value={clone} onChange={(v) => { setClone(v); if (v) setBundle(null); }} testId="join-clone" />
      {bundle && (
        <label>{t('start.passphrase')}<input type="password" autoComplete="off" data-testid="join-passphrase" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} /></label>
      )}
      <button type="button" className="start-primary" data-testid="join" disabled={busy || !source || (bundle !== null && !passphrase)} onClick={() => {
        if (source) onJoin({ source: { handle: source.handle }, ...(bundle ? { passphrase } : {}) });
      }}>{t('start.join')}</button>
    </section>
  );
}

function OpenElsewhere({ busy, onOpen }: { busy: boolean; onOpen: (h: FileHandleInfo) => void }): React.JSX.Element {
  const [folder, setFolder] = useState<FileHandleInfo | null>(null);
  return (
    <details className="start-elsewhere">
      <summary>{t('start.elsewhere')}</summary>
      <FileField kind="workspace" label={t('start.elsewhereFolder')} value={folder} onChange={setFolder} testId="open-folder" />
      <button type="button" disabled={busy || !folder} onClick={() => folder && onOpen(folder)}>{t('start.open')}</button>
    </details>
  );
}

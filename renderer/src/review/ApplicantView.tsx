/**
 * One applicant (考生审核): declared data grouped by category with the checks' findings on top,
 * the scans beside it (one or two panes), per-document verdicts, and the decision bar. Every
 * action has a key; a routine approval is one keystroke (A or Enter) — while the focus is on the
 * desk, never on a button or field (./keys.ts). Verdicts (清晰/模糊, 一致/不一致) are logged and
 * synced like decisions; they preselect the catalogue's reasons, and the decision keeps them as
 * codes (shown in the reader's language). An applicant in 冲突 cannot be decided here.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DocumentInfo, OcrDocumentView, ReviewApplicant, Rotation } from '../../../shared/api/index.js';
import { CATEGORY_FIELDS, type Decision, type DeclaredField } from '../../../shared/domain.js';
import { ApiFailure, call } from '../api.js';
import { DocViewer, type Fit } from '../DocViewer.js';
import { categoryLabel, docLabel, fieldLabel, fmtDate, fmtDateTime, statusLabel, t, useLang } from '../i18n.js';
import { forgetApplicant, loadApplicant, peekApplicant, prefetchApplicant } from './cache.js';
import { DecisionBar } from './DecisionBar.js';
import { Findings } from './Findings.js';
import { History } from './History.js';
import { keyOwner, leaveControl } from './keys.js';
import { HIT_MARK, ocrHits, type OcrHit } from './ocrHits.js';
import { PaneHead } from './PaneHead.js';
import { NO_VERDICT, reasonsFor, verdictMap, type Verdicts, type VerdictSet } from './verdicts.js';

const BASIC_FIELDS: DeclaredField[] = ['name', 'sex', 'idNumber', 'phone', 'category', 'school', 'major', 'gradYear'];
/** 报考院校 / 报考专业: optional columns (filled at 志愿填报), shown when the list has them. */
const TARGET_FIELDS: DeclaredField[] = ['targetSchool', 'targetMajor'];

interface Pane {
  doc: number;
  /** Set once the reviewer picks a fit or zoom in this pane; until then the document kind's own. */
  fit?: Fit | undefined;
  zoom?: number | undefined;
  page: number;
  pages: number;
}

const newPane = (doc: number): Pane => ({ doc, page: 1, pages: 1 });

const BOXES_KEY = 'desk.ocrBoxes';
/** While some scan of the applicant waits in the OCR queue, its frames are asked for again this often. */
const OCR_POLL_MS = 4000;

export interface Decided {
  idNumber: string;
  name: string;
  status: Decision;
  reviewer: string;
  at: string;
}

export interface ApplicantViewProps {
  idNumber: string;
  nextId: string | null;
  reviewer: string;
  autoAdvance: boolean;
  keysEnabled: boolean;
  onDecided: (d: Decided, advance: boolean) => void;
  onNeedReviewer: () => void;
  /** Bumped by the parent after an undo, so the view reloads. */
  version: number;
}

/** Memoised: the queue re-renders on every keystroke in the search box; the scans must not. */
export const ApplicantView = memo(function ApplicantView(props: ApplicantViewProps): React.JSX.Element {
  const { idNumber, nextId, reviewer, autoAdvance, keysEnabled, onDecided, onNeedReviewer, version } = props;
  const lang = useLang();
  // A prefetched applicant is there in the first render (no frame of 'loading', no extra task).
  const [data, setData] = useState<ReviewApplicant | null>(() => peekApplicant(idNumber));
  const [loadError, setLoadError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [panes, setPanes] = useState<Pane[]>([newPane(0)]);
  const [active, setActive] = useState(0);
  const [rotations, setRotations] = useState<Record<number, Rotation>>(() => peekApplicant(idNumber)?.rotations ?? {});
  const [verdicts, setVerdicts] = useState<Verdicts>(() => verdictMap(peekApplicant(idNumber)?.verdicts ?? []));
  /** Verdict calls run one after the other, and only the latest answer is applied. */
  const verdictChain = useRef<Promise<void>>(Promise.resolve());
  const verdictSeq = useRef(0);
  const [full, setFull] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const scales = useRef<number[]>([1, 1]);
  const noteRef = useRef<HTMLInputElement>(null);
  const [ocr, setOcr] = useState<Record<number, OcrDocumentView>>({});
  const [showBoxes, setShowBoxes] = useState(() => localStorage.getItem(BOXES_KEY) !== 'off');
  const [flash, setFlash] = useState<{ docId: number; field: string; n: number } | null>(null);

  useEffect(() => localStorage.setItem(BOXES_KEY, showBoxes ? 'on' : 'off'), [showBoxes]);

  // The OCR findings of this applicant's scans. A desk without readings (or an OCR area that
  // fails) simply draws no frames: the viewer never depends on them.
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (): void => {
      call('ocr.forApplicant', { idNumber }).then(
        (views) => {
          if (cancelled) return;
          setOcr(Object.fromEntries(views.map((v) => [v.documentId, v])));
          if (views.some((v) => v.state === 'queued')) timer = setTimeout(load, OCR_POLL_MS);
        },
        () => !cancelled && setOcr({}),
      );
    };
    setOcr({});
    setFlash(null);
    load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [idNumber, version]);

  useEffect(() => {
    let cancelled = false;
    loadApplicant(idNumber).then(
      (a) => {
        if (cancelled) return;
        setData(a);
        setRotations(a.rotations);
        const vs = verdictMap(a.verdicts);
        setVerdicts(vs);
        // Verdicts given earlier (here or on another PC) preselect their reasons again.
        const want = reasonsFor(vs, a.verdictReasons);
        const add = [want.blurry && a.verdictReasons.blurry, want.mismatch && a.verdictReasons.mismatch].filter((c): c is string => !!c);
        if (add.length) setPicked((p) => [...p, ...add.filter((c) => !p.includes(c))]);
      },
      (e: unknown) => !cancelled && setLoadError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [idNumber, version]);

  // While the reviewer reads this applicant, the next one's data and first scans arrive.
  useEffect(() => {
    if (data && nextId) prefetchApplicant(nextId);
  }, [data, nextId]);

  const docs = data?.detail.documents ?? [];
  const docOf = (p: Pane | undefined): DocumentInfo | undefined => (p ? docs[p.doc] : undefined);
  const activePane = panes[active] ?? panes[0];
  const activeDoc = docOf(activePane);

  const updatePane = useCallback((i: number, patch: Partial<Pane> | ((p: Pane) => Partial<Pane>)) => {
    // Another document in the pane opens at the fit and zoom remembered for its kind.
    const apply = (p: Pane, next: Pane): Pane => (next.doc === p.doc ? next : { ...next, fit: undefined, zoom: undefined });
    setPanes((ps) => ps.map((p, j) => (j === i ? apply(p, { ...p, ...(typeof patch === 'function' ? patch(p) : patch) }) : p)));
  }, []);

  const decide = useCallback(
    async (decision: Decision) => {
      if (!data || busy) return;
      if (!reviewer.trim()) {
        setMessage({ kind: 'error', text: t('decision.needReviewer') });
        onNeedReviewer();
        return;
      }
      if (data.detail.status === 'conflict') {
        setMessage({ kind: 'error', text: t('status.conflictBanner') });
        return;
      }
      if (decision !== 'approve' && picked.length === 0) {
        setMessage({ kind: 'error', text: t('decision.needReason') });
        return;
      }
      // Approving over an error finding is an override: it needs the reviewer's reason (the service insists too).
      if (decision === 'approve' && note.trim() === '' && data.findings.some((f) => f.severity === 'error')) {
        setMessage({ kind: 'error', text: t('decision.overrideNeedsNote') });
        noteRef.current?.focus();
        return;
      }
      setBusy(true);
      try {
        // The note is what the reviewer typed; the verdicts in force are kept with the decision as codes.
        const res = await call('decisions.record', { idNumber, decision, reasons: decision === 'approve' ? [] : picked, note: note.trim(), reviewer: reviewer.trim() });
        // A click leaves the focus on the button; give the keys back to the desk for the next applicant.
        if (document.activeElement instanceof HTMLElement && document.activeElement !== document.body) document.activeElement.blur();
        forgetApplicant(idNumber);
        onDecided({ idNumber, name: data.detail.declared.name, status: decision, reviewer: res.event.reviewer, at: res.event.at }, autoAdvance);
        if (!autoAdvance) {
          // Saved with the decision: the fields start empty for whatever comes next here.
          setNote('');
          setPicked([]);
          setData(await loadApplicant(idNumber));
          setMessage({ kind: 'ok', text: t('decision.saved', { decision: statusLabel(res.status) }) });
        }
      } catch (e) {
        setMessage({ kind: 'error', text: e instanceof ApiFailure || e instanceof Error ? e.message : String(e) });
      } finally {
        setBusy(false);
      }
    },
    [data, busy, reviewer, picked, note, idNumber, onDecided, autoAdvance, onNeedReviewer],
  );

  const toggleReason = useCallback((code: string, on?: boolean) => {
    setPicked((p) => {
      const has = p.includes(code);
      const want = on ?? !has;
      return want === has ? p : want ? [...p, code] : p.filter((c) => c !== code);
    });
  }, []);

  /**
   * Sets (or, with null, clears) one aspect of one scan: shown at once, logged through
   * documents.verdict, and the reasons follow — a 模糊 picks the catalogue's 不清晰 reason, and
   * the reason is dropped again when no scan is 模糊 any more (likewise 不一致).
   */
  const setVerdict = useCallback(
    (docId: number, set: VerdictSet) => {
      if (!data) return;
      const map = data.verdictReasons;
      const before = reasonsFor(verdicts, map);
      const next = { ...verdicts, [docId]: { ...NO_VERDICT, ...verdicts[docId], [set.aspect]: set.value } };
      const after = reasonsFor(next, map);
      setVerdicts(next);
      if (map.blurry && before.blurry !== after.blurry) toggleReason(map.blurry, after.blurry);
      if (map.mismatch && before.mismatch !== after.mismatch) toggleReason(map.mismatch, after.mismatch);
      const seq = ++verdictSeq.current;
      const send = async (): Promise<void> => {
        const res = await call('documents.verdict', { idNumber, documentId: docId, ...set, reviewer: reviewer.trim() });
        forgetApplicant(idNumber);
        const { entry } = res;
        if (entry) setData((d) => d && { ...d, verdicts: res.verdicts, verdictLog: [...d.verdictLog, entry] });
        if (seq === verdictSeq.current) setVerdicts(verdictMap(res.verdicts));
      };
      verdictChain.current = verdictChain.current.then(send).catch((e: unknown) => {
        // Not saved: show what the log says, not what was clicked.
        setMessage({ kind: 'error', text: t('verdict.saveFailed', { message: e instanceof Error ? e.message : String(e) }) });
        if (seq === verdictSeq.current) setVerdicts(verdicts);
        if (!reviewer.trim()) onNeedReviewer();
      });
    },
    [data, verdicts, toggleReason, idNumber, reviewer, onNeedReviewer],
  );

  /** The reviewer's turn of a scan, else the one OCR found for an image (never stored for them). */
  const rotationOf = useCallback(
    (doc: DocumentInfo): Rotation => rotations[doc.id] ?? (doc.mime.startsWith('image/') ? (ocr[doc.id]?.pages[0]?.rotation ?? 0) : 0),
    [rotations, ocr],
  );

  const rotate = useCallback(
    (doc: DocumentInfo | undefined, step: 90 | -90) => {
      if (!doc) return;
      const next = (((rotationOf(doc) + step) % 360) + 360) % 360 as Rotation;
      setRotations((r) => ({ ...r, [doc.id]: next }));
      forgetApplicant(idNumber);
      call('review.rotation.set', { documentId: doc.id, rotation: next }).catch((e: unknown) => setMessage({ kind: 'error', text: e instanceof Error ? e.message : String(e) }));
    },
    [rotationOf, idNumber],
  );

  const hits = useMemo(() => ocrHits(docs, ocr), [docs, ocr]);

  /** Shows where OCR found a declared field: its document and page in the active pane, the frame flashing. */
  const jumpTo = useCallback(
    (hit: OcrHit) => {
      const doc = docs[hit.docIndex];
      if (!doc) return;
      setShowBoxes(true);
      updatePane(active, { doc: hit.docIndex, page: hit.check.page ?? 1 });
      setFlash((f) => ({ docId: doc.id, field: hit.check.field, n: (f?.n ?? 0) + 1 }));
    },
    [docs, active, updatePane],
  );

  const zoomBy = useCallback(
    (i: number, factor: number) => updatePane(i, () => ({ fit: 'free', zoom: Math.min(8, Math.max(0.1, (scales.current[i] ?? 1) * factor)) })),
    [updatePane],
  );

  const sideBySide = useCallback(() => {
    setPanes((ps) => {
      if (ps.length > 1) {
        setActive(0);
        return [ps[0] ?? newPane(0)];
      }
      const first = ps[0] ?? newPane(0);
      // The second pane opens the next document of another kind (退役证 beside 毕业证, not page 2 of it).
      const kind = docs[first.doc]?.kind;
      const other = docs.findIndex((d, i) => i !== first.doc && d.kind !== kind);
      return [first, newPane(other >= 0 ? other : docs.length > 1 ? (first.doc + 1) % docs.length : first.doc)];
    });
  }, [docs]);

  useEffect(() => {
    if (!keysEnabled) return;
    const onKey = (e: KeyboardEvent): void => {
      // Esc on a control hands the keys back (the App blurs it); a control keeps every other key.
      if (leaveControl(e) || keyOwner(e) === 'control') return;
      if (e.key === 'Escape') {
        if (full) setFull(false);
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const reasons = data?.reasons ?? [];
      const k = e.key;
      let handled = true;
      if (k === 'a' || k === 'A' || k === 'Enter') void decide('approve');
      else if (k === 'r' || k === 'R') void decide('reject');
      else if (k === 't' || k === 'T') void decide('return');
      else if (/^[0-9]$/.test(k)) {
        // The key of a reason is the same in every category (shared/review/reasonKeys.ts).
        const keys = data?.reasonKeys ?? {};
        const r = reasons.find((x) => keys[x.code] === Number(k));
        if (r) toggleReason(r.code);
      } else if (k === '+' || k === '=') zoomBy(active, 1.25);
      else if (k === '-' || k === '_') zoomBy(active, 1 / 1.25);
      else if (k === 'w' || k === 'W') updatePane(active, { fit: 'width' });
      else if (k === 'h' || k === 'H') updatePane(active, { fit: 'page' });
      else if (k === 'o') rotate(activeDoc, 90);
      else if (k === 'O') rotate(activeDoc, -90);
      else if (k === ']' || k === '[') {
        if (docs.length > 0) updatePane(active, (p) => ({ doc: (p.doc + (k === ']' ? 1 : docs.length - 1)) % docs.length, page: 1, pages: 1 }));
      } else if (k === '.' || k === 'PageDown') updatePane(active, (p) => ({ page: Math.min(p.pages, p.page + 1) }));
      else if (k === ',' || k === 'PageUp') updatePane(active, (p) => ({ page: Math.max(1, p.page - 1) }));
      else if (k === 's' || k === 'S') sideBySide();
      else if (k === 'x' || k === 'X') setActive((a) => (panes.length > 1 ? 1 - a : 0));
      else if (k === 'f' || k === 'F') setFull((f) => !f);
      // Shift+B shows/hides the OCR frames; b stays the blurry verdict it always was.
      else if (k === 'B') setShowBoxes((v) => !v);
      else if (k === 'b' && activeDoc) setVerdict(activeDoc.id, { aspect: 'clarity', value: verdicts[activeDoc.id]?.clarity === 'blurry' ? 'clear' : 'blurry' });
      else if ((k === 'm' || k === 'M') && activeDoc) setVerdict(activeDoc.id, { aspect: 'match', value: verdicts[activeDoc.id]?.match === 'mismatch' ? 'match' : 'mismatch' });
      else if (k === 'n' || k === 'N') noteRef.current?.focus();
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keysEnabled, data, decide, toggleReason, zoomBy, updatePane, rotate, activeDoc, docs.length, sideBySide, panes.length, active, full, verdicts, setVerdict]);

  const catFields = useMemo(() => (data ? CATEGORY_FIELDS[data.detail.declared.category] : []), [data]);
  const unread = useMemo(() => (data?.detail.documents ?? []).filter((x) => ocr[x.id]?.state === 'queued'), [data, ocr]);
  if (!data) return <div className="placeholder" role={loadError ? 'alert' : undefined}>{loadError ?? t('viewer.loading')}</div>;
  const { detail } = data;
  const d = detail.declared;
  const value = (f: DeclaredField): string => {
    if (f === 'category') return categoryLabel(d.category);
    const v = d[f];
    if (v === null || v === '') return '';
    if ((f === 'enlistDate' || f === 'dischargeDate' || f === 'awardDate') && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return fmtDate(v);
    return String(v);
  };
  const reasonLabel = (c: string): string => data.reasons.find((r) => r.code === c)?.label ?? c;
  /** A declared value; where OCR found it on a scan, a link there with a ✓ / ? / ✗ mark. */
  const declaredValue = (f: DeclaredField): React.ReactNode => {
    const text = value(f) || '—';
    const hit = hits.get(f);
    const doc = hit && docs[hit.docIndex];
    if (!hit || !doc) return text;
    const { status, found, declared } = hit.check;
    const tip = status === 'agree' ? t('ocr.status.agree') : t(status === 'unsure' ? 'ocr.unsureTip' : 'ocr.differTip', { field: fieldLabel(f), found, declared });
    return (
      <>
        <button type="button" className="ocr-jump" data-ocr-status={status} title={`${tip} · ${t('ocr.jump', { doc: docLabel(doc.kind), page: hit.check.page ?? 1 })}`} onClick={() => jumpTo(hit)}>
          {text}
        </button>
        <span className={`ocr-mark ${status}`} aria-label={t(`ocr.status.${status}`)}>{HIT_MARK[status] ?? ''}</span>
      </>
    );
  };

  return (
    <div className={`applicant${full ? ' full' : ''}${panes.length > 1 ? ' side' : ''}`}>
      <div className="declared">
        <h2>
          {d.name} <span className={`status status-${detail.status}`} data-testid="current-status">{statusLabel(detail.status)}</span>
        </h2>
        {detail.status === 'conflict' && <div className="banner error" data-testid="conflict-banner">{t('status.conflictBanner')}</div>}
        {detail.withdrawn && <div className="banner warn">{t('applicant.withdrawn')}</div>}
        {data.changedAt && <div className="banner warn" data-testid="changed">{t('applicant.changed', { at: fmtDateTime(data.changedAt) })}</div>}
        {unread.length > 0 && <div className="banner info" data-testid="ocr-unread">{t('applicant.ocrUnread', { n: unread.length })}</div>}
        <Findings data={data} lang={lang} reasonLabel={reasonLabel} onReason={(code) => toggleReason(code, true)} />
        <h3>{t('applicant.basic')}</h3>
        <dl>
          {[...BASIC_FIELDS, ...(d.targetSchool || d.targetMajor ? TARGET_FIELDS : [])].map((f) => (
            <div key={f} className="field"><dt>{fieldLabel(f)}</dt><dd data-field={f}>{declaredValue(f)}</dd></div>
          ))}
        </dl>
        {catFields.length > 0 && (
          <>
            <h3>{t('applicant.categoryFields')} · {categoryLabel(d.category)}</h3>
            <dl>
              {catFields.map((f) => (
                <div key={f} className="field"><dt>{fieldLabel(f)}</dt><dd data-field={f}>{declaredValue(f)}</dd></div>
              ))}
            </dl>
          </>
        )}
        <History data={data} reasonLabel={reasonLabel} />
      </div>
      <div className="docs">
        <div className="doc-tabs" role="tablist">
          {docs.map((x, i) => {
            const v = verdicts[x.id];
            return (
              <button
                key={x.id}
                type="button"
                role="tab"
                aria-selected={activePane?.doc === i}
                className={`${activePane?.doc === i ? 'active' : ''}${panes.some((p) => p.doc === i) ? ' shown' : ''}`}
                onClick={() => updatePane(active, { doc: i, page: 1, pages: 1 })}
              >
                {docLabel(x.kind)}
                {v?.clarity === 'blurry' && <span className="verdict bad">{t('verdict.blurry')}</span>}
                {v?.match === 'mismatch' && <span className="verdict bad">{t('verdict.mismatch')}</span>}
                {rotationOf(x) !== 0 && <span className="verdict">{rotationOf(x)}°</span>}
              </button>
            );
          })}
          <span className="spacer" />
          <button type="button" className="tool" onClick={() => zoomBy(active, 1 / 1.25)} title={t('viewer.zoomOut')}>−</button>
          <button type="button" className="tool" onClick={() => zoomBy(active, 1.25)} title={t('viewer.zoomIn')}>＋</button>
          <button type="button" className="tool" onClick={() => updatePane(active, { fit: 'width' })}>{t('viewer.fitWidth')}</button>
          <button type="button" className="tool" onClick={() => updatePane(active, { fit: 'page' })}>{t('viewer.fitPage')}</button>
          <button type="button" className="tool" data-testid="rotate" onClick={() => rotate(activeDoc, 90)}>{t('viewer.rotate')}</button>
          <button type="button" className={`tool${panes.length > 1 ? ' on' : ''}`} data-testid="side-by-side" onClick={sideBySide}>{t('viewer.sideBySide')}</button>
          <button type="button" className={`tool ocr-toggle${showBoxes ? ' on' : ''}`} data-testid="ocr-toggle" aria-pressed={showBoxes} title={t('ocr.boxesTitle')} onClick={() => setShowBoxes((v) => !v)}>{t('ocr.boxes')}</button>
          <button type="button" className="tool" onClick={() => setFull((f) => !f)}>{full ? t('viewer.exitFullscreen') : t('viewer.fullscreen')}</button>
        </div>
        {docs.length === 0 ? (
          <div className="viewer-msg">{t('applicant.noDocuments')}</div>
        ) : (
          <div className={`panes n${panes.length}`}>
            {panes.map((p, i) => {
              const doc = docOf(p);
              if (!doc) return null;
              return (
                <div key={i} className={`pane${i === active ? ' active' : ''}`} data-pane={i} data-doc-kind={doc.kind} onMouseDown={() => setActive(i)}>
                  <PaneHead doc={doc} category={d.category} value={value} verdict={verdicts[doc.id]} onVerdict={(set) => setVerdict(doc.id, set)} />
                  <DocViewer
                    doc={doc}
                    rotation={rotationOf(doc)}
                    ocr={ocr[doc.id] ?? null}
                    showBoxes={showBoxes}
                    flash={flash?.docId === doc.id ? flash : null}
                    fit={p.fit}
                    zoom={p.zoom}
                    page={p.page}
                    onPages={(n) => updatePane(i, { pages: n })}
                    onPage={(pg) => updatePane(i, { page: pg })}
                    onScale={(s) => {
                      scales.current[i] = s;
                    }}
                    onWheelZoom={(f) => zoomBy(i, f)}
                  />
                </div>
              );
            })}
          </div>
        )}
      </div>
      <DecisionBar
        data={data}
        picked={picked}
        note={note}
        noteRef={noteRef}
        busy={busy}
        message={message}
        onToggle={toggleReason}
        onNote={setNote}
        onDecide={(decision) => void decide(decision)}
      />
    </div>
  );
});

/**
 * OCR as a visible background job (识别中 x/y): the reading queue's progress in the toolbar, with
 * pause and resume. The queue runs on the main side and is restarted there after every import;
 * this only shows it. It asks often while the queue runs and seldom while idle (an import started
 * elsewhere is seen within a few seconds), and tells the desk when a run stops so the queue's
 * "未识别" marks are refreshed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OcrQueueStatus } from '../../../shared/api/index.js';
import { call } from '../api.js';
import { fmtNum, t } from '../i18n.js';

const BUSY_MS = 1500;
const IDLE_MS = 6000;

export function OcrProgress({ onStopped }: { onStopped: () => void }): React.JSX.Element | null {
  const [status, setStatus] = useState<OcrQueueStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const last = useRef<OcrQueueStatus['state'] | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const stopped = useRef(onStopped);
  stopped.current = onStopped;

  const apply = useCallback((s: OcrQueueStatus) => {
    // A run that ended or paused has read scans: the queue's marks are stale.
    if (last.current === 'running' && s.state !== 'running') stopped.current();
    last.current = s.state;
    setStatus(s);
  }, []);

  const poll = useCallback(() => {
    window.clearTimeout(timer.current);
    call('ocr.status', {}).then(
      (s) => {
        apply(s);
        timer.current = window.setTimeout(poll, s.state === 'running' ? BUSY_MS : IDLE_MS);
      },
      // No workspace yet, or the host restarting: ask again later.
      () => void (timer.current = window.setTimeout(poll, IDLE_MS)),
    );
  }, [apply]);

  useEffect(() => {
    poll();
    return () => window.clearTimeout(timer.current);
  }, [poll]);

  const act = (name: 'ocr.pause' | 'ocr.start'): void => {
    setBusy(true);
    call(name, {}).then(apply, () => undefined).finally(() => {
      setBusy(false);
      poll();
    });
  };

  if (!status || (status.state === 'idle' && status.unread === 0)) return null;
  const { state, done, total, unread } = status;
  const label = state === 'running'
    ? t('ocrjob.running', { done: fmtNum(done), total: fmtNum(total) })
    : state === 'paused'
      ? t('ocrjob.paused', { done: fmtNum(done), total: fmtNum(total) })
      : t('ocrjob.unread', { n: fmtNum(unread) });
  return (
    <span className={`ocr-job ${state}`} data-testid="ocr-progress" data-state={state} title={status.lastError ? t('ocrjob.lastError', { message: status.lastError }) : (status.current ?? undefined)}>
      {state !== 'idle' && <progress max={total || 1} value={done} aria-hidden="true" />}
      <span className="ocr-job-text">{label}</span>
      {state === 'running' ? (
        <button type="button" className="top" data-testid="ocr-pause" disabled={busy} onClick={() => act('ocr.pause')}>{t('ocrjob.pause')}</button>
      ) : (
        <button type="button" className="top" data-testid="ocr-resume" disabled={busy} onClick={() => act('ocr.start')}>{state === 'paused' ? t('ocrjob.resume') : t('ocrjob.start')}</button>
      )}
    </span>
  );
}

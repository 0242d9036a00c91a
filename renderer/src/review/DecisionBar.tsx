/**
 * The decision bar: the category's reasons in key order (the same number key in every category),
 * the note, and 通过 / 不通过 / 退回补正 (disabled while the applicant is in 冲突).
 */
import { useMemo, type RefObject } from 'react';
import type { ReviewApplicant } from '../../../shared/api/index.js';
import type { Decision } from '../../../shared/domain.js';
import { keyOrder } from '../../../shared/review/reasonKeys.js';
import { t } from '../i18n.js';

export interface DecisionBarProps {
  data: ReviewApplicant;
  picked: readonly string[];
  note: string;
  noteRef: RefObject<HTMLInputElement | null>;
  busy: boolean;
  message: { kind: 'ok' | 'error'; text: string } | null;
  onToggle: (code: string, on: boolean) => void;
  onNote: (note: string) => void;
  onDecide: (decision: Decision) => void;
}

export function DecisionBar({ data, picked, note, noteRef, busy, message, onToggle, onNote, onDecide }: DecisionBarProps): React.JSX.Element {
  // Shown in key order (1 … 9, 0, then those without a key), so the numbers read as a row.
  const keyedReasons = useMemo(() => [...data.reasons].sort((a, b) => keyOrder(data.reasonKeys[a.code]) - keyOrder(data.reasonKeys[b.code])), [data]);
  const conflict = data.detail.status === 'conflict';
  return (
    <div className="decision-bar">
      <div className="reasons" aria-label={t('decision.reasons')} title={t('decision.reasonHint')}>
        {keyedReasons.map((r) => {
          const key = data.reasonKeys[r.code];
          return (
            <label key={r.code} className={picked.includes(r.code) ? 'on' : ''} data-key={key ?? ''}>
              <input type="checkbox" value={r.code} checked={picked.includes(r.code)} onChange={(e) => onToggle(r.code, e.target.checked)} />
              {key !== undefined ? <kbd>{key}</kbd> : <kbd className="none" title={t('decision.noKey')}>·</kbd>} {r.label}
            </label>
          );
        })}
        {keyedReasons.some((r) => data.reasonKeys[r.code] === undefined) && <span className="muted">{t('decision.noKey')}</span>}
      </div>
      <div className="decision-row">
        <input ref={noteRef} className="note" aria-label={t('decision.note')} placeholder={`${t('decision.note')}（N）`} value={note} onChange={(e) => onNote(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()} />
        <button type="button" className="btn approve" disabled={busy || conflict} onClick={() => onDecide('approve')}>{t('decision.approve')} <kbd>A</kbd></button>
        <button type="button" className="btn reject" disabled={busy || conflict} onClick={() => onDecide('reject')}>{t('decision.reject')} <kbd>R</kbd></button>
        <button type="button" className="btn return" disabled={busy || conflict} onClick={() => onDecide('return')}>{t('decision.return')} <kbd>T</kbd></button>
      </div>
      {message && <div className={`message ${message.kind}`} role="status">{message.text}</div>}
    </div>
  );
}

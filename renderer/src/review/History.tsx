/** The applicant's history: decisions and per-document verdicts in one list by time, in the reader's language. */
import type { ReviewApplicant, VerdictEntry } from '../../../shared/api/index.js';
import { docLabel, fmtDateTime, statusLabel, t, type MessageKey } from '../i18n.js';

/** The verdicts kept with a decision, in the reader's language: only what was wrong. */
function verdictText(vs: ReviewApplicant['detail']['history'][number]['verdicts']): string {
  return vs
    .map((v) => {
      const parts = [v.clarity === 'blurry' && t('verdict.blurry'), v.match === 'mismatch' && t('verdict.mismatch')].filter(Boolean);
      return parts.length ? `${docLabel(v.documentKind ?? 'other')}${parts.join('、')}` : '';
    })
    .filter(Boolean)
    .join('；');
}

type HistoryLine = { kind: 'decision'; at: string; h: ReviewApplicant['detail']['history'][number] } | { kind: 'verdict'; at: string; v: VerdictEntry };

/** Decisions and verdicts in one list by time (each list is already in order; a stable merge keeps it). */
function historyLines(a: ReviewApplicant): HistoryLine[] {
  const lines: HistoryLine[] = [
    ...a.detail.history.map((h): HistoryLine => ({ kind: 'decision', at: h.at, h })),
    ...a.verdictLog.map((v): HistoryLine => ({ kind: 'verdict', at: v.at, v })),
  ];
  return lines.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}

export function History({ data, reasonLabel }: { data: ReviewApplicant; reasonLabel: (code: string) => string }): React.JSX.Element {
  return (
    <>
      <h3>{t('applicant.history')}</h3>
      {data.detail.history.length === 0 && data.verdictLog.length === 0 ? (
        <p className="muted">{t('applicant.noHistory')}</p>
      ) : (
        <ol className="history">
          {historyLines(data).map((line) =>
            line.kind === 'decision' ? (
              <li key={line.h.id} data-kind={line.h.kind} className={line.h.head ? 'head' : undefined}>
                <span className="muted">{t(`history.kind.${line.h.kind}` as MessageKey)}</span>{' '}
                <b>{statusLabel(line.h.decision ?? 'pending')}</b> · {line.h.reviewer} · {fmtDateTime(line.h.at)}
                {line.h.reasons.length > 0 && <> · {line.h.reasons.map(reasonLabel).join('、')}</>}
                {verdictText(line.h.verdicts) && <> · {t('decision.verdicts', { text: verdictText(line.h.verdicts) })}</>}
                {line.h.override && <> · <span className="bad" data-testid="override-mark">{t('history.override')}</span></>}
                {line.h.bulkId && <> · {t('history.bulk')}</>}
                {line.h.note && <> · {line.h.note}</>}
              </li>
            ) : (
              <li key={line.v.eventId} className="verdict-entry" data-testid="verdict-entry">
                {docLabel(line.v.documentKind ?? 'other')}
                {line.v.documentId === null && ` ${t('verdict.scanMissing')}`}
                {' '}<b className={line.v.value === 'blurry' || line.v.value === 'mismatch' ? 'bad' : ''}>{line.v.value ? t(`verdict.${line.v.value}`) : t(`verdict.cleared.${line.v.aspect}`)}</b> · {line.v.reviewer} · {fmtDateTime(line.v.at)}
              </li>
            ),
          )}
        </ol>
      )}
    </>
  );
}

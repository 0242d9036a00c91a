/** The head of one scan pane: its kind, the declared values to compare it with, and its four verdict buttons. */
import type { DocumentInfo } from '../../../shared/api/index.js';
import type { CategoryCode, DeclaredField, DocumentKind } from '../../../shared/domain.js';
import { docLabel, fieldLabel, t } from '../i18n.js';
import { cleared, VERDICT_BUTTONS, type Verdict, type VerdictSet } from './verdicts.js';

/** Declared fields a reviewer compares with each kind of scan (where they appear on it). */
const DOC_FIELDS: Record<DocumentKind, DeclaredField[]> = {
  discharge_cert: ['name', 'idNumber', 'dischargeCertNo', 'enlistDate', 'dischargeDate'],
  unit_cert: ['name', 'idNumber', 'enlistDate', 'dischargeDate'],
  merit_cert: ['name', 'merit'],
  award_cert: ['name', 'competition', 'award', 'awardLevel', 'awardDate'],
  diploma: ['name', 'idNumber', 'school', 'major', 'gradYear'],
  poverty_proof: ['name', 'idNumber', 'hukou', 'povertyIssuer'],
  photo: ['name'],
  other: ['name'],
};

/** A 燎原计划 applicant's 获奖证书 is of the 赛项 the list names, not of a 竞赛获奖 award. */
function docFields(kind: DocumentKind, category: CategoryCode): DeclaredField[] {
  return kind === 'award_cert' && category === 'craftsman' ? ['name', 'craftContest', 'craftContestLevel'] : DOC_FIELDS[kind];
}

export function PaneHead({ doc, category, value, verdict, onVerdict }: { doc: DocumentInfo; category: CategoryCode; value: (f: DeclaredField) => string; verdict: Verdict | undefined; onVerdict: (set: VerdictSet) => void }): React.JSX.Element {
  return (
    <div className="pane-head">
      <b>{docLabel(doc.kind)}</b>
      <span className="compare" aria-label={t('applicant.compare')}>
        {docFields(doc.kind, category).map((f) => (
          <span key={f}><i>{fieldLabel(f)}</i> {value(f) || '—'}</span>
        ))}
      </span>
      <span className="verdicts">
        {VERDICT_BUTTONS.map((b) => {
          const on = verdict?.[b.aspect] === b.value;
          const bad = b.value === 'blurry' || b.value === 'mismatch';
          return (
            <button
              key={b.value}
              type="button"
              data-verdict={b.value}
              aria-pressed={on}
              className={on ? (bad ? 'on bad' : 'on') : ''}
              title={on ? t('verdict.clickToClear') : undefined}
              onClick={() => onVerdict(on ? cleared(b.aspect) : b)}
            >
              {t(`verdict.${b.value}`)}
            </button>
          );
        })}
      </span>
    </div>
  );
}

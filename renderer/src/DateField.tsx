/**
 * A date typed as YYYY-MM-DD, the way the desk writes dates everywhere. Not the browser's date input:
 * its picker shows the PC's locale (mm/dd/yyyy and English month names on an English Windows)
 * inside the Chinese desk. The value is committed on Enter or when the field is left, and only a
 * real calendar date (or empty, when allowed) is committed; anything else is marked and kept for
 * correction.
 */
import { useEffect, useState } from 'react';
import { isDeclaredDate } from '../../shared/checks/dates.js';
import { t } from './i18n.js';

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function DateField({ value, onCommit, label, placeholder, allowEmpty = false, className = 'date', testId }: {
  value: string;
  onCommit: (value: string) => void;
  label: string;
  placeholder: string;
  allowEmpty?: boolean;
  className?: string;
  testId?: string;
}): React.JSX.Element {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const text = draft.trim();
  const ok = (text === '' && allowEmpty) || (FULL_DATE.test(text) && isDeclaredDate(text));
  const commit = (): void => {
    if (ok && text !== value) onCommit(text);
  };
  return (
    <>
      <input
        className={className} data-testid={testId} aria-label={label} placeholder={placeholder} value={draft} maxLength={10} inputMode="numeric"
        aria-invalid={!ok} onChange={(e) => setDraft(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {!ok && text !== '' && <span className="date-bad" role="alert">{t('date.bad')}</span>}
    </>
  );
}

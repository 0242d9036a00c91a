/** The checks' findings on top of the applicant, with peers as links and a suggested reason one click away. */
import type { PeerRef, ReviewApplicant } from '../../../shared/api/index.js';
import { t } from '../i18n.js';
import { jumpTo } from './jump.js';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A finding's text with the applicants it names (duplicates) as links that bring that applicant
 * up in the queue, shown by name and masked ID instead of the full ID number in the stored text.
 */
function FindingText({ text, peers }: { text: string; peers: readonly PeerRef[] }): React.JSX.Element {
  if (peers.length === 0) return <>{text}</>;
  const link = (p: PeerRef, key: string): React.JSX.Element => (
    <button key={key} type="button" className="link peer" data-testid="peer-link" data-id-masked={p.idMasked} title={t('jump.title')} onClick={() => jumpTo(p.idNumber)}>
      {p.name ? `${p.name}（${p.idMasked}）` : p.idMasked}
    </button>
  );
  const byId = new Map(peers.map((p) => [p.idNumber, p]));
  const parts = text.split(new RegExp(`(${peers.map((p) => escapeRe(p.idNumber)).join('|')})`));
  const named = parts.some((part) => byId.has(part));
  return (
    <>
      {parts.map((part, i) => {
        const p = byId.get(part);
        return p ? link(p, `p${i}`) : <span key={i}>{part}</span>;
      })}
      {/* A text that does not quote the ID numbers still offers the jump. */}
      {!named && <> {peers.map((p) => link(p, p.idNumber))}</>}
    </>
  );
}

export function Findings({ data, lang, reasonLabel, onReason }: { data: ReviewApplicant; lang: string; reasonLabel: (code: string) => string; onReason: (code: string) => void }): React.JSX.Element | null {
  if (!data.findings || data.findings.length === 0) return null;
  return (
    <section className="findings" aria-label={t('applicant.findings')}>
      <h3>{t('applicant.findings')}</h3>
      <ul>
        {data.findings.map((x, i) => (
          <li key={i} className={`finding ${x.severity}`}>
            <FindingText text={lang === 'en' ? x.messageEn : x.message} peers={x.peers} />
            {x.suggestedReason && data.reasons.some((r) => r.code === x.suggestedReason) && (
              <button type="button" className="link" onClick={() => onReason(x.suggestedReason ?? '')}>
                {reasonLabel(x.suggestedReason)}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

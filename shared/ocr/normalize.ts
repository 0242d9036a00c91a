/**
 * Tolerant text comparison for what OCR reads against what applicants declared: full-width forms,
 * spaces, 年/月 dates, and the letter/digit look-alikes a recogniser confuses (O/0, l/1).
 */

/** Full-width ASCII (！..～) to half-width; the ideographic space becomes a plain one. */
export function toHalfWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCodePoint(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/**
 * Character-wise normalisation that keeps a map back to the source, so a match in the
 * normalised text can be turned into a box on the scan: half-width, no whitespace.
 */
export function normalizeIndexed(s: string): { text: string; from: number[] } {
  let text = '';
  const from: number[] = [];
  let i = 0;
  for (const ch of s) {
    const h = toHalfWidth(ch);
    if (!/\s/.test(h)) {
      text += h;
      for (let k = 0; k < h.length; k++) from.push(i);
    }
    i += ch.length;
  }
  return { text, from };
}

export function normalizeText(s: string): string {
  return normalizeIndexed(s).text;
}

/** Look-alikes a recogniser reads for digits (only applied where a digit is expected). */
const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = { O: '0', o: '0', D: '0', l: '1', I: '1', '|': '1', i: '1', x: 'X' };

/** A code of digits (ID number, certificate numbers) with look-alikes mapped to digits. */
export function normalizeCode(s: string): string {
  let out = '';
  for (const ch of normalizeText(s)) out += DIGIT_LOOKALIKES[ch] ?? ch;
  return out.toUpperCase();
}

/** Punctuation that varies between a list and a certificate without changing the meaning. */
const SOFT_PUNCT = /[《》<>"'“”‘’·.,，。、:：;；()（）[\]【】\-—_]/g;

/** Two free texts (赛事, 奖项, 出具单位) name the same thing. */
export function sameText(a: string, b: string): boolean {
  const na = normalizeText(a).replace(SOFT_PUNCT, '');
  const nb = normalizeText(b).replace(SOFT_PUNCT, '');
  return na !== '' && na === nb;
}

export function sameCode(a: string, b: string): boolean {
  const na = normalizeCode(a);
  return na !== '' && na === normalizeCode(b);
}

/** Year-month(-day) parsed from 2021年3月, 2021-03, 2021.3.5, 202103; null when none. */
export function parseDate(s: string): { y: number; m: number; d: number | null } | null {
  const t = normalizeCode(s);
  const m = /(\d{4})[年.\-/]?(\d{1,2})(?:月|$|[.\-/](\d{1,2}))?(?:(\d{1,2})日)?/.exec(t);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const dayText = m[3] ?? m[4];
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12) return null;
  const d = dayText === undefined ? null : Number(dayText);
  return { y, m: mo, d: d !== null && d >= 1 && d <= 31 ? d : null };
}

/**
 * A date on the scan agrees with a declared 'YYYY-MM' or 'YYYY-MM-DD' when year and month are
 * the same, and the day too when both give one.
 */
export function sameDate(declared: string, found: string): boolean {
  const a = parseDate(declared);
  const b = parseDate(found);
  if (!a || !b) return false;
  if (a.y !== b.y || a.m !== b.m) return false;
  return a.d === null || b.d === null || a.d === b.d;
}

/** Names compare exactly after width and space folding: 伟 and 玮 are different people. */
export function sameName(a: string, b: string): boolean {
  const na = normalizeText(a).replace(/[·•.]/g, '');
  return na !== '' && na === normalizeText(b).replace(/[·•.]/g, '');
}

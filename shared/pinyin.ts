/**
 * Pinyin initials of names for the queue's search box ('zsf' finds 张三丰).
 *
 * A given name's characters count by every reading, because nobody can tell which one the
 * parents meant and a registrar types whichever they know: the stored form has one position per
 * character that has a pinyin (or is a letter or digit), and a position with more than one
 * initial lists them in brackets, the likeliest first: 张长青 → 'z[cz]q'. The surname is read as a
 * surname only (曾 zēng, 单 shàn, 区 ōu, 覃 qín; 万俟 mòqí): its reading is fixed, and the
 * ordinary readings of common surnames (朱 shú, 石 dàn, 叶 xié) would only bring false hits.
 * shared/pinyinSearch.ts matches queries against this form.
 *
 * Readings come from pinyin-pro. It knows almost no characters of CJK Extension A and beyond,
 * which still turn up in older names, so pinyinSupplement.ts (generated from Unihan-derived
 * readings) covers those. Main side only: the dictionaries are ~300 KB, which the renderer does
 * not need since it gets these strings with the queue.
 */
import { pinyin } from 'pinyin-pro';
import { SUPPLEMENT } from './pinyinSupplement.js';

/** Surname readings pinyin-pro's surname table lacks: 种 is chóng as a surname. */
const SURNAME: Readonly<Record<string, string>> = { 种: 'c' };

/** The distinct initials of some readings, in their order: ['zhǎng', 'cháng'] → 'zc'. */
export function readingInitials(readings: readonly string[]): string {
  let out = '';
  for (const r of readings) {
    // NFD splits 'ō' and 'ń' into a plain letter and a tone mark.
    const c = r.normalize('NFD').charAt(0).toLowerCase();
    if (c >= 'a' && c <= 'z' && !out.includes(c)) out += c;
  }
  return out;
}

/**
 * The initials pinyin-pro has for a character, likeliest first; '' if it has none (then the
 * supplement is asked: scripts/pinyin-supplement.ts generates it for exactly these).
 */
export function libraryInitials(ch: string): string {
  const e = pinyin(ch, { type: 'all', toneType: 'none' })[0];
  return e?.isZh ? readingInitials([e.pinyin, ...e.polyphonic]) : '';
}

let supplement: Map<string, string> | undefined;
function supplementOf(ch: string): string {
  if (!supplement) {
    supplement = new Map();
    for (const [initials, chars] of Object.entries(SUPPLEMENT)) for (const c of chars) supplement.set(c, initials);
  }
  return supplement.get(ch) ?? '';
}

/** A character's initials out of context; cached, as names share their characters. */
const byChar = new Map<string, string>();
function charInitials(ch: string): string {
  let v = byChar.get(ch);
  if (v === undefined) {
    v = libraryInitials(ch) || supplementOf(ch) || (/^[A-Za-z0-9]$/.test(ch) ? ch.toLowerCase() : '');
    byChar.set(ch, v);
  }
  return v;
}

/** Initials of a name in the stored form described above: 张三丰 → 'zsf', 张长青 → 'z[cz]q'. */
export function pinyinInitials(name: string): string {
  // NFKC: compatibility ideographs, Kangxi radicals and full-width letters from pasted text read
  // as the ordinary characters.
  const chars = [...name.normalize('NFKC')];
  // Only the surname needs context: one or two characters (欧阳, 万俟) read in surname mode.
  const head = chars.slice(0, 2);
  const readings = pinyin(head.join(''), { type: 'array', toneType: 'none', surname: 'head' });
  const aligned = readings.length === head.length;
  let out = '';
  chars.forEach((ch, i) => {
    let initials = charInitials(ch);
    const likeliest = aligned && i < 2 ? readingInitials([readings[i] ?? '']) : '';
    if (likeliest) initials = i === 0 ? (SURNAME[ch] ?? likeliest) : likeliest + initials.replace(likeliest, '');
    out += initials.length > 1 ? `[${initials}]` : initials;
  });
  return out;
}

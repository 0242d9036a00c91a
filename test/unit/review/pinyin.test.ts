/**
 * Pinyin initials of names (shared/pinyin.ts) and searching by them (shared/pinyinSearch.ts):
 * the characters of given names beyond GB 2312 level 1, surnames read as surnames, polyphonic
 * given-name characters found by each reading, and the generated Unihan supplement up to date.
 * review.test.ts checks that the renderer's local filter agrees with applicants.list.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { supplementSource } from '../../../scripts/pinyin-supplement.js';
import { pinyinInitials, readingInitials } from '../../../shared/pinyin.js';
import { initialsStartWith, primaryInitials } from '../../../shared/pinyinSearch.js';
import { SUPPLEMENT } from '../../../shared/pinyinSupplement.js';

const root = new URL('../../../', import.meta.url);

/** GB 2312 level 1 (rows 16–55), decoded from the encoding itself rather than typed in. */
function gb2312Level1(): Set<string> {
  const out = new Set<string>();
  for (let hi = 0xb0; hi <= 0xd7; hi++) {
    for (let lo = 0xa1; lo <= (hi === 0xd7 ? 0xf9 : 0xfe); lo++) out.add(iconv.decode(Buffer.from([hi, lo]), 'gb2312'));
  }
  return out;
}

/** The fixture's characters with their readings (see its header for where they come from). */
function tongyongOutsideLevel1(): [string, string[]][] {
  const text = readFileSync(new URL('test/fixtures/names/tongyong-outside-gb2312-l1.txt', root), 'utf8');
  return [...text.matchAll(/^U\+([0-9A-F]+): (\S+)/gm)].map((m) => [String.fromCodePoint(parseInt(m[1] ?? '', 16)), (m[2] ?? '').split(',')]);
}

/** Every spelling of stored initials: 'z[cz]q' → ['zcq', 'zzq']. */
function spellings(initials: string): string[] {
  let out = [''];
  for (const m of initials.matchAll(/\[([^\]]+)\]|(.)/g)) {
    const options = m[1] ?? m[2] ?? '';
    out = out.flatMap((s) => [...options].map((c) => s + c));
  }
  return out;
}

/** Found by typing these letters in the search box? */
const finds = (name: string, letters: string): boolean => initialsStartWith(pinyinInitials(name), letters);

describe('pinyin initials of given-name characters', () => {
  const level1 = gb2312Level1();
  const chars = tongyongOutsideLevel1();

  it('covers every 通用规范汉字表 character outside GB 2312 level 1, by every reading it has', () => {
    expect(level1.size).toBe(3755);
    expect(chars.length).toBeGreaterThanOrEqual(500);
    const missing: string[] = [];
    for (const [ch, readings] of chars) {
      expect(level1.has(ch)).toBe(false);
      // As a given name: the surname position keeps one reading only.
      const got = pinyinInitials(`王${ch}`).slice(1);
      const want = readingInitials(readings);
      if (!got || [...want].some((c) => !got.includes(c))) missing.push(`${ch} ${readings.join(',')} → '${got}'`);
    }
    expect(missing).toEqual([]);
  });

  it('includes the characters the issue was reported with, and reads rare ones', () => {
    const listed = new Set(chars.map(([ch]) => ch));
    for (const ch of '宸琦嫣媛珂菡沐瀚祺熹珩璟麒麟雯霏韬黛笙堃喆玥垚') expect(listed.has(ch), ch).toBe(true);
    expect(finds('蒋沐宸', 'jmc')).toBe(true);
    expect(pinyinInitials('李堃')).toBe('lk');
    expect(pinyinInitials('王喆玥')).toBe('wzy');
    expect(pinyinInitials('张垚')).toBe('zy');
    expect(pinyinInitials('刘䶮')).toBe('ly'); // Extension A
    expect(pinyinInitials('林㛃')).toBe('lj'); // Extension A, from the supplement
  });

  it('reads the first character as a surname, by its surname reading only', () => {
    const cases: [string, string, string][] = [
      // name, initials, the ordinary reading's initials that must not find it
      ['曾小明', 'zxm', 'cxm'],
      ['单雄信', 'sxx', 'dxx'],
      ['解缙', 'xj', 'jj'],
      ['区志坚', 'ozj', 'qzj'],
      ['仇英', 'qy', 'cy'],
      ['查良镛', 'zly', 'cly'],
      ['朴树', 'ps', ''],
      ['盖聂', 'gn', ''],
      ['翟天临', 'ztl', 'dtl'],
      ['覃思', 'qs', 'ts'],
      ['缪斯', 'ms', 'ls'],
      ['乐嘉', 'yj', 'lj'],
      ['种师道', 'csd', 'zsd'],
      ['尉迟恭', 'ycg', 'wcg'],
      ['万俟卨', 'mqx', 'wqx'],
      ['欧阳娜', 'oyn', ''],
    ];
    for (const [name, initials, not] of cases) {
      expect(primaryInitials(pinyinInitials(name)), name).toBe(initials);
      expect(finds(name, initials), name).toBe(true);
      if (not) expect(finds(name, not), `${name} by ${not}`).toBe(false);
    }
  });

  it('finds a polyphonic given-name character by each of its readings', () => {
    expect(pinyinInitials('张长青')).toBe('z[cz]q');
    for (const q of ['zcq', 'zzq', 'zc', 'zz']) expect(finds('张长青', q), q).toBe(true);
    expect(finds('张长青', 'zxq')).toBe(false);
    for (const q of ['lzy', 'lcy']) expect(finds('李重阳', q), q).toBe(true);
    for (const q of ['wx', 'wh']) expect(finds('王行', q), q).toBe(true);
    // 曾 in a given name is céng or zēng.
    for (const q of ['wz', 'wc']) expect(finds('王曾', q), q).toBe(true);
  });

  it('keeps letters and digits, drops other marks, and reads full-width and compatibility forms', () => {
    expect(pinyinInitials('王A1')).toBe('wa1');
    expect(pinyinInitials('张三·丰')).toBe('zsf');
    expect(pinyinInitials('Ａ李')).toBe('al');
    expect(pinyinInitials('\u{F92C}平')).toBe('lp'); // compatibility ideograph of 郎
    expect(pinyinInitials('王\u{2F00}')).toBe('wy'); // Kangxi radical 一
    expect(pinyinInitials('')).toBe('');
  });
});

describe('the Unihan supplement', () => {
  it('is what the generator makes of the installed packages', () => {
    expect(readFileSync(new URL('shared/pinyinSupplement.ts', root), 'utf8')).toBe(supplementSource());
  });

  it('gives its initials to every character in it', () => {
    for (const [initials, chars] of Object.entries(SUPPLEMENT)) {
      const want = initials.length > 1 ? `[${initials}]` : initials;
      for (const ch of chars) expect(pinyinInitials(`王${ch}`).slice(1), ch).toBe(want);
    }
  });
});

describe('matching stored initials', () => {
  it('matches a prefix of any one spelling, as expanding every spelling would', () => {
    const position = fc.oneof(
      fc.constantFrom(...'abcxyz'),
      fc.uniqueArray(fc.constantFrom(...'abcxyz'), { minLength: 2, maxLength: 4 }).map((cs) => `[${cs.join('')}]`),
    );
    fc.assert(
      fc.property(fc.array(position, { maxLength: 5 }), fc.stringMatching(/^[abcxyz]{0,6}$/), (positions, letters) => {
        const initials = positions.join('');
        expect(initialsStartWith(initials, letters)).toBe(spellings(initials).some((s) => s.startsWith(letters)));
      }),
      { numRuns: 2000 },
    );
  });
});

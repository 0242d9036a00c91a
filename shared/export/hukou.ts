/**
 * 户籍不在湖南 — the marker of the poverty table. The notice lets a college confirm its 省外户籍
 * 脱贫 applicants itself (省外户籍生源考生由所在高职院校审核确认名单为准), so the table must say
 * which rows those are, and say it by one rule:
 *
 * 1. 户籍所在地 names a place: inside Hunan when it starts with 湖南 or with one of Hunan's 14
 *    prefecture-level names (长沙 … 湘西, as people often leave out the province); outside when it
 *    starts with the name of any other province-level division.
 * 2. 户籍所在地 is empty or names no province or Hunan prefecture at its start (a county alone,
 *    a typo): the ID number decides — region code 43xxxx is Hunan. The ID's region is where the
 *    number was first issued, not today's 户籍, so the marker says which basis it used.
 */

/** Hunan's prefecture-level divisions, as written at the start of an address. */
const HUNAN_PREFECTURES = ['长沙', '株洲', '湘潭', '衡阳', '邵阳', '岳阳', '常德', '张家界', '益阳', '郴州', '永州', '怀化', '娄底', '湘西'] as const;

/** Every other province-level division of China (names as written at the start of an address). */
const OTHER_PROVINCES = [
  '北京', '天津', '河北', '山西', '内蒙古', '辽宁', '吉林', '黑龙江', '上海', '江苏', '浙江', '安徽', '福建', '江西', '山东', '河南',
  '湖北', '广东', '广西', '海南', '重庆', '四川', '贵州', '云南', '西藏', '陕西', '甘肃', '青海', '宁夏', '新疆', '台湾', '香港', '澳门',
] as const;

export interface HukouPlace {
  outside: boolean;
  /** What decided it: the 户籍所在地 text, or (when that names no province) the ID number's region. */
  basis: 'hukou' | 'id';
}

export function hukouPlace(hukou: string, idNumber: string): HukouPlace {
  const h = hukou.normalize('NFKC').replace(/\s+/g, '');
  if (h.startsWith('湖南') || HUNAN_PREFECTURES.some((p) => h.startsWith(p))) return { outside: false, basis: 'hukou' };
  if (OTHER_PROVINCES.some((p) => h.startsWith(p))) return { outside: true, basis: 'hukou' };
  return { outside: !idNumber.startsWith('43'), basis: 'id' };
}

/** The cell of the 省外户籍 column: empty for Hunan, 是 (or 是（据身份证号）) otherwise. */
export function outsideHunanMark(hukou: string, idNumber: string): string {
  const p = hukouPlace(hukou, idNumber);
  if (!p.outside) return '';
  return p.basis === 'hukou' ? '是' : '是（据身份证号）';
}

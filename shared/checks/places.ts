/**
 * Hunan place names the checks need: is a 户籍所在地 in Hunan, and is a 乡村振兴 office's place
 * a prefecture (地级市, not county level) rather than a county-level 市. Geography, not yearly
 * policy, so it lives here rather than in the rules file.
 */

/** The 14 prefecture-level units of Hunan. */
export const HUNAN_PREFECTURES: readonly string[] = [
  '长沙市', '株洲市', '湘潭市', '衡阳市', '邵阳市', '岳阳市', '常德市', '张家界市', '益阳市', '郴州市',
  '永州市', '怀化市', '娄底市', '湘西土家族苗族自治州',
];

/** Short forms as people write them in a 户籍 field (长沙, 湘西州 …). */
const SHORT = HUNAN_PREFECTURES.map((p) => p.replace(/(市|土家族苗族自治州)$/, ''));

export function isHunanPlace(place: string): boolean {
  const p = place.replace(/\s/g, '');
  if (p.startsWith('湖南')) return true;
  return SHORT.some((s) => p.startsWith(s));
}

/** '湖南省邵阳市' or '邵阳市': a prefecture name with nothing at county level after it. */
export function isHunanPrefectureOnly(place: string): boolean {
  const p = place.replace(/\s/g, '').replace(/^湖南省?/, '');
  return HUNAN_PREFECTURES.includes(p);
}

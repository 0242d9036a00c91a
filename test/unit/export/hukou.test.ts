import { describe, expect, it } from 'vitest';
import { addDays, isCalendarDay, zhDate } from '../../../shared/export/dates.js';
import { hukouPlace, outsideHunanMark } from '../../../shared/export/hukou.js';
import { checkDigit } from '../../../shared/idcard.js';

/** A valid ID number of a region (first six digits). */
const idOf = (region: string): string => {
  const first17 = `${region}20030415001`;
  return first17 + (checkDigit(first17) ?? '0');
};
const HUNAN = idOf('430102');
const GUIZHOU = idOf('522229');

describe('户籍不在湖南 (the poverty table marker)', () => {
  it('reads the 户籍所在地 first: 湖南 or a Hunan prefecture is inside, another province is outside', () => {
    expect(hukouPlace('湖南省湘西土家族苗族自治州花垣县', GUIZHOU)).toEqual({ outside: false, basis: 'hukou' });
    // The province is often left out: a Hunan prefecture at the start is enough.
    for (const h of ['长沙市岳麓区', '湘西州凤凰县', '张家界市桑植县', '郴州市北湖区']) expect(hukouPlace(h, GUIZHOU), h).toEqual({ outside: false, basis: 'hukou' });
    // An applicant born in Hunan whose household moved away is outside, whatever the ID says.
    expect(hukouPlace('贵州省铜仁市松桃苗族自治县', HUNAN)).toEqual({ outside: true, basis: 'hukou' });
    expect(hukouPlace('广西壮族自治区桂林市', HUNAN)).toEqual({ outside: true, basis: 'hukou' });
    expect(hukouPlace('湖北省恩施州', HUNAN)).toEqual({ outside: true, basis: 'hukou' });
    // Spaces and full-width forms from a spreadsheet do not change the answer.
    expect(hukouPlace(' 湖 南省 ', GUIZHOU).outside).toBe(false);
  });

  it('falls back to the ID number (43xxxx) when the 户籍 is empty or names no province', () => {
    expect(hukouPlace('', HUNAN)).toEqual({ outside: false, basis: 'id' });
    expect(hukouPlace('', GUIZHOU)).toEqual({ outside: true, basis: 'id' });
    expect(hukouPlace('花垣县龙潭镇', GUIZHOU)).toEqual({ outside: true, basis: 'id' });
    expect(hukouPlace('花垣县龙潭镇', HUNAN)).toEqual({ outside: false, basis: 'id' });
  });

  it('prints 是, and says so when the ID number decided', () => {
    expect(outsideHunanMark('湖南省长沙市', GUIZHOU)).toBe('');
    expect(outsideHunanMark('贵州省铜仁市', HUNAN)).toBe('是');
    expect(outsideHunanMark('', GUIZHOU)).toBe('是（据身份证号）');
  });
});

describe('dates of the tables', () => {
  it('counts China calendar days and prints them the Chinese way', () => {
    expect(addDays('2024-02-21', 6)).toBe('2024-02-27');
    expect(addDays('2024-02-27', 3)).toBe('2024-03-01'); // 2024 is a leap year
    expect(zhDate('2024-02-05')).toBe('2024年2月5日');
    expect(zhDate('2021-09')).toBe('2021年9月');
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2023-02-29')).toBe(false);
    expect(isCalendarDay('2024-2-9')).toBe(false);
  });
});

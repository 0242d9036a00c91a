/**
 * Field extraction and cross-check (shared/ocr): pure, table-driven, on lines shaped like what the
 * recogniser and the PDF text layer produce.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_DECLARED, type ApplicantDeclared, type DocumentKind } from '../../../shared/domain.js';
import { crossCheck, sameValue, UNSURE_BELOW } from '../../../shared/ocr/crosscheck.js';
import { charWeight, extractFields, subBox, subConf } from '../../../shared/ocr/extract.js';
import { normalizeCode, parseDate, sameDate, sameName, sameText, toHalfWidth } from '../../../shared/ocr/normalize.js';
import type { OcrField, OcrLine, OcrPage } from '../../../shared/ocr/types.js';

/** One OCR line per text, 30 px apart, each character 20 px wide. */
function page(texts: string[], source: OcrPage['source'] = 'ocr'): OcrPage {
  const lines: OcrLine[] = texts.map((text, i) => ({
    text,
    conf: 0.98,
    segments: [{ text, box: { x: 100, y: 40 + i * 30, w: text.length * 20, h: 24 } }],
  }));
  return { page: 1, width: 1200, height: 850, rotation: 0, source, lines };
}

const DECLARED: ApplicantDeclared = {
  ...EMPTY_DECLARED,
  idNumber: '430202200111127435',
  name: '杨宏毅',
  sex: '男',
  phone: '13800000000',
  category: 'veteran',
  school: '湖南云麓职业技术学院',
  major: '大数据与会计',
  gradYear: 2024,
  dischargeCertNo: '湘退字2023第067356号',
  enlistDate: '2021-03',
  dischargeDate: '2023-03',
  merit: '无',
  competition: '全国职业院校技能大赛',
  award: '会计技能',
  awardLevel: '一等奖',
  awardDate: '2023-05-12',
  hukou: '湖南省郴州市汝城县司门前镇新田村',
  povertyIssuer: '汝城县乡村振兴局',
};

describe('normalisation', () => {
  it.each([
    ['４３０２０２', '430202'],
    ['姓名：杨宏毅', '姓名:杨宏毅'],
    ['ＡＢＣ　１', 'ABC 1'],
  ])('half-width %s', (input, want) => expect(toHalfWidth(input)).toBe(want));

  it.each([
    ['43O2O2 2001 1112 743x', '430202200111127 43X'.replace(' ', '')],
    ['l3800000000', '13800000000'],
    ['４３０２０２２００１１１１２７４３５', '430202200111127435'],
  ])('code %s', (input, want) => expect(normalizeCode(input)).toBe(want));

  it.each([
    ['2021年3月', { y: 2021, m: 3, d: null }],
    ['2023年5月12日', { y: 2023, m: 5, d: 12 }],
    ['2021-03', { y: 2021, m: 3, d: null }],
    ['2021.9.1', { y: 2021, m: 9, d: 1 }],
    ['202109', { y: 2021, m: 9, d: null }],
    ['２０２１年９月', { y: 2021, m: 9, d: null }],
    ['无', null],
  ])('date %s', (input, want) => expect(parseDate(input)).toEqual(want));

  it.each([
    ['2021-03', '2021年3月', true],
    ['2023-05-12', '2023年5月12日', true],
    ['2023-05-12', '2023年5月', true],
    ['2023-05', '2023年5月13日', true],
    ['2023-05-12', '2023年5月13日', false],
    ['2021-03', '2021年9月', false],
  ])('sameDate(%s, %s) = %s', (a, b, want) => expect(sameDate(a, b)).toBe(want));

  it.each([
    ['杨宏毅', '杨 宏 毅', true],
    ['张伟', '张玮', false],
    ['阿依古丽·买买提', '阿依古丽买买提', true],
    ['', '', false],
  ])('sameName(%s, %s) = %s', (a, b, want) => expect(sameName(a, b)).toBe(want));

  it.each([
    ['全国职业院校技能大赛', '全国职业院校 技能大赛', true],
    ['《会计技能》', '会计技能', true],
    ['一等奖', '二等奖', false],
  ])('sameText(%s, %s) = %s', (a, b, want) => expect(sameText(a, b)).toBe(want));
});

describe('extraction', () => {
  const cases: { name: string; lines: string[]; field: OcrField; want: string[] }[] = [
    { name: 'name after label, next label ends it', lines: ['姓名： 杨宏明 性别： 男'], field: 'name', want: ['杨宏明'] },
    { name: 'name with a half-width colon and no spaces', lines: ['姓名:李湘帅'], field: 'name', want: ['李湘帅'] },
    { name: 'ID after label with look-alikes', lines: ['身份证号： 43O2O22OO111127435'], field: 'idNumber', want: ['430202200111127435'] },
    { name: 'ID by shape without label', lines: ['431026200204027178'], field: 'idNumber', want: ['431026200204027178'] },
    { name: 'a cut ID is no candidate', lines: ['兹证明李湘帅（性别：男，身份证号：431026200204'], field: 'idNumber', want: [] },
    { name: 'a 19-digit number is no ID', lines: ['编号 4310262002040271781'], field: 'idNumber', want: [] },
    { name: 'discharge number by label and by shape', lines: ['No.湘退字2023第067356号', '退役证编号：湘退字2023第067356号'], field: 'dischargeCertNo', want: ['湘退字2023第067356号', '湘退字2023第067356号'] },
    { name: 'dates after labels', lines: ['入伍时间： 2021年3月 退役时间： 2023年3月'], field: 'dischargeDate', want: ['2023年3月'] },
    { name: '获奖等级 is not read as 等级 twice', lines: ['获奖等级：一等奖'], field: 'awardLevel', want: ['一等奖'] },
    { name: 'a colon read by both the label\'s region and the value\'s', lines: ['获奖等级： ：二等奖'], field: 'awardLevel', want: ['二等奖'] },
    { name: 'issuer by shape', lines: ['汝城县乡村振兴局'], field: 'povertyIssuer', want: ['汝城县乡村振兴局'] },
    { name: 'award date from written dates', lines: ['2023年5月12日'], field: 'awardDate', want: ['2023年5月12日'] },
  ];
  it.each(cases)('$name', ({ lines, field, want }) => {
    expect(extractFields([page(lines)], [field]).map((f) => f.value)).toEqual(want);
  });

  it('boxes cover the value only, in page pixels, splitting a segment by character widths', () => {
    const p = page(['姓名： 杨宏明 性别： 男']);
    const [f] = extractFields([p], ['name']);
    // 13 characters in 260 px: ideographs and the full-width colon 1 em each, spaces 0.3 em,
    // so one em is 260 / 10.9 px and the name starts 3.3 em in.
    const em = 260 / 10.9;
    expect(f?.box.x).toBeCloseTo(100 + 3.3 * em, 0);
    expect(f?.box.w).toBeCloseTo(3 * em, 0);
  });

  it('an ID number after its label in one segment: the box sits on the digits, not on the label', () => {
    // 身份证号： is 5 ems of 24 px, the 18 digits 0.55 em each: 357.6 px in all.
    const line: OcrLine = { text: '身份证号：430202200111127435', conf: 0.99, segments: [{ text: '身份证号：430202200111127435', box: { x: 100, y: 10, w: 357.6, h: 24 } }] };
    const [f] = extractFields([{ page: 1, width: 1200, height: 850, rotation: 0, source: 'ocr', lines: [line] }], ['idNumber']);
    expect(f?.box).toEqual({ x: 220, y: 10, w: 237.6, h: 24 });
    expect(charWeight('4')).toBe(0.55);
    expect(charWeight('：')).toBe(1);
  });

  it('uses the recogniser\'s per-character ink boxes and confidences where it gave them', () => {
    const text = '获奖等级：一等奖';
    // Ink boxes [left, top, right, bottom]: the label, a 25 px gap after the colon, the value.
    const xs = [598, 624, 647, 670, 693, 740, 765, 790];
    const chars = xs.flatMap((x, i) => [x, i < 5 ? 289 : 294, x + 22, i < 5 ? 320 : 316]);
    const line: OcrLine = { text, conf: 0.95, segments: [{ text, box: { x: 598, y: 289, w: 214, h: 31 }, chars, confs: [0.99, 0.99, 1, 0.97, 0.98, 0.71, 1, 0.99] }] };
    const [f] = extractFields([{ page: 1, width: 1200, height: 850, rotation: 0, source: 'ocr', lines: [line] }], ['awardLevel']);
    expect(f?.box).toEqual({ x: 740, y: 294, w: 72, h: 22 });
    expect(subConf(line, 5, 8)).toBe(0.71);
    expect(subConf(line, 6, 8)).toBe(0.99);
  });

  it('sub-boxes follow the segments of a PDF text line', () => {
    const line: OcrLine = {
      text: '姓名： 蒋泽平',
      conf: 1,
      segments: [
        { text: '姓名：', box: { x: 100, y: 10, w: 60, h: 20 } },
        { text: '蒋泽平', box: { x: 250, y: 10, w: 60, h: 20 } },
      ],
    };
    expect(subBox(line, 4, 7)).toEqual({ x: 250, y: 10, w: 60, h: 20 });
  });
});

describe('cross-check', () => {
  const status = (kind: DocumentKind, lines: string[], declared = DECLARED, canRead?: (c: string) => boolean): Record<string, string> =>
    Object.fromEntries(crossCheck(kind, [page(lines)], declared, canRead ? { canRead } : {}).map((c) => [c.field, c.status]));

  const dischargeLines = (name: string, id: string): string[] => [
    'No.湘退字2023第067356号',
    '中国人民解放军退出现役证',
    `姓名： ${name} 性别： 男`,
    `出生年月： 2001年11月 身份证号： ${id}`,
    '入伍时间： 2021年3月 退役时间： 2023年3月',
    '部别： 中国人民解放军95937部队 退役证编号：湘退字2023第067356号',
    `${name}同志于2021年3月入伍，2023年3月退出现役。`,
  ];

  it.each([
    { what: 'all agree', lines: dischargeLines('杨宏毅', '430202200111127435'), want: { name: 'agree', idNumber: 'agree', dischargeCertNo: 'agree', enlistDate: 'agree', dischargeDate: 'agree' } },
    { what: 'name differs', lines: dischargeLines('杨宏明', '430202200111127435'), want: { name: 'differ', idNumber: 'agree', dischargeCertNo: 'agree', enlistDate: 'agree', dischargeDate: 'agree' } },
    { what: 'ID digits swapped', lines: dischargeLines('杨宏毅', '430202201011127435'), want: { name: 'agree', idNumber: 'differ', dischargeCertNo: 'agree', enlistDate: 'agree', dischargeDate: 'agree' } },
    { what: 'nothing legible', lines: ['证'], want: { name: 'missing', idNumber: 'missing', dischargeCertNo: 'missing', enlistDate: 'missing', dischargeDate: 'missing' } },
  ])('退役证: $what', ({ lines, want }) => {
    expect(status('discharge_cert', lines)).toEqual(want);
  });

  it('an OCR look-alike in the ID is no difference', () => {
    expect(status('diploma', ['姓名：杨宏毅', '身份证号：43O2O22OO111l27435']).idNumber).toBe('agree');
  });

  it('a name printed without its label still agrees', () => {
    expect(status('diploma', ['学生杨宏毅，性别男', '身份证号：430202200111127435']).name).toBe('agree');
  });

  it('a character the recogniser cannot read is not called a difference', () => {
    const declared = { ...DECLARED, name: '李翀' };
    const readsAll = (): boolean => true;
    const noChong = (c: string): boolean => c !== '翀';
    expect(status('diploma', ['姓名：李冲', '身份证号：430202200111127435'], declared, noChong).name).toBe('missing');
    expect(status('diploma', ['姓名：李冲', '身份证号：430202200111127435'], declared, readsAll).name).toBe('differ');
  });

  it('获奖证书: contest, award, level and the date of issue', () => {
    const lines = ['获奖证书', '姓名： 杨宏毅 身份证号： 430202200111127435', '获奖赛事： 全国职业院校技能大赛', '奖项： 会计技能 获奖等级： 二等奖', '2023年5月12日'];
    expect(status('award_cert', lines)).toEqual({ name: 'agree', competition: 'agree', award: 'agree', awardLevel: 'differ', awardDate: 'agree', idNumber: 'agree' });
  });

  it('脱贫证明: the issuing office', () => {
    expect(status('poverty_proof', ['汝城县乡村振兴局', '姓名：杨宏毅', '身份证号：430202200111127435']).povertyIssuer).toBe('agree');
    expect(status('poverty_proof', ['桂东县乡村振兴局', '姓名：杨宏毅', '身份证号：430202200111127435']).povertyIssuer).toBe('differ');
  });

  it('a digit read with little confidence makes a difference unsure (?), not a ✗; a sure one stays ✗', () => {
    // 2023年5月12日 under a seal, read as 2023年5月13日: the 3 at 55 %.
    const dateLine = (confOfDay: number): OcrLine => {
      const text = '2023年5月13日';
      const confs = [...text].map((_, i) => (i === 8 ? confOfDay : 0.99));
      return { text, conf: 0.95, segments: [{ text, box: { x: 900, y: 680, w: 176, h: 24 }, confs }] };
    };
    const award = (line: OcrLine, source: OcrPage['source'] = 'ocr'): ReturnType<typeof crossCheck>[number] | undefined =>
      crossCheck('award_cert', [{ ...page(['获奖证书', '姓名：杨宏毅'], source), lines: [...page(['获奖证书', '姓名：杨宏毅']).lines, line] }], DECLARED).find((c) => c.field === 'awardDate');
    const unsure = award(dateLine(0.55));
    expect(unsure).toMatchObject({ status: 'unsure', found: '2023年5月13日', conf: 0.55 });
    expect(unsure?.note).toContain('55%');
    expect(unsure?.box).not.toBeNull();
    expect(award(dateLine(0.97))?.status).toBe('differ');
    expect(UNSURE_BELOW).toBeGreaterThan(0.55);
    // The confidence that counts is the value's, not a doubtful character elsewhere on the line.
    const elsewhere: OcrLine = { text: '姓名：杨宏明', conf: 0.9, segments: [{ text: '姓名：杨宏明', box: { x: 100, y: 40, w: 120, h: 24 }, confs: [0.4, 0.99, 0.99, 0.99, 0.99, 0.99] }] };
    expect(crossCheck('diploma', [{ page: 1, width: 1200, height: 850, rotation: 0, source: 'ocr', lines: [elsewhere] }], DECLARED).find((c) => c.field === 'name')?.status).toBe('differ');
  });

  it('a field nothing was declared for is unchecked', () => {
    expect(status('discharge_cert', dischargeLines('杨宏毅', '430202200111127435'), { ...DECLARED, enlistDate: '' }).enlistDate).toBe('unchecked');
  });

  it.each([
    ['idNumber', '43020220011112743x', '43020220011112743X', true],
    ['dischargeCertNo', '湘退字2023第067356号', '湘退字2023第O67356号', true],
    ['awardLevel', '一等奖', '一等奖 ', true],
    ['name', '王丽', '王莉', false],
  ] as const)('sameValue(%s, %s, %s) = %s', (field, a, b, want) => expect(sameValue(field, a, b)).toBe(want));
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS, issuerProblem, majorKey, medicalMismatch, requiredDocuments } from '../../../shared/checks/catalogue.js';
import { compareDates, inWindow, isDeclaredDate } from '../../../shared/checks/dates.js';
import { fallbackPlan } from '../../../shared/checks/plan.js';
import { parseRules } from '../../../shared/checks/rules.js';
import { PEER_CAP, bands, checkApplicant, findPeers, hamming64, summarise } from '../../../shared/checks/runner.js';
import { NO_PEERS, type CheckDocument, type CheckInput, type DocumentFacts } from '../../../shared/checks/types.js';
import { EMPTY_DECLARED, SEED_REASONS, type ApplicantDeclared, type DocumentKind } from '../../../shared/domain.js';
import { checkDigit } from '../../../shared/idcard.js';

const rules = parseRules(JSON.parse(readFileSync('resources/rules/2024.json', 'utf8')));

/** A valid ID: region + birth + sequence + computed check digit. */
function id(region: string, birth: string, seq = '124'): string {
  const first17 = region + birth + seq;
  return first17 + (checkDigit(first17) ?? '?');
}

const BASE: ApplicantDeclared = {
  ...EMPTY_DECLARED,
  idNumber: id('430102', '20020315', '124'), name: '张三', sex: '女', phone: '13812345678', category: 'general',
  school: '湖南云麓职业技术学院', major: '软件技术', gradYear: 2024, dischargeCertNo: '', enlistDate: '', dischargeDate: '',
  merit: '', competition: '', award: '', awardLevel: '', awardDate: '', hukou: '', povertyIssuer: '',
};

const facts = (over: Partial<DocumentFacts> = {}): DocumentFacts => ({
  sha256: 'a'.repeat(64), size: 200_000, type: 'jpeg', width: 1200, height: 850, ink: 0.08, dhash: '0f0f0f0f0f0f0f0f',
  readable: true, pages: 1, problem: '', ...over,
});
let nextDoc = 1;
const doc = (kind: DocumentKind, over: Partial<DocumentFacts> | null = {}): CheckDocument => ({
  id: nextDoc++, kind, originalName: `${kind}.jpg`, sha256: 'a'.repeat(64), facts: over === null ? null : facts(over),
});

const VETERAN: Partial<ApplicantDeclared> = {
  category: 'veteran', sex: '男', idNumber: id('430521', '20000101', '011'), dischargeCertNo: '湘退字2022第000123号',
  enlistDate: '2020-09', dischargeDate: '2022-09', merit: '无',
};
const COMPETITION: Partial<ApplicantDeclared> = {
  category: 'competition', competition: '全国职业院校技能大赛', award: '软件测试赛项', awardLevel: '二等奖', awardDate: '2023-06',
};
const POVERTY: Partial<ApplicantDeclared> = {
  category: 'poverty', idNumber: id('430524', '20010707', '022'), hukou: '湖南省邵阳市隆回县桃洪镇新田村', povertyIssuer: '隆回县乡村振兴局',
};

function ids(declared: Partial<ApplicantDeclared>, documents: CheckDocument[] = [], peers = NO_PEERS): string[] {
  const input: CheckInput = { declared: { ...BASE, ...declared }, documents, peers };
  return checkApplicant(input, rules).map((r) => r.checkId).sort();
}

const vetDocs = (): CheckDocument[] => [doc('discharge_cert'), doc('diploma')];

describe('GB 11643 on published numbers', () => {
  it.each([
    ['11010519491231002X', []],
    ['440524188001010014', []],
    ['11010519491231002x', ['id_characters']],
    ['１１０１０５１９４９１２３１００２Ｘ', ['id_characters']],
    ['110105194912310021', ['id_check_digit']],
    ['11010519491231002', ['id_length']],
    ['1101051949123100200', ['id_length']],
  ])('%s → %j (sex/age aside)', (n, expected) => {
    const got = ids({ idNumber: n, sex: '' }).filter((c) => c.startsWith('id_') && c !== 'id_age');
    expect(got).toEqual(expected);
  });

  it('says how to write a full-width number and what the check digit should be', () => {
    const full = checkApplicant({ declared: { ...BASE, idNumber: '１１０１０５１９４９１２３１００２ｘ', sex: '' }, documents: [], peers: NO_PEERS }, rules);
    expect(full.find((r) => r.checkId === 'id_characters')?.message).toContain('11010519491231002X');
    const wrong = checkApplicant({ declared: { ...BASE, idNumber: '110105194912310021', sex: '' }, documents: [], peers: NO_PEERS }, rules);
    expect(wrong.find((r) => r.checkId === 'id_check_digit')?.message).toContain('应为 X');
  });
});

describe('身份证号 checks', () => {
  it.each<[string, Partial<ApplicantDeclared>, string[]]>([
    ['valid Hunan number', {}, []],
    ['19991231 birth date', { idNumber: id('430102', '19991231'), sex: '女' }, []],
    ['leap day 2000-02-29', { idNumber: id('430102', '20000229'), sex: '女' }, []],
    ['leap day 2004-02-29', { idNumber: id('430102', '20040229'), sex: '女' }, []],
    ['no leap day in 2001', { idNumber: id('430102', '20010229'), sex: '女' }, ['id_birth_date']],
    ['no leap day in 1900', { idNumber: id('430102', '19000229'), sex: '女' }, ['id_birth_date']],
    ['month 13', { idNumber: id('430102', '20021301'), sex: '女' }, ['id_birth_date']],
    ['day 00', { idNumber: id('430102', '20020100'), sex: '女' }, ['id_birth_date']],
    ['invalid region 99', { idNumber: id('990102', '20020315'), sex: '女' }, ['id_region']],
    ['invalid region 00', { idNumber: id('000102', '20020315'), sex: '女' }, ['id_region']],
    ['sex disagrees (odd 17th = male)', { idNumber: id('430102', '20020315', '131'), sex: '女' }, ['id_sex_mismatch']],
    ['sex agrees', { idNumber: id('430102', '20020315', '131'), sex: '男' }, []],
    ['sex not declared', { sex: '' }, []],
    ['implausible age (born 2015)', { idNumber: id('430102', '20150315'), sex: '女' }, ['id_age']],
    ['implausible age (born 1950)', { idNumber: id('430102', '19500315'), sex: '女' }, ['id_age']],
    ['malformed phone', { phone: '1381234567' }, ['phone_format']],
  ])('%s', (_, declared, expected) => {
    expect(ids(declared)).toEqual(expected);
  });
});

describe('documents', () => {
  it.each<[string, Partial<ApplicantDeclared>, () => CheckDocument[], string[]]>([
    ['veteran with both scans', VETERAN, vetDocs, []],
    ['veteran without 退役证', VETERAN, () => [doc('diploma')], ['doc_missing']],
    ['veteran without 毕业证', VETERAN, () => [doc('discharge_cert')], ['doc_missing']],
    ['2024-03 discharge with 部队证明', { ...VETERAN, dischargeDate: '2024-03', enlistDate: '2021-09' }, () => [doc('unit_cert'), doc('diploma')], []],
    ['2024-03 discharge with 退役证 instead', { ...VETERAN, dischargeDate: '2024-03', enlistDate: '2021-09' }, () => [doc('discharge_cert'), doc('diploma')], []],
    ['2024-06 discharge with neither', { ...VETERAN, dischargeDate: '2024-06', enlistDate: '2021-09' }, () => [doc('diploma')], ['doc_unit_cert_missing']],
    ['2023-12 discharge: 部队证明 does not replace the 退役证', { ...VETERAN, dischargeDate: '2023-12', enlistDate: '2021-09' }, () => [doc('unit_cert'), doc('diploma')], ['doc_missing']],
    ['三等功 claimed without 立功证书', { ...VETERAN, merit: '三等功' }, vetDocs, ['doc_missing']],
    ['三等功 claimed with 立功证书', { ...VETERAN, merit: '三等功' }, () => [...vetDocs(), doc('merit_cert')], []],
    ['嘉奖 is below 三等功: no certificate needed', { ...VETERAN, merit: '嘉奖' }, vetDocs, []],
    ['competition without 获奖证书', COMPETITION, () => [], ['doc_missing']],
    ['poverty without 脱贫证明', POVERTY, () => [], ['doc_missing']],
    ['general needs nothing', {}, () => [], []],
    ['blank scan', {}, () => [doc('diploma', { ink: 0.0005 })], ['doc_blank']],
    ['scan with a little text is not blank', {}, () => [doc('diploma', { ink: 0.01 })], []],
    ['corrupt PDF', {}, () => [doc('diploma', { type: 'pdf', ink: null, dhash: null, width: null, height: null, readable: false, problem: '没有 %%EOF' })], ['doc_corrupt']],
    ['image that does not decode', {}, () => [doc('diploma', { readable: false, ink: null, problem: '无法解码' })], ['doc_corrupt']],
    ['tiny file', {}, () => [doc('diploma', { size: 900 })], ['doc_tiny']],
    ['tiny picture', {}, () => [doc('diploma', { width: 120, height: 90 })], ['doc_tiny']],
    ['small text-only PDF is fine', {}, () => [doc('diploma', { type: 'pdf', size: 1500, width: null, height: null, ink: null, dhash: null })], []],
    ['a blank page is blank, not also tiny', {}, () => [doc('diploma', { size: 3000, ink: 0 })], ['doc_blank']],
    ['not a PDF or image', {}, () => [doc('diploma', { type: 'unknown', readable: false })], ['doc_unreadable_type']],
    ['blob missing from the store', {}, () => [doc('diploma', { type: 'missing', readable: false })], ['doc_unreadable_type']],
    ['facts not computed yet', {}, () => [doc('diploma', null)], ['doc_not_examined']],
  ])('%s', (_, declared, documents, expected) => {
    expect(ids(declared, documents())).toEqual(expected);
  });

  it('requiredDocuments lists the alternatives', () => {
    expect(requiredDocuments({ ...BASE, ...VETERAN, dischargeDate: '2024-01', merit: '二等功' } as ApplicantDeclared, rules))
      .toEqual([['unit_cert', 'discharge_cert'], ['diploma'], ['merit_cert']]);
  });
});

describe('dates', () => {
  it.each<[string, Partial<ApplicantDeclared>, string[]]>([
    ['regular veteran', VETERAN, []],
    ['discharge 2024-06 is the last allowed month', { ...VETERAN, enlistDate: '2021-09', dischargeDate: '2024-06' }, []],
    ['discharge 2024-07 is after the cutoff', { ...VETERAN, enlistDate: '2021-09', dischargeDate: '2024-07' }, ['veteran_discharge_window']],
    ['discharge 2024-06-30 is within', { ...VETERAN, enlistDate: '2021-09', dischargeDate: '2024-06-30' }, []],
    ['discharge 2009-12 is before the window', { ...VETERAN, enlistDate: '2007-12', dischargeDate: '2009-12' }, ['veteran_discharge_window']],
    ['enlisted after discharge', { ...VETERAN, enlistDate: '2022-10', dischargeDate: '2022-09' }, ['veteran_order']],
    ['enlisted the month of discharge', { ...VETERAN, enlistDate: '2022-09', dischargeDate: '2022-09-15' }, ['veteran_order']],
    ['discharge date missing', { ...VETERAN, dischargeDate: '' }, ['veteran_fields']],
    ['impossible date 2023-02-29', { ...VETERAN, dischargeDate: '2023-02-29' }, ['date_format']],
    ['award in window', COMPETITION, []],
    ['award on the deadline', { ...COMPETITION, awardDate: '2024-02-23' }, []],
    ['award after the deadline', { ...COMPETITION, awardDate: '2024-02-24' }, ['award_date_window']],
    ['award month of the deadline (day unknown) counts as within', { ...COMPETITION, awardDate: '2024-02' }, []],
    ['award before the window', { ...COMPETITION, awardDate: '2020-12' }, ['award_date_window']],
    ['competition not on the list', { ...COMPETITION, competition: '某某杯职业技能邀请赛' }, ['competition_allowed']],
    ['competition with a year prefix', { ...COMPETITION, competition: '2023年全国职业院校技能大赛' }, []],
    ['full-width quotes in a listed name', { ...COMPETITION, competition: '"挑战杯"全国大学生课外学术科技作品竞赛' }, []],
    ['优秀奖 does not qualify', { ...COMPETITION, awardLevel: '优秀奖' }, ['award_level']],
    ['award fields missing', { ...COMPETITION, awardLevel: '', awardDate: '' }, ['competition_fields', 'competition_fields']],
    ['graduates 2025', { gradYear: 2025 }, ['grad_year']],
    ['graduation year missing', { gradYear: null }, ['grad_year']],
    ['past graduate, general plan', { gradYear: 2022 }, ['grad_year_past']],
    ['past graduate, poverty plan is allowed', { ...POVERTY, gradYear: 2022 }, []],
    ['past graduate veteran is allowed', { ...VETERAN, gradYear: 2019 }, []],
  ])('%s', (_, declared, expected) => {
    const docs = declared.category === 'veteran' ? vetDocs() : declared.category === 'competition' ? [doc('award_cert')] : declared.category === 'poverty' ? [doc('poverty_proof')] : [];
    expect(ids(declared, docs)).toEqual(expected.sort());
  });

  it('compares at the coarser precision', () => {
    expect(compareDates('2024-06', '2024-06-30')).toBe(0);
    expect(compareDates('2024-07-01', '2024-06')).toBe(1);
    expect(inWindow('2024-02', '2021-01-01', '2024-02-23')).toBe(true);
    expect(isDeclaredDate('2024-02-29')).toBe(true);
    expect(isDeclaredDate('2023-02-29')).toBe(false);
    expect(isDeclaredDate('2024-13')).toBe(false);
  });
});

const CRAFTSMAN: Partial<ApplicantDeclared> = {
  category: 'craftsman', craftEnrollDate: '2021-09', craftGradDate: '2024-06', craftContest: '湖南省职业院校技能竞赛·数控车加工', craftContestLevel: '省级',
};

describe('湖湘工匠燎原计划', () => {
  it.each<[string, Partial<ApplicantDeclared>, () => CheckDocument[], string[]]>([
    ['complete, with the 获奖证书', CRAFTSMAN, () => [doc('award_cert')], []],
    ['without the document the rules file requires', CRAFTSMAN, () => [], ['doc_missing']],
    ['fields missing', { ...CRAFTSMAN, craftContest: '', craftContestLevel: '' }, () => [doc('award_cert')], ['craft_fields', 'craft_fields']],
    ['graduates after 2024-07', { ...CRAFTSMAN, craftGradDate: '2024-12' }, () => [doc('award_cert')], ['craft_dates']],
    ['enrolled before 2019-09', { ...CRAFTSMAN, craftEnrollDate: '2018-09', craftGradDate: '2021-06', gradYear: 2021 }, () => [doc('award_cert')], ['craft_dates', 'grad_year_past']],
    ['enrolled after graduating', { ...CRAFTSMAN, craftEnrollDate: '2024-09' }, () => [doc('award_cert')], ['craft_dates']],
    ['one year of study is too short', { ...CRAFTSMAN, craftEnrollDate: '2023-09' }, () => [doc('award_cert')], ['craft_dates']],
    ['a two-year programme is fine', { ...CRAFTSMAN, craftEnrollDate: '2022-09' }, () => [doc('award_cert')], []],
    ['graduation date in another year than 毕业年份', { ...CRAFTSMAN, craftGradDate: '2023-06', craftEnrollDate: '2020-09' }, () => [doc('award_cert')], ['craft_grad_year']],
    ['校级 contest', { ...CRAFTSMAN, craftContestLevel: '校级' }, () => [doc('award_cert')], ['craft_contest_level']],
    ['国家级 with a prefix', { ...CRAFTSMAN, craftContestLevel: '国家级（一类）' }, () => [doc('award_cert')], []],
    ['a date that is not one', { ...CRAFTSMAN, craftGradDate: '2024-13' }, () => [doc('award_cert')], ['date_format']],
  ])('%s', (_, declared, documents, expected) => {
    expect(ids(declared, documents())).toEqual([...expected].sort());
  });

  it('requires what the rules file lists, and names both dates in the finding', () => {
    expect(requiredDocuments({ ...BASE, ...CRAFTSMAN } as ApplicantDeclared, rules)).toEqual([['award_cert']]);
    const changed = { ...rules, craftsman: { ...rules.craftsman, requiredDocuments: [['award_cert'], ['diploma', 'other']] as const } };
    expect(requiredDocuments({ ...BASE, ...CRAFTSMAN } as ApplicantDeclared, parseRules(changed))).toEqual([['award_cert'], ['diploma', 'other']]);
    const r = checkApplicant({ declared: { ...BASE, ...CRAFTSMAN, craftEnrollDate: '2023-09' }, documents: [doc('award_cert')], peers: NO_PEERS }, rules);
    expect(r[0]).toMatchObject({ checkId: 'craft_dates', suggestedReason: 'craft_info', field: 'craftGradDate' });
    expect(r[0]?.message).toContain('2023-09');
    expect(r[0]?.message).toContain('2024-06');
  });
});

describe('医学类报考专业 (the notice: names correspond strictly; 中医骨伤 → 中医学 allowed)', () => {
  it.each<[string, string, string, boolean]>([
    ['护理 → 护理学', '护理', '护理学', true],
    ['中医骨伤 → 中医学 (the notice\'s exception)', '中医骨伤', '中医学', true],
    ['中医骨伤 → 中医骨伤科学', '中医骨伤', '中医骨伤科学', true],
    ['护理 → 临床医学', '护理', '临床医学', false],
    ['药学 → 中药学', '药学', '中药学', false],
    ['会计 → 护理学 (not a medical 专科 major)', '会计', '护理学', false],
    ['护理 → 计算机科学与技术 (not a medical target: rule silent)', '护理', '计算机科学与技术', true],
    ['软件技术 → 软件工程', '软件技术', '软件工程', true],
    ['target not declared', '护理', '', true],
    ['spelled with 专业 and a direction', '护理（涉外护理方向）', '护理学专业', true],
    ['full-width spaces', '医学检验 技术', '医学检验技术', true],
  ])('%s', (_, major, targetMajor, ok) => {
    expect(medicalMismatch({ ...BASE, major, targetMajor }, rules) === null).toBe(ok);
    expect(ids({ major, targetMajor }).includes('medical_major')).toBe(!ok);
  });

  it('names both majors and what the 专科 major allows', () => {
    const [r] = checkApplicant({ declared: { ...BASE, major: '护理', targetMajor: '临床医学' }, documents: [], peers: NO_PEERS }, rules);
    expect(r).toMatchObject({ checkId: 'medical_major', severity: 'error', suggestedReason: 'medical_major', field: 'targetMajor' });
    expect(r?.message).toContain('“临床医学”');
    expect(r?.message).toContain('“护理”');
    expect(r?.message).toContain('护理学');
    expect(majorKey(' 康复治疗技术（运动康复）专业')).toBe('康复治疗技术');
  });

  it('reads the table from the rules file: a row added there is a rule, no code change', () => {
    expect(ids({ major: '医学美容技术', targetMajor: '医学美容学' })).toEqual([]);
    const more = parseRules({ ...rules, majors: { medical: [...rules.majors.medical, { junior: '医学美容技术', bachelor: ['医学美容学'] }] } });
    expect(medicalMismatch({ ...BASE, major: '会计', targetMajor: '医学美容学' }, more)).toEqual({ allowed: [] });
    expect(medicalMismatch({ ...BASE, major: '医学美容技术', targetMajor: '医学美容学' }, more)).toBeNull();
  });
});

describe('脱贫家庭', () => {
  it.each<[string, string, boolean]>([
    ['XX县乡村振兴局', '隆回县乡村振兴局', true],
    ['autonomous county', '城步苗族自治县乡村振兴局', true],
    ['district', '长沙市岳麓区乡村振兴局', true],
    ['county-level city', '浏阳市乡村振兴局', true],
    ['with province and prefecture', '湖南省邵阳市隆回县乡村振兴局', true],
    ['office variant', '凤凰县乡村振兴办公室', true],
    ['village committee', '新田村村委会', false],
    ['town government', '桃洪镇人民政府', false],
    ['town rural office', '桃洪镇乡村振兴办', false],
    ['prefecture', '邵阳市乡村振兴局', false],
    ['prefecture with province', '湖南省邵阳市乡村振兴局', false],
    ['province', '湖南省乡村振兴局', false],
    ['empty', '', false],
  ])('%s: %s', (_, issuer, ok) => {
    expect(issuerProblem(issuer, rules) === null).toBe(ok);
    expect(ids({ ...POVERTY, povertyIssuer: issuer }, [doc('poverty_proof')]).includes('poverty_issuer')).toBe(!ok);
  });

  it.each<[string, string, string[]]>([
    ['Hunan', '湖南省邵阳市隆回县桃洪镇', []],
    ['Hunan without province', '邵阳市隆回县桃洪镇', []],
    ['Xiangxi short form', '湘西州凤凰县', []],
    ['outside Hunan', '贵州省铜仁市松桃县', ['poverty_hukou_outside']],
    ['missing', '', ['poverty_hukou_missing']],
  ])('户籍 %s', (_, hukou, expected) => {
    expect(ids({ ...POVERTY, hukou }, [doc('poverty_proof')])).toEqual(expected);
  });
});

describe('duplicates and cross-check lists', () => {
  const a = id('430102', '20020315', '124');
  const b = id('430102', '20010101', '222');
  const c = id('430102', '20030303', '444');
  const d17 = a.slice(0, 17) + (a[17] === '1' ? '2' : '1');
  const rows = [
    { idNumber: a, phone: '13800000001', documents: [{ id: 1, sha256: 's1', dhash: 'ffff0000ffff0000', kind: 'diploma' }] },
    { idNumber: b, phone: '13800000001', documents: [{ id: 2, sha256: 's1', dhash: 'ffff0000ffff0000', kind: 'diploma' }] },
    { idNumber: c, phone: '13800000003', documents: [{ id: 3, sha256: 's3', dhash: 'ffff0000ffff0003', kind: 'diploma' }, { id: 4, sha256: 's4', dhash: 'ffff0000ffff0000', kind: 'award_cert' }] },
    { idNumber: d17, phone: '13800000004', documents: [] },
  ];
  const peers = findPeers(rows, { previous: new Set([c]), admitted: new Set([b]) }, 2);

  it('finds same phone, same file, same 17 digits, near images of the same kind, the lists an applicant is on', () => {
    expect(peers.get(a)).toEqual({ samePhone: [b], sameId17: [d17], sameScan: [{ documentId: 1, others: [b] }], similarScan: [{ documentId: 1, others: [c] }], onLists: [] });
    // The award certificate has the same hash as the diplomas but is another kind: not compared.
    expect(peers.get(c)).toEqual({ samePhone: [], sameId17: [], sameScan: [], similarScan: [{ documentId: 3, others: [a, b].sort() }], onLists: ['previous'] });
    expect(ids({ idNumber: c, sex: '女' }, [], peers.get(c))).toEqual(['previous_exam', 'similar_scan']);
    expect(ids({ idNumber: a }, [], peers.get(a))).toEqual(['duplicate_id17', 'duplicate_phone', 'duplicate_scan', 'similar_scan']);
    expect(peers.get(b)?.onLists).toEqual(['admitted']);
    expect(ids({ idNumber: b, sex: '女' }, [], peers.get(b))).toEqual(['admitted_other_plan', 'duplicate_phone', 'duplicate_scan', 'similar_scan']);
    const both = findPeers([rows[3]!], { previous: new Set([d17]), admitted: new Set([d17]) }, 2).get(d17);
    expect(both?.onLists).toEqual(['previous', 'admitted']);
  });

  it('does not call images near beyond the distance', () => {
    const far = findPeers([rows[0]!, { ...rows[2]!, documents: [{ id: 3, sha256: 's3', dhash: 'ffff0000ffff0007', kind: 'diploma' }] }], {}, 2);
    expect(far.get(a)?.similarScan).toEqual([]);
  });

  it('hamming64 and bands', () => {
    expect(hamming64('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hamming64('8000000000000001', '0000000000000000')).toBe(2);
    expect(bands('0001000200030004')).toEqual([1, 2, 3, 4]);
  });
});

describe('catalogue', () => {
  it('every check has a unique id, titles in both languages and a known reason', () => {
    const codes = new Set(SEED_REASONS.map((r) => r.code));
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
    for (const c of CHECKS) {
      // Dotted ids belong to other producers (ocr.…); the service rewrites only undotted rows.
      expect(c.id).toMatch(/^[a-z0-9_]+$/);
      expect(c.title.length, c.id).toBeGreaterThan(0);
      expect(c.titleEn.length, c.id).toBeGreaterThan(0);
      if (c.suggestedReason !== undefined) expect(codes.has(c.suggestedReason), c.id).toBe(true);
    }
  });

  it('results carry severity, suggested reason, field and both messages; errors come first', () => {
    const r = checkApplicant({ declared: { ...BASE, ...VETERAN, dischargeDate: '2024-09', phone: '123' }, documents: vetDocs(), peers: NO_PEERS }, rules);
    expect(r.map((x) => x.severity)).toEqual(['error', 'warning']);
    expect(r[0]).toMatchObject({ checkId: 'veteran_discharge_window', suggestedReason: 'discharge_date', field: 'dischargeDate' });
    expect(r[0]?.messageEn).toContain('2024-09');
    expect(summarise([{ idNumber: 'x', results: r }]).byCheck.phone_format).toEqual({ severity: 'warning', results: 1, applicants: 1 });
  });

  it('refuses a rules file with a malformed date', () => {
    const raw = JSON.parse(readFileSync('resources/rules/2024.json', 'utf8')) as { veteran: { dischargeTo: string } };
    raw.veteran.dischargeTo = '2024/06';
    expect(() => parseRules(raw)).toThrow(/veteran.dischargeTo/);
  });
});

describe('fallbackPlan', () => {
  it.each([
    ['veteran', 'reject', 'general'],
    ['competition', 'reject', 'general'],
    ['veteran', 'approve', 'veteran'],
    ['competition', 'return', 'competition'],
    ['poverty', 'reject', null],
    ['general', 'reject', null],
    ['craftsman', 'pending', 'craftsman'],
    ['craftsman', 'reject', 'general'],
  ] as const)('%s + %s → %s', (category, decision, plan) => {
    expect(fallbackPlan(category, decision)).toBe(plan);
  });
});

describe('findPeers at scale', () => {
  it('names at most PEER_CAP peers when 10,000 applicants share one phone (no N² blow-up)', () => {
    const rows = Array.from({ length: 10000 }, (_, i) => ({
      idNumber: `4301021999${String(i).padStart(8, '0')}`,
      phone: '13800000000',
      documents: [],
    }));
    const peers = findPeers(rows, {}, 0);
    expect(peers.size).toBe(10000);
    for (const p of peers.values()) {
      expect(p.samePhone.length).toBe(PEER_CAP);
    }
  });
});

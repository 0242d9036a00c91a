/**
 * The check catalogue (资格检查目录): one entry per check with its id, severity, the categories it
 * applies to, a Chinese and English title and the reason a reviewer would reject on. Each check
 * is a pure function of the applicant's declared data, its scans' facts, its peers and the rules.
 * Ids are stable: stored in check_results and read by the queue filter. They contain no dot: other
 * producers of findings (OCR: 'ocr.…') namespace theirs, so each side rewrites only its own rows.
 */
import { FIELD_LABELS, REQUIRED_DOCUMENTS, documentKindLabel, type DocumentKind, type ApplicantDeclared } from '../domain.js';
import { birthDateOf, checkDigit, idProblems, sexOf } from '../idcard.js';
import { toHalfWidth } from '../import/normalise.js';
import { compareDates, inWindow, isDeclaredDate } from './dates.js';
import { isHunanPlace, isHunanPrefectureOnly } from './places.js';
import type { Rules } from './rules.js';
import type { CheckDef, CheckDocument, CheckInput, Finding } from './types.js';

const f = (message: string, messageEn: string, extra: Omit<Finding, 'message' | 'messageEn'> = {}): Finding => ({ message, messageEn, ...extra });

/** idProblems of the last number asked about: five ID checks in a row ask about the same one. */
let lastId = '';
let lastProblems: ReturnType<typeof idProblems> = [];
function problemsOf(id: string): ReturnType<typeof idProblems> {
  if (id !== lastId) {
    lastProblems = idProblems(id);
    lastId = id;
  }
  return lastProblems;
}

function idFinding(input: CheckInput, problem: ReturnType<typeof idProblems>[number]): Finding[] {
  return problemsOf(input.declared.idNumber).includes(problem) ? [f('', '', { field: 'idNumber' })] : [];
}

function hasMerit(merit: string, rules: Rules): boolean {
  const m = merit.trim();
  if (rules.veteran.noMeritWords.includes(m)) return false;
  return rules.veteran.meritKeywords.some((k) => m.includes(k));
}

/** Discharged in the window where the unit's certificate stands in for the 退役证. */
export function needsUnitCert(d: ApplicantDeclared, rules: Rules): boolean {
  return isDeclaredDate(d.dischargeDate) && inWindow(d.dischargeDate, rules.veteran.unitCertFrom, rules.veteran.unitCertTo);
}

/**
 * Required kinds, each a list of alternatives (any one satisfies it). Refines REQUIRED_DOCUMENTS:
 * veterans discharged in the unit-certificate window may bring the 部队证明 instead of the
 * 退役证, and a claimed 三等功 or higher needs the 立功证书.
 */
export function requiredDocuments(d: ApplicantDeclared, rules: Rules): DocumentKind[][] {
  const out: DocumentKind[][] = [];
  for (const kind of REQUIRED_DOCUMENTS[d.category]) {
    if (kind === 'discharge_cert' && needsUnitCert(d, rules)) out.push(['unit_cert', 'discharge_cert']);
    else out.push([kind]);
  }
  if (d.category === 'veteran' && hasMerit(d.merit, rules)) out.push(['merit_cert']);
  // The notice names the 燎原计划 but not its documents: the year's rules file lists them.
  if (d.category === 'craftsman') out.push(...rules.craftsman.requiredDocuments.map((alts) => [...alts]));
  return out;
}

function missingKinds(input: CheckInput, rules: Rules): DocumentKind[][] {
  const present = new Set(input.documents.map((x) => x.kind));
  return requiredDocuments(input.declared, rules).filter((alts) => !alts.some((k) => present.has(k)));
}

const docLabel = (d: CheckDocument): string => `${documentKindLabel(d.kind)}（${d.originalName}）`;

/** Normalised for name matching: half-width, no spaces, one kind of quotes. */
const plain = (s: string): string => toHalfWidth(s).replace(/\s/g, '').replace(/[“”"「」]/g, '"');

/** The county-level test on a declared 脱贫证明 issuer; returns why it fails, or null. */
export function issuerProblem(issuer: string, rules: Rules): { zh: string; en: string } | null {
  const s = issuer.replace(/\s/g, '');
  if (!s) return { zh: '未填写脱贫证明出具单位', en: 'issuer of the poverty proof is missing' };
  const suffix = rules.poverty.issuerSuffixes.find((x) => s.endsWith(x));
  if (!suffix) return { zh: `出具单位“${s}”不是乡村振兴部门`, en: `issuer "${s}" is not a rural revitalisation office` };
  const place = s.slice(0, -suffix.length);
  if (!rules.poverty.countyMarkers.some((m) => place.endsWith(m))) {
    return { zh: `出具单位“${s}”不是县级乡村振兴部门`, en: `issuer "${s}" is not at county level` };
  }
  if (isHunanPrefectureOnly(place)) {
    return { zh: `出具单位“${s}”是市（州）级而非县级乡村振兴部门`, en: `issuer "${s}" is a prefecture office, not a county one` };
  }
  return null;
}

const DATE_FIELDS: (keyof ApplicantDeclared)[] = ['enlistDate', 'dischargeDate', 'awardDate', 'craftEnrollDate', 'craftGradDate'];

/** A major's name as the medical table compares it: half-width, no spaces, no （方向）, no trailing 专业. */
export function majorKey(name: string): string {
  return toHalfWidth(name).replace(/\s/g, '').replace(/[（(][^）)]*[）)]/g, '').replace(/专业$/, '');
}

/**
 * The medical-major rule: null when it does not apply or holds, else the 本科 majors the 专科
 * major may go to (empty when the 专科 major is not a medical one at all).
 */
export function medicalMismatch(d: ApplicantDeclared, rules: Rules): { allowed: string[] } | null {
  const target = majorKey(d.targetMajor);
  if (!target) return null;
  const table = rules.majors.medical;
  if (!table.some((r) => r.bachelor.some((b) => majorKey(b) === target))) return null;
  const junior = majorKey(d.major);
  const allowed = table.filter((r) => majorKey(r.junior) === junior).flatMap((r) => r.bachelor);
  return allowed.some((b) => majorKey(b) === target) ? null : { allowed };
}

/** Whole months from one declared date to another ('2021-09' → '2024-06' = 33). */
function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return ((ty ?? 0) - (fy ?? 0)) * 12 + ((tm ?? 0) - (fm ?? 0));
}

/** What is wrong with the 燎原计划 入学/毕业时间 (each problem one finding); [] when both are fine or absent. */
function craftDateProblems(d: ApplicantDeclared, rules: Rules): Finding[] {
  const { craftEnrollDate: e, craftGradDate: g } = d;
  const { enrollFrom, gradTo, minMonths, maxMonths } = rules.craftsman;
  const out: Finding[] = [];
  if (isDeclaredDate(e) && compareDates(e, enrollFrom) < 0) {
    out.push(f(`燎原计划入学时间 ${e} 早于规定的 ${enrollFrom}`, `enrolled ${e}, before ${enrollFrom}`, { field: 'craftEnrollDate' }));
  }
  if (isDeclaredDate(g) && compareDates(g, gradTo) > 0) {
    out.push(f(`燎原计划毕业时间 ${g} 晚于规定的 ${gradTo}，届时尚未毕业`, `graduates ${g}, after ${gradTo}`, { field: 'craftGradDate' }));
  }
  if (isDeclaredDate(e) && isDeclaredDate(g)) {
    const months = monthsBetween(e, g);
    if (months <= 0) {
      out.push(f(`燎原计划入学时间 ${e} 不早于毕业时间 ${g}`, `enrolled ${e}, not before graduating ${g}`, { field: 'craftEnrollDate' }));
    } else if (months < minMonths || months > maxMonths) {
      out.push(f(`燎原计划入学 ${e} 至毕业 ${g} 共 ${months} 个月，不在 ${minMonths}–${maxMonths} 个月之间`, `${months} months from enrolling ${e} to graduating ${g}, not within ${minMonths}–${maxMonths}`, { field: 'craftGradDate' }));
    }
  }
  return out;
}

/** One finding per required text field left empty. */
function missingFields(i: CheckInput, fields: readonly (keyof ApplicantDeclared)[]): Finding[] {
  return fields.filter((k) => !String(i.declared[k] ?? '').trim()).map((k) => f(`未填写${FIELD_LABELS[k]}`, `${k} is missing`, { field: k }));
}

export const CHECKS: readonly CheckDef[] = [
  // —— 身份证号 (GB 11643-1999) ——
  {
    id: 'id_length', severity: 'error', categories: [], suggestedReason: 'id_mismatch',
    title: '身份证号长度不是 18 位', titleEn: 'ID number is not 18 characters',
    run: (i) => (i.declared.idNumber.length !== 18 ? [f(`身份证号“${i.declared.idNumber}”为 ${i.declared.idNumber.length} 位，应为 18 位`, `ID number has ${i.declared.idNumber.length} characters, 18 expected`, { field: 'idNumber' })] : []),
  },
  {
    id: 'id_characters', severity: 'error', categories: [], suggestedReason: 'id_mismatch',
    title: '身份证号含非法字符', titleEn: 'ID number has invalid characters',
    run: (i) => {
      if (!idFinding(i, 'characters').length) return [];
      const half = toHalfWidth(i.declared.idNumber).toUpperCase();
      const fixable = half !== i.declared.idNumber && idProblems(half).length === 0;
      return [fixable
        ? f(`身份证号含全角数字或小写 x，应写作 ${half}`, `ID number has full-width digits or a lower-case x; should read ${half}`, { field: 'idNumber' })
        : f('身份证号应为 17 位数字加 1 位数字或 X', 'ID number must be 17 digits followed by a digit or X', { field: 'idNumber' })];
    },
  },
  {
    id: 'id_check_digit', severity: 'error', categories: [], suggestedReason: 'id_mismatch',
    title: '身份证号校验位错误', titleEn: 'ID number check digit is wrong',
    run: (i) => {
      if (!idFinding(i, 'check_digit').length) return [];
      const want = checkDigit(i.declared.idNumber.slice(0, 17)) ?? '?';
      return [f(`身份证号校验位错误：第 18 位应为 ${want}，申报为 ${i.declared.idNumber[17] ?? ''}（号码可能抄错）`, `check digit should be ${want}, declared ${i.declared.idNumber[17] ?? ''} (number probably mistyped)`, { field: 'idNumber' })];
    },
  },
  {
    id: 'id_birth_date', severity: 'error', categories: [], suggestedReason: 'id_mismatch',
    title: '身份证号中的出生日期无效', titleEn: 'birth date in the ID number is not a real date',
    run: (i) => idFinding(i, 'birth_date').map((x) => ({ ...x, message: `身份证号第 7–14 位“${i.declared.idNumber.slice(6, 14)}”不是有效的出生日期`, messageEn: `digits 7–14 "${i.declared.idNumber.slice(6, 14)}" are not a real birth date` })),
  },
  {
    id: 'id_region', severity: 'error', categories: [], suggestedReason: 'id_mismatch',
    title: '身份证号地区码无效', titleEn: 'ID number region code is invalid',
    run: (i) => idFinding(i, 'region').map((x) => ({ ...x, message: `身份证号前两位“${i.declared.idNumber.slice(0, 2)}”不是省级行政区代码`, messageEn: `first two digits "${i.declared.idNumber.slice(0, 2)}" are not a province code` })),
  },
  {
    id: 'id_sex_mismatch', severity: 'error', categories: [], suggestedReason: 'id_mismatch',
    title: '性别与身份证号不符', titleEn: 'declared sex disagrees with the ID number',
    run: (i) => {
      const fromId = sexOf(i.declared.idNumber);
      if (!i.declared.sex || !fromId || fromId === i.declared.sex) return [];
      return [f(`申报性别为${i.declared.sex}，身份证号第 17 位表示${fromId}`, `declared ${i.declared.sex === '男' ? 'male' : 'female'}, the ID number says ${fromId === '男' ? 'male' : 'female'}`, { field: 'sex' })];
    },
  },
  {
    id: 'id_age', severity: 'warning', categories: [], suggestedReason: 'id_mismatch',
    title: '按身份证号计算的年龄不合常理', titleEn: 'age from the ID number is implausible',
    run: (i, rules) => {
      const birth = birthDateOf(i.declared.idNumber);
      if (!birth || problemsOf(i.declared.idNumber).includes('birth_date')) return [];
      const age = rules.year - Number(birth.slice(0, 4));
      if (age >= 16 && age <= 60) return [];
      return [f(`按身份证号出生日期 ${birth}，报考当年 ${age} 岁，请核实号码`, `born ${birth} per the ID number: ${age} in ${rules.year}; check the number`, { field: 'idNumber' })];
    },
  },
  {
    id: 'phone_format', severity: 'warning', categories: [],
    title: '手机号格式不正确', titleEn: 'mobile number is malformed',
    run: (i) => (/^1[3-9]\d{9}$/.test(i.declared.phone) ? [] : [f(`手机号“${i.declared.phone}”不是 11 位大陆手机号`, `"${i.declared.phone}" is not an 11-digit mainland mobile number`, { field: 'phone' })]),
  },
  {
    id: 'date_format', severity: 'error', categories: [], suggestedReason: 'other',
    title: '日期无法识别', titleEn: 'a date is not a real date',
    run: (i) => DATE_FIELDS.filter((k) => {
      const v = i.declared[k];
      return typeof v === 'string' && v !== '' && !isDeclaredDate(v);
    }).map((k) => f(`日期“${String(i.declared[k])}”无效`, `"${String(i.declared[k])}" is not a valid date`, { field: k })),
  },

  // —— 材料 ——
  {
    id: 'doc_missing', severity: 'error', categories: [], suggestedReason: 'missing_docs',
    title: '缺少必需材料', titleEn: 'a required document is missing',
    run: (i, rules) => missingKinds(i, rules)
      .filter((alts) => !alts.includes('unit_cert'))
      .map((alts) => f(`缺少${documentKindLabel(alts[0] ?? 'other')}`, `missing ${alts[0] ?? 'other'} scan`)),
  },
  {
    id: 'doc_unit_cert_missing', severity: 'error', categories: ['veteran'], suggestedReason: 'missing_unit_cert',
    title: '缺少部队证明（或退役证）', titleEn: 'missing unit certificate (or discharge certificate)',
    run: (i, rules) => missingKinds(i, rules)
      .filter((alts) => alts.includes('unit_cert'))
      .map(() => f(`退役时间 ${i.declared.dischargeDate} 在部队证明适用期内，但既无部队证明也无退役证`, `discharged ${i.declared.dischargeDate}: neither the unit's certificate nor a discharge certificate was uploaded`, { field: 'dischargeDate' })),
  },
  {
    id: 'doc_unreadable_type', severity: 'error', categories: [], suggestedReason: 'missing_docs',
    title: '材料文件类型无法识别', titleEn: 'document is not a PDF or image',
    run: (i) => i.documents.filter((d) => d.facts && ['unknown', 'empty', 'missing'].includes(d.facts.type)).map((d) => {
      const t = d.facts?.type;
      return f(`${docLabel(d)}${t === 'missing' ? '文件在工作区中缺失' : t === 'empty' ? '是空文件' : '不是 PDF 或图片文件'}`, `${d.originalName}: ${t === 'missing' ? 'file missing from the workspace' : t === 'empty' ? 'empty file' : 'not a PDF or image'}`, { documentId: d.id });
    }),
  },
  {
    id: 'doc_corrupt', severity: 'error', categories: [], suggestedReason: 'missing_docs',
    title: '材料文件已损坏，无法打开', titleEn: 'document is corrupt',
    run: (i) => i.documents.filter((d) => d.facts && !['unknown', 'empty', 'missing'].includes(d.facts.type) && !d.facts.readable)
      .map((d) => f(`${docLabel(d)}已损坏，无法打开（${d.facts?.problem ?? ''}）`, `${d.originalName} is corrupt (${d.facts?.problem ?? ''})`, { documentId: d.id })),
  },
  {
    id: 'doc_blank', severity: 'error', categories: [], suggestedReason: 'blurry',
    title: '材料扫描件几乎空白', titleEn: 'scan is almost blank',
    run: (i, rules) => i.documents.filter((d) => d.facts?.readable && d.facts.ink !== null && d.facts.ink < rules.scans.blankInkRatio)
      .map((d) => f(`${docLabel(d)}几乎空白（有效内容 ${((d.facts?.ink ?? 0) * 100).toFixed(2)}%）`, `${d.originalName} is almost blank (${((d.facts?.ink ?? 0) * 100).toFixed(2)}% ink)`, { documentId: d.id })),
  },
  {
    id: 'doc_tiny', severity: 'warning', categories: [], suggestedReason: 'blurry',
    title: '材料文件过小，可能看不清', titleEn: 'document is too small to read',
    run: (i, rules) => i.documents.filter((d) => {
      const x = d.facts;
      // A blank page compresses to almost nothing; doc_blank already says what is wrong with it.
      if (!x?.readable || (x.ink !== null && x.ink < rules.scans.blankInkRatio)) return false;
      const side = x.width !== null && x.height !== null ? Math.min(x.width, x.height) : null;
      // Bytes say little about a PDF (a text-only page is 2 KB); they do about a photo or scan.
      return side !== null && (x.size < rules.scans.minBytes || side < rules.scans.minPixels);
    }).map((d) => {
      const x = d.facts;
      const px = x?.width != null && x.height != null ? `，${x.width}×${x.height} 像素` : '';
      return f(`${docLabel(d)}过小（${x?.size ?? 0} 字节${px}），可能无法辨认`, `${d.originalName} is small (${x?.size ?? 0} bytes${px.replace('，', ', ').replace('像素', 'px')})`, { documentId: d.id });
    }),
  },
  {
    id: 'doc_not_examined', severity: 'info', categories: [],
    title: '材料尚未检测', titleEn: 'document not examined yet',
    run: (i) => i.documents.filter((d) => d.facts === null).map((d) => f(`${docLabel(d)}尚未检测文件内容`, `${d.originalName} has not been examined`, { documentId: d.id })),
  },

  // —— 退役大学生士兵 ——
  {
    id: 'veteran_fields', severity: 'error', categories: ['veteran'], suggestedReason: 'missing_docs',
    title: '退役信息不完整', titleEn: 'discharge data incomplete',
    run: (i) => missingFields(i, ['dischargeCertNo', 'enlistDate', 'dischargeDate']),
  },
  {
    id: 'veteran_order', severity: 'error', categories: ['veteran'], suggestedReason: 'discharge_date',
    title: '入伍时间不早于退役时间', titleEn: 'enlistment is not before discharge',
    run: (i) => {
      const { enlistDate: e, dischargeDate: d } = i.declared;
      if (!isDeclaredDate(e) || !isDeclaredDate(d) || compareDates(e, d) < 0) return [];
      return [f(`入伍时间 ${e} 不早于退役时间 ${d}`, `enlisted ${e}, not before discharge ${d}`, { field: 'enlistDate' })];
    },
  },
  {
    id: 'veteran_discharge_window', severity: 'error', categories: ['veteran'], suggestedReason: 'discharge_date',
    title: '退役时间不在规定范围', titleEn: 'discharge date outside the allowed window',
    run: (i, rules) => {
      const d = i.declared.dischargeDate;
      const { dischargeFrom: from, dischargeTo: to } = rules.veteran;
      if (!isDeclaredDate(d) || inWindow(d, from, to)) return [];
      return compareDates(d, to) > 0
        ? [f(`退役时间 ${d} 晚于规定的 ${to}`, `discharged ${d}, after the cutoff ${to}`, { field: 'dischargeDate' })]
        : [f(`退役时间 ${d} 早于规定的 ${from}`, `discharged ${d}, before ${from}`, { field: 'dischargeDate' })];
    },
  },

  // —— 竞赛获奖 ——
  {
    id: 'competition_fields', severity: 'error', categories: ['competition'], suggestedReason: 'missing_docs',
    title: '获奖信息不完整', titleEn: 'award data incomplete',
    run: (i) => missingFields(i, ['competition', 'awardLevel', 'awardDate']),
  },
  {
    id: 'competition_allowed', severity: 'error', categories: ['competition'], suggestedReason: 'award_level',
    title: '赛事不在免试赛事目录内', titleEn: 'competition not on the allowed list',
    run: (i, rules) => {
      const c = plain(i.declared.competition);
      if (!c || rules.competition.allowed.some((a) => c.includes(plain(a)))) return [];
      return [f(`获奖赛事“${i.declared.competition}”不在 ${rules.year} 年免试赛事目录内`, `"${i.declared.competition}" is not on the ${rules.year} list of qualifying competitions`, { field: 'competition' })];
    },
  },
  {
    id: 'award_level', severity: 'error', categories: ['competition'], suggestedReason: 'award_level',
    title: '获奖等级不符合免试条件', titleEn: 'award level does not qualify',
    run: (i, rules) => {
      const l = plain(i.declared.awardLevel);
      if (!l || rules.competition.levels.some((x) => l.includes(x))) return [];
      return [f(`获奖等级“${i.declared.awardLevel}”不符合免试条件（须为 ${rules.competition.levels.join('、')}）`, `award level "${i.declared.awardLevel}" does not qualify`, { field: 'awardLevel' })];
    },
  },
  {
    id: 'award_date_window', severity: 'error', categories: ['competition'], suggestedReason: 'award_date',
    title: '获奖时间不在规定范围', titleEn: 'award date outside the allowed window',
    run: (i, rules) => {
      const d = i.declared.awardDate;
      const { awardFrom: from, awardTo: to } = rules.competition;
      if (!isDeclaredDate(d) || inWindow(d, from, to)) return [];
      return [f(`获奖时间 ${d} 不在 ${from} 至 ${to} 之间`, `award date ${d} is not between ${from} and ${to}`, { field: 'awardDate' })];
    },
  },

  // —— 湖湘工匠燎原计划 ——
  {
    id: 'craft_fields', severity: 'error', categories: ['craftsman'], suggestedReason: 'craft_info',
    title: '燎原计划信息不完整', titleEn: 'craftsman plan data incomplete',
    run: (i) => missingFields(i, ['craftEnrollDate', 'craftGradDate', 'craftContest', 'craftContestLevel']),
  },
  {
    id: 'craft_dates', severity: 'error', categories: ['craftsman'], suggestedReason: 'craft_info',
    title: '燎原计划入学或毕业时间不符合要求', titleEn: 'craftsman plan enrolment or graduation date does not qualify',
    run: (i, rules) => craftDateProblems(i.declared, rules),
  },
  {
    id: 'craft_grad_year', severity: 'warning', categories: ['craftsman'], suggestedReason: 'craft_info',
    title: '燎原计划毕业时间与毕业年份不一致', titleEn: 'craftsman plan graduation date disagrees with the graduation year',
    run: (i) => {
      const { craftGradDate: g, gradYear: y } = i.declared;
      if (!isDeclaredDate(g) || y === null || Number(g.slice(0, 4)) === y) return [];
      return [f(`燎原计划毕业时间 ${g} 与毕业年份 ${y} 不一致`, `graduation date ${g} disagrees with graduation year ${y}`, { field: 'craftGradDate' })];
    },
  },
  {
    id: 'craft_contest_level', severity: 'error', categories: ['craftsman'], suggestedReason: 'craft_info',
    title: '燎原计划赛项级别不符合要求', titleEn: 'craftsman plan contest level does not qualify',
    run: (i, rules) => {
      const l = plain(i.declared.craftContestLevel);
      if (!l || rules.craftsman.contestLevels.some((x) => l.includes(plain(x)))) return [];
      return [f(`赛项级别“${i.declared.craftContestLevel}”不符合燎原计划要求（须为 ${rules.craftsman.contestLevels.join('、')}）`, `contest level "${i.declared.craftContestLevel}" does not qualify`, { field: 'craftContestLevel' })];
    },
  },

  // —— 报考专业 ——
  {
    id: 'medical_major', severity: 'error', categories: [], suggestedReason: 'medical_major',
    title: '医学类报考专业与专科专业不对应', titleEn: 'medical major applied to does not correspond to the junior-college major',
    run: (i, rules) => {
      const m = medicalMismatch(i.declared, rules);
      if (!m) return [];
      const { major, targetMajor } = i.declared;
      return [m.allowed.length > 0
        ? f(`报考专业“${targetMajor}”为医学类专业，须与专科专业“${major}”严格对应（可报：${m.allowed.join('、')}）`, `medical major "${targetMajor}" does not correspond to the junior-college major "${major}" (allowed: ${m.allowed.join(', ')})`, { field: 'targetMajor' })
        : f(`报考专业“${targetMajor}”为医学类专业，专科专业“${major || '未填写'}”不是与之对应的医学类专业`, `medical major "${targetMajor}" needs a corresponding medical junior-college major, not "${major}"`, { field: 'targetMajor' })];
    },
  },

  // —— 毕业年份 ——
  {
    id: 'grad_year', severity: 'error', categories: [], suggestedReason: 'other',
    title: '毕业年份不符合报考条件', titleEn: 'graduation year does not qualify',
    run: (i, rules) => {
      const y = i.declared.gradYear;
      const { latestYear, earliestYear } = rules.graduation;
      if (y === null) return [f('未填写毕业年份', 'graduation year is missing', { field: 'gradYear' })];
      if (y > latestYear) return [f(`毕业年份 ${y} 晚于 ${latestYear} 年，届时尚未取得专科毕业证`, `graduates ${y}, after ${latestYear}`, { field: 'gradYear' })];
      if (y < earliestYear) return [f(`毕业年份 ${y} 早于 ${earliestYear} 年，请核实`, `graduation year ${y} is before ${earliestYear}`, { field: 'gradYear' })];
      return [];
    },
  },
  {
    id: 'grad_year_past', severity: 'warning', categories: [], suggestedReason: 'other',
    title: '往届毕业生报考本类别', titleEn: 'past graduate in a category for this year\'s graduates',
    run: (i, rules) => {
      const y = i.declared.gradYear;
      const { latestYear, earliestYear, currentOnly } = rules.graduation;
      if (y === null || y >= latestYear || y < earliestYear || !currentOnly.includes(i.declared.category)) return [];
      return [f(`${y} 届往届毕业生，本类别面向 ${latestYear} 届毕业生，请核实报考资格`, `${y} graduate; this category is for ${latestYear} graduates — verify eligibility`, { field: 'gradYear' })];
    },
  },

  // —— 脱贫家庭 ——
  {
    id: 'poverty_hukou_missing', severity: 'error', categories: ['poverty'], suggestedReason: 'missing_docs',
    title: '未填写户籍所在地', titleEn: 'household registration place missing',
    run: (i) => (i.declared.hukou.trim() ? [] : [f('脱贫家庭考生未填写户籍所在地', 'household registration place is missing', { field: 'hukou' })]),
  },
  {
    id: 'poverty_hukou_outside', severity: 'warning', categories: ['poverty'], suggestedReason: 'poverty_issuer',
    title: '户籍不在湖南省（省外）', titleEn: 'household registered outside Hunan',
    run: (i) => (!i.declared.hukou.trim() || isHunanPlace(i.declared.hukou) ? [] : [f(`户籍所在地“${i.declared.hukou}”不在湖南省，属省外户籍，请核实脱贫证明`, `registered in "${i.declared.hukou}", outside Hunan — verify the poverty proof`, { field: 'hukou' })]),
  },
  {
    id: 'poverty_issuer', severity: 'error', categories: ['poverty'], suggestedReason: 'poverty_issuer',
    title: '脱贫证明非县级乡村振兴部门出具', titleEn: 'poverty proof not issued by a county rural revitalisation office',
    run: (i, rules) => {
      const p = issuerProblem(i.declared.povertyIssuer, rules);
      return p ? [f(p.zh, p.en, { field: 'povertyIssuer' })] : [];
    },
  },

  // —— 重复与比对名单 ——
  {
    id: 'duplicate_id17', severity: 'error', categories: [], suggestedReason: 'id_mismatch',
    title: '身份证号前 17 位与他人相同', titleEn: 'same ID number (first 17 digits) as another applicant',
    run: (i) => (i.peers.sameId17.length ? [f(`身份证号前 17 位与 ${i.peers.sameId17.join('、')} 相同，可能重复报名或号码抄错`, `first 17 digits equal ${i.peers.sameId17.join(', ')}: double registration or a mistyped number`, { field: 'idNumber', peers: i.peers.sameId17 })] : []),
  },
  {
    id: 'duplicate_phone', severity: 'error', categories: [], suggestedReason: 'other',
    title: '手机号与他人相同', titleEn: 'same mobile number as another applicant',
    run: (i) => (i.peers.samePhone.length ? [f(`手机号 ${i.declared.phone} 同时被 ${i.peers.samePhone.length} 名其他考生使用（${i.peers.samePhone.join('、')}）`, `mobile ${i.declared.phone} is also used by ${i.peers.samePhone.join(', ')}`, { field: 'phone', peers: i.peers.samePhone })] : []),
  },
  {
    id: 'duplicate_scan', severity: 'error', categories: [], suggestedReason: 'other',
    title: '与他人提交了同一个文件', titleEn: 'same scan file as another applicant',
    run: (i) => i.peers.sameScan.map((s) => {
      const d = i.documents.find((x) => x.id === s.documentId);
      return f(`${d ? docLabel(d) : '材料'}与考生 ${s.others.join('、')} 提交的文件完全相同`, `${d?.originalName ?? 'scan'} is byte-identical to a file of ${s.others.join(', ')}`, { documentId: s.documentId, peers: s.others });
    }),
  },
  {
    id: 'similar_scan', severity: 'warning', categories: [], suggestedReason: 'other',
    title: '与他人的扫描件高度相似', titleEn: 'scan nearly identical to another applicant\'s',
    run: (i) => i.peers.similarScan.map((s) => {
      const d = i.documents.find((x) => x.id === s.documentId);
      return f(`${d ? docLabel(d) : '材料'}与考生 ${s.others.join('、')} 的扫描件高度相似，请比对`, `${d?.originalName ?? 'scan'} looks nearly identical to a scan of ${s.others.join(', ')}`, { documentId: s.documentId, peers: s.others });
    }),
  },
  {
    id: 'previous_exam', severity: 'error', categories: [], suggestedReason: 'previous_exam',
    title: '上年已参加专升本考试', titleEn: 'took the exam last year',
    run: (i) => (i.peers.onLists.includes('previous') ? [f('在省里下发的上年专升本考生名单中，不具备报考资格', 'on the province\'s list of last year\'s examinees: not eligible', { field: 'idNumber' })] : []),
  },
  {
    id: 'admitted_other_plan', severity: 'error', categories: [], suggestedReason: 'admitted_other_plan',
    title: '上半年已通过其他计划录取', titleEn: 'already admitted in the first half through another plan',
    run: (i) => (i.peers.onLists.includes('admitted') ? [f('在上半年已被其他计划录取的考生名单中（含录取未报到、放弃录取资格），不能再次报考', 'on the list of applicants admitted in the first half through another plan (incl. not enrolled or declined): may not apply again', { field: 'idNumber' })] : []),
  },
];

export function checkById(id: string): CheckDef | undefined {
  return CHECKS.find((c) => c.id === id);
}

/**
 * The demo college as data: applicants, the scans each one uploaded, and the deliberate defects.
 * No I/O here, so the list-only mode and the full mode plan exactly the same college.
 */
import {
  categoryInfo,
  documentKindLabel,
  EMPTY_DECLARED,
  type ApplicantDeclared,
  type CategoryCode,
  type DocumentKind,
} from '../../shared/domain.js';
import { checkDigit } from '../../shared/idcard.js';
import {
  AWARD_LEVELS,
  BACHELOR_MAJORS,
  BACHELOR_SCHOOLS,
  CONTESTS,
  CRAFT_CONTESTS,
  CRAFT_LEVELS,
  DEMO_COLLEGE,
  FEMALE_CHARS,
  MAJORS,
  MALE_CHARS,
  MEDICAL_TARGETS,
  NAME_SWAPS,
  OTHER_COLLEGES,
  POVERTY_REGIONS,
  PRINCIPALS,
  RARE_CHARS,
  REGIONS,
  SURNAMES,
  TOWNS,
  UNIT_NUMBERS,
  VILLAGES,
  type Contest,
  type Region,
} from './pools.js';
import { Rng } from './random.js';

export type ScanFormat = 'pdf' | 'jpeg' | 'png';
/** Which face of a document a file shows; a two-page PDF diploma shows both. */
export type ScanSide = 'front' | 'back';

export type DefectType =
  | 'name_on_scan_differs'
  | 'id_on_scan_differs'
  | 'invalid_check_digit'
  | 'missing_scan'
  | 'discharge_after_cutoff'
  | 'duplicate_phone'
  | 'duplicate_scan'
  | 'blank_scan'
  | 'corrupt_scan'
  // Issue 17: 报考专业, 燎原计划, the cross-check lists and the photo folder.
  | 'medical_major_mismatch'
  | 'craft_dates_invalid'
  | 'craft_level_invalid'
  | 'previous_examinee'
  | 'admitted_other_plan'
  | PhotoDefect;

/** Defects of the photo folder (photos/): what the college's upload before review gets wrong. */
export type PhotoDefect = 'photo_missing' | 'photo_duplicate' | 'photo_wrong_type' | 'photo_wrong_pixels' | 'photo_too_large' | 'photo_not_portrait';
export const PHOTO_DEFECTS: readonly PhotoDefect[] = ['photo_missing', 'photo_duplicate', 'photo_wrong_type', 'photo_wrong_pixels', 'photo_too_large', 'photo_not_portrait'];

export const DEFECT_TYPES: readonly DefectType[] = [
  'name_on_scan_differs',
  'id_on_scan_differs',
  'invalid_check_digit',
  'missing_scan',
  'discharge_after_cutoff',
  'duplicate_phone',
  'duplicate_scan',
  'blank_scan',
  'corrupt_scan',
  'medical_major_mismatch',
  'craft_dates_invalid',
  'craft_level_invalid',
  'previous_examinee',
  'admitted_other_plan',
  ...PHOTO_DEFECTS,
];

export interface TruthDefect {
  idNumber: string;
  /** Spreadsheet row of the applicant in applicants.xlsx (title and header are rows 1 and 2). */
  rowNo: number;
  type: DefectType;
  /** File name of the scan concerned (for missing_scan: the name it would have had). */
  document?: string;
  detail: string;
}

export interface TruthDocument {
  file: string;
  idNumber: string;
  kind: DocumentKind;
  format: ScanFormat;
  /** PDF pages; 1 for an image, 0 for a corrupt file. */
  pages: number;
  rotated: 0 | 90;
  /** A PDF whose pages are only embedded JPEGs (a scanner's output, no text layer). */
  imageOnly: boolean;
  /** A 3000×4000 phone photo. */
  large: boolean;
  /** Name and ID number printed on the scan ('' when the scan shows none: blank or corrupt). */
  nameOnScan: string;
  idOnScan: string;
}

export interface DemoTruth {
  seed: number;
  applicants: number;
  college: string;
  /** false in list-only mode: the documents are planned (and named in 附件) but not written. */
  scansWritten: boolean;
  defects: TruthDefect[];
  documents: TruthDocument[];
  /** The lists in broken/ and why import must refuse each. */
  broken: BrokenList[];
  /** The photo folder (photos/; not written in list-only mode). */
  photos: PlannedPhoto[];
  /** ID numbers on the cross-check lists in lists/ (applicants and people of other colleges). */
  crossLists: CrossListsPlan;
}

/** One file of photos/ (学籍照片, named by the ID number). */
export interface PlannedPhoto {
  file: string;
  idNumber: string;
  /** portrait = a proper ID photo; document = a photographed letter instead. */
  content: 'portrait' | 'document';
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  /** Sensor noise that makes the JPEG several times its usual size. */
  noisy: boolean;
}

export interface CrossListsPlan {
  /** 上年专升本考生名单 (lists/上年专升本考生名单.csv, GBK). */
  previous: string[];
  /** 上半年已被其他计划录取考生名单 (lists/上半年已录取考生名单.xlsx). */
  admitted: string[];
}

export interface BrokenList {
  /** Path relative to the demo folder, e.g. broken/duplicate_id.xlsx. */
  file: string;
  problem: 'duplicate_id' | 'excel_number_id' | 'missing_column';
  detail: string;
}

/** Facts printed on the scans that the list does not carry. */
export interface ScanFacts {
  birthDate: string;
  region: Region;
  /** 部别 of a veteran, e.g. 中国人民解放军69210部队. */
  unit: string;
  town: string;
  village: string;
  povertyYear: number;
  principal: string;
  diplomaNo: string;
}

export interface DemoApplicant {
  /** 序号 */
  seq: number;
  rowNo: number;
  declared: ApplicantDeclared;
  facts: ScanFacts;
  /** 附件: file names, in upload order. */
  attachments: string[];
}

/** A scan to write: the truth entry plus how to make it. */
export interface PlannedDocument extends TruthDocument {
  applicant: number;
  sides: ScanSide[];
  blank: boolean;
  corrupt: boolean;
  /** Written as a byte copy of this other file (the duplicate_scan defect). */
  copyOf: string | null;
}

export interface DemoPlan {
  seed: number;
  college: string;
  applicants: DemoApplicant[];
  documents: PlannedDocument[];
  defects: TruthDefect[];
  photos: PlannedPhoto[];
  crossLists: CrossListsPlan;
}

/** Category shares of the demo college (veteran 25%, competition 25%, poverty 20%, …). */
const CATEGORY_SHARES: readonly (readonly [CategoryCode, number])[] = [
  ['veteran', 0.25],
  ['competition', 0.25],
  ['poverty', 0.2],
  ['craftsman', 0.1],
  ['general', 0.2],
];

/** Applicants per defect type, as a share of the list (pairs count both members). */
const DEFECT_RATES: Readonly<Record<DefectType, number>> = {
  name_on_scan_differs: 0.025,
  id_on_scan_differs: 0.025,
  invalid_check_digit: 0.015,
  missing_scan: 0.02,
  discharge_after_cutoff: 0.015,
  duplicate_phone: 0.01,
  duplicate_scan: 0.01,
  blank_scan: 0.01,
  corrupt_scan: 0.01,
  // Rarer, so that a list keeps 10–20% of applicants with a defect: one each from 100 applicants.
  medical_major_mismatch: 0.005,
  craft_dates_invalid: 0.004,
  craft_level_invalid: 0.004,
  previous_examinee: 0.004,
  admitted_other_plan: 0.004,
  photo_missing: 0.004,
  photo_duplicate: 0.004,
  photo_wrong_type: 0.004,
  photo_wrong_pixels: 0.004,
  photo_too_large: 0.004,
  photo_not_portrait: 0.004,
};

const PAIR_DEFECTS: ReadonlySet<DefectType> = new Set(['duplicate_phone', 'duplicate_scan']);

/** Exact category counts by largest remainder, so 300 applicants give exactly 75/75/60/30/60. */
function categoryCounts(n: number): Map<CategoryCode, number> {
  const raw = CATEGORY_SHARES.map(([code, share]) => ({ code, exact: n * share, count: Math.floor(n * share) }));
  let left = n - raw.reduce((s, r) => s + r.count, 0);
  for (const r of [...raw].sort((a, b) => b.exact - b.count - (a.exact - a.count))) {
    if (left <= 0) break;
    r.count++;
    left--;
  }
  return new Map(raw.map((r) => [r.code, r.count]));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function ym(year: number, month: number): string {
  return `${year}-${pad(month, 2)}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function makeName(rng: Rng, sex: '男' | '女'): string {
  const chars = sex === '男' ? MALE_CHARS : FEMALE_CHARS;
  let given = rng.pick(chars);
  if (rng.chance(0.72)) given += rng.pick(chars);
  // A few rare characters so that fonts are exercised everywhere the name is shown.
  if (rng.chance(0.05)) given = given.slice(0, -1) + rng.pick(RARE_CHARS);
  return rng.pick(SURNAMES) + given;
}

function makeId(rng: Rng, region: Region, birth: string, sex: '男' | '女'): string {
  const sexDigit = rng.int(0, 4) * 2 + (sex === '男' ? 1 : 0);
  const first17 = region.code + birth.replaceAll('-', '') + pad(rng.int(0, 99), 2) + String(sexDigit);
  return first17 + (checkDigit(first17) ?? '0');
}

function makePhone(rng: Rng): string {
  return rng.pick(['13', '15', '18', '19']) + pad(rng.int(0, 999_999_999), 9);
}

interface Draft {
  declared: ApplicantDeclared;
  facts: ScanFacts;
  kinds: DocumentKind[];
}

function draftApplicant(rng: Rng, category: CategoryCode, ids: Set<string>, phones: Set<string>): Draft {
  const sex: '男' | '女' = rng.chance(category === 'veteran' ? 0.85 : 0.5) ? '男' : '女';
  const region = rng.pick(category === 'poverty' ? POVERTY_REGIONS : REGIONS);
  // Veterans enlisted from 2019 on, at 18 or older.
  const birthYear = category === 'veteran' ? rng.int(1998, 2001) : rng.int(1998, 2004);
  const birthMonth = rng.int(1, 12);
  const birthDate = `${birthYear}-${pad(birthMonth, 2)}-${pad(rng.int(1, daysIn(birthYear, birthMonth)), 2)}`;
  let idNumber = makeId(rng, region, birthDate, sex);
  while (ids.has(idNumber)) idNumber = makeId(rng, region, birthDate, sex);
  ids.add(idNumber);
  let phone = makePhone(rng);
  while (phones.has(phone)) phone = makePhone(rng);
  phones.add(phone);

  const school = rng.chance(0.8) ? DEMO_COLLEGE : rng.pick(OTHER_COLLEGES);
  const medicalSchool = school.includes('中医药') || school.includes('卫生');
  const major = medicalSchool ? rng.pick(['护理', '中医骨伤', '药学', '医学检验技术']) : rng.pick(MAJORS);
  const pastGraduate = rng.chance(category === 'poverty' ? 0.2 : 0.06);
  const gradYear = pastGraduate ? rng.pick([2022, 2023]) : 2024;

  const declared: ApplicantDeclared = {
    ...EMPTY_DECLARED,
    idNumber,
    name: makeName(rng, sex),
    sex,
    phone,
    category,
    school,
    major,
    gradYear,
    dischargeCertNo: '',
    enlistDate: '',
    dischargeDate: '',
    merit: '',
    competition: '',
    award: '',
    awardLevel: '',
    awardDate: '',
    hukou: '',
    povertyIssuer: '',
  };
  const facts: ScanFacts = {
    birthDate,
    region,
    unit: `中国人民解放军${rng.pick(UNIT_NUMBERS)}部队`,
    town: rng.pick(TOWNS),
    village: rng.pick(VILLAGES),
    povertyYear: rng.int(2016, 2020),
    principal: rng.pick(PRINCIPALS),
    // 学历证书编号: school code, year, level 5 (专科), serial.
    diplomaNo: `1${pad(rng.int(2000, 9999), 4)}${gradYear}05${pad(rng.int(0, 999_999), 6)}`,
  };
  const kinds: DocumentKind[] = [];

  if (category === 'veteran') {
    const enlist = rng.pick(['2019-09', '2020-09', '2021-03', '2021-09']);
    const [ey, em] = enlist.split('-').map(Number) as [number, number];
    const lateDischarge = ey === 2021 && rng.chance(0.4);
    const discharge = lateDischarge ? rng.pick(['2024-01', '2024-03', '2024-06']) : ym(ey + 2, em);
    declared.enlistDate = enlist;
    declared.dischargeDate = discharge;
    declared.dischargeCertNo = `湘退字${discharge.slice(0, 4)}第${pad(rng.int(1, 99_999), 6)}号`;
    declared.merit = rng.chance(0.12) ? '三等功' : '无';
    // Discharged in 2024's first half: the certificate is not issued yet, the unit certifies.
    kinds.push(discharge >= '2024-01' && discharge <= '2024-06' ? 'unit_cert' : 'discharge_cert', 'diploma');
    if (declared.merit === '三等功') kinds.push('merit_cert');
  } else if (category === 'competition') {
    const contest: Contest = rng.pick(CONTESTS);
    declared.competition = contest.name;
    declared.award = rng.pick(contest.events);
    declared.awardLevel = rng.weighted(AWARD_LEVELS.map((l, i) => [l, [3, 4, 4][i] ?? 1] as const));
    const year = rng.int(2021, 2023);
    const month = rng.int(4, 12);
    declared.awardDate = rng.chance(0.4) ? `${ym(year, month)}-${pad(rng.int(1, 28), 2)}` : ym(year, month);
    kinds.push('award_cert');
    if (rng.chance(0.4)) kinds.push('diploma');
  } else if (category === 'poverty') {
    declared.hukou = `${region.name}${facts.town}${facts.village}`;
    declared.povertyIssuer = `${region.county}乡村振兴局`;
    kinds.push('poverty_proof');
  } else if (rng.chance(0.5)) {
    kinds.push('diploma');
  }
  // Drawn from streams of their own, so the applicants of earlier demos keep every other value.
  const target = rng.fork('target');
  const medical = ['护理', '中医骨伤', '药学', '医学检验技术'].includes(major);
  if (medical || target.chance(0.6)) {
    declared.targetSchool = target.pick(BACHELOR_SCHOOLS);
    declared.targetMajor = target.pick(BACHELOR_MAJORS[major] ?? ['工商管理']);
  }
  if (category === 'craftsman') {
    const craft = rng.fork('craft');
    // Three years of 专科 study ending in June of the graduation year (two for a few).
    declared.craftEnrollDate = ym(gradYear - (craft.chance(0.15) ? 2 : 3), 9);
    declared.craftGradDate = ym(gradYear, 6);
    declared.craftContest = craft.pick(CRAFT_CONTESTS);
    declared.craftContestLevel = craft.pick(CRAFT_LEVELS);
    kinds.push('award_cert');
  }
  return { declared, facts, kinds };
}

const EXT: Record<ScanFormat, string> = { pdf: 'pdf', jpeg: 'jpg', png: 'png' };

export function fileName(idNumber: string, kind: DocumentKind, format: ScanFormat, n?: number): string {
  return `${idNumber}_${documentKindLabel(kind)}${n === undefined ? '' : `_${n}`}.${EXT[format]}`;
}

/** The files one document becomes: format, pages, rotation and size drawn from its own stream. */
function planFiles(rng: Rng, applicant: number, declared: ApplicantDeclared, kind: DocumentKind): PlannedDocument[] {
  const base = {
    applicant,
    idNumber: declared.idNumber,
    kind,
    nameOnScan: declared.name,
    idOnScan: declared.idNumber,
    blank: false,
    corrupt: false,
    copyOf: null,
  };
  if (rng.chance(0.4)) {
    const imageOnly = rng.chance(0.2);
    const sides: ScanSide[] = kind === 'diploma' ? ['front', 'back'] : ['front'];
    return [{
      ...base,
      file: fileName(declared.idNumber, kind, 'pdf'),
      format: 'pdf',
      pages: sides.length,
      rotated: 0,
      imageOnly,
      large: false,
      sides,
    }];
  }
  const large = rng.chance(0.035);
  const format: ScanFormat = large || rng.chance(0.75) ? 'jpeg' : 'png';
  const one = (sides: ScanSide[], n?: number): PlannedDocument => ({
    ...base,
    file: fileName(declared.idNumber, kind, format, n),
    format,
    pages: 1,
    rotated: rng.chance(0.15) ? 90 : 0,
    imageOnly: false,
    large,
    sides,
  });
  // Phone photos of a diploma often come as two files, front and back.
  if (kind === 'diploma' && rng.chance(0.3)) return [one(['front'], 1), one(['back'], 2)];
  return [one(['front'])];
}

function rowDetail(a: DemoApplicant, type: DefectType, document: string | undefined, detail: string): TruthDefect {
  return {
    idNumber: a.declared.idNumber,
    rowNo: a.rowNo,
    type,
    ...(document === undefined ? {} : { document }),
    detail,
  };
}

/** Swaps two adjacent, different digits in the birth-date/sequence part of an ID. */
function swapDigits(rng: Rng, id: string): string {
  for (let tries = 0; tries < 50; tries++) {
    const i = rng.int(6, 15);
    const a = id[i];
    const b = id[i + 1];
    if (a !== undefined && b !== undefined && a !== b) return id.slice(0, i) + b + a + id.slice(i + 2);
  }
  return id.slice(0, 16) + (id[16] === '1' ? '3' : '1') + id.slice(17);
}

function alterName(rng: Rng, name: string): string {
  const last = name.slice(-1);
  const swap = NAME_SWAPS[last];
  if (swap !== undefined) return name.slice(0, -1) + swap;
  const pool = rng.chance(0.5) ? MALE_CHARS : FEMALE_CHARS;
  let replacement = rng.pick(pool);
  while (replacement === last) replacement = rng.pick(pool);
  return name.slice(0, -1) + replacement;
}

export function planDemo(opts: { applicants: number; seed: number }): DemoPlan {
  const n = opts.applicants;
  const root = new Rng(opts.seed);
  const counts = categoryCounts(n);
  const order = root.fork('categories').shuffle(
    CATEGORY_SHARES.flatMap(([code]) => Array.from({ length: counts.get(code) ?? 0 }, () => code)),
  );
  const ids = new Set<string>();
  const phones = new Set<string>();
  const applicants: DemoApplicant[] = [];
  const docsByApplicant: PlannedDocument[][] = [];
  order.forEach((category, i) => {
    const rng = root.fork('applicant', i);
    const draft = draftApplicant(rng, category, ids, phones);
    applicants.push({ seq: i + 1, rowNo: i + 3, declared: draft.declared, facts: draft.facts, attachments: [] });
    docsByApplicant.push(draft.kinds.flatMap((kind) => planFiles(rng.fork('doc', kind), i, draft.declared, kind)));
  });

  const defects = applyDefects(root.fork('defects'), n, applicants, docsByApplicant, ids);
  const taken = new Set(defects.map((d) => d.idNumber));
  const crossLists: CrossListsPlan = { previous: [], admitted: [] };
  defects.push(...applyNoticeDefects(root.fork('defects', 'notice17'), n, applicants, taken, crossLists));
  const photos = planPhotos(root.fork('photos'), n, applicants, defects);

  const documents: PlannedDocument[] = [];
  applicants.forEach((a, i) => {
    const docs = docsByApplicant[i] ?? [];
    a.attachments = docs.map((d) => d.file);
    documents.push(...docs);
  });
  defects.sort((x, y) => x.rowNo - y.rowNo || x.type.localeCompare(y.type));
  return { seed: opts.seed, college: DEMO_COLLEGE, applicants, documents, defects, photos, crossLists };
}

/** The kind a check will insist on: the unit's certificate for early-2024 discharges. */
function requiredKinds(category: CategoryCode, docs: PlannedDocument[]): DocumentKind[] {
  const present = new Set(docs.map((d) => d.kind));
  if (category === 'veteran') return [present.has('unit_cert') ? 'unit_cert' : 'discharge_cert', 'diploma'];
  if (category === 'competition') return ['award_cert'];
  if (category === 'poverty') return ['poverty_proof'];
  if (category === 'craftsman') return ['award_cert'];
  return [];
}

function applyDefects(
  rng: Rng,
  n: number,
  applicants: DemoApplicant[],
  docs: PlannedDocument[][],
  ids: Set<string>,
): TruthDefect[] {
  const defects: TruthDefect[] = [];
  const taken = new Set<number>();
  const countOf = (type: DefectType): number => defectCount(n, type);
  const candidates = (ok: (i: number) => boolean): number[] =>
    rng.shuffle(applicants.map((_, i) => i).filter((i) => !taken.has(i) && ok(i)));
  const docsOf = (i: number): PlannedDocument[] => docs[i] ?? [];
  const applicantAt = (i: number): DemoApplicant => {
    const a = applicants[i];
    if (!a) throw new Error(`no applicant ${i}`);
    return a;
  };
  const isVeteran = (i: number): boolean => applicantAt(i).declared.category === 'veteran';

  for (const i of candidates(isVeteran).slice(0, countOf('discharge_after_cutoff'))) {
    taken.add(i);
    const a = applicantAt(i);
    const month = rng.pick(['2024-07', '2024-09', '2024-12']);
    a.declared.dischargeDate = month;
    a.declared.dischargeCertNo = a.declared.dischargeCertNo.replace(/湘退字\d{4}/, '湘退字2024');
    // Discharged after June: a regular discharge certificate, not the unit's letter.
    for (const d of docsOf(i)) {
      if (d.kind !== 'unit_cert') continue;
      d.kind = 'discharge_cert';
      d.file = fileName(d.idNumber, 'discharge_cert', d.format);
    }
    defects.push(rowDetail(a, 'discharge_after_cutoff', undefined, `退役时间 ${month} 晚于 2024-06`));
  }

  for (const i of candidates(() => true).slice(0, countOf('invalid_check_digit'))) {
    taken.add(i);
    const a = applicantAt(i);
    const valid = a.declared.idNumber;
    let wrong = valid;
    for (const c of rng.shuffle('0123456789X'.split(''))) {
      const candidate = valid.slice(0, 17) + c;
      if (c !== valid[17] && !ids.has(candidate)) {
        wrong = candidate;
        break;
      }
    }
    ids.delete(valid);
    ids.add(wrong);
    a.declared.idNumber = wrong;
    for (const d of docsOf(i)) {
      d.idNumber = wrong;
      d.idOnScan = wrong;
      d.file = d.file.replace(valid, wrong);
    }
    defects.push(rowDetail(a, 'invalid_check_digit', undefined, `校验位应为 ${valid[17]}，申报为 ${wrong[17]}`));
  }

  const hasRequired = (i: number): boolean => requiredKinds(applicantAt(i).declared.category, docsOf(i)).length > 0;
  for (const i of candidates(hasRequired).slice(0, countOf('missing_scan'))) {
    taken.add(i);
    const a = applicantAt(i);
    const kind = rng.pick(requiredKinds(a.declared.category, docsOf(i)));
    const list = docsOf(i);
    const missing = list.filter((d) => d.kind === kind);
    docs[i] = list.filter((d) => d.kind !== kind);
    const name = missing[0]?.file ?? fileName(a.declared.idNumber, kind, 'pdf');
    defects.push(rowDetail(a, 'missing_scan', name, `缺少${documentKindLabel(kind)}`));
  }

  const withDocs = (i: number): boolean => docsOf(i).length > 0;
  for (const i of candidates(withDocs).slice(0, countOf('name_on_scan_differs'))) {
    taken.add(i);
    const a = applicantAt(i);
    const doc = docsOf(i)[0];
    if (!doc) continue;
    const shown = alterName(rng, a.declared.name);
    for (const d of docsOf(i).filter((x) => x.kind === doc.kind)) d.nameOnScan = shown;
    defects.push(rowDetail(a, 'name_on_scan_differs', doc.file, `扫描件姓名为「${shown}」，申报为「${a.declared.name}」`));
  }

  for (const i of candidates(withDocs).slice(0, countOf('id_on_scan_differs'))) {
    taken.add(i);
    const a = applicantAt(i);
    const doc = docsOf(i)[0];
    if (!doc) continue;
    const shown = swapDigits(rng, a.declared.idNumber);
    for (const d of docsOf(i).filter((x) => x.kind === doc.kind)) d.idOnScan = shown;
    defects.push(rowDetail(a, 'id_on_scan_differs', doc.file, `扫描件身份证号为 ${shown}`));
  }

  // A blank photo or a broken PDF takes the place of one of the applicant's scans.
  const unreadable: { type: DefectType; detail: string }[] = [
    { type: 'blank_scan', detail: '扫描件几乎空白' },
    { type: 'corrupt_scan', detail: 'PDF 文件已损坏，无法打开' },
  ];
  for (const { type, detail } of unreadable) {
    for (const i of candidates(withDocs).slice(0, countOf(type))) {
      taken.add(i);
      const list = docsOf(i);
      const at = rng.int(0, list.length - 1);
      const doc = list[at];
      if (!doc) continue;
      const blank = type === 'blank_scan';
      const format: ScanFormat = !blank ? 'pdf' : rng.chance(0.7) ? 'jpeg' : 'png';
      const part = /_(\d)\.\w+$/.exec(doc.file)?.[1];
      const replaced: PlannedDocument = {
        ...doc,
        file: fileName(doc.idNumber, doc.kind, format, part === undefined ? undefined : Number(part)),
        format,
        pages: blank ? 1 : 0,
        rotated: 0,
        imageOnly: false,
        large: false,
        nameOnScan: '',
        idOnScan: '',
        blank,
        corrupt: !blank,
      };
      list[at] = replaced;
      defects.push(rowDetail(applicantAt(i), type, replaced.file, detail));
    }
  }

  // Pairs: the second applicant's diploma is the first one's file, byte for byte.
  const withSingleDiploma = (i: number): boolean => docsOf(i).filter((d) => d.kind === 'diploma').length === 1;
  const scanPool = candidates(withSingleDiploma);
  for (let p = 0; p < countOf('duplicate_scan') && scanPool.length >= 2; p++) {
    const [i, j] = scanPool.splice(0, 2) as [number, number];
    taken.add(i);
    taken.add(j);
    const a = applicantAt(i);
    const b = applicantAt(j);
    const source = docsOf(i).find((d) => d.kind === 'diploma');
    const list = docsOf(j);
    const at = list.findIndex((d) => d.kind === 'diploma');
    const target = list[at];
    if (!source || !target) continue;
    list[at] = {
      ...source,
      applicant: j,
      idNumber: b.declared.idNumber,
      file: fileName(b.declared.idNumber, 'diploma', source.format),
      copyOf: source.file,
    };
    const twin = list[at]?.file ?? '';
    defects.push(rowDetail(a, 'duplicate_scan', source.file, `与 ${twin} 为同一文件`));
    defects.push(rowDetail(b, 'duplicate_scan', twin, `与 ${source.file} 为同一文件`));
  }

  const phonePool = candidates(() => true);
  for (let p = 0; p < countOf('duplicate_phone') && phonePool.length >= 2; p++) {
    const [i, j] = phonePool.splice(0, 2) as [number, number];
    taken.add(i);
    taken.add(j);
    const a = applicantAt(i);
    const b = applicantAt(j);
    b.declared.phone = a.declared.phone;
    defects.push(rowDetail(a, 'duplicate_phone', undefined, `手机号与第 ${b.rowNo} 行相同`));
    defects.push(rowDetail(b, 'duplicate_phone', undefined, `手机号与第 ${a.rowNo} 行相同`));
  }
  return defects;
}

/** How many applicants get a defect of this type (every type shows up from 100 applicants on). */
function defectCount(n: number, type: DefectType): number {
  const exact = (n * DEFECT_RATES[type]) / (PAIR_DEFECTS.has(type) ? 2 : 1);
  return n >= 100 ? Math.max(1, Math.round(exact)) : Math.round(exact);
}

/** A valid ID number of someone who is not an applicant here (the province's lists hold thousands). */
function strangerId(rng: Rng, ids: ReadonlySet<string>): string {
  for (;;) {
    const region = rng.pick(REGIONS);
    const year = rng.int(1998, 2003);
    const month = rng.int(1, 12);
    const id = makeId(rng, region, `${year}-${pad(month, 2)}-${pad(rng.int(1, daysIn(year, month)), 2)}`, rng.chance(0.5) ? '男' : '女');
    if (!ids.has(id)) return id;
  }
}

/**
 * Issue 17's defects in the list and the cross-check lists: a medical 报考专业 that does not
 * correspond, 燎原计划 dates or contest level out of the rules, applicants on the previous-year
 * list and on the list of those admitted in the first half. Applicants already given a defect
 * are left alone, so each finding has one explanation.
 */
function applyNoticeDefects(rng: Rng, n: number, applicants: DemoApplicant[], taken: Set<string>, lists: CrossListsPlan): TruthDefect[] {
  const defects: TruthDefect[] = [];
  const free = (ok: (a: DemoApplicant) => boolean): DemoApplicant[] => rng.shuffle(applicants.filter((a) => !taken.has(a.declared.idNumber) && ok(a)));
  const take = (a: DemoApplicant, type: DefectType, detail: string): void => {
    taken.add(a.declared.idNumber);
    defects.push(rowDetail(a, type, undefined, detail));
  };
  for (const a of free(() => true).slice(0, defectCount(n, 'medical_major_mismatch'))) {
    const allowed = BACHELOR_MAJORS[a.declared.major] ?? [];
    const target = rng.pick(MEDICAL_TARGETS.filter((m) => !allowed.includes(m)));
    a.declared.targetSchool ||= rng.pick(BACHELOR_SCHOOLS);
    a.declared.targetMajor = target;
    take(a, 'medical_major_mismatch', `专科专业 ${a.declared.major}，报考医学类专业 ${target}`);
  }
  const craftsman = (a: DemoApplicant): boolean => a.declared.category === 'craftsman';
  for (const a of free(craftsman).slice(0, defectCount(n, 'craft_dates_invalid'))) {
    const grad = rng.pick(['2024-09', '2024-12']);
    a.declared.craftGradDate = grad;
    take(a, 'craft_dates_invalid', `燎原计划毕业时间 ${grad} 晚于 2024-07`);
  }
  for (const a of free(craftsman).slice(0, defectCount(n, 'craft_level_invalid'))) {
    const level = rng.pick(['市级', '校级']);
    a.declared.craftContestLevel = level;
    take(a, 'craft_level_invalid', `赛项级别为${level}`);
  }
  const ids = new Set(applicants.map((a) => a.declared.idNumber));
  const onList = (type: 'previous_examinee' | 'admitted_other_plan', list: string[], detail: string): void => {
    for (const a of free(() => true).slice(0, defectCount(n, type))) {
      list.push(a.declared.idNumber);
      take(a, type, detail);
    }
    // The province's lists are mostly other people.
    for (let i = 0; i < 12; i++) list.push(strangerId(rng, ids));
    list.sort();
  };
  onList('previous_examinee', lists.previous, '在上年专升本考生名单中');
  onList('admitted_other_plan', lists.admitted, '在上半年已被其他计划录取考生名单中');
  return defects;
}

/**
 * photos/: one 480×640 JPEG portrait per applicant named by the ID number, except for the photo
 * defects. These may fall on applicants with other defects (a different artefact, a different
 * check); one photo defect per applicant.
 */
function planPhotos(rng: Rng, n: number, applicants: DemoApplicant[], defects: TruthDefect[]): PlannedPhoto[] {
  const photos = new Map<string, PlannedPhoto[]>();
  for (const a of applicants) {
    const id = a.declared.idNumber;
    photos.set(id, [{ file: `${id}.jpg`, idNumber: id, content: 'portrait', format: 'jpeg', width: 480, height: 640, noisy: false }]);
  }
  const pool = rng.shuffle(applicants);
  for (const type of PHOTO_DEFECTS) {
    for (let k = 0; k < defectCount(n, type); k++) {
      const a = pool.pop();
      if (!a) break;
      const id = a.declared.idNumber;
      const own = photos.get(id)?.[0];
      if (!own) continue;
      let detail: string;
      if (type === 'photo_missing') {
        photos.set(id, []);
        detail = '照片文件夹中没有此考生的照片';
      } else if (type === 'photo_duplicate') {
        photos.set(id, [own, { ...own, file: `${id}(1).jpg` }]);
        detail = `${id}.jpg 与 ${id}(1).jpg 两张照片`;
      } else if (type === 'photo_wrong_type') {
        photos.set(id, [{ ...own, file: `${id}.png`, format: 'png' }]);
        detail = 'PNG 格式';
      } else if (type === 'photo_wrong_pixels') {
        const [w, h] = rng.pick([[295, 413], [600, 800], [358, 441]] as const);
        photos.set(id, [{ ...own, width: w, height: h }]);
        detail = `${w}×${h} 像素`;
      } else if (type === 'photo_too_large') {
        photos.set(id, [{ ...own, noisy: true }]);
        detail = '文件超过 200 KB';
      } else {
        photos.set(id, [{ ...own, content: 'document' }]);
        detail = '是一张证明文件的照片，不是证件照';
      }
      defects.push(rowDetail(a, type, photos.get(id)?.[0]?.file ?? `${id}.jpg`, detail));
    }
  }
  return applicants.flatMap((a) => photos.get(a.declared.idNumber) ?? []);
}

/** The row of applicants.xlsx, in header order. */
export const LIST_HEADER = [
  '序号', '姓名', '性别', '身份证号', '手机号', '报考类别', '专科学校', '专科专业', '毕业年份', '退役证编号',
  '入伍时间', '退役时间', '立功情况', '获奖赛事', '奖项', '获奖等级', '获奖时间', '户籍所在地',
  '脱贫证明出具单位', '报考院校', '报考专业', '燎原计划入学时间', '燎原计划毕业时间', '燎原计划赛项', '赛项级别', '附件',
] as const;

export function listRow(a: DemoApplicant): (string | number)[] {
  const d = a.declared;
  return [
    a.seq, d.name, d.sex, d.idNumber, d.phone, categoryInfo(d.category).label, d.school, d.major,
    d.gradYear ?? '', d.dischargeCertNo, d.enlistDate, d.dischargeDate, d.merit, d.competition, d.award,
    d.awardLevel, d.awardDate, d.hukou, d.povertyIssuer, d.targetSchool, d.targetMajor, d.craftEnrollDate,
    d.craftGradDate, d.craftContest, d.craftContestLevel, a.attachments.join('；'),
  ];
}

export function truthOf(plan: DemoPlan, scansWritten: boolean, broken: BrokenList[]): DemoTruth {
  return {
    seed: plan.seed,
    applicants: plan.applicants.length,
    college: plan.college,
    scansWritten,
    defects: plan.defects,
    documents: plan.documents.map((d) => ({
      file: d.file,
      idNumber: d.idNumber,
      kind: d.kind,
      format: d.format,
      pages: d.pages,
      rotated: d.rotated,
      imageOnly: d.imageOnly,
      large: d.large,
      nameOnScan: d.nameOnScan,
      idOnScan: d.idOnScan,
    })),
    broken,
    photos: plan.photos,
    crossLists: plan.crossLists,
  };
}

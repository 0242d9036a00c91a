/**
 * The domain model of the 专升本 qualification review (资格审核), shared by every part of the desk.
 * Pure data and types: no electron, node: or DOM imports (enforced by lint and tsconfig.shared.json).
 */

/** 报考类别 — the category an applicant registered under; an applicant picks exactly one. */
export type CategoryCode = 'veteran' | 'competition' | 'craftsman' | 'poverty' | 'general';

export interface CategoryInfo {
  code: CategoryCode;
  /** Official Chinese name as it appears in platform exports. */
  label: string;
  /** Short forms and variants seen in college spreadsheets, matched after normalisation. */
  aliases: string[];
  /** Exam-exempt (免试) categories go to the exempt review table. */
  exempt: boolean;
}

export const CATEGORIES: readonly CategoryInfo[] = [
  { code: 'veteran', label: '退役大学生士兵免试', aliases: ['退役大学生士兵', '退役士兵', '退役大学生士兵免试生', '退役士兵免试'], exempt: true },
  { code: 'competition', label: '竞赛获奖免试', aliases: ['竞赛获奖', '竞赛获奖考生', '竞赛获奖免试生', '技能竞赛获奖'], exempt: true },
  // The notice counts 燎原计划 applicants among the competition winners (line 103: 竞赛获奖考生(含报考
  // “湖南工匠燎原计划”的考生)) and treats them as the exempt plans are (no exam fee, 征集志愿 like
  // them), so they are reviewed for, and fall back from, an exempt place.
  { code: 'craftsman', label: '湖湘工匠燎原计划', aliases: ['燎原计划', '湖湘工匠', '工匠燎原计划'], exempt: true },
  { code: 'poverty', label: '脱贫家庭毕业生计划', aliases: ['脱贫家庭', '脱贫家庭毕业生', '建档立卡', '建档立卡脱贫家庭', '脱贫家庭计划'], exempt: false },
  { code: 'general', label: '普通计划', aliases: ['普通', '普通考生', '统考'], exempt: false },
];

export const CATEGORY_CODES = CATEGORIES.map((c) => c.code) as [CategoryCode, ...CategoryCode[]];

export function categoryInfo(code: CategoryCode): CategoryInfo {
  const info = CATEGORIES.find((c) => c.code === code);
  if (!info) throw new Error(`unknown category ${code}`);
  return info;
}

/** Kind of an uploaded scan (材料类型). */
export type DocumentKind =
  | 'discharge_cert' // 退役证
  | 'unit_cert' // 部队证明 (discharged in 2024's first half)
  | 'merit_cert' // 立功证书 (三等功及以上)
  | 'award_cert' // 获奖证书
  | 'diploma' // 毕业证
  | 'poverty_proof' // 脱贫证明
  | 'photo' // 照片
  | 'other'; // 其他

export interface DocumentKindInfo {
  code: DocumentKind;
  label: string;
  /** Words that identify the kind in a file or folder name. */
  aliases: string[];
}

export const DOCUMENT_KINDS: readonly DocumentKindInfo[] = [
  { code: 'discharge_cert', label: '退役证', aliases: ['退役证', '退伍证', '退出现役证'] },
  { code: 'unit_cert', label: '部队证明', aliases: ['部队证明', '单位证明', '部队出具证明'] },
  { code: 'merit_cert', label: '立功证书', aliases: ['立功证书', '立功受奖证书', '三等功'] },
  { code: 'award_cert', label: '获奖证书', aliases: ['获奖证书', '奖状', '竞赛证书'] },
  { code: 'diploma', label: '毕业证', aliases: ['毕业证', '毕业证书'] },
  { code: 'poverty_proof', label: '脱贫证明', aliases: ['脱贫证明', '身份证明', '建档立卡证明'] },
  { code: 'photo', label: '照片', aliases: ['照片', '证件照', '电子证照'] },
  { code: 'other', label: '其他', aliases: ['其他'] },
];

export const DOCUMENT_KIND_CODES = DOCUMENT_KINDS.map((d) => d.code) as [DocumentKind, ...DocumentKind[]];

export function documentKindLabel(kind: DocumentKind): string {
  return DOCUMENT_KINDS.find((d) => d.code === kind)?.label ?? kind;
}

/** 审核结论: 通过 / 不通过 / 退回补正. */
export type Decision = 'approve' | 'reject' | 'return';
export const DECISIONS = ['approve', 'reject', 'return'] as const;
/**
 * Current status of an applicant: a decision, 待审 when none is in force yet, or 冲突 when
 * reviewers on different PCs reached different decisions and no supervisor has settled it
 * (shared/review/state.ts is the one definition).
 */
export type DecisionStatus = Decision | 'pending' | 'conflict';
export const DECISION_STATUSES = ['pending', 'approve', 'reject', 'return', 'conflict'] as const satisfies readonly DecisionStatus[];

export const DECISION_LABELS: Record<DecisionStatus, string> = {
  pending: '待审',
  approve: '通过',
  reject: '不通过',
  return: '退回补正',
  conflict: '冲突',
};

/**
 * Declared data of one applicant (考生申报信息), normalised. Dates are 'YYYY-MM' or 'YYYY-MM-DD';
 * an absent value is ''.
 */
export interface ApplicantDeclared {
  /** 身份证号, 18 characters, upper-case X. The applicant's identity everywhere in the desk. */
  idNumber: string;
  /** 姓名 */
  name: string;
  /** 性别 */
  sex: '男' | '女' | '';
  /** 手机号 */
  phone: string;
  /** 报考类别 */
  category: CategoryCode;
  /** 专科学校 */
  school: string;
  /** 专科专业 */
  major: string;
  /** 毕业年份 */
  gradYear: number | null;
  /** 退役证编号 */
  dischargeCertNo: string;
  /** 入伍时间 */
  enlistDate: string;
  /** 退役时间 */
  dischargeDate: string;
  /** 立功情况 (e.g. 三等功, 无) */
  merit: string;
  /** 获奖赛事 */
  competition: string;
  /** 奖项 */
  award: string;
  /** 获奖等级 (一等奖 / 二等奖 / 三等奖 …) */
  awardLevel: string;
  /** 获奖时间 */
  awardDate: string;
  /** 户籍所在地 */
  hukou: string;
  /** 脱贫证明出具单位 */
  povertyIssuer: string;
  /** 报考院校 (the bachelor institution applied to; optional column) */
  targetSchool: string;
  /** 报考专业 (the bachelor major applied to; the medical-major rule compares it with `major`) */
  targetMajor: string;
  /** 湖湘工匠燎原计划: 入学时间 of the programme */
  craftEnrollDate: string;
  /** 湖湘工匠燎原计划: 毕业时间 of the programme */
  craftGradDate: string;
  /** 湖湘工匠燎原计划: 赛项 */
  craftContest: string;
  /** 湖湘工匠燎原计划: 赛项级别 (国家级 / 省级 …) */
  craftContestLevel: string;
}

export type DeclaredField = keyof ApplicantDeclared;

/** Declared data with every field absent: the base that a list row, a fixture or a form fills in. */
export const EMPTY_DECLARED: Readonly<ApplicantDeclared> = Object.freeze({
  idNumber: '', name: '', sex: '', phone: '', category: 'general', school: '', major: '', gradYear: null,
  dischargeCertNo: '', enlistDate: '', dischargeDate: '', merit: '', competition: '', award: '', awardLevel: '', awardDate: '',
  hukou: '', povertyIssuer: '', targetSchool: '', targetMajor: '', craftEnrollDate: '', craftGradDate: '', craftContest: '', craftContestLevel: '',
});

/** Column header (Chinese) of every declared field, in the order of the platform export. */
export const FIELD_LABELS: Record<DeclaredField, string> = {
  name: '姓名',
  sex: '性别',
  idNumber: '身份证号',
  phone: '手机号',
  category: '报考类别',
  school: '专科学校',
  major: '专科专业',
  gradYear: '毕业年份',
  dischargeCertNo: '退役证编号',
  enlistDate: '入伍时间',
  dischargeDate: '退役时间',
  merit: '立功情况',
  competition: '获奖赛事',
  award: '奖项',
  awardLevel: '获奖等级',
  awardDate: '获奖时间',
  hukou: '户籍所在地',
  povertyIssuer: '脱贫证明出具单位',
  targetSchool: '报考院校',
  targetMajor: '报考专业',
  craftEnrollDate: '燎原计划入学时间',
  craftGradDate: '燎原计划毕业时间',
  craftContest: '燎原计划赛项',
  craftContestLevel: '赛项级别',
};

/** Which declared fields belong to which category (shown grouped in the applicant view). */
export const CATEGORY_FIELDS: Record<CategoryCode, DeclaredField[]> = {
  veteran: ['dischargeCertNo', 'enlistDate', 'dischargeDate', 'merit'],
  competition: ['competition', 'award', 'awardLevel', 'awardDate'],
  craftsman: ['craftEnrollDate', 'craftGradDate', 'craftContest', 'craftContestLevel'],
  poverty: ['hukou', 'povertyIssuer'],
  general: [],
};

/** Documents an applicant of a category must upload (the checks refine this with dates and merits). */
export const REQUIRED_DOCUMENTS: Record<CategoryCode, DocumentKind[]> = {
  veteran: ['discharge_cert', 'diploma'],
  competition: ['award_cert'],
  craftsman: [],
  poverty: ['poverty_proof'],
  general: [],
};

/** A standard reason (审核理由) a reviewer picks for 不通过 or 退回补正. */
export interface Reason {
  code: string;
  label: string;
  /** Categories the reason applies to; empty = all. */
  categories: CategoryCode[];
}

/** The seed of the reason catalogue (domain.md, "Typical reasons"). Supervisors can extend it. */
export const SEED_REASONS: readonly Reason[] = [
  { code: 'blurry', label: '证件模糊不清', categories: [] },
  { code: 'name_mismatch', label: '姓名与报名信息不一致', categories: [] },
  { code: 'id_mismatch', label: '身份证号与报名信息不一致', categories: [] },
  { code: 'missing_docs', label: '材料缺失', categories: [] },
  { code: 'discharge_date', label: '退役时间不符合要求', categories: ['veteran'] },
  { code: 'missing_unit_cert', label: '缺少部队证明', categories: ['veteran'] },
  { code: 'award_level', label: '奖项等级不符合免试条件', categories: ['competition'] },
  { code: 'award_date', label: '获奖时间不在规定范围', categories: ['competition'] },
  { code: 'poverty_issuer', label: '脱贫证明非县级乡村振兴部门出具', categories: ['poverty'] },
  { code: 'previous_exam', label: '上年已参加专升本考试', categories: [] },
  { code: 'admitted_other_plan', label: '上半年已通过其他计划录取', categories: [] },
  { code: 'medical_major', label: '医学类本专科专业不对应', categories: [] },
  { code: 'craft_info', label: '燎原计划入学毕业时间或赛项不符合要求', categories: ['craftsman'] },
  { code: 'other', label: '其他（见备注）', categories: [] },
];

/** Decisions that need at least one reason. */
export function decisionNeedsReason(d: Decision): boolean {
  return d !== 'approve';
}

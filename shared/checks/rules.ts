/**
 * The yearly policy values (cutoff dates, allowed competitions and levels, deadline) as a typed,
 * validated object. The values live in resources/rules/<year>.json, so a new year is a new file,
 * not a code change; this schema is what such a file must satisfy.
 */
import { z } from 'zod';
import { CATEGORY_CODES, DOCUMENT_KIND_CODES } from '../domain.js';

const ym = z.string().regex(/^\d{4}-\d{2}$/, 'YYYY-MM');
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const date = z.union([ym, ymd]);

export const rulesSchema = z.object({
  $comment: z.string().optional(),
  version: z.string().min(1),
  year: z.number().int().min(2000).max(2100),
  /** 材料报送截止 */
  deadline: ymd,
  graduation: z.object({
    /** Diplomas must be obtained by this year (2024-07-31 for 2024). */
    latestYear: z.number().int(),
    /** Categories the notice opens to this year's graduates only (past graduates get a warning). */
    currentOnly: z.array(z.enum(CATEGORY_CODES)),
    earliestYear: z.number().int(),
  }),
  veteran: z.object({
    dischargeFrom: date,
    dischargeTo: date,
    /** Discharged in this window: the unit's certificate (部队证明) replaces the 退役证. */
    unitCertFrom: date,
    unitCertTo: date,
    /** Words in 立功情况 that claim 三等功 or higher, so the 立功证书 is required. */
    meritKeywords: z.array(z.string().min(1)),
    noMeritWords: z.array(z.string()),
  }),
  competition: z.object({
    awardFrom: date,
    awardTo: date,
    allowed: z.array(z.string().min(1)).min(1),
    levels: z.array(z.string().min(1)).min(1),
  }),
  poverty: z.object({
    issuerSuffixes: z.array(z.string().min(1)).min(1),
    /** The issuer's place must end in one of these (county level: 县/区/县级市/旗). */
    countyMarkers: z.array(z.string().min(1)).min(1),
  }),
  scans: z.object({
    minBytes: z.number().int().min(0),
    /** Shorter image side below this is too small to read. */
    minPixels: z.number().int().min(0),
    /** Ink share below this = an almost blank page. */
    blankInkRatio: z.number().min(0).max(1),
    /**
     * dHash Hamming distance at or below which two images are near-duplicates (≤ 3 keeps banding
     * exact). Printed forms of one template differ only in small text an 8×8 hash cannot see:
     * on the demo, different applicants' certificates lie 2–5 bits apart while a resized re-save
     * of one scan lies 5–19 apart, so 2024 uses 0 (same picture re-saved at its size or format).
     */
    similarMaxDistance: z.number().int().min(0).max(3),
  }),
  /**
   * 报考专业 against the 专科 major. The notice: for medical majors the two names must correspond
   * strictly (专科中医骨伤 may go to 本科中医学). `medical` is the table of correspondences; a
   * 报考专业 named in any row's `bachelor` is a medical major and must be one the applicant's 专科
   * major row allows. Names compare after dropping spaces, a trailing 专业 and a (方向).
   */
  majors: z.object({
    $comment: z.string().optional(),
    medical: z.array(z.object({
      junior: z.string().min(1),
      bachelor: z.array(z.string().min(1)).min(1),
    })).min(1),
  }),
  /** 湖湘工匠燎原计划: what its applicants must upload and declare. */
  craftsman: z.object({
    $comment: z.string().optional(),
    /** Document kinds required of every craftsman applicant (each a list of alternatives). */
    requiredDocuments: z.array(z.array(z.enum(DOCUMENT_KIND_CODES)).min(1)),
    /** 入学时间 no earlier than this. */
    enrollFrom: date,
    /** 毕业时间 no later than this (the diploma deadline). */
    gradTo: date,
    /** Shortest and longest study (months from 入学 to 毕业). */
    minMonths: z.number().int().min(1),
    maxMonths: z.number().int().min(1),
    /** 赛项级别 that qualify. */
    contestLevels: z.array(z.string().min(1)).min(1),
  }),
  /**
   * 标准电子证照: what the college uploads to the platform before review (学籍照片, by 1月19日).
   * One file per applicant named by the ID number.
   */
  photos: z.object({
    $comment: z.string().optional(),
    /** Accepted file types (magic bytes, not the extension). */
    types: z.array(z.enum(['jpeg', 'png'])).min(1),
    /** File name extensions accepted, lower case without the dot. */
    extensions: z.array(z.string().regex(/^[a-z0-9]+$/)).min(1),
    minWidth: z.number().int().min(1),
    maxWidth: z.number().int().min(1),
    minHeight: z.number().int().min(1),
    maxHeight: z.number().int().min(1),
    minBytes: z.number().int().min(0),
    maxBytes: z.number().int().min(1),
  }),
});

export type Rules = z.output<typeof rulesSchema>;

/** Validates a rules file's parsed JSON; throws with every problem listed. */
export function parseRules(json: unknown): Rules {
  const r = rulesSchema.safeParse(json);
  if (!r.success) {
    throw new Error(`规则文件不正确：${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

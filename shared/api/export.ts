/**
 * Export of the review tables (审核表, 公示名单) and their verification. The tables go to the
 * provincial office signed; `export.verify` is what the office (or the college) runs on a folder.
 */
import { z } from 'zod';
import type { CategoryCode, DecisionStatus } from '../domain.js';

/** 导出表 — which table: 免试资格审核表, 脱贫家庭考生资格审核表, 公示名单. */
export const EXPORT_TABLES = ['exempt', 'poverty', 'notice'] as const;
export type ExportTableId = (typeof EXPORT_TABLES)[number];

const path = z.string().min(1).max(4096);
const year = z.number().int().min(2000).max(2100).optional();

/**
 * The terms of a 公示 (public notice) for this export; each one left out comes from the college
 * settings (公示期 days, contact) or is the export date (first day).
 */
export const noticeTerms = z
  .object({
    /** First day of the 公示期 (China date, YYYY-MM-DD). */
    start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '公示开始日期应为 YYYY-MM-DD').optional(),
    /** Length of the 公示期 in calendar days, first and last day included. */
    days: z.number().int().min(1).max(60).optional(),
    /** Contact for objections (at least one of phone / e-mail is printed). */
    phone: z.string().trim().max(40).optional(),
    email: z.string().trim().max(80).optional(),
  })
  .strict();
export type NoticeTermsInput = z.output<typeof noticeTerms>;

export const exportArgs = {
  /** What an export would contain and what blocks it, without writing anything. */
  'export.check': z.object({ table: z.enum(EXPORT_TABLES), year, notice: noticeTerms.optional() }).strict(),
  'export.run': z
    .object({
      table: z.enum(EXPORT_TABLES),
      year,
      /** Output folder; must not exist or be empty (verify refuses files it does not know). */
      out: path,
      /** The college's PKCS#12 certificate (RSA); without it the PDF carries no certificate signature. */
      p12Path: path.optional(),
      passphrase: z.string().max(1000).optional(),
      /** 草稿: exported despite blockers, watermarked and never signed. */
      draft: z.boolean().default(false),
      /**
       * The user states the table has no applicant to report: a final export with no rows is
       * refused without it, and printed as 无 with it.
       */
      confirmNone: z.boolean().default(false),
      notice: noticeTerms.optional(),
    })
    .strict(),
  'export.verify': z
    .object({
      dir: path,
      /**
       * The college's key fingerprint as the office received it out of band (at least its first 16
       * hex digits; spaces and colons allowed). Without it verify can only say the folder is intact
       * and self-consistent, not who signed it.
       */
      expectKey: z
        .string()
        .transform((s) => s.replace(/[\s:]/g, '').toLowerCase())
        .pipe(z.string().regex(/^[0-9a-f]{16,64}$/, '密钥指纹应为 16–64 位十六进制数字'))
        .optional(),
    })
    .strict(),
  'export.history': z.object({}).strict(),
} as const;

/** 待复核 (signoff) and 待抽检 (qc) block only when the college has turned 复核 / 抽检 on. */
export type ExportProblemKind = 'pending' | 'returned' | 'conflict' | 'changed' | 'signoff' | 'qc';

/** An applicant in scope that keeps a final export from being made. */
export interface ExportBlocker {
  /** So the desk can jump to the applicant (the panel shows only the masked form). */
  idNumber: string;
  idMasked: string;
  name: string;
  category: CategoryCode;
  problem: ExportProblemKind;
  message: string;
}

/**
 * Something about the table as a whole that keeps a final export from being made:
 * college_name / college_code — 学校名称 or 学校代码 not set (settings); qc_sample — 抽检 is on and
 * fewer approved applicants were drawn than its percentage; empty — no applicant in the table (a
 * final export then needs confirmNone); notice_contact — a 公示 without a phone or e-mail for objections.
 */
export type ExportRuleCode = 'college_name' | 'college_code' | 'qc_sample' | 'empty' | 'notice_contact';

export interface ExportRule {
  code: ExportRuleCode;
  message: string;
}

/** The terms a 公示 will print. */
export interface NoticeTerms {
  start: string;
  end: string;
  days: number;
  phone: string;
  email: string;
}

/** 通过 / 不通过 / 退回补正 of one category in the table. */
export interface CategoryTotal {
  category: CategoryCode;
  approve: number;
  reject: number;
  return: number;
  total: number;
}

export interface ExportCheck {
  table: ExportTableId;
  year: number;
  title: string;
  college: { name: string; code: string };
  /** 复核 is on: the table has 初审人 and 复核人 columns and waits for every 复核. */
  signoff: boolean;
  /** Rows a final export would hold. */
  rows: number;
  byStatus: Record<DecisionStatus, number>;
  totals: CategoryTotal[];
  /** First and last decision of the rows (China dates), or null without rows. */
  reviewPeriod: { from: string; to: string } | null;
  /** For the 公示: the terms it would print today. */
  notice: NoticeTerms | null;
  blockers: ExportBlocker[];
  rules: ExportRule[];
}

export interface ExportedFile {
  name: string;
  sha256: string;
  size: number;
}

export interface ExportResult {
  exportId: string;
  table: ExportTableId;
  title: string;
  dir: string;
  draft: boolean;
  rows: number;
  files: ExportedFile[];
  /** Subject (CN) of the certificate that signed the PDF; null when the PDF is not signed. */
  pdfSigner: string | null;
  /** SHA-256 of the workspace public key (hex), as printed on every page. */
  keyFingerprint: string;
  /** Pages of the table PDF. */
  pages: number;
  ms: number;
}

/** One thing verify found wrong, naming the file. */
export interface VerifyProblem {
  file: string;
  code: string;
  message: string;
}

export interface VerifyReport {
  dir: string;
  exportId: string;
  table: string;
  title: string;
  college: string;
  exportedAt: string;
  rows: number;
  files: ExportedFile[];
  pdfSigner: string | null;
  keyFingerprint: string;
  /** True when the signing key was compared with a fingerprint the office already had (expectKey). */
  keyChecked: boolean;
}

/** A row of the export audit table. */
export interface ExportRecord {
  exportId: string;
  table: ExportTableId;
  title: string;
  at: string;
  draft: boolean;
  rows: number;
  dir: string;
  manifestSha256: string;
  pdfSigner: string | null;
}

export interface ExportResults {
  'export.check': ExportCheck;
  'export.run': ExportResult;
  'export.verify': VerifyReport;
  'export.history': ExportRecord[];
}

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

export const exportArgs = {
  /** What an export would contain and what blocks it, without writing anything. */
  'export.check': z.object({ table: z.enum(EXPORT_TABLES), year }).strict(),
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

export type ExportProblemKind = 'pending' | 'returned' | 'conflict' | 'changed';

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

export interface ExportCheck {
  table: ExportTableId;
  year: number;
  title: string;
  /** Rows a final export would hold. */
  rows: number;
  byStatus: Record<DecisionStatus, number>;
  blockers: ExportBlocker[];
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

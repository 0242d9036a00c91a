/**
 * Field hardening: workspace backups (list, create, restore) and a diagnostics report the
 * registrar can send to support. Neither ever carries personal data.
 */
import { z } from 'zod';

export const BACKUP_REASONS = ['import', 'migration', 'sync', 'daily', 'manual', 'restore'] as const;
/** Why a backup (备份) was taken. 'restore' is the copy of the state a restore replaced. */
export type BackupReason = (typeof BACKUP_REASONS)[number];

/** One backup file in WS/backups/. */
export interface BackupInfo {
  /** e.g. `20261126T214655123Z-import`: when (UTC) and why. */
  id: string;
  reason: BackupReason;
  /** When it was taken (ISO 8601, UTC). */
  at: string;
  size: number;
  /** Schema version inside the backup (0 when the file is unreadable). */
  schemaVersion: number;
  applicants: number;
  decisions: number;
}

/** What a restore would drop (the details of a restore_would_drop refusal). */
export interface RestoreDrop {
  accounts: number;
  decisions: number;
  /** The accounts by name (missing from the backup, or there only in an older version). */
  accountNames: string[];
}

export interface RestoreResult {
  restored: BackupInfo;
  /** The backup of the state just replaced, so a restore can itself be undone (null if unreadable). */
  safety: BackupInfo | null;
}

/** 诊断报告: what support needs to help, and nothing about any applicant. */
export interface DiagnosticsReport {
  generatedAt: string;
  versions: { app: string; node: string; electron: string | null; sqlite: string; chromium: string | null };
  platform: { os: string; release: string; arch: string; cpus: number; memoryMb: number; locale: string };
  workspace: {
    open: boolean;
    schemaVersion: number | null;
    latestSchemaVersion: number;
    integrity: string | null;
    sizeBytes: number | null;
    walBytes: number | null;
    counts: Record<string, number>;
    backups: { count: number; newest: string | null; oldest: string | null };
  };
  /** The last log lines, scrubbed of ID and phone numbers. */
  log: string[];
}

export const backupArgs = {
  'backup.list': z.object({}).strict(),
  'backup.create': z.object({}).strict(),
  'backup.restore': z
    .object({
      id: z.string().min(1).max(80),
      /**
       * A restore that would drop accounts or decisions existing now is refused
       * (restore_would_drop, with the counts) unless an admin confirms exactly those counts here.
       */
      confirmDrop: z.object({ accounts: z.number().int().min(0), decisions: z.number().int().min(0) }).strict().optional(),
    })
    .strict(),
  'diagnostics.report': z
    .object({
      logLines: z.number().int().min(0).max(500).default(50),
      /** A workspace folder to report on when none is open (opened read-only, never migrated). */
      workspace: z.string().min(1).max(4096).optional(),
    })
    .strict(),
} as const;

export interface BackupResults {
  'backup.list': BackupInfo[];
  'backup.create': BackupInfo;
  'backup.restore': RestoreResult;
  'diagnostics.report': DiagnosticsReport;
}

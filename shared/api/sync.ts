/**
 * Sync between the PCs of one college (同步): bundles by file or through a folder, peer workspaces
 * (clone) and the audit of the hash-chained log.
 */
import { z } from 'zod';

const passphrase = {
  /** Name of the environment variable holding the college's sync passphrase. */
  passphraseEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('DESK_SYNC_PASSPHRASE'),
  /** The passphrase itself (the UI's field); wins over passphraseEnv. */
  passphrase: z.string().min(1).max(500).optional(),
};

export const syncArgs = {
  'sync.export': z.object({ out: z.string().min(1).max(4096), peer: z.string().max(80).optional(), noScans: z.boolean().default(false), ...passphrase }).strict(),
  'sync.import': z.object({ file: z.string().min(1).max(4096), ...passphrase }).strict(),
  'sync.status': z.object({}).strict(),
  /** 与文件夹同步: import every other PC's bundle found in the folder, then write this PC's own there. */
  'sync.withFolder': z.object({ folder: z.string().trim().min(1).max(4096), ...passphrase }).strict(),
  /** A peer workspace for another PC: same college id and applicant list, its own workspace id. */
  'workspace.clone': z.object({ out: z.string().min(1).max(4096), noScans: z.boolean().default(false) }).strict(),
  'audit.verify': z.object({}).strict(),
} as const;

export interface SyncExportReport {
  file: string;
  bytes: number;
  events: number;
  blobs: number;
  documents: number;
  peer: string | null;
  collegeId: string;
  workspaceId: string;
}

export interface DriftReport {
  origin: string;
  hlc: string;
  /** How far ahead of this PC's clock the remote event was stamped. */
  driftMs: number;
}

export interface SyncImportReport {
  file: string;
  fromWorkspace: string;
  eventsInBundle: number;
  eventsAdded: number;
  duplicates: number;
  blobsAdded: number;
  documentsAdded: number;
  conflicts: number;
  drift: DriftReport[];
  ms: number;
}

/** One visit to a sync folder: what came in from the other PCs and what this PC left there. */
export interface SyncFolderReport {
  folder: string;
  exported: { file: string; bytes: number; events: number; blobs: number };
  imported: SyncImportReport[];
  /** Bundles refused (another college, tampered, gap…): the others still merge. */
  skipped: { file: string; code: string; message: string }[];
  /** Bundles already merged on an earlier visit. */
  unchanged: number;
  /** Open conflicts after the exchange. */
  conflicts: number;
}

export interface SyncStatus {
  collegeId: string;
  workspaceId: string;
  marks: Record<string, number>;
  peers: { workspaceId: string; marks: Record<string, number>; lastBundleAt: string | null }[];
  conflicts: number;
  recentDrift: DriftReport[];
}

export interface AuditReport {
  ok: boolean;
  events: number;
  origins: number;
  problems: { origin: string; originSeq: number; eventId: string; problem: 'gap' | 'prev_hash' | 'hash' }[];
}

export interface SyncResults {
  'sync.export': SyncExportReport;
  'sync.import': SyncImportReport;
  'sync.status': SyncStatus;
  'sync.withFolder': SyncFolderReport;
  'workspace.clone': { dir: string; workspaceId: string; collegeId: string; applicants: number; events: number };
  'audit.verify': AuditReport;
}

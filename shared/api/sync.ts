/**
 * Sync between the PCs of one college (同步): bundles by file or through a folder, peer workspaces
 * (clone) and the audit of the hash-chained log.
 */
import { z } from 'zod';
import { credentials } from './accounts.js';

const passphrase = {
  /** Name of the environment variable holding the college's sync passphrase. */
  passphraseEnv: z.string().regex(/^DESK_[A-Z0-9_]{1,60}$/, '环境变量名须以 DESK_ 开头（大写字母、数字、下划线）').default('DESK_SYNC_PASSPHRASE'),
  /** The passphrase itself (the UI's field); wins over passphraseEnv. */
  passphrase: z.string().min(1).max(500).optional(),
};

/** postgres://USER[:PASS]@HOST[:PORT]/DB — checked in full by the hub service. */
const hubUrl = z.string().trim().min(12).max(1000).regex(/^postgres(?:ql)?:\/\//, '同步服务器地址应以 postgres:// 开头');
const hubPassword = {
  /** Name of the environment variable holding the hub password when the URL has none (CLI, web host). */
  passwordEnv: z.string().regex(/^DESK_[A-Z0-9_]{1,60}$/, '环境变量名须以 DESK_ 开头（大写字母、数字、下划线）').default('DESK_HUB_PASSWORD'),
};

export const syncArgs = {
  'sync.export': z.object({ out: z.string().min(1).max(4096), peer: z.string().max(80).optional(), noScans: z.boolean().default(false), ...passphrase }).strict(),
  'sync.import': z.object({ file: z.string().min(1).max(4096), ...passphrase }).strict(),
  'sync.status': z.object({}).strict(),
  /** 本机名称: how this PC is shown in sync, conflicts and history; '' = back to the default. */
  'sync.setName': z.object({ name: z.string().max(60) }).strict(),
  /** 与文件夹同步: import every other PC's bundle found in the folder, then write this PC's own there. */
  'sync.withFolder': z.object({ folder: z.string().trim().min(1).max(4096), ...passphrase }).strict(),
  /** A peer workspace for another PC: same college id and applicant list, its own workspace id. */
  'workspace.clone': z.object({
    out: z.string().min(1).max(4096), noScans: z.boolean().default(false),
    /** Accounts that may work on the new PC (default: the reviewer accounts). */
    accounts: z.array(z.string().trim().min(1).max(60)).max(200).optional(),
    as: credentials.optional(),
  }).strict(),
  /**
   * 登记电脑: an admin lets another PC's key write (the key that PC shows in its sync status), for
   * the accounts named; null = any typed name, as before accounts (only before the college has them).
   */
  'sync.enrol': z.object({
    publicKey: z.string().trim().min(40).max(2000), name: z.string().trim().max(60).optional(),
    accounts: z.array(z.string().trim().min(1).max(60)).max(200).nullable(), as: credentials.optional(),
  }).strict(),
  'audit.verify': z.object({}).strict(),
  // —— 同步服务器 (issue 18): the college's LAN hub on PostgreSQL ——
  /** hub init: create or upgrade the hub's tables (the IT office, once; again changes nothing). */
  'hub.init': z.object({ url: hubUrl, ...hubPassword }).strict(),
  /** 与同步服务器同步 once: the URL given, or the one in the college settings with this PC's saved password. */
  'sync.hub': z.object({ url: hubUrl.optional(), ...hubPassword, ...passphrase }).strict(),
  /**
   * The hub of this college: the address (saved without its password in the college settings,
   * so every PC gets it), and this PC's password and sync passphrase (saved in the OS's protected
   * storage, for the automatic sync). url '' = stop using a hub.
   */
  'hub.configure': z
    .object({ url: z.union([hubUrl, z.literal('')]), password: z.string().max(500).optional(), passphrase: z.string().min(1).max(500).optional(), by: z.string().trim().min(1).max(60).optional() })
    .strict(),
  /** The status light: synced / syncing / offline, polled by the toolbar. */
  'hub.status': z.object({}).strict(),
  /** Sync with the hub now (the light's button), instead of waiting for the next round. */
  'hub.syncNow': z.object({}).strict(),
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
  /** The PC that wrote the event, by name ('' when unknown). */
  pcName?: string;
  hlc: string;
  /** How far off the writing PC's clock was: ahead of this PC's, or behind the college's. */
  driftMs: number;
  direction?: 'ahead' | 'behind';
}

/** A fork (two events under one origin and number, left by an older desk) and how it was repaired. */
export interface ForkReport {
  origin: string;
  originSeq: number;
  /** The PC whose chain forked, by name. */
  pcName: string;
  keptHash: string;
  movedHash: string;
  /** Where the other branch now stands (same events, new place); '' while it cannot be placed yet. */
  movedTo: string;
  repaired: boolean;
  /** What someone has to do, in words; '' when nothing is left to do. */
  step: string;
  detectedAt: string;
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
  /** Forks found (and repaired) while merging this bundle. */
  forks: ForkReport[];
  /** List, cross-check lists or scans arrived: the checks are run again. */
  recheck: boolean;
  /** Applicants whose declared data arrived or changed. */
  applicantsChanged: number;
  /** The sending PC, by name. */
  fromName: string;
  ms: number;
}

/** One visit to a sync folder: what came in from the other PCs and what this PC left there. */
export interface SyncFolderReport {
  folder: string;
  /** What this visit wrote: event segments, scans and this PC's state file (nothing when nothing is new). */
  written: { files: number; bytes: number; events: number; scans: number };
  /** What this visit read: only files with something new for this PC. */
  read: { files: number; bytes: number; events: number; scans: number };
  imported: SyncImportReport[];
  /** Files refused (another college, tampered, unreadable…), each with what happened: the others still merge. */
  skipped: { file: string; code: string; message: string }[];
  /** Files already read on an earlier visit (or holding nothing new): not opened. */
  unchanged: number;
  /** Left-over `.part` files of an interrupted visit, removed. */
  cleaned: number;
  /** Open conflicts after the exchange. */
  conflicts: number;
  /** Forks found while merging (see ForkReport). */
  forks: ForkReport[];
  ms: number;
}

export interface PeerStatus {
  workspaceId: string;
  /** The PC's name (computer name and reviewer, or the name it was given). */
  name: string;
  marks: Record<string, number>;
  lastBundleAt: string | null;
}

export interface SyncStatus {
  collegeId: string;
  workspaceId: string;
  /** This PC's name as the others see it; isDefault = computer name + signed-in reviewer. */
  name: string;
  nameIsDefault: boolean;
  /** The chain this PC's next event extends, and the earlier ones (restores, copies). */
  origin: string;
  epochs: { origin: string; until: string; reason: string }[];
  marks: Record<string, number>;
  peers: PeerStatus[];
  conflicts: number;
  recentDrift: DriftReport[];
  /**
   * How far this PC's clock is behind the newest timestamp it has seen (ms; 0 when it is not):
   * beyond the limit its date is wrong and someone should fix it.
   */
  clockBehindMs: number;
  forks: ForkReport[];
  /** Fingerprint of the college's signing key on this PC (null until it arrives from the founding PC). */
  collegeKeyFingerprint: string | null;
  /** Documents waiting for their scans to arrive. */
  pendingScans: number;
  trust: TrustReport;
}

export interface AuditReport {
  ok: boolean;
  events: number;
  origins: number;
  problems: { origin: string; originSeq: number; eventId: string; problem: 'gap' | 'prev_hash' | 'hash' }[];
  /** Forks of the log (repaired or not), with the step that repairs them. */
  forks: ForkReport[];
}

/** An account's one-time code to set its secret on a newly enrolled PC (shown once; bound to that account). */
export interface SetupCode {
  account: string;
  code: string;
}

/** A peer workspace made for another PC, enrolled here; setupCodes: for its accounts to set their secret there (shown once). */
export interface CloneReport {
  dir: string;
  workspaceId: string;
  collegeId: string;
  applicants: number;
  events: number;
  fingerprint: string;
  setupCodes: SetupCode[];
}

/** This PC in the college's roster (issue 19). */
export interface TrustReport {
  /** This PC's key as an admin enrols it: 44 base64 characters, and its fingerprint. */
  publicKey: string;
  fingerprint: string;
  enrolled: boolean;
  /** Accounts this PC may act for (null: any name; the root: any). */
  accounts: string[] | null;
  root: boolean;
  /** The college's root of trust pinned here: the office compares it across PCs. */
  rootFingerprint: string | null;
}

export interface HubInitReport {
  /** The hub's address, without the password. */
  hub: string;
  version: number;
  /** The version it had before (0 = new). */
  from: number;
  created: boolean;
}

/**
 * The hub as this PC sees it. off = no hub in the college settings; idle = configured, not yet
 * synced since the desk started; offline = the last attempt did not reach it (the desk works on
 * and tries again later); error = reached, but refused (password, passphrase, schema…).
 */
export type HubState = 'off' | 'idle' | 'syncing' | 'synced' | 'offline' | 'error';

export interface HubStatus {
  state: HubState;
  /** The address from the college settings, without the password ('' when none). */
  url: string;
  /** Whether this PC has what automatic sync needs: the hub password and the sync passphrase. */
  passwordSaved: boolean;
  passphraseSaved: boolean;
  /** Where this PC keeps them: 'os' = the OS's protected storage, 'memory' = until the desk stops. */
  secrets: 'os' | 'memory';
  lastSyncAt: string | null;
  lastError: { code: string; message: string } | null;
  /** When the next automatic attempt is due (it backs off while the hub is unreachable). */
  nextAttemptAt: string | null;
  /** What the last successful sync moved. */
  last: { readEvents: number; writtenEvents: number; readScans: number; writtenScans: number; conflicts: number } | null;
}

export interface SyncResults {
  'sync.export': SyncExportReport;
  'sync.import': SyncImportReport;
  'sync.status': SyncStatus;
  'sync.withFolder': SyncFolderReport;
  'sync.setName': { name: string; isDefault: boolean };
  'workspace.clone': CloneReport;
  'sync.enrol': { fingerprint: string; setupCodes: SetupCode[] };
  'audit.verify': AuditReport;
  'hub.init': HubInitReport;
  'sync.hub': SyncFolderReport;
  'hub.configure': HubStatus;
  'hub.status': HubStatus;
  'hub.syncNow': HubStatus;
}

/**
 * Colleges on this PC (学院): the start screen's calls. They work with no college open — the list
 * of colleges this installation knows (name, counts, last sync), making a new one, opening one
 * (the desk switches to it, closing the open one cleanly), joining one another PC started, and
 * going back to the start screen. The demo college is one entry, marked 演示.
 */
import { z } from 'zod';
import { collegeCode } from './college.js';

const path = z.string().min(1).max(4096);
const collegeId = z.string().regex(/^(demo|c_[A-Za-z0-9_-]{8,40})$/, '不是有效的学院编号');

export const collegesArgs = {
  'colleges.list': z.object({}).strict(),
  /** The open college (or null: the start screen) and why the last one was not reopened. */
  'colleges.current': z.object({}).strict(),
  'colleges.create': z
    .object({
      /** 学校名称, as on the seal. */
      name: z.string().trim().min(2, '学校名称至少 2 个字').max(60),
      code: collegeCode.optional(),
      year: z.number().int().min(2024).max(2100).optional(),
      /** Where to keep it (a folder handle); default: a folder under this PC's desk data. */
      folder: path.optional(),
      /** Who makes it (recorded with the settings it sets, like any settings change). */
      by: z.string().trim().min(1).max(60).optional(),
    })
    .strict(),
  'colleges.open': z
    .object({
      /** A college of the list… */
      id: collegeId.optional(),
      /** …or a workspace folder not in it yet (a folder handle), which joins the list. */
      folder: path.optional(),
      /** Take over a lock another PC left on the folder (the user made sure that PC is not using it). */
      takeOver: z.boolean().default(false),
    })
    .strict()
    .refine((a) => (a.id === undefined) !== (a.folder === undefined), '请指定学院（id）或文件夹（folder）之一'),
  /** 加入学院: this PC becomes a peer, from a bundle (with the college's passphrase) or a copy another PC made. */
  'colleges.join': z
    .object({
      source: path,
      passphrase: z.string().min(1).max(500).optional(),
      folder: path.optional(),
    })
    .strict(),
  /** Back to the start screen (the open college is closed, its lock released). */
  'colleges.close': z.object({}).strict(),
  /** Removes an entry from this PC's list; the folder and its data stay where they are. */
  'colleges.forget': z.object({ id: collegeId }).strict(),
} as const;

/** One college this PC knows. */
export interface CollegeEntry {
  id: string;
  name: string;
  /** 学校代码 ('' until set). */
  code: string;
  year: number | null;
  /** The bundled demo college (演示). */
  demo: boolean;
  /** Where its workspace is kept (shown so the registrar knows; never sent back as a path). */
  folder: string;
  createdAt: string;
  lastOpenedAt: string | null;
  /** Counts read from the workspace when listing (the last known ones if it cannot be read now). */
  applicants: number | null;
  decided: number | null;
  /** When a bundle from another PC was last merged. */
  lastSyncAt: string | null;
  /** The demo before its first opening (it is generated then: about half a minute). */
  notYetMade: boolean;
  /** Why it cannot be opened now (folder missing…), or null. */
  problem: string | null;
  /** The folder is on a network drive, where SQLite's WAL is unsafe. */
  storageWarning: string | null;
  /** It is the college this desk has open. */
  open: boolean;
}

export interface CurrentCollege {
  college: CollegeEntry | null;
  /** Review years this desk has rules for (resources/rules/<year>.json): what a new college may choose. */
  ruleYears: number[];
  /** Why the college open last time was not reopened (held by another desk, folder gone…). */
  notice: { code: string; message: string; id: string | null; details?: unknown } | null;
}

export interface CollegesResults {
  'colleges.list': CollegeEntry[];
  'colleges.current': CurrentCollege;
  'colleges.create': CollegeEntry;
  'colleges.open': CollegeEntry;
  'colleges.join': CollegeEntry;
  'colleges.close': { closed: boolean };
  'colleges.forget': { forgotten: boolean };
}

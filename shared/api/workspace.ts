/**
 * The open workspace (one college on this PC) and the demo college maker.
 */
import { z } from 'zod';

export const workspaceArgs = {
  'workspace.info': z.object({}).strict(),
  'demo.generate': z
    .object({
      out: z.string().min(1).max(4096),
      applicants: z.number().int().min(1).max(20000).default(300),
      seed: z.number().int().min(0).max(2 ** 31).default(1),
      /** Skip rendering scans (list only); used by large benchmarks. */
      listOnly: z.boolean().default(false),
    })
    .strict(),
} as const;

export interface WorkspaceInfo {
  workspaceId: string;
  college: string;
  deviceId: string;
  schemaVersion: number;
  applicants: number;
  /** The folder is on a network drive, where SQLite's WAL is unsafe (shown as a warning), or null. */
  storageWarning: string | null;
}

export interface DemoSummary {
  out: string;
  applicants: number;
  documents: number;
  defects: number;
  listFile: string;
  attachmentsDir: string;
  /** 学籍照片 named by ID number (empty in list-only mode). */
  photosDir: string;
  /** The province's cross-check lists, by kind. */
  crossLists: { previous: string; admitted: string };
}

export interface WorkspaceResults {
  'workspace.info': WorkspaceInfo;
  'demo.generate': DemoSummary;
}

/**
 * The college's settings (学院设置): what the tables print and the rules of the team's workflow.
 * They are data of the college, not of one PC: each change is an event of the log and reaches
 * every PC with the next sync; the latest change of each setting wins.
 */
import { z } from 'zod';

/** 学校代码: the national code of the institution (5 digits for Hunan's colleges). */
export const collegeCode = z.string().trim().regex(/^\d{5}$/, '学校代码应为 5 位数字（如 12345）');

export const collegeSettingsPatch = z
  .object({
    /** 学校名称, as on the seal. */
    name: z.string().trim().min(2).max(60).optional(),
    code: collegeCode.optional(),
    /** The review year whose rules apply (resources/rules/<year>.json). */
    year: z.number().int().min(2024).max(2100).optional(),
    /** 复核: every 初审 decision needs a supervisor's confirmation before a final export. */
    signoffRequired: z.boolean().optional(),
    /** 抽检 percentage a final export waits for (0 = none). */
    qcPercent: z.number().min(0).max(100).optional(),
    /** 公示: contact for objections. */
    noticePhone: z.string().trim().max(40).optional(),
    noticeEmail: z.string().trim().max(80).optional(),
    /** 公示期 in days (default 7). */
    noticeDays: z.number().int().min(1).max(60).optional(),
    /**
     * 同步服务器 (issue 18): the college's hub, postgres://USER@HOST:PORT/DB — never with a password
     * (settings travel to every PC as events; each PC keeps the password in its own protected
     * storage). '' = no hub.
     */
    hubUrl: z
      .string()
      .trim()
      .max(1000)
      .refine((v) => v === '' || /^postgres(?:ql)?:\/\/[^\s]+$/.test(v), '同步服务器地址应以 postgres:// 开头')
      .refine((v) => !/^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(v), '学院设置中不能保存同步服务器的密码（它会发到每台电脑）')
      .optional(),
  })
  .strict();
export type CollegeSettingsPatch = z.output<typeof collegeSettingsPatch>;

export interface CollegeSettings {
  name: string;
  code: string;
  year: number;
  signoffRequired: boolean;
  qcPercent: number;
  noticePhone: string;
  noticeEmail: string;
  noticeDays: number;
  hubUrl: string;
  /** Who changed each setting last and when (for the settings screen). */
  changed: Record<string, { by: string; at: string }>;
}

export const collegeArgs = {
  'college.settings.get': z.object({}).strict(),
  'college.settings.set': z.object({ patch: collegeSettingsPatch, by: z.string().trim().min(1).max(60).optional() }).strict(),
} as const;

export interface CollegeResults {
  'college.settings.get': CollegeSettings;
  'college.settings.set': CollegeSettings;
}

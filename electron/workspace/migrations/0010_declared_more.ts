import type { Migration } from './index.js';

/**
 * More of what the platform declares (issue 17): 报考院校 / 报考专业 (optional columns; the
 * medical-major rule compares 报考专业 with the 专科 major) and the 湖湘工匠燎原计划 fields
 * (入学及毕业时间, 赛项 and its level). Empty for lists imported before.
 */
export const m0010: Migration = {
  version: 10,
  name: 'declared_more',
  sql: `
ALTER TABLE applicants ADD COLUMN target_school TEXT NOT NULL DEFAULT '';
ALTER TABLE applicants ADD COLUMN target_major TEXT NOT NULL DEFAULT '';
ALTER TABLE applicants ADD COLUMN craft_enroll_date TEXT NOT NULL DEFAULT '';
ALTER TABLE applicants ADD COLUMN craft_grad_date TEXT NOT NULL DEFAULT '';
ALTER TABLE applicants ADD COLUMN craft_contest TEXT NOT NULL DEFAULT '';
ALTER TABLE applicants ADD COLUMN craft_contest_level TEXT NOT NULL DEFAULT '';
`,
};

/** The rules of a review year (resources/rules/<year>.json), read through the one resource resolver. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DeskError } from '../../shared/api/index.js';
import { parseRules, type Rules } from '../../shared/checks/rules.js';
import { findResource } from '../platform/index.js';

export const RULES_YEAR = 2024;

export interface LoadedRules {
  rules: Rules;
  sha256: string;
  file: string;
}

const rulesCache = new Map<string, LoadedRules>();

/** The rules of a year (re-read when the file changes). */
export function loadRules(year = RULES_YEAR): LoadedRules {
  const file = findResource(`rules/${year}.json`);
  if (!file) throw new DeskError('rules_missing', `找不到 ${year} 年审核规则文件（resources/rules/${year}.json）。`);
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const cached = rulesCache.get(file);
  if (cached?.sha256 === sha256) return cached;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new DeskError('rules_invalid', `规则文件不是有效的 JSON：${file}（${(e as Error).message}）`);
  }
  let rules: Rules;
  try {
    rules = parseRules(json);
  } catch (e) {
    throw new DeskError('rules_invalid', `${(e as Error).message}（${file}）`);
  }
  const loaded = { rules, sha256, file };
  rulesCache.set(file, loaded);
  return loaded;
}

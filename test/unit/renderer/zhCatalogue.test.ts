/**
 * No English inside the Chinese desk (issue 15, part 8), at the source: every zh-CN string of the
 * catalogue (renderer/src/i18n.ts) and every Chinese label the desk takes from shared/domain.ts is
 * judged by the same rule as the e2e scan of the rendered screens (test/e2e/zhText.ts). The
 * catalogue is read as text, as it is written: the module reads localStorage on load and belongs
 * to the page, not to Node.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, DECISION_LABELS, DOCUMENT_KINDS, FIELD_LABELS, SEED_REASONS } from '../../../shared/domain.js';
import { strayWords } from '../../e2e/zhText.js';

function zhCatalogue(): Map<string, string> {
  const src = readFileSync('renderer/src/i18n.ts', 'utf8');
  const start = src.indexOf('const zh = {');
  const end = src.indexOf('\n} as const;\n', start);
  expect(start).toBeGreaterThan(-1);
  const block = src.slice(start + 'const zh = {'.length, end);
  const entries = new Map<string, string>();
  const lines = block.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('//'));
  for (const line of lines) {
    const m = /^\s*'([^']+)':\s*'((?:[^'\\]|\\.)*)',?\s*(?:\/\/.*)?$/.exec(line);
    // Every line is an entry the parse understood: none is passed over unread.
    expect(m, line).not.toBeNull();
    entries.set(m![1]!, m![2]!);
  }
  return entries;
}

const stray = (texts: [string, string][]): string[] =>
  texts.flatMap(([key, text]) => strayWords(text.replace(/\{\w+\}/g, ' ')).map((w) => `${key}: ${w} in “${text}”`));

describe('the zh-CN desk speaks Chinese', () => {
  it('no English word or raw code in any zh-CN string of the catalogue (placeholders aside)', () => {
    const zh = zhCatalogue();
    expect(zh.size).toBeGreaterThan(500);
    expect(stray([...zh].filter(([k]) => k !== 'app.lang'))).toEqual([]);
    // The language switch is the one English word, and it names English.
    expect(zh.get('app.lang')).toBe('English');
  });

  it('no English in the labels the desk shows from the domain (categories, statuses, documents, fields, seed reasons)', () => {
    const labels: [string, string][] = [
      ...CATEGORIES.map((c): [string, string] => [`category ${c.code}`, c.label]),
      ...Object.entries(DECISION_LABELS).map(([k, v]): [string, string] => [`status ${k}`, v]),
      ...DOCUMENT_KINDS.map((d): [string, string] => [`document ${d.code}`, d.label]),
      ...Object.entries(FIELD_LABELS).map(([k, v]): [string, string] => [`field ${k}`, v]),
      ...SEED_REASONS.map((r): [string, string] => [`reason ${r.code}`, r.label]),
    ];
    expect(labels.length).toBeGreaterThan(40);
    expect(stray(labels)).toEqual([]);
  });

  it('no locale date picker in the renderer: dates are typed as YYYY-MM-DD (DateField)', () => {
    const files = readdirSync('renderer/src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tsx'));
    expect(files.length).toBeGreaterThan(20);
    const pickers = files.filter((f) => /type=["'{](date|month|datetime-local|week|time)["'}]/.test(readFileSync(join('renderer/src', f), 'utf8')));
    expect(pickers).toEqual([]);
  });

  it('the rule itself: English words and codes are caught, formats, keys and file names are not', () => {
    expect(strayWords('校验失败：check_digit')).toEqual(['check_digit']);
    expect(strayWords('Invalid PDF structure')).toEqual(['Invalid', 'structure']);
    expect(strayWords('PDF 共 3 页 · Shift+J 下一位 · 学院文件夹（含 desk.sqlite） · 316 KB')).toEqual([]);
    expect(strayWords('ocr.pause')).toEqual(['ocr.pause']);
    expect(strayWords('形如 postgres://用户名@主机:5432/数据库名，或设置环境变量 DESK_HUB_PASSWORD')).toEqual([]);
    expect(strayWords('postgres database')).toEqual(['postgres', 'database']);
  });
});

/**
 * One area, one owner of its tables: every SQL statement that names a table sits in the folder
 * of the area that owns it (electron/<area>/), or in a migration. Other areas call the owner's
 * service. A query that reaches into another area's table fails this test with its file and line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TABLE_OWNERS } from '../../../electron/app/areas.js';
import { openTestWorkspace } from '../../fixtures/workspace.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ELECTRON = join(ROOT, 'electron');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Comments may name tables freely; only code counts. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const SQL_VERBS = '(?:FROM|JOIN|INTO|UPDATE|TABLE|EXISTS)';

describe('table ownership', () => {
  it('knows the owner of every table and view the migrations create', () => {
    const { ws, close } = openTestWorkspace();
    try {
      const names = (ws.db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]).sort();
      expect(names.filter((n) => !(n in TABLE_OWNERS))).toEqual([]);
      expect(Object.keys(TABLE_OWNERS).filter((n) => !names.includes(n))).toEqual([]);
    } finally {
      close();
    }
  });

  it('finds every table named only in the folder of its owner', () => {
    const violations: string[] = [];
    for (const file of files(ELECTRON)) {
      const rel = relative(ELECTRON, file).split(sep);
      if (rel[0] === 'workspace' && rel[1] === 'migrations') continue;
      const area = rel.length > 1 ? rel[0] : '';
      const lines = stripComments(readFileSync(file, 'utf8')).split('\n');
      for (const [table, owner] of Object.entries(TABLE_OWNERS)) {
        const re = new RegExp(`\\b${SQL_VERBS}\\s+(?:main\\.|src\\.)?${table}\\b`, 'i');
        lines.forEach((line, i) => {
          if (re.test(line) && area !== owner) violations.push(`electron/${rel.join('/')}:${i + 1} names ${table} (owned by ${owner})`);
        });
      }
    }
    expect(violations).toEqual([]);
  });
});

describe('area boundaries (lint)', () => {
  it('reports an import of another area’s internals and accepts its index', async () => {
    const { Linter } = await import('eslint');
    const tsParser = (await import('typescript-eslint')).parser;
    // The rule as the project's lint runs it (a path, so the type checker does not open the JS config).
    const configUrl = pathToFileURL(join(ROOT, 'eslint.config.js')).href;
    const { areaBoundaries } = (await import(configUrl)) as { areaBoundaries: object };
    const linter = new Linter({ configType: 'flat' });
    const config = [{
      files: ['**/*.ts'],
      languageOptions: { parser: tsParser },
      plugins: { desk: { rules: { 'area-boundaries': areaBoundaries } } },
      rules: { 'desk/area-boundaries': 'error' },
    }] as Parameters<typeof linter.verify>[1];
    const lint = (code: string): string[] => linter.verify(code, config, join(ELECTRON, 'review', 'probe.ts')).map((m) => m.message);
    expect(lint("import { insertEvent } from '../sync/log.js';\nexport const x = insertEvent;")).toEqual([
      "'../sync/log.js' reaches into the sync area's internals; import from '../sync/index.js' (its public API) instead.",
    ]);
    expect(lint("import { appendEvents } from '../sync/index.js';\nexport const x = appendEvents;")).toEqual([]);
    expect(lint("import { stateOf } from './state.js';\nexport const x = stateOf;")).toEqual([]);
    expect(lint("export const load = () => import('../documents/facts.js');")).toHaveLength(1);
  });
});

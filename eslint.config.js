import { dirname, relative, resolve, sep } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * One area, one owner (electron/app/areas.ts): code outside an area reaches it only through its
 * public API, electron/<area>/index.ts. This rule reports any import of another area's internals.
 */
const ELECTRON = resolve(import.meta.dirname, 'electron');
const GUARDED = new Set(['workspace', 'platform', 'college', 'documents', 'applicants', 'accounts', 'sync', 'checks', 'ocr', 'review', 'export', 'backup']);
export const areaBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Areas are used only through their index.ts' },
    messages: { internal: "'{{source}}' reaches into the {{area}} area's internals; import from '../{{area}}/index.js' (its public API) instead." },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const own = relative(ELECTRON, file).split(sep);
    if (own[0] === '..' || own.length < 2) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = relative(ELECTRON, resolve(dirname(file), source)).split(sep);
      const area = target[0];
      if (!area || area === '..' || area === own[0] || !GUARDED.has(area)) return;
      if (target.length === 2 && /^index\.(js|ts)$/.test(target[1] ?? '')) return;
      context.report({ node, messageId: 'internal', data: { source, area } });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

const nodeBuiltins = [
  'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'stream', 'zlib',
  'worker_threads', 'util', 'events', 'buffer',
];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'release/**', 'node_modules/**', '.native/**', 'test-artifacts/**', 'coverage/**', '.*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.node.json', './tsconfig.web.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'eslint-comments/no-unused-disable': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  {
    // Pure code: runs in main, renderer, CLI and tests alike.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', ...nodeBuiltins], message: 'shared/ is pure: no Node imports.' },
            { group: ['electron', 'electron/*'], message: 'shared/ is pure: no electron.' },
            { group: ['react', 'react-dom', 'react-dom/*', 'pdfjs-dist', 'pdfjs-dist/*'], message: 'shared/ is pure: no DOM libraries.' },
            { group: ['../electron/*', '../../electron/*', '../renderer/*', '../../renderer/*'], message: 'shared/ depends on nothing else.' },
          ],
        },
      ],
    },
  },
  {
    // The renderer reaches data only through the API contract.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', ...nodeBuiltins], message: 'renderer/ runs in a sandboxed page: no Node.' },
            { group: ['electron', 'electron/*', 'better-sqlite3'], message: 'renderer/ talks only to the API contract.' },
            { group: ['../electron/*', '../../electron/*', '../../../electron/*'], message: 'renderer/ talks only to the API contract.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['electron/**/*.ts'],
    plugins: { desk: { rules: { 'area-boundaries': areaBoundaries } } },
    rules: { 'desk/area-boundaries': 'error' },
  },
);

/**
 * The browser tests' machine check: a machine without Chromium, a Chinese font or the built
 * renderer must fail the e2e run with what to install, never let it skip to green.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertE2eMachine, e2eProblems, type E2eMachine } from '../../e2e/requirements.js';

const root = mkdtempSync(join(tmpdir(), 'e2e-requirements-'));
const renderer = join(root, 'renderer');
mkdirSync(renderer);
writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
// Any executable file stands in for the browser: the check asks only whether it can run.
const browser = join(root, 'chromium');
writeFileSync(browser, '#!/bin/sh\n', { mode: 0o755 });

const machine = (patch: Partial<E2eMachine>): E2eMachine => ({
  chromium: browser, chromiumFromEnv: false, rendererDir: renderer, chineseFonts: () => ['Noto Sans CJK SC'], ...patch,
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('e2e machine check', () => {
  it('passes a machine with everything', () => {
    expect(e2eProblems(machine({}))).toEqual([]);
    expect(() => assertE2eMachine(machine({}))).not.toThrow();
  });

  it('fails without Chromium, naming the Debian packages to install', () => {
    expect(() => assertE2eMachine(machine({ chromium: join(root, 'no-chromium') }))).toThrow(/apt-get install chromium fonts-noto-cjk/);
  });

  it('names CHROMIUM_PATH when that is what points nowhere', () => {
    const [line] = e2eProblems(machine({ chromium: join(root, 'elsewhere'), chromiumFromEnv: true }));
    expect(line).toContain('CHROMIUM_PATH=');
    expect(line).toContain('apt-get install chromium fonts-noto-cjk');
  });

  it('refuses a browser file that cannot be executed', () => {
    const plain = join(root, 'not-executable');
    writeFileSync(plain, '', { mode: 0o644 });
    expect(e2eProblems(machine({ chromium: plain }))[0]).toMatch(/^Chromium not found/);
  });

  it('fails without a Chinese font or without fontconfig, naming fonts-noto-cjk', () => {
    expect(e2eProblems(machine({ chineseFonts: () => [] }))).toEqual([expect.stringContaining('fonts-noto-cjk')]);
    expect(e2eProblems(machine({ chineseFonts: () => null }))).toEqual([expect.stringContaining('fonts-noto-cjk')]);
  });

  it('fails without the built renderer, naming the build command', () => {
    expect(e2eProblems(machine({ rendererDir: join(root, 'missing') }))).toEqual([expect.stringContaining('npx vite build')]);
  });

  it('lists every missing piece at once', () => {
    const all = e2eProblems(machine({ chromium: join(root, 'none'), chineseFonts: () => [], rendererDir: join(root, 'missing') }));
    expect(all).toHaveLength(3);
  });
});

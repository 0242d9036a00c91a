/**
 * What the browser tests need on the machine, checked in one place before any of them runs. A
 * missing browser fails the run and says what to install: a suite that skips itself quietly
 * reports green for a desk nobody tested (.ci/run installs all of it on Debian).
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface E2eMachine {
  /** The Chromium executable playwright-core drives (CHROMIUM_PATH or Debian's /usr/bin/chromium). */
  chromium: string;
  /** Whether CHROMIUM_PATH chose it (the message then names the variable). */
  chromiumFromEnv: boolean;
  /** The built renderer the loopback host serves. */
  rendererDir: string;
  /** Font families fontconfig has for Chinese, or null when fc-list itself is missing. */
  chineseFonts: () => string[] | null;
}

/** Families fontconfig offers for zh (a Chinese screenshot without them is a row of boxes). */
export function chineseFontFamilies(): string[] | null {
  const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Each missing piece as one line that names what to install or run; empty when all is there. */
export function e2eProblems(m: E2eMachine): string[] {
  const out: string[] = [];
  let runnable = false;
  try {
    accessSync(m.chromium, constants.X_OK);
    runnable = true;
  } catch {
    // Reported below with what to install.
  }
  if (!runnable) {
    out.push(
      m.chromiumFromEnv
        ? `Chromium not found at CHROMIUM_PATH=${m.chromium}: point CHROMIUM_PATH at a Chromium executable, or unset it and install the Debian packages chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk; .ci/run does).`
        : `Chromium not found at ${m.chromium}: install the Debian packages chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk; .ci/run does), or set CHROMIUM_PATH to a Chromium executable.`,
    );
  }
  const fonts = m.chineseFonts();
  if (fonts === null) out.push('fc-list (fontconfig) not found: install the Debian packages fontconfig and fonts-noto-cjk (apt-get install fontconfig fonts-noto-cjk).');
  else if (fonts.length === 0) out.push('No font for Chinese: install the Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk; .ci/run does), or screenshots show boxes instead of names.');
  if (!existsSync(join(m.rendererDir, 'index.html'))) {
    out.push(`No built renderer in ${m.rendererDir}: run \`npx vite build\` first (npm test and npm run test:e2e do).`);
  }
  return out;
}

/** Throws one error listing everything missing, so the run fails instead of testing nothing. */
export function assertE2eMachine(m: E2eMachine): void {
  const problems = e2eProblems(m);
  if (problems.length > 0) throw new Error(`The browser tests cannot run on this machine:\n- ${problems.join('\n- ')}`);
}

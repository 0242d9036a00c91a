/**
 * End-to-end harness: a demo college in a temp folder (Chinese characters and spaces in the
 * path), a workspace served by the real loopback host, and Debian's Chromium driven by
 * playwright-core. Screenshots go to test-artifacts/ for people to look at.
 *
 * Importing it checks the machine first (./requirements.ts): without Chromium, a Chinese font or
 * the built renderer every browser test fails at once, naming what to install, instead of
 * skipping.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { QueueRow } from '../../shared/api/index.js';
import type { QueueFilter } from '../../shared/pinyinSearch.js';
import { generateDemo } from '../../electron/demo/generate.js';
import { startHost, type Host } from '../../electron/adapters/host/server.js';
import { createDesk, type Desk, type DeskOptions } from '../../electron/app/desk.js';
import { documentBlob } from '../../electron/documents/store.js';
import { assertE2eMachine, chineseFontFamilies } from './requirements.js';
import { strayWords } from './zhText.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ARTIFACTS = resolve('test-artifacts');
export const RENDERER_DIR = resolve('dist/renderer');

assertE2eMachine({ chromium: CHROMIUM, chromiumFromEnv: !!process.env.CHROMIUM_PATH, rendererDir: RENDERER_DIR, chineseFonts: chineseFontFamilies });

export interface Truth {
  defects: { idNumber: string; type: string; document?: string }[];
  documents: { file: string; idNumber: string; kind: string; format: string; pages: number; imageOnly: boolean; rotated: number }[];
}

export interface DeskFixture {
  root: string;
  demoDir: string;
  wsDir: string;
  truth: Truth;
  desk: Desk;
  host: Host;
  close(): Promise<void>;
}

/**
 * A demo college (not yet imported) and a fresh workspace behind the loopback host. With
 * backgroundOcr the desk reads scans in the background as the Electron shell and `npm run web` do
 * (after every import); without it nothing is read unless a case asks. `desk` passes the hub's
 * automatic rounds and services on (hub.e2e).
 */
export async function startDesk(opts: { applicants?: number; seed?: number; backgroundOcr?: boolean; desk?: Pick<DeskOptions, 'autoHub' | 'services'> } = {}): Promise<DeskFixture> {
  const root = mkdtempSync(join(tmpdir(), 'desk-e2e-张老师 专升本-'));
  process.env.DESK_HOME = join(root, 'home');
  const demoDir = join(root, '演示 学院');
  await generateDemo({ out: demoDir, applicants: opts.applicants ?? 16, seed: opts.seed ?? 7 });
  const wsDir = join(root, '工作区 一');
  const desk = createDesk(wsDir, { create: true, college: '湖南示范职业技术学院（测试）', backgroundOcr: opts.backgroundOcr ?? false, ...opts.desk });
  const host = await startHost({ dispatch: desk.dispatch, document: (id) => documentBlob(desk.ctx.ws(), id), rendererDir: RENDERER_DIR, files: desk.files });
  const truth = JSON.parse(readFileSync(join(demoDir, 'truth.json'), 'utf8')) as Truth;
  return {
    root, demoDir, wsDir, truth, desk, host,
    close: async () => {
      await host.close();
      desk.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface BrowserFixture {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Chromium with a fresh profile folder of its own (the flags these machines need). */
export async function openBrowser(): Promise<BrowserFixture> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'desk-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context, page,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The reviewer a desk opened by openDesk has typed in, unless the case says otherwise. */
export const REVIEWER = '李老师';

export interface DeskOpening {
  /** The applicant in view once the desk has loaded. */
  select?: Pick<QueueRow, 'idNumber' | 'idMasked'>;
  filter?: QueueFilter;
  /** The typed reviewer (REVIEWER unless given); null = nobody yet. */
  reviewer?: string | null;
  autoAdvance?: boolean;
}

/**
 * Opens the desk (already loaded in the page) as a case needs it: whatever an earlier case left
 * in localStorage (filter, position, reviewer, zoom per kind, OCR frames) is replaced, then the
 * page reloads. A case that starts here relies on no case before it.
 */
export async function openDesk(page: Page, o: DeskOpening = {}): Promise<void> {
  await page.evaluate(
    ({ filter, selected, reviewer, autoAdvance }) => {
      localStorage.clear();
      localStorage.setItem('desk.filter', JSON.stringify(filter));
      if (selected) localStorage.setItem('desk.selected', JSON.stringify(selected));
      if (reviewer) localStorage.setItem('desk.reviewer', reviewer);
      localStorage.setItem('desk.autoAdvance', JSON.stringify(autoAdvance));
    },
    { filter: o.filter ?? {}, selected: o.select?.idNumber ?? null, reviewer: o.reviewer === undefined ? REVIEWER : o.reviewer, autoAdvance: o.autoAdvance ?? true },
  );
  await page.reload();
  await page.waitForSelector('.queue-list li[role=option]');
  if (o.select) await page.waitForSelector(`.queue-list li[aria-selected="true"][data-id-masked="${o.select.idMasked}"]`);
  await page.waitForSelector('[data-testid="current-status"]');
}

/** Calls the contract through the loopback host with the run's token, as any client must. */
export async function hostCall<T>(host: Host, name: string, args: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  const res = await fetch(`${host.origin}/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
    body: JSON.stringify(args),
  });
  return (await res.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
}

/** The same call for a test that expects it to succeed: a refusal fails the test with its message. */
export async function apiCall<T>(host: Host, name: string, args: unknown): Promise<T> {
  const res = await hostCall<T>(host, name, args);
  if (!res.ok) throw new Error(`${name}: ${res.error.code}: ${res.error.message}`);
  return res.value;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Pixel statistics of a canvas or image element, read in the page (same origin, untainted). */
export async function pixelStats(page: Page, selector: string): Promise<{ width: number; height: number; nonWhite: number; red: number; total: number }> {
  return page.$eval(selector, (el) => {
    let source: HTMLCanvasElement;
    if (el instanceof HTMLCanvasElement) source = el;
    else {
      const img = el as HTMLImageElement;
      source = document.createElement('canvas');
      source.width = img.naturalWidth;
      source.height = img.naturalHeight;
      source.getContext('2d')!.drawImage(img, 0, 0);
    }
    const ctx = source.getContext('2d')!;
    const { data, width, height } = ctx.getImageData(0, 0, source.width, source.height);
    let nonWhite = 0;
    let red = 0;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i]!, g = data[i + 1]!, b = data[i + 2]!;
      if (r < 235 || g < 235 || b < 235) nonWhite++;
      if (r > 150 && g < 110 && b < 110) red++;
    }
    return { width, height, nonWhite, red, total: width * height };
  });
}

/**
 * The Electron preload's bridge as the page sees it (electron/adapters/shell/preload.ts), played
 * by the test: calls go to the loopback host, a "native dialog" answers the path the test set for
 * the kind, a "dropped" File is known by its name. Main's side of the same IPC is tested with the
 * bundled main in test/unit/core/electron-shell.test.ts.
 */
export function standInBridge(): void {
  const w = window as unknown as Record<string, unknown>;
  // Kept in sessionStorage: the desk reloads the page after an import, the test's answers and the log stay.
  const answers = (): { picks: Record<string, string>; drops: Record<string, string> } => JSON.parse(sessionStorage.getItem('bridge.answers') ?? '{"picks":{},"drops":{}}') as { picks: Record<string, string>; drops: Record<string, string> };
  const log = { push: (entry: unknown[]): void => sessionStorage.setItem('bridge.log', JSON.stringify([...(JSON.parse(sessionStorage.getItem('bridge.log') ?? '[]') as unknown[]), entry])) };
  const api = async (name: string, args: unknown): Promise<unknown> =>
    (await fetch(`/api/${encodeURIComponent(name)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin', body: JSON.stringify(args ?? {}) })).json();
  const chosen = (kind: string, path: string | undefined): Promise<unknown> => (path ? api('files.fromPath', { kind, path }) : Promise.resolve({ ok: true, value: null }));
  w.deskBridge = {
    call: api,
    docUrl: (id: number) => `/doc/${id}`,
    files: {
      pick: (kind: string, folder?: boolean) => (log.push(['pick', kind, folder === true]), chosen(kind, answers().picks[kind])),
      save: (kind: string, name?: string) => (log.push(['save', kind, name ?? '']), chosen(kind, answers().picks[kind])),
      drop: (kind: string, file: File) => (log.push(['drop', kind, file.name]), chosen(kind, answers().drops[file.name])),
      reveal: (handle: string) => (log.push(['reveal', handle]), Promise.resolve({ ok: true, value: { shown: true } })),
    },
  };
}

export interface StrayText {
  where: string;
  word: string;
  text: string;
}

/**
 * What the page shows in English or as a raw code while the desk speaks Chinese: every visible text
 * node and every aria-label, title, placeholder, alt and option, judged by ./zhText.ts. Data the
 * desk shows as it is (folders, PC names, key fingerprints, file names: marked translate="no", as
 * for a browser's translator), values typed into fields and the language switch are left out;
 * `data` names what a sentence carries as it is (a PC name inside a message).
 */
export async function strayEnglish(page: Page, where: string, data: string[] = []): Promise<StrayText[]> {
  const texts = await page.evaluate((data) => {
    const out: string[] = [];
    const visible = (el: Element): boolean => {
      const s = getComputedStyle(el);
      return el.getClientRects().length > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const take = (raw: string): void => void out.push(data.reduce((t, d) => t.split(d).join(' '), raw).trim());
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim() || el.closest('script, style, select, .lang, [translate="no"]') || !visible(el)) continue;
      take(n.textContent);
    }
    // A closed select shows one option, an open one all: every option is the desk's word.
    for (const sel of document.querySelectorAll('select')) if (visible(sel)) for (const o of sel.options) take(o.text);
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (el.closest('.lang, [translate="no"]') || !visible(el)) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(a);
        if (v) take(v);
      }
    }
    return out;
  }, data);
  return texts.flatMap((text) => strayWords(text).map((word) => ({ where, word, text: text.slice(0, 120) })));
}

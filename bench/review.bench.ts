/**
 * Review workspace benchmark, in real Chromium through the loopback host, over a 10,000-applicant
 * workspace (the demo list, listOnly) whose applicants each carry two real scans reused from a
 * small rendered demo college.
 * - queue filter/search: from the input event to the queue count showing the expected number.
 * - next → first document painted (with prefetch): keydown 'j' to the new applicant's first scan
 *   rendered (pdf.js canvas done, or image decoded), after a short dwell on the previous one.
 * - decision committed: decisions.record in process (service + SQLite commit) and from the page
 *   over the loopback host.
 * - renderer memory while reviewing 500 applicants with the approve-and-next key: JS heap after a
 *   forced GC every 100 applicants; the goal is no growth trend.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { generateDemo } from '../electron/demo/generate.js';
import { startHost } from '../electron/adapters/host/server.js';
import { createDesk } from '../electron/app/desk.js';
import { documentBlob } from '../electron/documents/store.js';
import type { QueueIndex } from '../shared/api/index.js';
import { filterQueue, primaryInitials, type QueueFilter } from '../shared/pinyinSearch.js';
import { openBrowser } from '../test/e2e/harness.js';
import type { BenchContext, BenchRecord } from './types.js';

const RENDERER_DIR = resolve('dist/renderer');
const MIME: Record<string, string> = { '.pdf': 'application/pdf', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png' };

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] ?? 0) - mx) * ((ys[i] ?? 0) - my);
    den += ((xs[i] ?? 0) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

type Waiter = (cond: () => boolean, timeout?: number) => Promise<number>;
type BenchWindow = Window & { __waitFor: Waiter };

/** In the page: resolves with performance.now() as soon as cond() holds (DOM mutations, loads, 4 ms poll). */
function installWaiter(): void {
  (window as unknown as BenchWindow).__waitFor = (cond, timeout = 15_000) =>
    new Promise((resolvePromise, reject) => {
      if (cond()) return resolvePromise(performance.now());
      const check = (): void => {
        if (!cond()) return;
        done();
        resolvePromise(performance.now());
      };
      const mo = new MutationObserver(check);
      const iv = setInterval(check, 4);
      const to = setTimeout(() => {
        done();
        reject(new Error('timeout'));
      }, timeout);
      function done(): void {
        mo.disconnect();
        document.removeEventListener('load', check, true);
        clearInterval(iv);
        clearTimeout(to);
      }
      mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      document.addEventListener('load', check, true);
    });
}

/** In the page: presses `key` on the window and measures until the next applicant's first scan is painted. */
async function stepTimes(page: Page, key: string, count: number, dwellMs: number): Promise<number[]> {
  return page.evaluate(
    async ({ key, count, dwellMs }) => {
      const w = window as unknown as BenchWindow;
      const sel = (): string | null => document.querySelector('.queue-list li[aria-selected="true"]')?.getAttribute('data-id-masked') ?? null;
      const painted = (): boolean => {
        const c = document.querySelector('.pane[data-pane="0"] canvas.scan-pdf') as HTMLCanvasElement | null;
        const img = document.querySelector('.pane[data-pane="0"] img.scan-image') as HTMLImageElement | null;
        return c?.dataset.rendered === 'true' || (!!img && img.complete && img.naturalWidth > 0) || !!document.querySelector('.pane[data-pane="0"] .viewer-msg.error');
      };
      const out: number[] = [];
      for (let i = 0; i < count; i++) {
        await w.__waitFor(painted);
        await new Promise((r) => setTimeout(r, dwellMs));
        const before = sel();
        const t0 = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
        await w.__waitFor(() => sel() !== before);
        const t1 = await w.__waitFor(painted);
        out.push(t1 - t0);
      }
      return out;
    },
    { key, count, dwellMs },
  );
}

export default async function run(ctx: BenchContext): Promise<BenchRecord[]> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('dist/renderer is missing: run `npx vite build` first');
  process.env.DESK_HOME = join(ctx.tmp, 'home');
  const n = ctx.applicants;
  const big = join(ctx.tmp, 'big');
  const small = join(ctx.tmp, 'small');
  await generateDemo({ out: big, applicants: n, seed: 3, listOnly: true });
  await generateDemo({ out: small, applicants: 12, seed: 5 });
  const desk = createDesk(join(ctx.tmp, 'ws'), { create: true, college: '基准学院' });
  const imp = await desk.dispatch('import.run', { listPath: join(big, 'applicants.xlsx') });
  if (!imp.ok) throw new Error(imp.error.message);

  // A few real scans, reused: two per applicant, stored once each (content-addressed).
  const ws = desk.ctx.ws();
  const truth = JSON.parse(readFileSync(join(small, 'truth.json'), 'utf8')) as { documents: { file: string; kind: string }[]; defects: { document?: string }[] };
  const bad = new Set(truth.defects.map((d) => d.document).filter(Boolean));
  const scans = truth.documents
    .filter((d) => !bad.has(d.file) && MIME[extname(d.file).toLowerCase()])
    .slice(0, 16)
    .map((d) => {
      const bytes = readFileSync(join(small, 'attachments', d.file));
      const stored = ws.blobs.putBuffer(bytes);
      ws.db.prepare("INSERT OR IGNORE INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, ?, '2024-02-04T00:00:00Z')").run(stored.sha256, stored.size, MIME[extname(d.file).toLowerCase()]);
      return { sha256: stored.sha256, kind: d.kind, name: d.file };
    });
  const ids = (ws.db.prepare('SELECT id_number FROM applicants ORDER BY row_no').all() as { id_number: string }[]).map((r) => r.id_number);
  const insDoc = ws.db.prepare("INSERT INTO documents (id_number, kind, sha256, original_name, import_id) VALUES (?, ?, ?, ?, 'bench')");
  ws.db.transaction(() => {
    ids.forEach((id, i) => {
      for (const k of [i % scans.length, (i + 1) % scans.length]) {
        const s = scans[k]!;
        insDoc.run(id, s.kind, s.sha256, s.name);
      }
    });
  })();

  const host = await startHost({ dispatch: desk.dispatch, document: (id) => documentBlob(desk.ctx.ws(), id), rendererDir: RENDERER_DIR });
  const br = await openBrowser();
  const records: BenchRecord[] = [];
  try {
    const { page } = br;
    // tsx keeps function names with a `__name` helper that does not exist in the page.
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await page.addInitScript(installWaiter);
    await page.addInitScript(() => {
      localStorage.setItem('desk.reviewer', '基准');
      localStorage.setItem('desk.autoAdvance', 'true');
    });
    await page.goto(host.url);
    await page.waitForSelector('.queue-list li[role=option]', { timeout: 60_000 });

    // How late the page runs a timer it asked for at once: the machine's scheduling noise, the
    // baseline every in-page figure below is compared with (the CI box is shared and loaded).
    const tick = await page.evaluate(async () => {
      const out: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        await new Promise((r) => setTimeout(r, 0));
        out.push(performance.now() - t0);
      }
      return out;
    });
    const tickBase = { name: 'page setTimeout(0) p95', value: pct(tick, 95) };

    // Queue filter and search, against counts computed here from the same index.
    const qres = await desk.dispatch('review.queue', {});
    if (!qres.ok) throw new Error(qres.error.message);
    const rows = (qres.value as QueueIndex).rows;
    const probes: { search?: string; category?: string }[] = [];
    for (let i = 0; i < 60; i++) {
      const r = rows[(i * 157) % rows.length]!;
      probes.push({ search: [primaryInitials(r.initials).slice(0, 2), r.idNumber.slice(10, 14), r.phone.slice(-4), r.name.slice(0, 1)][i % 4] });
      probes.push({ search: '' });
    }
    for (const c of ['veteran', 'competition', 'poverty', 'general', 'craftsman']) probes.push({ category: c }, { category: '' });
    let expectedBefore = rows.length;
    const plan = probes.map((p) => {
      const f: QueueFilter = { ...(p.search ? { search: p.search } : {}), ...(p.category ? { category: p.category as QueueFilter['category'] } : {}) };
      const expected = filterQueue(rows, f).length;
      const measured = expected !== expectedBefore;
      expectedBefore = expected;
      return { ...p, expected, measured };
    });
    const filterTimes = await page.evaluate(async (steps) => {
      const w = window as unknown as BenchWindow;
      const count = (): number => Number((document.querySelector('[data-testid="queue-count"]')?.textContent ?? '').replace(/\D/g, ''));
      const setValue = (el: HTMLInputElement | HTMLSelectElement, v: string, ev: string): void => {
        const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
        Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, v);
        el.dispatchEvent(new Event(ev, { bubbles: true }));
      };
      const out: number[] = [];
      for (const s of steps) {
        const t0 = performance.now();
        if (s.search !== undefined) setValue(document.querySelector('input.search') as HTMLInputElement, s.search, 'input');
        else setValue(document.querySelector('select[aria-label="category"]') as HTMLSelectElement, s.category ?? '', 'change');
        const t1 = await w.__waitFor(() => count() === s.expected, 5000);
        if (s.measured) out.push(t1 - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
      return out;
    }, plan);
    records.push({ name: `review.queue.filter.p95.${n}`, value: pct(filterTimes, 95), unit: 'ms', baseline: tickBase, ratio: pct(filterTimes, 95) / tickBase.value, goal: '< 30 ms', met: pct(filterTimes, 95) < 30, notes: `p50 ${pct(filterTimes, 50).toFixed(1)} ms over ${filterTimes.length} searches/filters (pinyin initials, ID digits, phone digits, name, category)` });

    // Next → first document painted, with the next applicant prefetched during a 400 ms dwell.
    await page.keyboard.press('k');
    const nextTimes = await stepTimes(page, 'j', 60, 400);
    records.push({ name: 'review.next.firstPaint.p95', value: pct(nextTimes, 95), unit: 'ms', baseline: tickBase, ratio: pct(nextTimes, 95) / tickBase.value, goal: '< 150 ms', met: pct(nextTimes, 95) < 150, notes: `p50 ${pct(nextTimes, 50).toFixed(1)} ms over ${nextTimes.length} moves; scans: ${scans.length} real PDFs/images reused` });
    const coldTimes = await stepTimes(page, 'j', 30, 0);
    records.push({ name: 'review.next.firstPaint.noDwell.p95', value: pct(coldTimes, 95), unit: 'ms', notes: 'same, pressing on as soon as the scan is painted (prefetch may still be in flight)' });

    // Decision committed: in process, and from the page over the loopback host; the floor is a
    // bare one-row insert + commit with the workspace's durability settings on the same disk.
    const floorDb = new Database(join(ctx.tmp, 'floor.sqlite'));
    floorDb.pragma('journal_mode = WAL');
    floorDb.pragma('synchronous = FULL');
    floorDb.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const floorIns = floorDb.prepare('INSERT INTO t (v) VALUES (?)');
    const floor: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      floorIns.run(`row ${i}`);
      floor.push(performance.now() - t0);
    }
    floorDb.close();
    const floorP95 = pct(floor, 95);
    const inProc: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      const res = await desk.dispatch('decisions.record', { idNumber: ids[n - 1 - i], decision: 'approve', reviewer: '基准' });
      inProc.push(performance.now() - t0);
      if (!res.ok) throw new Error(res.error.message);
    }
    records.push({ name: 'review.decision.commit.inProcess.p95', value: pct(inProc, 95), unit: 'ms', baseline: { name: 'sqlite insert+commit p95', value: floorP95 }, ratio: pct(inProc, 95) / floorP95, goal: '< 5 ms', met: pct(inProc, 95) < 5, notes: `p50 ${pct(inProc, 50).toFixed(2)} ms; validation + recordDecision + SQLite commit (WAL, synchronous=FULL)` });
    const viaHost = await page.evaluate(async (targets) => {
      const out: number[] = [];
      for (const id of targets) {
        const t0 = performance.now();
        const res = await fetch('/api/decisions.record', { method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin', body: JSON.stringify({ idNumber: id, decision: 'approve', reviewer: '基准' }) });
        const env = (await res.json()) as { ok: boolean };
        out.push(performance.now() - t0);
        if (!env.ok) throw new Error('decision refused');
      }
      return out;
    }, ids.slice(n - 400, n - 200));
    // No goal here: this is the loopback HTTP adapter (tests, `npm run web`), not the desktop
    // app's path (IPC); the goal "decision committed < 5 ms" is the in-process record above.
    records.push({ name: 'review.decision.commit.fromPage.p95', value: pct(viaHost, 95), unit: 'ms', notes: `p50 ${pct(viaHost, 50).toFixed(2)} ms; Chromium fetch through the loopback host (the test/web adapter), commit included; informational` });

    // Memory over 500 approvals with the approve-and-next key.
    const cdp = await page.context().newCDPSession(page);
    const heapMb = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const h = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      return h.usedSize / 2 ** 20;
    };
    const xs: number[] = [];
    const ys: number[] = [];
    xs.push(0);
    ys.push(await heapMb());
    const approveTimes: number[] = [];
    for (let chunk = 1; chunk <= 5; chunk++) {
      approveTimes.push(...(await stepTimes(page, 'a', 100, 0)));
      xs.push(chunk * 100);
      ys.push(await heapMb());
    }
    const trend = slope(xs.slice(1), ys.slice(1)) * 100;
    records.push({
      name: 'review.memory.heapAfter500.MB',
      value: ys.at(-1) ?? NaN,
      unit: 'MB',
      baseline: { name: 'heap after 100', value: ys[1] ?? NaN },
      ratio: (ys.at(-1) ?? NaN) / (ys[1] ?? NaN),
      goal: 'no growth trend (< 1 MB per 100 applicants from 100 to 500)',
      met: trend < 1,
      notes: `heap after GC at 0/100/…/500: ${ys.map((y) => y.toFixed(1)).join(' / ')} MB; trend ${trend.toFixed(2)} MB per 100; approve-and-next p95 ${pct(approveTimes, 95).toFixed(1)} ms`,
    });
  } finally {
    await br.close();
    await host.close();
    desk.close();
  }
  return records;
}

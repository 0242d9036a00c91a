/**
 * `npm run bench`: runs every bench/*.bench.ts (or the ones named on the command line), writes
 * bench/results.json and prints a table of figures, baselines and ratios.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchRecord } from './types.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const applicants = Number(process.env.BENCH_SCALE ?? 10000);
const results: { file: string; records: BenchRecord[]; error?: string }[] = [];
for (const f of files) {
  const tmp = mkdtempSync(join(tmpdir(), 'desk-bench-'));
  process.stderr.write(`running ${f} …\n`);
  try {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as BenchModule;
    results.push({ file: f, records: await mod.default({ applicants, tmp }) });
  } catch (e) {
    results.push({ file: f, records: [], error: e instanceof Error ? e.stack ?? e.message : String(e) });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memGiB: Math.round(totalmem() / 2 ** 30), platform: process.platform };
writeFileSync(join(here, 'results.json'), JSON.stringify({ at: new Date().toISOString(), machine, applicants, results }, null, 2) + '\n');
const fmt = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3));
const lines = ['| benchmark | value | baseline | ratio | goal | met |', '|---|---|---|---|---|---|'];
for (const r of results) {
  if (r.error) lines.push(`| ${r.file} | error: ${r.error.split('\n')[0]} | | | | |`);
  for (const x of r.records) {
    lines.push(`| ${x.name} | ${fmt(x.value)} ${x.unit} | ${x.baseline ? `${x.baseline.name} ${fmt(x.baseline.value)}` : ''} | ${x.ratio !== undefined ? fmt(x.ratio) + '×' : ''} | ${x.goal ?? ''} | ${x.met === undefined ? '' : x.met ? 'yes' : 'no'} |`);
  }
}
process.stdout.write(`machine: ${JSON.stringify(machine)}\n\n${lines.join('\n')}\n`);
if (results.some((r) => r.error)) process.exitCode = 1;

/**
 * A benchmark module (bench/*.bench.ts) default-exports `run(ctx)` returning records. Every
 * figure is compared with a baseline measured in the same process and run, so the ratios are
 * meaningful on any machine.
 */
export interface BenchRecord {
  /** e.g. 'import.list.10000' */
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared against, measured in the same run. */
  baseline?: { name: string; value: number };
  /** value / baseline.value */
  ratio?: number;
  /** The goal as text, e.g. '≤ 1.3× baseline' or '< 30 ms'. */
  goal?: string;
  /** Whether the goal was met (undefined when there is no goal). */
  met?: boolean;
  notes?: string;
}

export interface BenchContext {
  /** 10,000 by default; smaller with BENCH_SCALE for a quick run. */
  applicants: number;
  /** A scratch folder for this run. */
  tmp: string;
}

export type BenchModule = { default: (ctx: BenchContext) => Promise<BenchRecord[]> };

/**
 * 演示学院 — writes a synthetic Hunan vocational college the way a registrar would import it:
 * applicants.xlsx, attachments/ with scans, truth.json (the deliberate defects and what every scan
 * shows) and broken/ (lists that import must refuse). Same seed → same bytes.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DemoSummary } from '../../shared/api/index.js';
import {
  LIST_HEADER,
  listRow,
  planDemo,
  truthOf,
  type BrokenList,
  type DemoPlan,
  type PlannedDocument,
} from './model.js';
import { hashSeed, Rng } from './random.js';
import { renderDocument } from './render.js';
import { listWorkbook } from './xlsx.js';

export interface GenerateOptions {
  out: string;
  applicants: number;
  seed: number;
  /** Write the list and truth.json only (10,000-applicant benchmarks); 附件 still names the scans. */
  listOnly?: boolean;
  /** Scans rendered at once; encoding runs off the main thread, so 2 keeps both cores busy. */
  concurrency?: number;
}

export const LIST_FILE = 'applicants.xlsx';
export const TRUTH_FILE = 'truth.json';
export const ATTACHMENTS_DIR = 'attachments';
export const BROKEN_DIR = 'broken';
const OWN_ENTRIES = new Set([LIST_FILE, TRUTH_FILE, ATTACHMENTS_DIR, BROKEN_DIR]);

export function listTitle(college: string): string {
  return `${college}2024年专升本考生报名信息汇总表`;
}

/**
 * Regenerating into the same folder replaces the previous demo; a folder holding anything else is
 * refused, so a mistyped --out never wipes someone's files.
 */
function prepareOut(out: string): void {
  if (existsSync(out)) {
    const foreign = readdirSync(out).filter((e) => !OWN_ENTRIES.has(e));
    if (foreign.length > 0) {
      throw new Error(`输出目录不是演示数据目录（含 ${foreign.slice(0, 3).join('、')}）：${out}`);
    }
    for (const e of OWN_ENTRIES) rmSync(join(out, e), { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
}

async function writeBroken(dir: string, plan: DemoPlan, title: string): Promise<BrokenList[]> {
  mkdirSync(dir, { recursive: true });
  const sample = plan.applicants.slice(0, 8).map(listRow);
  const idCol = LIST_HEADER.indexOf('身份证号');

  // Two rows with one ID number: the same person registered twice.
  const dup = sample.map((r) => [...r]);
  const first = dup[0];
  const later = dup[Math.min(5, dup.length - 1)];
  if (first && later && later !== first) later[idCol] = first[idCol] ?? '';
  else if (first) dup.push([...first]);
  await writeFile(join(dir, 'duplicate_id.xlsx'), await listWorkbook(dup, { title }));

  await writeFile(join(dir, 'excel_number_id.xlsx'), await listWorkbook(sample, { title, idAsNumber: true }));

  const header = LIST_HEADER.filter((_, i) => i !== idCol);
  const noId = sample.map((r) => r.filter((_, i) => i !== idCol));
  await writeFile(join(dir, 'missing_column.xlsx'), await listWorkbook(noId, { title, header }));

  return [
    { file: `${BROKEN_DIR}/duplicate_id.xlsx`, problem: 'duplicate_id', detail: `身份证号 ${String(first?.[idCol] ?? '')} 出现两次` },
    { file: `${BROKEN_DIR}/excel_number_id.xlsx`, problem: 'excel_number_id', detail: '身份证号列被存为数字，末位已丢失' },
    { file: `${BROKEN_DIR}/missing_column.xlsx`, problem: 'missing_column', detail: '缺少“身份证号”列' },
  ];
}

/** Runs `work` over the items, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  });
  await Promise.all(runners);
}

export async function generateDemo(opts: GenerateOptions): Promise<DemoSummary> {
  const out = resolve(opts.out);
  prepareOut(out);
  const plan = planDemo({ applicants: opts.applicants, seed: opts.seed });
  const title = listTitle(plan.college);
  const listFile = join(out, LIST_FILE);
  const attachmentsDir = join(out, ATTACHMENTS_DIR);

  writeFileSync(listFile, await listWorkbook(plan.applicants.map(listRow), { title }));
  const broken = await writeBroken(join(out, BROKEN_DIR), plan, title);

  let documents = 0;
  if (!opts.listOnly) {
    mkdirSync(attachmentsDir, { recursive: true });
    const originals = plan.documents.filter((d) => d.copyOf === null);
    await pool(originals, opts.concurrency ?? 2, async (doc: PlannedDocument) => {
      const applicant = plan.applicants[doc.applicant];
      if (!applicant) throw new Error(`no applicant for ${doc.file}`);
      const bytes = await renderDocument(doc, applicant, new Rng(hashSeed(plan.seed, 'scan', doc.file)));
      await writeFile(join(attachmentsDir, doc.file), bytes);
    });
    for (const doc of plan.documents) {
      if (doc.copyOf !== null) await copyFile(join(attachmentsDir, doc.copyOf), join(attachmentsDir, doc.file));
    }
    documents = plan.documents.length;
  }

  const truth = truthOf(plan, !opts.listOnly, broken);
  writeFileSync(join(out, TRUTH_FILE), `${JSON.stringify(truth, null, 2)}\n`);
  return {
    out,
    applicants: plan.applicants.length,
    documents,
    defects: truth.defects.length,
    listFile,
    attachmentsDir,
  };
}

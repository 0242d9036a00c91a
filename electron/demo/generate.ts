/**
 * 演示学院 — writes a synthetic Hunan vocational college the way a registrar would import it:
 * applicants.xlsx, attachments/ with scans, photos/ (the 学籍照片 the college uploads before
 * review), lists/ (the province's cross-check lists), truth.json (the deliberate defects and what
 * every scan shows) and broken/ (lists that import must refuse). Same seed → same bytes.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
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
  type PlannedPhoto,
} from './model.js';
import { addNoise, documentPhotoCanvas, portraitCanvas } from './portrait.js';
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
export const PHOTOS_DIR = 'photos';
export const LISTS_DIR = 'lists';
/** The cross-check lists as the province sends them: a GBK CSV and an xlsx with a title row. */
export const CROSS_LIST_FILES = { previous: '上年专升本考生名单.csv', admitted: '上半年已录取考生名单.xlsx' } as const;
const OWN_ENTRIES = new Set([LIST_FILE, TRUTH_FILE, ATTACHMENTS_DIR, BROKEN_DIR, PHOTOS_DIR, LISTS_DIR]);

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

/** The province's two lists: ID numbers with a name column the desk ignores. */
async function writeCrossLists(dir: string, plan: DemoPlan): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const csv = ['序号,身份证号,考试年份', ...plan.crossLists.previous.map((id, i) => `${i + 1},${id},2023`)].join('\r\n') + '\r\n';
  writeFileSync(join(dir, CROSS_LIST_FILES.previous), iconv.encode(csv, 'gb18030'));
  const rows = plan.crossLists.admitted.map((id, i) => [i + 1, id, '2024年上半年', '已录取']);
  await writeFile(join(dir, CROSS_LIST_FILES.admitted), await listWorkbook(rows, { title: '2024年上半年已被其他计划录取考生名单', header: ['序号', '身份证号', '录取批次', '状态'] }));
}

/** One photo's bytes: every random choice from its own stream, so files are byte-identical per seed. */
async function renderPhoto(p: PlannedPhoto, plan: DemoPlan, rng: Rng): Promise<Buffer> {
  const a = plan.applicants.find((x) => x.declared.idNumber === p.idNumber);
  if (!a) throw new Error(`no applicant for ${p.file}`);
  const canvas = p.content === 'document' ? documentPhotoCanvas(p.width, p.height, a, rng) : portraitCanvas(p.width, p.height, rng, a.declared.sex);
  // Grain at full quality: the JPEG comes out around 250 KB instead of 12.
  if (p.noisy) addNoise(canvas, rng, 140);
  return p.format === 'png' ? canvas.encode('png') : canvas.encode('jpeg', p.noisy ? 97 : 85);
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
  await writeCrossLists(join(out, LISTS_DIR), plan);

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
    mkdirSync(join(out, PHOTOS_DIR), { recursive: true });
    for (const p of plan.photos) await writeFile(join(out, PHOTOS_DIR, p.file), await renderPhoto(p, plan, new Rng(hashSeed(plan.seed, 'photo', p.idNumber))));
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
    photosDir: join(out, PHOTOS_DIR),
    crossLists: { previous: join(out, LISTS_DIR, CROSS_LIST_FILES.previous), admitted: join(out, LISTS_DIR, CROSS_LIST_FILES.admitted) },
  };
}

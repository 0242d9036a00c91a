/**
 * Fuzzing every parser the desk exposes to files from outside: the list readers (CSV text,
 * encodings, xlsx), the header/row parser, the attachment sniffers, zip reading, and a whole
 * import against a real workspace. The only acceptable outcomes are a result or a DeskError:
 * no other exception, no hang (each file read is raced against a timer), and a refused import
 * leaves the data exactly as it was (same data digest, no stray blobs).
 * Seeds are fixed, so a failure reproduces; inputs that once found bugs live in
 * test/fixtures/fuzz/ and run every time. DESK_LONG=1 runs ten times as many cases.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FORMAT, keyFingerprint, signManifest, type ManifestBody } from '../../../electron/export/manifest.js';
import { verifyExport } from '../../../electron/export/verify.js';
import { collectAttachments } from '../../../electron/applicants/attachments.js';
import { decodeText, parseCsv, readList } from '../../../electron/applicants/readList.js';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import { BlobStore } from '../../../electron/documents/blobs.js';
import { dataDigest } from '../../../electron/backup/backup.js';
import { readHeader } from '../../../electron/sync/codec.js';
import { workspaceKey } from '../../../electron/workspace/keys.js';
import { DeskError } from '../../../shared/api/index.js';
import { parseApplicantSheet, type Sheet } from '../../../shared/import/parse.js';
import { documentKindInName, idNumberInName, sniffType } from '../../../shared/import/sniff.js';
import { tempDir } from '../../fixtures/tmp.js';
import { idNumber, listCsv } from './lists.js';

const LONG = process.env.DESK_LONG === '1';
const runs = (n: number): number => (LONG ? n * 10 : n);
/** Per-test limit for the file properties: generous, since a hang is caught per case by HANG_MS. */
const SLOW = LONG ? 3_000_000 : 300_000;
const FIXTURES = new URL('../../fixtures/fuzz/', import.meta.url);
/** A file read that takes longer than this is a hang (the slowest real list reads in well under a second). */
const HANG_MS = 10_000;
/**
 * FIXED in 336d5ba (electron/applicants/readList.ts): the streaming xlsx reader never settled
 * on an archive with a corrupt deflate stream (fixture xlsx-stall-corrupt-deflate.xlsx; one in a
 * few hundred random byte flips hits it). While true, mutated xlsx files are left out of the
 * properties below (each would cost the full hang timer) and the fixture runs as `it.fails`.
 * Set to false once readList refuses such a file: the properties then cover xlsx again.
 */
const XLSX_STALL_OPEN = false;
/**
 * FIXED (electron/sync/codec.ts readHeader): a bundle whose header is valid JSON
 * but not an object (`null`, a number, an array…) crashes with a TypeError ('internal') instead of
 * 'bundle_tampered' (fixture sync-header-null.zsb). While true, the header property generates
 * objects only. Set to false once fixed.
 */
const SYNC_HEADER_OPEN = false;
/**
 * FIXED (electron/export/verify.ts): verifyExport threw a raw EISDIR instead of
 * a DeskError when a manifest entry names a folder inside the export folder (fixture
 * export-manifest-dir-entry.json). While true, the property below does not list the folder. Set to
 * false once fixed. (Its sibling, a manifest without `counts`, was fixed in f298a2a.)
 */
const EXPORT_VERIFY_OPEN = false;
const KNOWN_OPEN = new Set([
  ...(EXPORT_VERIFY_OPEN ? ['export-manifest-dir-entry.json'] : []),
  ...(XLSX_STALL_OPEN ? ['xlsx-stall-corrupt-deflate.xlsx'] : []),
  ...(SYNC_HEADER_OPEN ? ['sync-header-null.zsb'] : []),
]);

let root = '';
let cleanup = (): void => undefined;
let counter = 0;
beforeAll(() => {
  const t = tempDir('desk-fuzz-');
  root = t.dir;
  cleanup = t.cleanup;
  process.env.DESK_HOME = join(root, 'home 张老师');
  process.env.DESK_LOG = 'off';
});
const cleanupDesk: Desk[] = [];
afterAll(() => {
  for (const d of cleanupDesk) d.close();
  cleanup();
});

/** Cases run per property, for the report. */
const ran: Record<string, number> = {};
const count = (name: string): void => void (ran[name] = (ran[name] ?? 0) + 1);
afterAll(() => console.info(`fuzz cases: ${JSON.stringify(ran)}`));

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HANG: ${what} did not settle in ${HANG_MS} ms`)), HANG_MS);
  });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

/** Resolves to 'ok' or the DeskError code; anything else fails the property. */
async function outcome(p: Promise<unknown>, what: string): Promise<string> {
  try {
    await withTimeout(p, what);
    return 'ok';
  } catch (e) {
    if (e instanceof DeskError) return e.code;
    throw new Error(`${what}: not a DeskError: ${(e as Error).stack ?? String(e)}`, { cause: e });
  }
}

async function validXlsx(n: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('考生名单');
  for (const line of listCsv(n, 0).trim().split('\r\n')) ws.addRow(line.split(','));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Byte-level mutations of a valid file: flips, overwrites, truncation, duplication of a slice. */
const mutation = fc.record({
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
  truncate: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  dup: fc.option(fc.tuple(fc.nat(), fc.nat({ max: 4096 })), { nil: undefined }),
});
function mutate(src: Buffer, m: { flips: [number, number][]; truncate: number | undefined; dup: [number, number] | undefined }): Buffer {
  let b = Buffer.from(src);
  for (const [at, v] of m.flips) if (b.length > 0) b[at % b.length] = v;
  if (m.dup && b.length > 0) {
    const at = m.dup[0] % b.length;
    b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + m.dup[1]), b.subarray(at)]);
  }
  if (m.truncate !== undefined) b = b.subarray(0, Math.floor(b.length * m.truncate));
  return b;
}

function write(name: string, bytes: Uint8Array | string): string {
  const dir = join(root, `输入 ${++counter}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const csvPiece = fc.oneof(
  fc.constantFrom(',', '"', '""', '\n', '\r\n', '\r', '\t', ';', '\u0000', '\ufeff', '姓名', '身份证号', '报考类别', '序号', '普通计划', '退役士兵', '2021年9月', '４３０１', '４３０１０２１９９９０１０１００１Ｘ'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer({ min: 0, max: 2000 }).map((i) => idNumber(i)),
);
const csvText = fc.array(csvPiece, { maxLength: 200 }).map((a) => a.join(''));

describe('fuzz: pure parsers', () => {
  it('parseCsv returns rows of strings for any text', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        count('parseCsv');
        const { rows, sep } = parseCsv(text);
        expect([',', '\t', ';']).toContain(sep);
        for (const r of rows) for (const c of r) expect(typeof c).toBe('string');
      }),
      { seed: 20261126, numRuns: runs(3000) },
    );
  });

  it('decodeText returns text for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        count('decodeText');
        const { text, encoding } = decodeText(Buffer.from(bytes));
        expect(typeof text).toBe('string');
        expect(encoding.length).toBeGreaterThan(0);
      }),
      { seed: 11, numRuns: runs(3000) },
    );
  });

  it('parseApplicantSheet returns applicants or row-precise problems for any sheet', () => {
    const cell = fc.oneof(
      { weight: 3, arbitrary: csvPiece },
      { weight: 1, arbitrary: fc.constantFrom('性别', '手机号', '专科学校', '毕业年份', '入伍时间', '退役时间', '附件', '考生号', '男', '女', '45123', '4.30102199901011E+17') },
    ).chain((text) => fc.record({ text: fc.constant(text), numeric: fc.boolean() }));
    const sheet = fc.record({
      header: fc.shuffledSubarray(['序号', '姓名', '身份证号', '报考类别', '手机号', '专科学校', '入伍时间', '附件', '姓名'], { minLength: 0 }),
      rows: fc.array(fc.array(cell, { maxLength: 12 }), { maxLength: 40 }),
      title: fc.boolean(),
    });
    fc.assert(
      fc.property(sheet, ({ header, rows, title }) => {
        count('parseApplicantSheet');
        const all = [...(title ? [[{ text: '2026年专升本考生名单' }]] : []), header.map((text) => ({ text })), ...rows];
        const s: Sheet = { file: '名单.xlsx', sheet: 'Sheet1', rows: all.map((cells, i) => ({ row: i + 1, cells })) };
        const r = parseApplicantSheet(s);
        for (const p of [...r.errors, ...r.warnings]) expect(typeof p.message).toBe('string');
        if (r.errors.length === 0) for (const a of r.applicants) expect(a.declared.idNumber.length).toBeGreaterThan(0);
      }),
      { seed: 4301, numRuns: runs(1500) },
    );
  });

  it('the attachment sniffers classify any bytes and any name', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 80 }), (head, name) => {
        count('sniff');
        const t = sniffType(head);
        expect(typeof t.ok).toBe('boolean');
        const id = idNumberInName(name);
        if (id !== null) expect(id).toMatch(/^\d{17}[\dX]$/);
        expect(typeof documentKindInName(name)).toBe('string');
      }),
      { seed: 64, numRuns: runs(5000) },
    );
  });
});

describe('fuzz: list files', () => {
  let xlsx: Buffer;
  beforeAll(async () => {
    xlsx = await validXlsx(30);
  });

  it('readList gives a sheet or a DeskError for random bytes under any list extension', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4000 }), fc.constantFrom('名单.csv', '名单.xlsx', '名单.txt', '名单.tsv', '名单.xls', '名单'), async (bytes, name) => {
        count('readList random');
        await outcome(readList(write(name, bytes)), `readList(${name})`);
      }),
      { seed: 7, numRuns: runs(150) },
    );
  }, SLOW);

  it('readList gives a sheet or a DeskError for mutated xlsx and csv lists', async () => {
    const csv = Buffer.from('\ufeff' + listCsv(30, 0));
    await fc.assert(
      fc.asyncProperty(mutation, XLSX_STALL_OPEN ? fc.constant(false) : fc.boolean(), async (m, asXlsx) => {
        count('readList mutated');
        const bytes = mutate(asXlsx ? xlsx : csv, m);
        await outcome(readList(write(asXlsx ? '名单.xlsx' : '名单.csv', bytes)), `readList(mutated ${asXlsx ? 'xlsx' : 'csv'})`);
      }),
      { seed: 8, numRuns: runs(150) },
    );
  }, SLOW);
});

describe('fuzz: zip attachments', () => {
  it('collectAttachments gives a result or a DeskError for mutated and random archives, and leaves no blob behind when refused', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% 退役证\n' + 'x'.repeat(2000));
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3000, 7)]);
    const ids = new Set([idNumber(1), idNumber(2)]);
    const zip = Buffer.from(
      zipSync({
        [`${idNumber(1)} 张伟/退役证.pdf`]: pdf,
        [`${idNumber(2)}_毕业证.png`]: png,
        [`${idNumber(2)}_照片.png`]: [png, { level: 0 }],
      }),
    );
    const { dir: blobRoot, cleanup: done } = tempDir('desk-fuzz-blobs-');
    const blobs = new BlobStore(join(blobRoot, 'blobs'));
    /** The stored blobs' hashes (empty fan-out folders left by a removal do not count). */
    const stored = (): string[] => {
      try {
        return readdirSync(blobs.root, { recursive: true }).map((p) => String(p).replace(/[\\/]/, '')).filter((h) => /^[0-9a-f]{64}$/.test(h)).sort();
      } catch {
        return [];
      }
    };
    try {
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutation.map((m) => mutate(zip, m)), fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b))), async (bytes) => {
          count('zip');
          const before = stored();
          const path = write('附件 材料.zip', bytes);
          const res = await outcome(collectAttachments(path, blobs, { ids }), 'collectAttachments');
          if (res !== 'ok') expect(stored(), 'a refused archive left blobs').toEqual(before);
          // Blobs this run stored are removed again, so every case starts from the same store.
          else blobs.remove(stored().filter((h) => !before.includes(h)));
        }),
        { seed: 99, numRuns: runs(120) },
      );
    } finally {
      done();
    }
  }, SLOW);
});

describe('fuzz: import into a real workspace', () => {
  let desk: Desk;
  beforeAll(async () => {
    desk = createDesk(join(root, '工作区 模糊'), { create: true, college: '测试学院' });
    const res = await desk.dispatch('import.run', { listPath: write('名单.csv', '\ufeff' + listCsv(30, 0)) });
    expect(res.ok).toBe(true);
    await desk.dispatch('decisions.record', { idNumber: idNumber(3), decision: 'approve', reviewer: '李老师' });
  });
  afterAll(() => desk.close());

  it('a refused import leaves the data digest unchanged; an accepted one leaves a sound database', async () => {
    const csv = Buffer.from('\ufeff' + listCsv(30, 0));
    const xlsx = await validXlsx(30);
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutation.chain((m) => fc.constantFrom(['名单.csv', mutate(csv, m)] as const, ...(XLSX_STALL_OPEN ? [] : [['名单.xlsx', mutate(xlsx, m)] as const]))),
          fc.tuple(fc.constantFrom('名单.csv', '名单.xlsx'), fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b))),
          csvText.map((t) => ['名单.csv', Buffer.from(t)] as const),
          // Valid lists (a subset of the rows, a changed phone) so the accepted path is fuzzed too.
          fc.tuple(fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), fc.integer({ min: 0, max: 29 })).map(([keep, changed]) => {
            const [head, ...rows] = listCsv(30, 0).trim().split('\r\n');
            const kept = rows.filter((_, i) => keep[i] || i === changed).map((r, i) => (i === 0 ? r.replace(/,1\d{10},/, ',13900000000,') : r));
            return ['名单.csv', Buffer.from('\ufeff' + [head, ...kept].join('\r\n'))] as const;
          }),
        ),
        async ([name, bytes]) => {
          count('import');
          const db = desk.ctx.ws().db;
          const before = dataDigest(db);
          const res = await withTimeout(desk.dispatch('import.run', { listPath: write(name, bytes) }), 'import.run');
          const code = res.ok ? 'ok' : res.error.code;
          codes.set(code, (codes.get(code) ?? 0) + 1);
          expect(code, res.ok ? '' : res.error.message).not.toBe('internal');
          if (!res.ok) expect(dataDigest(db)).toBe(before);
          else expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        },
      ),
      { seed: 2026, numRuns: runs(60) },
    );
    console.info(`import outcomes: ${JSON.stringify(Object.fromEntries(codes))}`);
  }, SLOW);
});

describe('fuzz: sync bundles', () => {
  it('a mutated, truncated or random bundle is merged or refused with a DeskError, and a refusal changes nothing', async () => {
    const w1 = join(root, '同步 甲');
    const passphrase = '同步 口令 模糊 2026';
    const first = createDesk(w1, { create: true, college: '测试学院' });
    cleanupDesk.push(first);
    expect((await first.dispatch('import.run', { listPath: write('名单.csv', '\ufeff' + listCsv(20, 0)) })).ok).toBe(true);
    const cloned = await first.dispatch('workspace.clone', { out: join(root, '同步 乙') });
    expect(cloned.ok, cloned.ok ? '' : cloned.error.message).toBe(true);
    const second = createDesk(join(root, '同步 乙'));
    cleanupDesk.push(second);
    for (let i = 0; i < 5; i++) await second.dispatch('decisions.record', { idNumber: idNumber(i), decision: 'approve', reviewer: '王老师' });
    const out = join(root, '同步包.zsb');
    const exported = await second.dispatch('sync.export', { out, passphrase });
    expect(exported.ok, exported.ok ? '' : exported.error.message).toBe(true);
    const bundle = readFileSync(out);
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 3, arbitrary: mutation.map((m) => mutate(bundle, m)) },
          { weight: 1, arbitrary: fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.concat([bundle.subarray(0, 8), Buffer.from(b)])) },
          {
            weight: 1,
            arbitrary: (SYNC_HEADER_OPEN ? fc.dictionary(fc.string(), fc.jsonValue()) : fc.jsonValue()).map((h) => {
              const header = Buffer.from(JSON.stringify(h));
              const len = Buffer.alloc(4);
              len.writeUInt32BE(header.length);
              return Buffer.concat([bundle.subarray(0, 8), len, header, bundle.subarray(bundle.length - 64)]);
            }),
          },
        ),
        async (bytes) => {
          count('sync bundle');
          const db = first.ctx.ws().db;
          const before = dataDigest(db);
          const res = await withTimeout(first.dispatch('sync.import', { file: write('同步包.zsb', bytes), passphrase }), 'sync.import');
          const code = res.ok ? 'ok' : res.error.code;
          codes.set(code, (codes.get(code) ?? 0) + 1);
          expect(code, res.ok ? '' : res.error.message).not.toBe('internal');
          if (!res.ok) expect(dataDigest(db)).toBe(before);
          else expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        },
      ),
      { seed: 5150, numRuns: runs(60) },
    );
    console.info(`sync import outcomes: ${JSON.stringify(Object.fromEntries(codes))}`);
  }, SLOW);
});

describe('fuzz: export manifests (verify)', () => {
  it('verifyExport gives a report or a DeskError for any manifest, signed or not', async () => {
    const ws = createDesk(join(root, '导出 密钥'), { create: true });
    cleanupDesk.push(ws);
    const key = workspaceKey(ws.ctx.ws());
    const dir = join(root, '导出 目录');
    mkdirSync(join(dir, '子目录'), { recursive: true });
    const table = Buffer.from('%PDF-1.4\n审核表\n');
    writeFileSync(join(dir, '审核表.pdf'), table);
    writeFileSync(join(dir, '审核表.xlsx'), 'PK\u0003\u0004 not really');
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    const fileEntry = fc.oneof(
      fc.constant({ name: '审核表.pdf', sha256: sha(table), size: table.length }),
      ...(EXPORT_VERIFY_OPEN ? [] : [fc.constant({ name: '子目录', sha256: sha(Buffer.alloc(0)), size: 0 })]),
      fc.record({ name: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('../审核表.pdf', 'manifest.json', '审核表.xlsx', '\u0000', '..')), sha256: fc.string(), size: fc.integer() }),
      fc.anything(),
    );
    const body = fc.record(
      {
        format: fc.oneof(fc.constant(MANIFEST_FORMAT), fc.anything()),
        exportId: fc.oneof(fc.uuid(), fc.anything()),
        table: fc.string(), year: fc.integer(), title: fc.string(), college: fc.string(),
        draft: fc.oneof(fc.boolean(), fc.anything()),
        counts: fc.oneof(fc.constant({ rows: 1, byDecision: {}, byCategory: {} }), fc.anything()),
        dataSha256: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), fc.anything()),
        files: fc.oneof(fc.array(fileEntry, { maxLength: 4 }), fc.anything()),
        pdfSigner: fc.oneof(fc.constant(null), fc.string()),
        publicKey: fc.oneof(fc.constant(key.publicKeyPem), fc.string()),
        keyFingerprint: fc.oneof(fc.constant(keyFingerprint(key.publicKeyPem)), fc.string()),
      },
      { requiredKeys: [] },
    );
    const manifestText = fc.oneof(
      { weight: 3, arbitrary: body.map((b) => JSON.stringify(signManifest(b as unknown as ManifestBody, key))) },
      { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    );
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(manifestText, (text) => {
        count('export manifest');
        writeFileSync(join(dir, 'manifest.json'), text);
        let code = 'ok';
        try {
          verifyExport(dir);
        } catch (e) {
          if (!(e instanceof DeskError)) throw new Error(`verifyExport: not a DeskError for manifest ${text.slice(0, 400)}`, { cause: e });
          code = e.code;
        }
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }),
      { seed: 314, numRuns: runs(400) },
    );
    console.info(`verify outcomes: ${JSON.stringify(Object.fromEntries(codes))}`);
  });
});

describe('fuzz regressions (inputs that once found a bug)', () => {
  const dir = new URL('./', FIXTURES);
  const cases = (() => {
    try {
      return readdirSync(dir).filter((n) => !n.endsWith('.md'));
    } catch {
      return [];
    }
  })();
  const check = async (name: string): Promise<void> => {
    const bytes = readFileSync(new URL(name, dir));
    const path = write(name.replace(/^[^.]*\./, '名单.'), bytes);
    if (name.endsWith('.json')) {
      // An export folder holding just this manifest (and a subfolder, for the folder-entry case).
      const exportDir = join(root, `导出 回归 ${++counter}`);
      mkdirSync(join(exportDir, ...(name.includes('dir-entry') ? ['子目录'] : [])), { recursive: true });
      writeFileSync(join(exportDir, 'manifest.json'), bytes);
      await outcome(Promise.resolve().then(() => verifyExport(exportDir)), name);
    } else if (name.endsWith('.zsb')) await outcome(Promise.resolve().then(() => readHeader(bytes)), name);
    else if (name.endsWith('.zip')) await outcome(collectAttachments(path, new BlobStore(join(root, 'blobs-regress')), { ids: new Set() }), name);
    else await outcome(readList(path), name);
  };
  for (const name of cases) {
    if (KNOWN_OPEN.has(name)) it.fails(`${name}: open bug, still hangs or crashes`, () => check(name), HANG_MS * 2);
    else it(`${name}: a result or a DeskError`, () => check(name), HANG_MS * 2);
  }
});

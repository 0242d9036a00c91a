/**
 * The import wizard protects decisions (issue 15): the dry run judges the attachments as the
 * import would (matches, types, zip safety) without storing a byte, and a list that would take
 * applicants with a decision off the list is refused — nothing written, no scan stored — unless
 * the importer confirms how many.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importList } from '../../../electron/applicants/importService.js';
import type { Workspace } from '../../../electron/workspace/workspace.js';
import { DeskError } from '../../../shared/api/index.js';
import { deskOf } from '../../fixtures/workspace.js';
import { csv, fingerprint, HEADER, HEIC, JPEG, makeZip, newWorkspace, PDF, PNG, row, tempDir, validId } from './helpers.js';

let ws: Workspace | null = null;
afterEach(() => ws?.close());

async function refusal(p: Promise<unknown>): Promise<DeskError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeskError) return e;
    throw e;
  }
  throw new Error('the import was accepted');
}

describe('the dry run looks at the attachments too', () => {
  it('reports matches, types and skipped files as the import would, and stores nothing', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = join(dir, 'list.csv');
    writeFileSync(list, csv([HEADER, row(1), row(2), row(3)]));
    const att = join(dir, 'att');
    mkdirSync(join(att, `${validId(2)}张三`), { recursive: true });
    writeFileSync(join(att, `${validId(1)}_毕业证.jpg`), PDF);
    writeFileSync(join(att, `${validId(2)}张三`, '退役证.jpeg'), JPEG);
    writeFileSync(join(att, `${validId(3)}_获奖证书.heic`), HEIC);
    writeFileSync(join(att, '不知道是谁的.pdf'), PDF);
    writeFileSync(join(att, `${validId(3)}_说明.txt`), 'hello');
    writeFileSync(join(att, `${validId(3)}_空.pdf`), '');
    const before = fingerprint(ws);
    const dry = await importList(ws, { listPath: list, attachmentsPath: att, dryRun: true });
    expect(fingerprint(ws)).toEqual(before);
    expect({ added: dry.added, documents: dry.documents, attachments: dry.attachments }).toEqual({ added: 3, documents: 2, attachments: { files: 6, accepted: 2 } });
    const codes = (r: typeof dry): string[][] => r.warnings.map((w) => [w.code, w.file]).sort();
    // The import itself finds exactly the same.
    const real = await importList(ws, { listPath: list, attachmentsPath: att });
    expect(codes(dry)).toEqual(codes(real));
    expect(codes(dry).map(([c]) => c)).toEqual(['attachment_empty', 'attachment_extension_mismatch', 'attachment_heic', 'attachment_type', 'attachment_unmatched'].sort());
    expect({ documents: real.documents, attachments: real.attachments }).toEqual({ documents: 2, attachments: { files: 6, accepted: 2 } });
  });

  it('refuses an unsafe or bomb-like zip in the dry run with the code the import gives, storing nothing', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = join(dir, 'list.csv');
    writeFileSync(list, csv([HEADER, row(1)]));
    const unsafe = join(dir, '越界.zip');
    writeFileSync(unsafe, makeZip([{ name: `../${validId(1)}_毕业证.pdf`, data: PDF }]));
    const bomb = join(dir, '炸弹.zip');
    writeFileSync(bomb, makeZip([{ name: `${validId(1)}_毕业证.pdf`, data: Buffer.alloc(4 * 2 ** 20), deflate: true }]));
    const fine = join(dir, '附件.zip');
    writeFileSync(fine, makeZip([{ name: `${validId(1)}_毕业证.png`, data: PNG, deflate: true }, { name: '谁的.pdf', data: PDF }]));
    const before = fingerprint(ws);
    for (const [zip, code] of [[unsafe, 'zip_unsafe_entry'], [bomb, 'zip_bomb']] as const) {
      const e = await refusal(importList(ws, { listPath: list, attachmentsPath: zip, dryRun: true }));
      expect(e.code).toBe('import_refused');
      expect((e.details as { code: string }[])[0]?.code).toBe(code);
      const real = await refusal(importList(ws, { listPath: list, attachmentsPath: zip }));
      expect((real.details as { code: string }[])[0]?.code).toBe(code);
    }
    const ok = await importList(ws, { listPath: list, attachmentsPath: fine, dryRun: true });
    expect({ documents: ok.documents, attachments: ok.attachments, codes: ok.warnings.map((w) => w.code) }).toEqual({ documents: 1, attachments: { files: 2, accepted: 1 }, codes: ['attachment_unmatched'] });
    expect(fingerprint(ws)).toEqual(before);
  });
});

describe('a re-import that would withdraw decided applicants', () => {
  it('is counted by the dry run and refused until the importer confirms that number', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const v1 = join(dir, 'v1.csv');
    writeFileSync(v1, csv([HEADER, row(1), row(2), row(3), row(4)]));
    await importList(ws, { listPath: v1 });
    const call = deskOf(ws);
    for (const n of [2, 3]) expect(await call('decisions.record', { idNumber: validId(n), decision: 'approve', note: '已核实', reviewer: '李老师' })).toMatchObject({ ok: true });

    // v2 drops 2 and 3 (decided) and 4 (undecided), and brings a scan for 1.
    const v2 = join(dir, 'v2.csv');
    writeFileSync(v2, csv([HEADER, row(1)]));
    const att = join(dir, 'att');
    mkdirSync(att);
    writeFileSync(join(att, `${validId(1)}_毕业证.png`), PNG);
    const dry = await importList(ws, { listPath: v2, attachmentsPath: att, dryRun: true });
    expect({ withdrawn: dry.withdrawn, withdrawnDecided: dry.withdrawnDecided }).toEqual({ withdrawn: 3, withdrawnDecided: 2 });

    const before = fingerprint(ws);
    for (const confirm of [undefined, 0, 1, 3]) {
      const e = await refusal(importList(ws, { listPath: v2, attachmentsPath: att, confirmWithdrawDecided: confirm }));
      expect(e.code).toBe('withdraw_decided_unconfirmed');
      expect(e.message).toContain('2 名已有审核结论的考生');
      expect(e.details).toEqual({ withdrawnDecided: 2, confirmed: confirm ?? null });
    }
    // Nothing written, not even a scan.
    expect(fingerprint(ws)).toEqual(before);
    // Through the contract as the wizard calls it, with the number it showed.
    const res = await call('import.run', { listPath: v2, attachmentsPath: att, confirmWithdrawDecided: 2 });
    expect(res).toMatchObject({ ok: true, value: { withdrawn: 3, withdrawnDecided: 2, documents: 1 } });
    // The decisions stay in the log; the applicants are off the list.
    for (const n of [2, 3]) expect(await call('decisions.history', { idNumber: validId(n) })).toMatchObject({ ok: true, value: { status: 'approve' } });
    const queue = await call('review.queue', {});
    expect(queue.ok && queue.value.rows.map((r) => r.idNumber)).toEqual([validId(1)]);
  });

  it('needs no confirmation when only undecided applicants leave the list', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const v1 = join(dir, 'v1.csv');
    writeFileSync(v1, csv([HEADER, row(1), row(2)]));
    await importList(ws, { listPath: v1 });
    const v2 = join(dir, 'v2.csv');
    writeFileSync(v2, csv([HEADER, row(1)]));
    const r = await importList(ws, { listPath: v2 });
    expect({ withdrawn: r.withdrawn, withdrawnDecided: r.withdrawnDecided }).toEqual({ withdrawn: 1, withdrawnDecided: 0 });
  });
});

describe('import warnings speak Chinese', () => {
  it('names an ID number problem in words, never by its code', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = join(dir, 'list.csv');
    const bad = `${validId(1).slice(0, 17)}${validId(1)[17] === '0' ? '1' : '0'}`;
    writeFileSync(list, csv([HEADER, row(1, { 身份证号: bad })]));
    const r = await importList(ws, { listPath: list });
    const w = r.warnings.find((x) => x.code === 'id_number_invalid');
    expect(w?.message).toContain('第 18 位校验位不正确');
    expect(w?.message).not.toMatch(/check_digit|[a-z]_[a-z]/);
  });
});

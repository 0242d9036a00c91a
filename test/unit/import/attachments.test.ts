import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { importList } from '../../../electron/applicants/importService.js';
import type { Workspace } from '../../../electron/workspace/workspace.js';
import { csv, HEADER, HEIC, JPEG, makeZip, newWorkspace, PDF, PNG, row, tempDir, validId } from './helpers.js';

let ws: Workspace | null = null;
afterEach(() => ws?.close());

const docs = (w: Workspace): { id_number: string; kind: string; original_name: string; mime: string }[] =>
  w.db.prepare('SELECT d.id_number, d.kind, d.original_name, b.mime FROM documents d JOIN blobs b USING (sha256) ORDER BY d.original_name').all() as never;

describe('attachments', () => {
  it('matches a folder by ID number in file or folder name, types by magic bytes, and lists what it skipped', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = join(dir, 'list.csv');
    writeFileSync(list, csv([HEADER, row(1), row(2), row(3)]));
    const att = join(dir, 'att');
    mkdirSync(join(att, `${validId(2)}张三`), { recursive: true });
    writeFileSync(join(att, `${validId(1)}_毕业证.jpg`), PDF); // a PDF named .jpg
    writeFileSync(join(att, `${validId(1).toLowerCase().replace(/\d/, (d) => String.fromCharCode(0xff10 + Number(d)))}_照片.png`), PNG);
    writeFileSync(join(att, `${validId(2)}张三`, '退役证.jpeg'), JPEG);
    writeFileSync(join(att, `${validId(3)}_获奖证书.heic`), HEIC);
    writeFileSync(join(att, '不知道是谁的.pdf'), PDF);
    writeFileSync(join(att, `${validId(99)}_毕业证.pdf`), PDF);
    writeFileSync(join(att, `${validId(3)}_说明.txt`), 'hello');
    writeFileSync(join(att, `${validId(3)}_空.pdf`), '');
    writeFileSync(join(att, '.DS_Store'), 'mac');
    symlinkSync('/etc/hostname', join(att, `${validId(3)}_链接.pdf`));
    const r = await importList(ws, { listPath: list, attachmentsPath: att });
    expect(r.documents).toBe(3);
    expect(docs(ws).map((d) => [d.id_number, d.kind, d.mime])).toEqual([
      [validId(1), 'diploma', 'application/pdf'],
      [validId(2), 'discharge_cert', 'image/jpeg'],
      [validId(1), 'photo', 'image/png'], // its name is in full-width digits, sorted last
    ]);
    expect(r.warnings.map((w) => [w.code, w.file]).sort()).toEqual([
      ['attachment_empty', `${validId(3)}_空.pdf`],
      ['attachment_extension_mismatch', `${validId(1)}_毕业证.jpg`],
      ['attachment_heic', `${validId(3)}_获奖证书.heic`],
      ['attachment_symlink', `${validId(3)}_链接.pdf`],
      ['attachment_type', `${validId(3)}_说明.txt`],
      ['attachment_unmatched', `${validId(99)}_毕业证.pdf`],
      ['attachment_unmatched', '不知道是谁的.pdf'],
    ].sort());
    expect(r.warnings.find((w) => w.code === 'attachment_heic')?.message).toContain(`${validId(3)}_获奖证书.heic`);
    // Stored by content inside the workspace.
    const sha = createHash('sha256').update(PDF).digest('hex');
    expect(ws.blobs.has(sha)).toBe(true);
  });

  it('reads a zip streaming, with GBK entry names, nested folders and Mac debris', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = join(dir, 'list.csv');
    writeFileSync(list, csv([HEADER, row(1), row(2)]));
    const zip = join(dir, '附件.zip');
    writeFileSync(zip, makeZip([
      { name: '材料/', data: Buffer.alloc(0) },
      { name: iconv.encode(`材料/${validId(1)}_退役证.pdf`, 'gbk'), data: PDF, deflate: true },
      { name: `材料/${validId(2)}/部队证明.png`, data: PNG, utf8: true },
      { name: `__MACOSX/材料/._${validId(2)}.png`, data: Buffer.from('junk') },
    ]));
    const r = await importList(ws, { listPath: list, attachmentsPath: zip });
    expect(docs(ws).map((d) => [d.original_name, d.kind, d.mime])).toEqual([
      [`材料/${validId(1)}_退役证.pdf`, 'discharge_cert', 'application/pdf'],
      [`材料/${validId(2)}/部队证明.png`, 'unit_cert', 'image/png'],
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('matches by 考生号 when the list has that column', async () => {
    ws = newWorkspace();
    const dir = tempDir();
    const list = join(dir, 'list.csv');
    writeFileSync(list, csv([['考生号', ...HEADER], ['24430101150001', ...row(1)], ['24430101150002', ...row(2)]]));
    const att = join(dir, 'att');
    mkdirSync(att);
    writeFileSync(join(att, '24430101150002_毕业证.pdf'), PDF);
    writeFileSync(join(att, '24430101159999_毕业证.pdf'), JPEG);
    const r = await importList(ws, { listPath: list, attachmentsPath: att });
    expect(docs(ws).map((d) => [d.id_number, d.kind])).toEqual([[validId(2), 'diploma']]);
    expect(r.warnings.map((w) => [w.code, w.file])).toEqual([['attachment_unmatched', '24430101159999_毕业证.pdf']]);
  });
});

/**
 * Files as handles: what the registry accepts for each kind, the dispatcher turning a handle of
 * the right kind into a path (and refusing the wrong kind, an unknown handle and — when asked —
 * a raw path), the CLI's paths becoming handles, and FILE_ARGS covering every path-like field of
 * the contract.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import { FileRegistry } from '../../../electron/app/files.js';
import { apiArgs, FILE_ARGS, FILE_KINDS } from '../../../shared/api/index.js';
import { applicantFor, listCsv, tempDir } from '../../fixtures/workspace.js';

describe('file handle registry', () => {
  const t = tempDir();
  const list = join(t.dir, '考生名单.csv');
  const att = join(t.dir, '附件');
  let ws: string | null = null;
  const reg = new FileRegistry({ workspaceDir: () => ws, home: () => join(t.dir, 'home') });
  beforeAll(() => {
    writeFileSync(list, listCsv([applicantFor(0)]));
    mkdirSync(att);
  });
  afterAll(() => {
    reg.dispose();
    t.cleanup();
  });

  it('registers what the user chose, checked against its kind, and tells only the name', () => {
    const h = reg.register(list, 'list', 'picked');
    expect(h).toMatchObject({ kind: 'list', name: '考生名单.csv', folder: false, origin: 'picked' });
    expect(h.handle).toMatch(/^h_[A-Za-z0-9_-]{24}$/);
    expect(JSON.stringify(h)).not.toContain(t.dir);
    expect(reg.resolve({ handle: h.handle }, ['list'])).toBe(list);
    expect(reg.register(att, 'attachments', 'dropped')).toMatchObject({ folder: true });
  });

  it('refuses a path that is not what the kind needs, naming the problem', () => {
    const code = (f: () => unknown): string => {
      try {
        f();
        return 'none';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code(() => reg.register(att, 'list', 'picked'))).toBe('file_kind_mismatch');
    expect(code(() => reg.register(list, 'p12', 'picked'))).toBe('file_kind_mismatch');
    expect(code(() => reg.register(join(t.dir, 'nope.xlsx'), 'list', 'typed'))).toBe('file_missing');
    expect(code(() => reg.register('名单.xlsx', 'list', 'typed'))).toBe('file_path_relative');
    expect(code(() => reg.register(join(t.dir, '没有', '导出'), 'exportFolder', 'picked'))).toBe('file_missing');
    // A save dialog names something new in an existing folder: fine.
    expect(reg.register(join(t.dir, '新导出'), 'exportFolder', 'picked')).toMatchObject({ folder: true });
  });

  it('refuses an unknown handle and a handle of another kind', () => {
    const h = reg.register(list, 'list', 'picked');
    expect(() => reg.resolve({ handle: 'h_AAAAAAAAAAAAAAAAAAAAAAAA' }, ['list'])).toThrow(/失效/);
    expect(() => reg.resolve({ handle: h.handle }, ['p12'])).toThrow(expect.objectContaining({ code: 'file_kind_mismatch' }));
  });

  it('makes output locations under the open workspace (exports kept, downloads removed on dispose)', () => {
    const r2 = new FileRegistry({ workspaceDir: () => ws, home: () => join(t.dir, 'home') });
    expect(() => r2.output('exportFolder', '免试')).toThrow(expect.objectContaining({ code: 'no_workspace' }));
    ws = join(t.dir, 'ws');
    mkdirSync(ws, { recursive: true });
    const out = r2.output('exportFolder', '免试 审核表');
    expect(r2.pathOf(out.handle)).toBe(join(ws, '导出', '免试 审核表'));
    // A second one of the same name does not overwrite the first.
    mkdirSync(r2.pathOf(out.handle));
    expect(r2.pathOf(r2.output('exportFolder', '免试 审核表').handle)).toBe(join(ws, '导出', '免试 审核表-2'));
    const bundle = r2.output('bundleOut', '../../逃出去');
    expect(bundle.name).toBe('_.._逃出去.zsbsync');
    expect(r2.pathOf(bundle.handle).startsWith(join(ws, 'outbox'))).toBe(true);
    // The suggestion stays one name: nothing of it climbs out of the outbox.
    expect(basename(r2.pathOf(bundle.handle))).toBe(bundle.name);
    expect(() => r2.output('list')).toThrow(expect.objectContaining({ code: 'file_kind_mismatch' }));
    const outbox = join(ws, 'outbox');
    r2.dispose();
    expect(existsSync(join(ws, '导出', '免试 审核表'))).toBe(true);
    expect(existsSync(outbox) ? readdirSync(outbox) : []).toEqual([]);
  });

  it('takes uploads of a file or a folder into the inbox, never outside it', () => {
    // No college open (joining one from an uploaded bundle): the installation's inbox.
    ws = null;
    const up = reg.beginUpload('list', '名单.xlsx');
    writeFileSync(up.partPath, 'x');
    renameSync(up.partPath, up.partPath.slice(0, -5));
    const h = up.commit(1);
    expect(h).toMatchObject({ kind: 'list', name: '名单.xlsx', origin: 'uploaded', bytes: 1 });
    expect(reg.pathOf(h.handle).startsWith(join(t.dir, 'home', 'inbox'))).toBe(true);
    // A folder: the first file makes the folder's handle, the others go into it.
    const first = reg.beginUpload('attachments', '附件/4301/退役证.jpg');
    writeFileSync(first.partPath, 'ab');
    const folder = first.commit(2);
    expect(folder).toMatchObject({ folder: true, name: '附件', bytes: 2 });
    const second = reg.beginUpload('attachments', '附件/4302/毕业证.pdf', folder.handle);
    expect(second.partPath.startsWith(reg.pathOf(folder.handle))).toBe(true);
    for (const bad of ['../x.csv', '附件/../../x.jpg', 'a\\b.csv', '/etc/passwd', 'C:x.csv', '附件//x.jpg']) {
      expect(() => reg.beginUpload('attachments', bad, folder.handle), bad).toThrow();
    }
    expect(() => reg.beginUpload('attachments', '别的/x.jpg', folder.handle)).toThrow(/不属于/);
    expect(() => reg.beginUpload('list', '名单.exe')).toThrow(expect.objectContaining({ code: 'file_kind_mismatch' }));
    expect(() => reg.beginUpload('exportFolder', 'x')).toThrow(expect.objectContaining({ code: 'upload_kind' }));
    expect(up.maxBytes).toBe(FILE_KINDS.list.maxBytes);
  });
});

describe('handles through the dispatcher', () => {
  const t = tempDir();
  let desk: Desk;
  let listFile: string;
  beforeAll(() => {
    process.env.DESK_HOME = join(t.dir, 'home');
    desk = createDesk(join(t.dir, 'ws'), { create: true, college: '测试学院' });
    listFile = join(t.dir, '名单.csv');
    writeFileSync(listFile, listCsv([applicantFor(0), applicantFor(1)]));
  });
  afterAll(() => {
    desk.close();
    t.cleanup();
  });

  it('turns a handle of the right kind into the path the service reads', async () => {
    const h = desk.files.register(listFile, 'list', 'picked');
    const r = await desk.dispatch('import.preview', { listPath: { handle: h.handle } });
    expect(r).toMatchObject({ ok: true, value: { dataRows: 2, file: '名单.csv' } });
  });

  it('refuses a handle of another kind, an unknown one, and a handle where no file is expected', async () => {
    const p12 = desk.files.output('report', 'x');
    expect(await desk.dispatch('import.preview', { listPath: { handle: p12.handle } })).toMatchObject({ ok: false, error: { code: 'file_kind_mismatch' } });
    expect(await desk.dispatch('import.preview', { listPath: { handle: 'h_AAAAAAAAAAAAAAAAAAAAAAAA' } })).toMatchObject({ ok: false, error: { code: 'file_handle_unknown' } });
    expect(await desk.dispatch('decisions.record', { idNumber: { handle: p12.handle }, decision: 'approve', reviewer: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
  });

  it('refuses raw paths when the desk is told to (the later rule for the window and HTTP)', async () => {
    const strict = createDesk(undefined, { rawPaths: false });
    try {
      expect(await strict.dispatch('export.verify', { dir: t.dir })).toMatchObject({ ok: false, error: { code: 'raw_path_refused' } });
      // Nor as a typed path turned into a handle (issue 19: the window and the web host take no path at all).
      expect(await strict.dispatch('files.fromPath', { kind: 'verifyFolder', path: t.dir })).toMatchObject({ ok: false, error: { code: 'raw_path_refused' } });
      // A folder the user chose in the native dialog is a handle; with it the call reaches the service,
      // which says what is wrong with the folder (no manifest).
      const picked = strict.files.register(t.dir, 'verifyFolder', 'picked');
      expect(picked).toMatchObject({ origin: 'picked', folder: true });
      const r = await strict.dispatch('export.verify', { dir: { handle: picked.handle } });
      expect(r.ok).toBe(false);
      expect(r.ok === false && r.error.code).not.toMatch(/raw_path|file_/);
    } finally {
      strict.close();
    }
  });

  it('lets the CLI pass paths: they become handles of the first kind the field takes', () => {
    const args = desk.files.toHandles('import.run', { listPath: listFile, attachmentsPath: join(t.dir, '没有'), dryRun: true }) as Record<string, unknown>;
    expect(args.dryRun).toBe(true);
    const lp = args.listPath as { handle: string };
    expect(desk.files.describe(lp.handle)).toMatchObject({ kind: 'list', origin: 'cli', exists: true });
    expect(desk.files.describe((args.attachmentsPath as { handle: string }).handle)).toMatchObject({ kind: 'attachments', exists: false });
  });
});

describe('FILE_ARGS', () => {
  /** Field names that hold a path anywhere in the contract. */
  const PATHISH = /(path|^out$|^dir$|^file$|^folder$|^workspace$|^source$)/i;
  const shapeOf = (schema: unknown): Record<string, unknown> => {
    const s = schema as { shape?: Record<string, unknown>; _zod?: { def?: { shape?: Record<string, unknown>; in?: unknown; schema?: unknown } } };
    return s.shape ?? s._zod?.def?.shape ?? {};
  };

  it('lists every path-like field of every call, and only fields that exist', () => {
    const missing: string[] = [];
    for (const [name, schema] of Object.entries(apiArgs)) {
      for (const field of Object.keys(shapeOf(schema))) {
        const listed = (FILE_ARGS as Record<string, Record<string, unknown>>)[name]?.[field];
        // files.fromPath is where a typed path becomes a handle: the one path the contract takes as such.
        if (PATHISH.test(field) && !listed && name !== 'files.fromPath') missing.push(`${name}.${field}`);
      }
    }
    expect(missing).toEqual([]);
    for (const [name, fields] of Object.entries(FILE_ARGS)) {
      const shape = shapeOf((apiArgs as Record<string, z.ZodType>)[name]);
      for (const field of Object.keys(fields)) expect(Object.keys(shape), `${name}.${field}`).toContain(field);
    }
  });
});

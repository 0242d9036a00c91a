/**
 * OCR as a background job of the desk (issue 15): the desk built with backgroundOcr (the Electron
 * shell and the web host) starts the reading queue when a workspace opens and again after every
 * import that wrote something — scans imported while the desk is open used to wait for a restart.
 * The worker is a stand-in configured like the real one (DeskConfig.ocrWorker), so the queue,
 * client and protocol are the real ones.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../../electron/app/desk.js';
import { configFromEnv, configure, resetConfig } from '../../../electron/platform/index.js';
import type { ImportReport, OcrQueueStatus, OcrRunReport, QueueIndex } from '../../../shared/api/index.js';
import { applicantFor, listCsv, scanPng, tempDir } from '../../fixtures/workspace.js';

const STUB = join(import.meta.dirname, '../../fixtures/ocrStubWorker.ts');

let desk: Desk | null = null;
let cleanup: (() => void) | null = null;
afterEach(() => {
  desk?.close();
  desk = null;
  cleanup?.();
  cleanup = null;
  resetConfig();
});

async function call<T>(d: Desk, name: string, args: unknown): Promise<T> {
  const env = await d.dispatch(name, args);
  if (!env.ok) throw new Error(`${name}: ${env.error.code} ${env.error.message}`);
  return env.value as T;
}

/** A list of n applicants with one diploma scan each, written next to the workspace. */
function listWithScans(root: string, name: string, from: number, n: number): { list: string; att: string } {
  const applicants = Array.from({ length: n }, (_, i) => applicantFor(from + i, { category: 'general' }));
  const list = join(root, `${name}.csv`);
  writeFileSync(list, listCsv(applicants));
  const att = join(root, `${name}-附件`);
  mkdirSync(att, { recursive: true });
  applicants.forEach((a, i) => writeFileSync(join(att, `${a.idNumber}_毕业证.png`), scanPng(from + i)));
  return { list, att };
}

describe('background OCR in the desk', () => {
  it('starts on open and after every import, never after a dry run', async () => {
    configure({ ...configFromEnv(process.env), ocrWorker: STUB });
    const t = tempDir('desk-bg-ocr-');
    cleanup = t.cleanup;
    const wsDir = join(t.dir, '工作区');
    desk = createDesk(wsDir, { create: true, college: '测试学院', backgroundOcr: true });
    expect((await call<OcrQueueStatus>(desk, 'ocr.status', {})).unread).toBe(0);

    const first = listWithScans(t.dir, '名单一', 0, 3);
    const dry = await call<ImportReport>(desk, 'import.run', { listPath: first.list, attachmentsPath: first.att, dryRun: true });
    expect(dry.documents).toBe(3);
    expect(await call<OcrQueueStatus>(desk, 'ocr.status', {})).toMatchObject({ state: 'idle', total: 0 });

    await call<ImportReport>(desk, 'import.run', { listPath: first.list, attachmentsPath: first.att });
    // Queued by the import itself: nobody called ocr.start.
    expect(await call<OcrQueueStatus>(desk, 'ocr.status', {})).toMatchObject({ state: 'running', total: 3 });
    expect((await call<QueueIndex>(desk, 'review.queue', {})).rows.some((r) => r.ocrPending)).toBe(true);
    await call<OcrRunReport>(desk, 'ocr.run', {});
    expect(await call<OcrQueueStatus>(desk, 'ocr.status', {})).toMatchObject({ state: 'idle', unread: 0 });
    expect((await call<QueueIndex>(desk, 'review.queue', {})).rows.some((r) => r.ocrPending)).toBe(false);

    // A second list while the desk is open: read without a restart.
    const second = listWithScans(t.dir, '名单二', 0, 5);
    await call<ImportReport>(desk, 'import.run', { listPath: second.list, attachmentsPath: second.att });
    const after = await call<OcrQueueStatus>(desk, 'ocr.status', {});
    expect(after.state).toBe('running');
    expect(after.total).toBe(2);
    await call<OcrRunReport>(desk, 'ocr.run', {});
    desk.close();

    // Opening a workspace with unread scans starts the queue too.
    const third = listWithScans(t.dir, '名单三', 0, 6);
    const cli = createDesk(wsDir);
    await call<ImportReport>(cli, 'import.run', { listPath: third.list, attachmentsPath: third.att });
    expect(await call<OcrQueueStatus>(cli, 'ocr.status', {})).toMatchObject({ state: 'idle', unread: 1 });
    cli.close();
    desk = createDesk(wsDir, { backgroundOcr: true });
    expect(await call<OcrQueueStatus>(desk, 'ocr.status', {})).toMatchObject({ state: 'running', total: 1 });
    await call<OcrRunReport>(desk, 'ocr.run', {});
  });
});

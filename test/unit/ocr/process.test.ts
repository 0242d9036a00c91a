/**
 * The OCR process, however it is started: child_process.fork (Node, the CLI under Node, tests) and
 * Electron's utility process (the app: its RunAsNode fuse is off), here a Node child that talks
 * through `process.parentPort` as a utility process does (test/fixtures/utilityProcess.mjs). Both
 * run the real worker with the real models on a real scan.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { utilityOcrSpawner, type UtilityProcessApi } from '../../../electron/adapters/shell/ocrProcess.js';
import { forkOcrProcess, OcrWorkerClient, type OcrSpawner } from '../../../electron/ocr/client.js';
import { diplomaPng } from '../../fixtures/scan.js';
import { tempDir } from '../../fixtures/tmp.js';
import { utilityStandIn, type UtilitySeen } from '../../fixtures/utilityStandIn.js';

const NAME = '蒋沐宸';
const ID = '430102200001011236';
const WORKER = fileURLToPath(new URL('../../../electron/ocr/worker.ts', import.meta.url));

describe('the OCR process', () => {
  const t = tempDir();
  const scan = join(t.dir, 'diploma.png');
  writeFileSync(scan, diplomaPng(NAME, ID));
  afterAll(() => t.cleanup());

  /** Reads the scan through a client on `spawn`; what it read and the texts of its lines. */
  async function readWith(spawn: OcrSpawner): Promise<{ texts: string; peakRss: number; client: OcrWorkerClient }> {
    const client = new OcrWorkerClient(spawn);
    const r = await client.read(scan, 'image/png');
    const texts = r.read.pages.flatMap((p) => p.lines.map((l) => l.text)).join('\n');
    return { texts, peakRss: r.peakRss, client };
  }

  it('forked (child_process): reads the scan, and close() ends the process', async () => {
    const forks: { entry: string; env: NodeJS.ProcessEnv }[] = [];
    const { texts, peakRss, client } = await readWith((entry, env) => {
      forks.push({ entry, env });
      return forkOcrProcess(entry, env);
    });
    expect(forks).toHaveLength(1);
    expect(forks[0]!.entry).toBe(WORKER);
    expect(forks[0]!.env.MALLOC_ARENA_MAX).toBe('2');
    expect(texts).toContain(ID);
    expect(texts).toContain(NAME);
    expect(peakRss).toBeGreaterThan(0);
    expect(client.running).toBe(true);
    await client.close();
    expect(client.running).toBe(false);
  }, 120_000);

  it('as a utility process: requests made before the app is ready wait for it, answers come through parentPort', async () => {
    const started: { modulePath: string; serviceName?: string; env?: NodeJS.ProcessEnv }[] = [];
    const seen: UtilitySeen = { posted: [], received: [] };
    const stand: UtilityProcessApi = {
      fork: (modulePath, _args, options) => {
        started.push({ modulePath, serviceName: options?.serviceName, env: options?.env });
        return utilityStandIn(modulePath, options?.env, seen, ['--import', import.meta.resolve('tsx')]) as unknown as ReturnType<UtilityProcessApi['fork']>;
      },
    };
    let appReady!: () => void;
    const ready = new Promise<void>((r) => (appReady = r));
    const client = new OcrWorkerClient(utilityOcrSpawner(stand, ready));
    const reading = client.read(scan, 'image/png');
    // Not ready: nothing forked yet (Electron refuses utilityProcess.fork before 'ready').
    await Promise.resolve();
    expect(started).toHaveLength(0);
    appReady();
    const r = await reading;
    expect(started).toHaveLength(1);
    expect(started[0]!.modulePath).toBe(WORKER);
    expect(started[0]!.serviceName).toBeTruthy();
    expect(started[0]!.env?.ELECTRON_RUN_AS_NODE).toBeUndefined();
    const texts = r.read.pages.flatMap((p) => p.lines.map((l) => l.text)).join('\n');
    expect(texts).toContain(ID);
    await client.close();
    expect(seen.exitCode).toBeDefined();
    expect(seen.posted).toHaveLength(1);
    expect(seen.received).toMatchObject([{ ok: true }]);
    expect(client.running).toBe(false);
  }, 120_000);
});

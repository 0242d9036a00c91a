/**
 * Issue 14's "done when": a two-week team scenario, scripted through the CLI as a college's four
 * registrar PCs would run it. A imports the list and clones it to B, C and D; they decide their
 * shares and meet in one USB folder most days; B restores a backup mid-way and decides again; A
 * imports a corrected list; D works offline for the first week. At the end every PC shows the same
 * list, decisions, conflicts (none), settings and log, and an export from any PC verifies with
 * the one college fingerprint. The figures (events, bytes per visit, time to converge) are printed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/adapters/cli/main.js';
import { collegeSettings } from '../../../electron/college/settings.js';
import { reasonEntries } from '../../../electron/review/reasons.js';
import { openWorkspace } from '../../../electron/workspace/workspace.js';
import type { ConflictItem, SyncFolderReport, SyncStatus } from '../../../shared/api/index.js';
import { applicantFor, listCsv } from '../../fixtures/workspace.js';
import { tempDir } from '../../fixtures/tmp.js';
import { stateOf } from './helpers.js';

const t = tempDir('desk-scenario-');
afterAll(() => t.cleanup());
const PASSPHRASE = '湖南交通 同步 2026';
const USB = join(t.dir, 'U盘', '专升本同步');
const N = 40;

type Pc = 'A' | 'B' | 'C' | 'D';
const PCS: Pc[] = ['A', 'B', 'C', 'D'];
const wsOf = (pc: Pc): string => join(t.dir, `电脑${pc}`, '工作区');
const people = Array.from({ length: N + 1 }, (_, i) => applicantFor(i));
const id = (i: number): string => people[i]!.idNumber;

const visits: { pc: Pc; day: number; written: number; read: number; ms: number }[] = [];

/** One CLI call on one PC: its own installation folder (device id), the college passphrase. */
async function cli(pc: Pc, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  process.env.DESK_HOME = join(t.dir, `电脑${pc}`, 'home');
  process.env.DESK_SYNC_PASSPHRASE = PASSPHRASE;
  process.env.DESK_LOG = 'off';
  let out = '';
  let err = '';
  const code = await runCli(args, (s) => (out += s + '\n'), (s) => (err += s + '\n'));
  return { code, out, err };
}

async function ok<T>(pc: Pc, ...args: string[]): Promise<T> {
  const r = await cli(pc, ...args, '--json');
  expect(r.code, `${pc}: ${args.join(' ')}\n${r.out}${r.err}`).toBe(0);
  return (JSON.parse(r.out) as { value: T }).value;
}

const decide = (pc: Pc, i: number, decision: 'approve' | 'reject', reviewer: string): Promise<unknown> =>
  ok(pc, 'decide', '--workspace', wsOf(pc), '--applicant', id(i), '--decision', decision, ...(decision === 'reject' ? ['--reason', 'blurry'] : []), '--note', '已核对原件', '--reviewer', reviewer);

async function visit(pc: Pc, day: number): Promise<SyncFolderReport> {
  const r = await ok<SyncFolderReport>(pc, 'sync', 'folder', '--workspace', wsOf(pc), '--folder', USB);
  expect(r.skipped, JSON.stringify(r.skipped)).toEqual([]);
  expect(r.forks).toEqual([]);
  visits.push({ pc, day, written: r.written.bytes, read: r.read.bytes, ms: r.ms });
  return r;
}

function snapshot(pc: Pc): unknown {
  const ws = openWorkspace(wsOf(pc));
  try {
    return {
      state: stateOf(ws),
      list: ws.db.prepare('SELECT id_number, name, phone, withdrawn, version_hlc FROM applicants ORDER BY id_number').all(),
      documents: ws.db.prepare('SELECT d.id_number, d.kind, d.sha256 FROM documents d ORDER BY 1, 3').all().map((d) => ({ ...(d as object), here: ws.blobs.has((d as { sha256: string }).sha256) })),
      waiting: ws.db.prepare('SELECT COUNT(*) FROM documents_pending').pluck().get(),
      settings: collegeSettings(ws),
      reasons: reasonEntries(ws),
    };
  } finally {
    ws.close();
  }
}

describe('two weeks of a college team, through the CLI', () => {
  it('ends with identical state on every PC and an export any PC made verifies with the college fingerprint', async () => {
    const reviewer: Record<Pc, string> = { A: '王主任', B: '李老师', C: '张老师', D: '赵老师' };
    mkdirSync(USB, { recursive: true });
    const v1 = join(t.dir, '名单 第一版.csv');
    writeFileSync(v1, listCsv(people.slice(0, N)));

    // Day 0: A sets the college up and clones it for the other three PCs.
    await ok('A', 'import', '--workspace', wsOf('A'), '--college', '湖南交通职业技术学院', '--list', v1);
    for (const pc of ['B', 'C', 'D'] as const) await ok('A', 'workspace', 'clone', '--workspace', wsOf('A'), '--out', wsOf(pc));
    for (const pc of PCS) await ok(pc, 'sync', 'name', '--workspace', wsOf(pc), `${pc} 机 ${reviewer[pc]}`);
    // After cloning, so it reaches the others as data: the 学校代码 every final table needs.
    await ok('A', 'college', 'set', '--workspace', wsOf('A'), '--code', '10861', '--by', reviewer.A);
    let backupB = '';

    // Week one: A, B and C decide their shares and meet in the folder; D is offline all week.
    for (let day = 1; day <= 7; day++) {
      for (const pc of ['A', 'B', 'C'] as const) {
        const k = PCS.indexOf(pc);
        for (let i = k; i < N; i += 3) if (i % 7 === day - 1) await decide(pc, i, i % 11 === 0 ? 'reject' : 'approve', reviewer[pc]);
      }
      if (day === 2) backupB = (await ok<{ id: string }>('B', 'backup', 'create', '--workspace', wsOf('B'))).id;
      if (day === 3) {
        // B and C decide the same applicant differently on the same day: a conflict.
        await decide('B', 30, 'approve', reviewer.B);
        await decide('C', 30, 'reject', reviewer.C);
      }
      if (day === 5) {
        // B's disk acts up: B goes back to the backup of day 2 and decides again at once —
        // the move that used to fork the college for good.
        // The restore drops the decisions made since day 2, so the desk names what is lost and the
        // registrar confirms exactly those numbers (issue 19: no restore drops decisions unconfirmed).
        const refused = await cli('B', 'backup', 'restore', '--workspace', wsOf('B'), '--id', backupB, '--json');
        expect(refused.code, refused.out + refused.err).toBe(1);
        const lost = (JSON.parse(refused.out) as { error: { code: string; message: string; details: { accounts: number; decisions: number } } }).error;
        expect(lost.code).toBe('restore_would_drop');
        expect(lost.message).toContain(`${lost.details.decisions} 条审核结论`);
        expect(lost.details.decisions).toBeGreaterThan(0);
        await ok('B', 'backup', 'restore', '--workspace', wsOf('B'), '--id', backupB, '--confirm-drop', `${lost.details.accounts},${lost.details.decisions}`);
        await decide('B', 4, 'reject', reviewer.B);
        await decide('B', 13, 'approve', reviewer.B);
      }
      if (day === 6) {
        // The office sends a corrected list: two names fixed, a phone number, one applicant
        // withdrawn and one added. A re-imports it.
        const v2 = join(t.dir, '名单 更正版.csv');
        const corrected = people.slice(0, N + 1).filter((_, i) => i !== N - 1).map((p, i) => (i === 1 ? { ...p, name: `${p.name}（更正）` } : i === 6 ? { ...p, name: '欧阳更正' } : i === 7 ? { ...p, phone: '13912345678' } : p));
        writeFileSync(v2, listCsv(corrected));
        // … with the new applicant's scans (they travel through the folder to B, C and D).
        const att = join(t.dir, '补充材料');
        mkdirSync(att, { recursive: true });
        writeFileSync(join(att, `${id(N)}_毕业证.jpg`), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(30_000, 7)]));
        writeFileSync(join(att, `${id(7)}_身份证.jpg`), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(20_000, 9)]));
        // The dry run names how many withdrawn applicants already have a decision; the import
        // then confirms that number (issue 15: a re-import never drops decided applicants unseen).
        const dry = await ok<{ withdrawn: number; withdrawnDecided: number }>('A', 'import', '--workspace', wsOf('A'), '--list', v2, '--attachments', att, '--dry-run');
        expect(dry.withdrawn).toBe(1);
        await ok('A', 'import', '--workspace', wsOf('A'), '--list', v2, '--attachments', att, '--confirm-withdraw-decided', String(dry.withdrawnDecided));
      }
      // D reviews offline in week one (some applicants others decide too).
      if (day <= 3) await decide('D', day, day === 2 ? 'reject' : 'approve', reviewer.D);
      for (const pc of ['A', 'B', 'C'] as const) await visit(pc, day);
    }

    // Week two: D comes back a week late; everyone meets in the folder; the supervisor settles
    // every conflict and every decision the corrected list made stale, and the last applicants.
    for (const pc of PCS) await visit(pc, 8);
    const late = visits.at(-1)!;
    for (const pc of PCS) await visit(pc, 9);
    for (const c of await ok<ConflictItem[]>('A', 'conflicts', '--workspace', wsOf('A'))) {
      await ok('A', 'conflicts', 'resolve', '--workspace', wsOf('A'), '--applicant', c.idNumber, '--decision', 'approve', '--note', '以原件为准', '--by', reviewer.A);
    }
    for (const i of [1, 6, 7, N]) await decide('A', i, 'approve', reviewer.A);
    for (let i = 0; i < N - 1; i++) {
      const h = await ok<{ status: string }>('C', 'history', '--workspace', wsOf('C'), '--applicant', id(i));
      if (h.status === 'pending') await decide('C', i, 'approve', reviewer.C);
    }

    // Days 10 on: daily rounds of visits, timed from the last change until every PC shows the same.
    const started = performance.now();
    let rounds = 0;
    let converged = false;
    while (!converged && rounds < 4) {
      rounds++;
      for (const pc of PCS) await visit(pc, 9 + rounds);
      const first = JSON.stringify(snapshot('A'));
      converged = PCS.every((pc) => JSON.stringify(snapshot(pc)) === first);
    }
    const convergeMs = performance.now() - started;
    expect(converged).toBe(true);
    // Day 14: nothing new anywhere: a round of visits writes nothing at all.
    for (const pc of PCS) expect((await visit(pc, 14)).written.bytes).toBe(0);
    const a = snapshot('A') as { state: { conflicts: string[]; events: string[] }; list: { name: string; withdrawn: number }[] };
    expect(a.state.conflicts).toEqual([]);
    expect(a.list.map((r) => r.name)).toContain('欧阳更正');
    expect(a.list.filter((r) => r.withdrawn === 1)).toHaveLength(1);

    // Same on every PC by the CLI too: status, audit, names, the college key.
    const statuses = await Promise.all(PCS.map(async (pc) => ok<SyncStatus>(pc, 'sync', 'status', '--workspace', wsOf(pc))));
    const fingerprint = statuses[0]?.collegeKeyFingerprint ?? '';
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    for (const s of statuses) {
      expect(s.collegeKeyFingerprint).toBe(fingerprint);
      expect(s.conflicts).toBe(0);
      expect(s.forks).toEqual([]);
      expect(s.peers.map((p) => p.name).sort()).toEqual(PCS.filter((pc) => !s.name.startsWith(pc)).map((pc) => `${pc} 机 ${reviewer[pc]}`).sort());
    }
    expect(statuses[1]?.epochs.map((e) => e.reason)).toEqual(['restore']);
    for (const pc of PCS) expect(await ok<{ ok: boolean }>(pc, 'audit', 'verify', '--workspace', wsOf(pc))).toMatchObject({ ok: true });
    const summaries = await Promise.all(PCS.map((pc) => ok<unknown>(pc, 'status', '--workspace', wsOf(pc))));
    for (const s of summaries) expect(s).toEqual(summaries[0]);

    expect((snapshot('D') as { documents: unknown[]; waiting: number })).toMatchObject({ waiting: 0, documents: expect.arrayContaining([expect.objectContaining({ id_number: id(N), here: true })]) });

    // The final tables: made on D (a week late) and on B (restored), verified with one
    // fingerprint, and the same table whichever PC made it.
    const tables: string[] = [];
    for (const pc of ['D', 'B'] as const) {
      const out = join(t.dir, `导出 ${pc}`);
      await ok(pc, 'export', '--workspace', wsOf(pc), '--table', 'exempt', '--out', out);
      expect(await ok<{ keyChecked: boolean }>(pc, 'verify', out, '--key', fingerprint.slice(0, 16))).toMatchObject({ keyChecked: true });
      tables.push((JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { body: { dataSha256: string } }).body.dataSha256);
    }
    expect(tables[0]).toBe(tables[1]);

    const perVisit = visits.map((v) => v.written + v.read);
    console.info(
      `scenario: ${a.state.events.length} events, ${visits.length} folder visits; bytes moved per visit ` +
        `avg ${Math.round(perVisit.reduce((x, y) => x + y, 0) / perVisit.length)}, max ${Math.max(...perVisit)}, ` +
        `written in total ${visits.reduce((x, v) => x + v.written, 0)}; D's first visit after a week read ${late.read} bytes in ${late.ms} ms; ` +
        `converged ${rounds} round(s) of visits after the last change (${Math.round(convergeMs)} ms); the quiet last round wrote 0 bytes`,
    );
  }, 600_000);
});

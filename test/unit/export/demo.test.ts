/**
 * The demo college through the whole path a registrar takes: generated list → import → decisions
 * → all three tables exported and verified. Real imported data (normalised dates, rare name
 * characters, long school names), not hand-made rows.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { maskId } from '../../../shared/idcard.js';
import { generateDemo } from '../../../electron/demo/generate.js';
import { runExport } from '../../../electron/export/exportService.js';
import { verifyExport } from '../../../electron/export/verify.js';
import { importList } from '../../../electron/applicants/importService.js';
import { setCollegeSettings } from '../../../electron/college/index.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { openWorkspace } from '../../../electron/workspace/workspace.js';
import { makeP12, tempDir } from './fixtures.js';

const root = tempDir();
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('exports and verifies the demo college', async () => {
  const demo = await generateDemo({ out: join(root, 'demo'), applicants: 60, seed: 7, listOnly: true });
  const ws = openWorkspace(join(root, 'ws'), { create: true, college: '演示职业技术学院' });
  try {
    await importList(ws, { listPath: demo.listFile });
    // A final export needs the college's 学校代码 and, for the 公示, a contact for objections.
    setCollegeSettings(ws, 'demo-device', { code: '14001', noticePhone: '0731-84000000' }, '演示管理员');
    const rows = ws.db.prepare("SELECT id_number, name, category FROM applicants WHERE withdrawn = 0 AND category IN ('veteran','competition','craftsman','poverty')").all() as {
      id_number: string; name: string; category: string;
    }[];
    expect(rows.length).toBeGreaterThan(3);
    // 湖湘工匠燎原计划 applicants are in the 免试 table and the 公示 like the other exempt ones.
    expect(rows.some((r) => r.category === 'craftsman')).toBe(true);
    rows.forEach((r, i) => {
      recordDecision(ws, 'demo-device', {
        idNumber: r.id_number, decision: i % 4 === 3 ? 'reject' : 'approve', reasons: i % 4 === 3 ? ['missing_docs'] : [],
        // Some demo applicants carry error findings on purpose: approving them is an override with a note.
        note: i % 4 === 3 ? '' : '已电话核实', reviewer: '演示审核员',
      });
    });
    const p12 = makeP12(root);
    for (const table of ['exempt', 'poverty', 'notice'] as const) {
      const r = await runExport(ws, 'demo-device', { table, out: join(root, table), p12Path: p12.path, passphrase: p12.passphrase, draft: false });
      expect(verifyExport(r.dir).exportId).toBe(r.exportId);
      const pdf = join(r.dir, r.files.find((f) => f.name.endsWith('.pdf'))?.name ?? '');
      expect(execFileSync('pdfsig', [pdf], { encoding: 'utf8' })).toContain('Signature is Valid');
      const text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      const inTable = rows.filter((x, i) => (table === 'notice' ? i % 4 !== 3 : table === 'poverty' ? x.category === 'poverty' : x.category !== 'poverty'));
      for (const a of inTable) {
        expect(text).toContain(a.name);
        expect(text).toContain(table === 'notice' ? maskId(a.id_number) : a.id_number);
      }
      expect(readFileSync(pdf).length).toBeLessThan(3 * 2 ** 20);
    }
  } finally {
    ws.close();
  }
});

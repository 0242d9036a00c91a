/**
 * The whole college travels as data (issue 14): list versions (each import), the documents they
 * attach, accounts, settings and the reason catalogue reach every PC with the same guarantees as
 * decisions; findings, "changed since decided" and export blockers are then the same everywhere;
 * a clone is a complete peer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccount, enrolHere, resetSecret, signIn } from '../../../electron/accounts/accounts.js';
import { enrolPc, shortPublicKey } from '../../../electron/sync/trust.js';
import { workspaceKey } from '../../../electron/workspace/keys.js';
import { applicantChanges, importList } from '../../../electron/applicants/importService.js';
import { allResults } from '../../../electron/checks/results.js';
import { importPrevious } from '../../../electron/checks/index.js';
import { runAllChecks } from '../../../electron/checks/run.js';
import { collegeSettings, setCollegeSettings } from '../../../electron/college/settings.js';
import { findBlockers } from '../../../electron/export/tableData.js';
import { loadTemplate } from '../../../electron/export/templates.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { reasonEntries, saveReasons } from '../../../electron/review/reasons.js';
import { changedSinceDecidedAll } from '../../../electron/review/state.js';
import { buildBundle, cloneWorkspace, mergeAndRecheck, mergeBundle } from '../../../electron/sync/syncService.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';
import { applicantFor, collegeOf, listCsv } from '../../fixtures/workspace.js';
import type { ApplicantDeclared } from '../../../shared/domain.js';
import { JPEG } from '../import/helpers.js';
import { code, idOf, seedWorkspace, stateOf, tempDir } from './helpers.js';

const PW = 'college-passphrase-2026';
const KDF_N = 1024;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const bundle = (from: Workspace, noScans = true): Buffer => buildBundle(from, 'dev', { noScans, passphrase: PW, kdfN: KDF_N }).bytes;
const send = (from: Workspace, to: Workspace, noScans = true) => mergeAndRecheck(to, bundle(from, noScans), PW);

/** The list as every area sees it: declared data, place, on the list or not. */
function listOf(ws: Workspace): unknown[] {
  return ws.db.prepare('SELECT * FROM applicants ORDER BY id_number').all().map((r) => {
    const { import_id: _i, updated_at: _u, ...rest } = r as Record<string, unknown>;
    return rest;
  });
}

function historyOf(ws: Workspace, ids: readonly string[]): unknown[] {
  return ids.map((id) => applicantChanges(ws, id).changes.map((c) => [c.field, c.oldValue, c.newValue]).sort());
}

function findings(ws: Workspace): string[] {
  return [...allResults(ws).entries()].flatMap(([id, rs]) => rs.map((r) => `${id}:${r.checkId}:${r.severity}`)).sort();
}

async function importOn(ws: Workspace, applicants: readonly ApplicantDeclared[], name: string, attachments?: string): Promise<void> {
  const file = join(ws.dir, '..', `${name}.csv`);
  writeFileSync(file, listCsv(applicants));
  await importList(ws, { listPath: file, attachmentsPath: attachments, deviceId: 'dev-import' });
}

describe('list versions travel', () => {
  it('a corrected list re-imported on one PC reaches the others: names, history, changed-since-decided, findings, blockers', async () => {
    const c = await collegeOf(3, 10, { checks: true });
    cleanups.push(c.close);
    const [a, b, d] = c.pcs;
    if (!a || !b || !d) throw new Error('no pcs');
    const people = c.ids.map((_, i) => applicantFor(i));
    // B decides applicant 1 on the first list …
    recordDecision(b, 'dev-b', { idNumber: c.ids[1]!, decision: 'approve', reasons: [], note: '已核实', reviewer: '李老师' });
    // … A imports the corrected list: applicant 1 renamed, 2's phone number now that of 3, 9 gone.
    const corrected = people.slice(0, 9).map((p, i) => (i === 1 ? { ...p, name: '更正后的名字' } : i === 2 ? { ...p, phone: people[3]!.phone } : p));
    await importOn(a, corrected, '更正名单');
    await runAllChecks(a);
    for (const [from, to] of [[b, a], [a, b], [a, d], [b, d]] as const) await send(from, to);
    for (const w of [b, d]) {
      expect(listOf(w)).toEqual(listOf(a));
      expect(historyOf(w, c.ids)).toEqual(historyOf(a, c.ids));
      expect([...changedSinceDecidedAll(w).keys()]).toEqual([...changedSinceDecidedAll(a).keys()]);
      expect(findings(w)).toEqual(findings(a));
      for (const table of ['exempt', 'poverty'] as const) {
        expect(findBlockers(w, loadTemplate(table)).map((x) => `${x.idMasked}:${x.problem}`)).toEqual(findBlockers(a, loadTemplate(table)).map((x) => `${x.idMasked}:${x.problem}`));
      }
    }
    expect([...changedSinceDecidedAll(d).keys()]).toEqual([c.ids[1]]);
    expect(findings(d).some((f) => f.startsWith(`${c.ids[2]}:`) && f.includes('phone'))).toBe(true);
    expect(d.db.prepare('SELECT withdrawn FROM applicants WHERE id_number = ?').pluck().get(c.ids[9])).toBe(1);
  });

  it('concurrent imports converge to the same list whatever order they arrive in (a PC a week late too)', async () => {
    const c = await collegeOf(4, 6);
    cleanups.push(c.close);
    const [a, b, x, y] = c.pcs;
    if (!a || !b || !x || !y) throw new Error('no pcs');
    const people = c.ids.map((_, i) => applicantFor(i));
    await importOn(a, people.map((p, i) => (i === 0 ? { ...p, school: '甲学院' } : p)), 'A 的名单');
    await importOn(b, [...people.map((p, i) => (i === 0 ? { ...p, school: '乙学院' } : i === 1 ? { ...p, major: '护理' } : p)), applicantFor(20)], 'B 的名单');
    const ab = bundle(a);
    const bb = bundle(b);
    mergeBundle(x, ab, PW);
    mergeBundle(x, bb, PW);
    mergeBundle(y, bb, PW); // Y hears from B first, and from A a week later
    mergeBundle(y, ab, PW);
    mergeBundle(a, bb, PW);
    mergeBundle(b, ab, PW);
    for (const w of [b, x, y]) {
      expect(listOf(w)).toEqual(listOf(a));
      expect(historyOf(w, [...c.ids, applicantFor(20).idNumber])).toEqual(historyOf(a, [...c.ids, applicantFor(20).idNumber]));
    }
    // The later import (by HLC) wins applicant 0; B's other changes stay.
    expect(a.db.prepare('SELECT school FROM applicants WHERE id_number = ?').pluck().get(c.ids[0])).toBe('乙学院');
    expect(a.db.prepare('SELECT major FROM applicants WHERE id_number = ?').pluck().get(c.ids[1])).toBe('护理');
  });

  it('a list imported before list events becomes one baseline event that carries it and its history', async () => {
    const root = tempDir();
    const a = seedWorkspace(join(root, 'pc0'), 4);
    cleanups.push(() => a.close());
    // As an older desk left it: rows without versions, a change history of its own.
    a.db.exec("UPDATE applicants SET version_hlc = ''");
    a.db.prepare("UPDATE applicants SET name = '旧桌面改的名', updated_at = '2026-02-01T00:00:00.000Z' WHERE id_number = ?").run(idOf(1));
    a.db.prepare(
      "INSERT INTO applicant_changes (id_number, import_id, at, field, old_value, new_value, hlc) VALUES (?, 'old', '2026-02-01T00:00:00.000Z', 'name', '考生1', '旧桌面改的名', '2026-02-01T00:00:00.000Z-0000-0000000000000000')",
    ).run(idOf(1));
    // Issue 19: the baseline is made once, when this version first uses the workspace (here: the
    // clone), as an unsigned older event that the founding PC's seal vouches for.
    const c = join(root, 'pc1');
    cloneWorkspace(a, c, true);
    const b = openWorkspace(c);
    cleanups.push(() => b.close());
    const baseline = b.db.prepare("SELECT sig, payload FROM decision_events WHERE kind = 'list'").all() as { sig: string | null; payload: string }[];
    expect(baseline).toHaveLength(1);
    expect(baseline[0]?.sig).toBeNull();
    recordDecision(b, 'dev-b', { idNumber: idOf(1), decision: 'approve', reasons: [], note: '', reviewer: '李老师' });
    mergeBundle(a, bundle(b), PW);
    expect(mergeBundle(b, bundle(a), PW).applicantsChanged).toBe(0);
    expect(listOf(b)).toEqual(listOf(a));
    expect(b.db.prepare('SELECT name FROM applicants WHERE id_number = ?').pluck().get(idOf(1))).toBe('旧桌面改的名');
    expect(historyOf(b, [idOf(1)])).toEqual([[['name', '考生1', '旧桌面改的名']]]);
    expect(stateOf(a)).toEqual(stateOf(b));
  });

  it('documents of an import wait for their scans on a PC without them, then appear', async () => {
    const c = await collegeOf(2, 4, { noScans: true });
    cleanups.push(c.close);
    const [a, b] = c.pcs;
    if (!a || !b) throw new Error('no pcs');
    const att = join(a.dir, '..', 'att');
    mkdirSync(att, { recursive: true });
    writeFileSync(join(att, `${c.ids[0]}_退役证.jpg`), JPEG);
    await importOn(a, c.ids.map((_, i) => applicantFor(i)), '带附件', att);
    const first = await send(a, b, true);
    expect(first.documentsAdded).toBe(0);
    expect(b.db.prepare('SELECT COUNT(*) FROM documents_pending').pluck().get()).toBe(1);
    const second = await send(a, b, false);
    expect(second).toMatchObject({ blobsAdded: 1, documentsAdded: 1, recheck: true });
    expect(b.db.prepare('SELECT COUNT(*) FROM documents_pending').pluck().get()).toBe(0);
    expect(b.db.prepare('SELECT kind FROM documents WHERE id_number = ?').pluck().get(c.ids[0])).toBe('discharge_cert');
  });
});

describe('accounts, settings and reasons travel', () => {
  it('an account reaches the other PCs without its secret: it signs in there only once set on that PC (issue 19: clones and bundles carry no hashes)', async () => {
    const c = await collegeOf(2, 2);
    cleanups.push(c.close);
    const [a, b] = c.pcs;
    if (!a || !b) throw new Error('no pcs');
    createAccount(a, { name: 'admin', role: 'admin', secret: 'Office#Desk-2026' });
    const adm = { name: 'admin', secret: 'Office#Desk-2026' };
    createAccount(a, { name: '张老师', role: 'reviewer', secret: '240719' }, adm);
    mergeBundle(b, bundle(a), PW);
    // Name and role arrived; no verifier did, so the old attack (recover the PIN from the copied hash) has nothing to work on.
    expect(b.db.prepare("SELECT name, role, salt, hash FROM accounts WHERE name = '张老师'").get()).toEqual({ name: '张老师', role: 'reviewer', salt: '', hash: '' });
    expect(code(() => signIn(b, { name: '张老师', secret: '240719' }))).toBe('account_not_enrolled_here');
    const events = buildBundle(a, 'dev', { noScans: true, passphrase: PW, kdfN: KDF_N }).manifest.events.filter((e) => e.kind === 'account');
    for (const e of events) expect(Object.keys(e.payload).sort()).toEqual(['name', 'role']);
    expect(events.map((e) => e.payload.name)).toEqual(['admin', '张老师']);
    // The admin enrols B for 张老师 (with the key B shows); the one-time code reaches B with the next bundle.
    createAccount(a, { name: '王主任', role: 'supervisor', secret: 'Supervisor#2026' }, adm);
    const { setupCodes } = enrolPc(a, 'dev', 'admin', { publicKey: shortPublicKey(workspaceKey(b).publicKeyPem), accounts: ['张老师', '王主任'] });
    expect(setupCodes.map((c) => c.account)).toEqual(['张老师', '王主任']);
    for (const c of setupCodes) expect(c.code).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
    const setupCode = setupCodes[0]?.code;
    mergeBundle(b, bundle(a), PW);
    expect(code(() => enrolHere(b, { name: '张老师', secret: '602713', setupCode: 'AAAAA-AAAAA-AAAAA-AAAAA' }))).toBe('setup_code_invalid');
    // One holder's code opens no other account on that PC: 张老师 cannot take 王主任's place on B.
    expect(code(() => enrolHere(b, { name: '王主任', secret: '602713', setupCode: setupCode! }))).toBe('setup_code_invalid');
    enrolHere(b, { name: '张老师', secret: '602713', setupCode: setupCode! });
    expect(signIn(b, { name: '张老师', secret: '602713' })).toEqual({ name: '张老师', role: 'reviewer' });
    expect(code(() => enrolHere(b, { name: '张老师', secret: '715264', setupCode: setupCode! }))).toBe('account_enrolled_here');
    // A reset on A stays on A: B keeps its own secret, and A's new one does not work on B.
    resetSecret(a, { name: '张老师', secret: '468135' }, adm);
    mergeBundle(b, bundle(a), PW);
    expect(code(() => signIn(b, { name: '张老师', secret: '468135' }))).toBe('sign_in_failed');
    expect(signIn(b, { name: '张老师', secret: '602713' }).name).toBe('张老师');
  });

  it('college settings and the reason catalogue edited on one PC are the same on the others', async () => {
    const c = await collegeOf(2, 2);
    cleanups.push(c.close);
    const [a, b] = c.pcs;
    if (!a || !b) throw new Error('no pcs');
    setCollegeSettings(a, 'dev-a', { name: '湖南交通职业技术学院', code: '10861', signoffRequired: true }, '王主任');
    const catalogue = reasonEntries(a).map((r) => ({ ...r, label: r.code === 'blurry' ? '扫描件模糊，无法辨认' : r.label }));
    saveReasons(a, 'dev-a', catalogue, '王主任');
    mergeBundle(b, bundle(a), PW);
    expect(collegeSettings(b)).toEqual(collegeSettings(a));
    expect(collegeSettings(b)).toMatchObject({ code: '10861', signoffRequired: true });
    expect(reasonEntries(b)).toEqual(reasonEntries(a));
  });
});

describe('a clone', () => {
  it('is a complete peer: findings, the previous-year list, the college key and its peers come along', async () => {
    const c = await collegeOf(2, 6, { checks: true });
    cleanups.push(c.close);
    const [a] = c.pcs;
    if (!a) throw new Error('no pcs');
    const prev = join(a.dir, '..', '上年考生.csv');
    writeFileSync(prev, `身份证号\n${c.ids[0]}\n`);
    await importPrevious(a, prev);
    const out = join(a.dir, '..', 'clone');
    cloneWorkspace(a, out, false);
    const k = openWorkspace(out);
    cleanups.push(() => k.close());
    expect(findings(k)).toEqual(findings(a));
    expect(findings(k).some((f) => f.startsWith(`${c.ids[0]}:previous_exam`))).toBe(true);
    expect(k.db.prepare('SELECT COUNT(*) FROM sync_peers').pluck().get()).toBe(2); // the source and its other peer
    const { collegeKey } = await import('../../../electron/workspace/keys.js');
    expect(collegeKey(k)?.publicKeyPem).toBe(collegeKey(a)?.publicKeyPem);
  });
});

/**
 * Running the eligibility checks: declared data (applicants area) + each scan's facts (documents
 * area) + peers (duplicates, the cross-check lists) fed into the pure catalogue (shared/checks),
 * results kept in check_results. Results are recomputed after every import, when the rules file
 * or a cross-check list changes (a stamp tells), and per applicant on demand.
 */
import type { CheckRunReport } from '../../shared/api/checks.js';
import { DeskError } from '../../shared/api/index.js';
import { checkApplicant, findPeers, hamming64, type PopulationRow } from '../../shared/checks/runner.js';
import type { CheckDocument, CheckResult, Peers, Severity } from '../../shared/checks/types.js';
import type { ApplicantDeclared } from '../../shared/domain.js';
import { findApplicant, idsWithPhone, idsWithSameFirst17, listApplicantRecords, listStamp } from '../applicants/index.js';
import { countDocuments, documentsWithFacts, documentsWithFactsReader, ensureFacts, FACTS_VERSION, scanPeerLookups, scansWithoutFacts } from '../documents/index.js';
import { log } from '../platform/index.js';
import type { Db } from '../workspace/index.js';
import type { Workspace } from '../workspace/index.js';
import { loadRules, type LoadedRules } from './rules.js';
import { crossLists, crossListStamp, listsWith } from './lists.js';

/** What the stored results must have been computed from to be current. */
function currentStamp(db: Db, rulesSha: string): string {
  // Documents count too: scans arrive by sync without any import on this PC.
  return `${rulesSha}|${listStamp(db)}|d${countDocuments(db)}|${crossListStamp(db)}|f${FACTS_VERSION}`;
}

/**
 * Rows the catalogue owns: catalogue ids have no dot. Other producers write namespaced ids into
 * the same table (the OCR area's 'ocr.…', through recordExternalFindings), and a rerun of the
 * catalogue must leave those alone.
 */
const OWN_ROWS = "instr(check_id, '.') = 0";

const insertSql = `INSERT INTO check_results (id_number, check_id, severity, message, message_en, field, document_id, suggested_reason, peers)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The one prepared INSERT, reused across applicants (preparing it per applicant cost more than the inserts). */
type Statement = { run(...params: unknown[]): unknown };

function insertResults(ins: Statement, idNumber: string, results: readonly CheckResult[]): void {
  for (const r of results) {
    ins.run(idNumber, r.checkId, r.severity, r.message, r.messageEn, r.field ?? null, r.documentId ?? null, r.suggestedReason ?? null, r.peers?.length ? JSON.stringify(r.peers) : '');
  }
}

/** Every check over every current applicant; replaces all stored results in one transaction. */
export async function runAllChecks(ws: Workspace, loaded: LoadedRules = loadRules()): Promise<CheckRunReport> {
  const started = performance.now();
  const { db } = ws;
  const factsComputed = await ensureFacts(ws, scansWithoutFacts(db));
  const applicants = listApplicantRecords(db).map((a) => a.declared);
  const docs = documentsWithFacts(db);
  const lists = crossLists(db);
  const population: PopulationRow[] = applicants.map((a) => ({
    idNumber: a.idNumber,
    phone: a.phone,
    documents: (docs.get(a.idNumber) ?? []).map((d) => ({ id: d.id, sha256: d.sha256, dhash: d.facts?.dhash ?? null, kind: d.kind })),
  }));
  const peers = findPeers(population, lists, loaded.rules.scans.similarMaxDistance);
  const all = applicants.map((declared) => ({
    idNumber: declared.idNumber,
    results: checkApplicant({ declared, documents: docs.get(declared.idNumber) ?? [], peers: peers.get(declared.idNumber) ?? emptyPeers() }, loaded.rules),
  }));
  let results = 0;
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const stamp = currentStamp(db, loaded.sha256);
  const ins = db.prepare(insertSql);
  db.transaction(() => {
    db.prepare(`DELETE FROM check_results WHERE ${OWN_ROWS}`).run();
    for (const a of all) {
      insertResults(ins, a.idNumber, a.results);
      results += a.results.length;
      for (const r of a.results) bySeverity[r.severity]++;
    }
    db.prepare('INSERT INTO check_runs (at, rules_version, rules_sha256, stamp, applicants, ms) VALUES (?, ?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), loaded.rules.version, loaded.sha256, stamp, all.length, Math.round(performance.now() - started));
  }).immediate();
  return { applicants: all.length, results, factsComputed, ms: Math.round(performance.now() - started), rulesVersion: loaded.rules.version, bySeverity };
}

function emptyPeers(): Peers {
  return { samePhone: [], sameId17: [], sameScan: [], similarScan: [], onLists: [] };
}

/**
 * After an import: recompute everything. The import has already committed, so a failure here must
 * not report the import as failed; the stale stamp makes the next read retry (and show the error).
 */
export async function refreshChecksAfterImport(ws: Workspace): Promise<void> {
  try {
    await runAllChecks(ws);
  } catch (e) {
    log('error', 'checks.after_import_failed', { message: (e as Error).message });
  }
}

/** Runs everything when the stored results are stale (rules file, list or a cross-check list changed). */
export async function ensureFresh(ws: Workspace): Promise<void> {
  const loaded = loadRules();
  const last = ws.db.prepare('SELECT stamp FROM check_runs ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
  if (last !== currentStamp(ws.db, loaded.sha256)) await runAllChecks(ws, loaded);
}

/** Lookups of one applicant's peers through indexes (the incremental path), current applicants only. */
function peerLookups(db: Db): (declared: ApplicantDeclared, docs: readonly CheckDocument[], maxDistance: number) => Peers {
  const current = new Set(listApplicantRecords(db).map((a) => a.declared.idNumber));
  const scans = scanPeerLookups(db);
  const onList = (ids: string[]): string[] => ids.filter((x) => current.has(x));
  return (declared, docs, maxDistance) => {
    const id = declared.idNumber;
    const sameScan: Peers['sameScan'] = [];
    const similarScan: Peers['similarScan'] = [];
    for (const d of docs) {
      const same = onList(scans.sameScan(d.sha256, id));
      if (same.length) sameScan.push({ documentId: d.id, others: same });
      const h = d.facts?.dhash;
      if (!h) continue;
      const rows = scans.similar({ sha256: d.sha256, kind: d.kind, dhash: h }, id).filter((r) => current.has(r.idNumber));
      const others = [...new Set(rows.filter((r) => hamming64(r.dhash, h) <= maxDistance).map((r) => r.idNumber))].sort();
      if (others.length) similarScan.push({ documentId: d.id, others });
    }
    return {
      samePhone: declared.phone.trim() ? idsWithPhone(db, declared.phone.trim(), id) : [],
      sameId17: id.length >= 17 ? idsWithSameFirst17(db, id.slice(0, 17), id) : [],
      sameScan,
      similarScan,
      onLists: listsWith(db, id),
    };
  };
}

/**
 * Recheck of one applicant: its own results, plus those of every applicant it collides with now
 * or collided with before (a changed phone number clears the old partner's duplicate too).
 */
export async function recheckApplicant(ws: Workspace, idNumber: string, loaded: LoadedRules = loadRules()): Promise<CheckResult[]> {
  const { db } = ws;
  const docsOf = documentsWithFactsReader(db);
  const own = docsOf(idNumber);
  if (own.some((d) => d.facts === null)) await ensureFacts(ws, own.map((d) => d.sha256));
  const oldPeers = db.prepare(`SELECT peers FROM check_results WHERE id_number = ? AND peers <> '' AND ${OWN_ROWS}`).pluck();
  const lookup = peerLookups(db);
  const compute = (id: string): { results: CheckResult[]; withdrawn: boolean } | null => {
    const a = findApplicant(db, id);
    if (!a) return null;
    if (a.withdrawn) return { results: [], withdrawn: true };
    const documents = docsOf(id);
    const peers = lookup(a.declared, documents, loaded.rules.scans.similarMaxDistance);
    return { results: checkApplicant({ declared: a.declared, documents, peers }, loaded.rules), withdrawn: false };
  };
  const mine = compute(idNumber);
  if (!mine) throw new DeskError('not_found', `没有身份证号为 ${idNumber} 的考生。`);
  const affected = new Set<string>();
  for (const p of oldPeers.all(idNumber) as string[]) for (const x of JSON.parse(p) as string[]) affected.add(x);
  for (const r of mine.results) for (const x of r.peers ?? []) affected.add(x);
  affected.delete(idNumber);
  const others = [...affected].map((id) => ({ id, r: compute(id) }));
  const del = db.prepare(`DELETE FROM check_results WHERE id_number = ? AND ${OWN_ROWS}`);
  const ins = db.prepare(insertSql);
  db.transaction(() => {
    del.run(idNumber);
    insertResults(ins, idNumber, mine.results);
    for (const o of others) {
      if (!o.r) continue;
      del.run(o.id);
      insertResults(ins, o.id, o.r.results);
    }
  }).immediate();
  return mine.results;
}

/**
 * Findings another area produced about one document (the OCR area's 'ocr.…' comparisons): they
 * replace that producer's earlier findings on the document, so the review sees one list.
 */
export function recordExternalFindings(ws: Workspace, producer: string, doc: { id: number; idNumber: string }, results: readonly CheckResult[]): void {
  if (!/^[a-z]+$/.test(producer)) throw new Error(`invalid findings producer ${producer}`);
  const ins = ws.db.prepare(insertSql);
  ws.db.transaction(() => {
    ws.db.prepare('DELETE FROM check_results WHERE document_id = ? AND check_id LIKE ?').run(doc.id, `${producer}.%`);
    insertResults(ins, doc.idNumber, results);
  }).immediate();
}

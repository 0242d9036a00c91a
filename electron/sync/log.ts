/**
 * The event log on disk: appending local events (HLC, hash chain, superseded heads), inserting
 * events that arrived from other PCs, and reading state back. Every writer of `decision_events`
 * goes through here, so the chain and the supersedes edges can never disagree with the rows.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Decision } from '../../shared/domain.js';
import { formatHlc, nodeIdOf, parseHlc, receive, tick, zeroHlc, type Hlc } from '../../shared/sync/hlc.js';
import { GENESIS_HASH, STATE_KINDS, eventHashInput, type EventKind, type JsonValue, type SyncEvent } from '../../shared/sync/events.js';
import type Database from 'better-sqlite3';
import { getMeta, initMeta, setMeta } from '../workspace/index.js';
import type { Db } from '../workspace/index.js';
import type { Workspace } from '../workspace/index.js';
import { originOf, writableOrigin } from './identity.js';
import { ROSTER_KINDS } from '../../shared/sync/trust.js';
import { ensureTrust, localSigner, upgrading } from './trust.js';

export interface EventRow {
  seq: number;
  id: string;
  id_number: string | null;
  decision: Decision | null;
  reasons: string;
  note: string;
  reviewer: string;
  device_id: string;
  at: string;
  kind: EventKind;
  subject: string | null;
  origin: string;
  origin_seq: number;
  hlc: string;
  supersedes: string;
  payload: string;
  prev_hash: string | null;
  hash: string | null;
  sig: string | null;
}

export function rowToEvent(r: EventRow): SyncEvent {
  return {
    id: r.id, origin: r.origin, originSeq: r.origin_seq, deviceId: r.device_id, hlc: r.hlc, kind: r.kind,
    idNumber: r.id_number, subject: r.subject, decision: r.decision, reasons: JSON.parse(r.reasons) as string[],
    note: r.note, reviewer: r.reviewer, at: r.at, supersedes: JSON.parse(r.supersedes) as string[],
    payload: JSON.parse(r.payload) as SyncEvent['payload'], prevHash: r.prev_hash ?? GENESIS_HASH, hash: r.hash ?? '',
    ...(r.sig ? { sig: r.sig } : {}),
  };
}

export function hashEvent(e: Omit<SyncEvent, 'hash'>): string {
  return createHash('sha256').update(eventHashInput(e)).digest('hex');
}

/** The college this workspace belongs to: its own id for the first PC, inherited by clones. */
export function collegeId(ws: Workspace): string {
  return getMeta(ws.db, 'college_id') ?? initMeta(ws.db, 'college_id', ws.workspaceId);
}

function loadClock(ws: Workspace): Hlc {
  const stored = getMeta(ws.db, 'hlc_clock');
  // The node is the origin's: events of two epochs of one PC never share a timestamp.
  const node = nodeIdOf(originOf(ws.db));
  const parsed = stored ? parseHlc(stored) : null;
  if (parsed) return { ...parsed, node };
  // Before the first local event the clock starts after anything already in the log.
  const max = ws.db.prepare('SELECT MAX(hlc) AS h FROM decision_events').get() as { h: string | null };
  const last = max.h ? parseHlc(max.h) : null;
  return last ? { ...last, node } : zeroHlc(node);
}

function saveClock(ws: Workspace, c: Hlc): void {
  setMeta(ws.db, 'hlc_clock', formatHlc(c));
}

/** Moves our clock past remote timestamps; returns the drift reports (remote far ahead of us). */
export function observeRemote(ws: Workspace, hlcs: string[], now = Date.now()): { hlc: string; driftMs: number }[] {
  let clock = loadClock(ws);
  const drift: { hlc: string; driftMs: number }[] = [];
  for (const h of hlcs) {
    const remote = parseHlc(h);
    if (!remote) continue;
    const r = receive(clock, remote, now);
    clock = r.clock;
    if (r.driftMs > 0) drift.push({ hlc: h, driftMs: r.driftMs });
  }
  saveClock(ws, clock);
  return drift;
}

/** Seals rows migrated from schema 1 (they had no hash); runs once, cheaply skipped after. */
export function sealLegacy(ws: Workspace): void {
  const db = ws.db;
  if (!db.prepare('SELECT 1 FROM decision_events WHERE hash IS NULL LIMIT 1').get()) return;
  db.transaction(() => {
    const rows = db.prepare('SELECT * FROM decision_events WHERE hash IS NULL ORDER BY origin, origin_seq').all() as EventRow[];
    const upd = db.prepare('UPDATE decision_events SET prev_hash = ?, hash = ? WHERE id = ?');
    for (const r of rows) {
      const prev = originHead(db, r.origin, r.origin_seq - 1)?.hash ?? GENESIS_HASH;
      const e = rowToEvent({ ...r, prev_hash: prev });
      upd.run(prev, hashEvent(e), r.id);
    }
  }).immediate();
}

function originHead(db: Db, origin: string, seq: number): { hash: string } | undefined {
  if (seq < 1) return undefined;
  return db.prepare('SELECT hash FROM decision_events WHERE origin = ? AND origin_seq = ?').get(origin, seq) as { hash: string } | undefined;
}

/** Highest origin_seq per origin workspace: what this workspace has (its version vector). */
export function marks(db: Db): Record<string, number> {
  const rows = db.prepare('SELECT origin, MAX(origin_seq) AS seq FROM decision_events GROUP BY origin').all() as { origin: string; seq: number }[];
  return Object.fromEntries(rows.map((r) => [r.origin, r.seq]));
}

const INSERT_SQL = `INSERT INTO decision_events (id, id_number, decision, reasons, note, reviewer, device_id, at, kind, subject,
  origin, origin_seq, hlc, supersedes, payload, prev_hash, hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

type Stmt = Database.Statement<unknown[]>;
interface Statements {
  insert: Stmt;
  edge: Stmt;
}
const statements = new WeakMap<Db, Statements>();

/** Prepared once per connection: a bundle of 10,000 events must merge in well under a second. */
function stmts(db: Db): Statements {
  let s = statements.get(db);
  if (!s) {
    s = {
      insert: db.prepare(INSERT_SQL),
      edge: db.prepare('INSERT OR IGNORE INTO decision_supersedes (superseded_id, event_id) VALUES (?, ?)'),
    };
    statements.set(db, s);
  }
  return s;
}

/** Writes one complete event (local or remote) with its supersedes edges. */
export function insertEvent(db: Db, e: SyncEvent): void {
  const s = stmts(db);
  s.insert.run(
    e.id, e.idNumber, e.decision, JSON.stringify(e.reasons), e.note, e.reviewer, e.deviceId, e.at, e.kind, e.subject,
    e.origin, e.originSeq, e.hlc, JSON.stringify(e.supersedes), JSON.stringify(e.payload), e.prevHash, e.hash, e.sig ?? null,
  );
  if (STATE_KINDS.includes(e.kind)) for (const x of e.supersedes) s.edge.run(x, e.id);
}

export interface Draft {
  kind: EventKind;
  /**
   * Only for a baseline of data older than the log (a list or accounts imported before they were
   * events): the time that data last changed, so it sorts where it happened, not as news.
   */
  hlc?: string;
  idNumber?: string | null;
  subject?: string | null;
  decision?: Decision | null;
  reasons?: string[];
  note?: string;
  reviewer: string;
  supersedes?: string[];
  payload?: { [k: string]: JsonValue };
}

/**
 * Appends local events in one transaction: each gets the next HLC tick, the next link of this
 * workspace's hash chain and this PC's signature, and must pass the same rule as an event that
 * arrives from another PC (shared/sync/trust.ts): a desk never writes what its peers would
 * refuse. The transaction matters: a crash must never leave a seq or hash gap.
 */
export function appendEvents(ws: Workspace, deviceId: string, drafts: Draft[], now = Date.now()): SyncEvent[] {
  sealLegacy(ws);
  // While the upgrade turns older data into events, they are written as they always were: unsigned,
  // on the origin of their time, and sealed together with the rest of the older log.
  const legacy = upgrading.has(ws);
  if (!legacy) ensureTrust(ws);
  const db = ws.db;
  return db.transaction(() => {
    // Before the clock: a new epoch changes the node the clock stamps.
    const origin = legacy ? originOf(db) : writableOrigin(ws);
    const signer = legacy ? null : localSigner(ws);
    let clock = loadClock(ws);
    const last = db.prepare('SELECT origin_seq, hash FROM decision_events WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1').get(origin) as
      | { origin_seq: number; hash: string }
      | undefined;
    let seq = last?.origin_seq ?? 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const out: SyncEvent[] = [];
    for (const d of drafts) {
      clock = tick(clock, now);
      seq += 1;
      const base: Omit<SyncEvent, 'hash'> = {
        id: randomUUID(), origin, originSeq: seq, deviceId, hlc: d.hlc ?? formatHlc(clock), kind: d.kind,
        idNumber: d.idNumber ?? null, subject: d.subject ?? d.idNumber ?? null, decision: d.decision ?? null,
        reasons: d.reasons ?? [], note: d.note ?? '', reviewer: d.reviewer, at: new Date(now).toISOString(),
        supersedes: d.supersedes ?? [], payload: d.payload ?? {}, prevHash,
      };
      const e: SyncEvent = { ...base, hash: hashEvent(base) };
      if (signer) {
        e.sig = signer.sign(e);
        signer.authorize(e);
      }
      insertEvent(db, e);
      if (signer && ROSTER_KINDS.includes(e.kind)) signer.roster.apply(e);
      prevHash = e.hash;
      out.push(e);
    }
    saveClock(ws, clock);
    return out;
  }).immediate();
}

export function eventsOfApplicant(db: Db, idNumber: string): SyncEvent[] {
  return (db.prepare('SELECT * FROM decision_events WHERE id_number = ? OR subject = ? ORDER BY hlc, id').all(idNumber, idNumber) as EventRow[]).map(rowToEvent);
}

/** Events of some kinds, optionally about one applicant (subject), in causal (HLC) order. */
export function eventsOfKind(db: Db, kinds: readonly EventKind[], subject?: string): SyncEvent[] {
  const marks = kinds.map(() => '?').join(', ');
  const sql = subject === undefined
    ? `SELECT * FROM decision_events WHERE kind IN (${marks}) ORDER BY hlc, id`
    : `SELECT * FROM decision_events WHERE kind IN (${marks}) AND subject = ? ORDER BY hlc, id`;
  const params: string[] = subject === undefined ? [...kinds] : [...kinds, subject];
  return (db.prepare(sql).all(...params) as EventRow[]).map(rowToEvent);
}

/**
 * Id of the latest event (by HLC) of a kind whose payload has `key` equal to `value`, or null. The
 * payload itself is not read: a list's thousands of ID numbers stay in the row until needed.
 */
export function latestEventIdWhere(db: Db, kind: EventKind, key: string, value: string): string | null {
  if (!/^[A-Za-z]+$/.test(key)) throw new Error(`invalid payload key ${key}`);
  const row = db.prepare(`SELECT id FROM decision_events WHERE kind = ? AND json_extract(payload, '$.${key}') = ? ORDER BY hlc DESC, id DESC LIMIT 1`)
    .pluck().get(kind, value) as string | undefined;
  return row ?? null;
}

/**
 * The heads of every applicant (state events nobody supersedes), grouped by applicant. What
 * shared/review/state.ts needs to decide each state: superseded events cannot change it.
 */
export function headsByApplicant(db: Db): Map<string, SyncEvent[]> {
  const out = new Map<string, SyncEvent[]>();
  for (const r of db.prepare('SELECT * FROM decision_heads ORDER BY id_number, hlc, id').iterate() as IterableIterator<EventRow>) {
    const e = rowToEvent(r);
    const id = r.id_number ?? '';
    const g = out.get(id);
    if (g) g.push(e);
    else out.set(id, [e]);
  }
  return out;
}

export function hasEvents(db: Db): boolean {
  return db.prepare('SELECT 1 FROM decision_events LIMIT 1').get() !== undefined;
}

/** Events that set an applicant's state (decisions, undos, rulings, 复核): what a backup lists as decisions. */
export function countDecisions(db: Db): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM decision_events WHERE kind IN (${STATE_KINDS.map(() => '?').join(', ')})`).get(...STATE_KINDS) as { n: number }).n;
}

export function countEvents(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM decision_events').get() as { n: number }).n;
}

/**
 * A timestamp in this PC's event order for something that is not itself an event yet (an
 * import of the list): it sorts after everything the log holds and before the next event.
 */
export function nextHlc(ws: Workspace, now = Date.now()): string {
  const clock = tick(loadClock(ws), now);
  saveClock(ws, clock);
  return formatHlc(clock);
}

export function headsOf(db: Db, idNumber: string): SyncEvent[] {
  return (db.prepare('SELECT * FROM decision_heads WHERE id_number = ? ORDER BY hlc, id').all(idNumber) as EventRow[]).map(rowToEvent);
}

export function eventById(db: Db, id: string): SyncEvent | null {
  const r = db.prepare('SELECT * FROM decision_events WHERE id = ?').get(id) as EventRow | undefined;
  return r ? rowToEvent(r) : null;
}

export interface ChainProblem {
  origin: string;
  originSeq: number;
  eventId: string;
  problem: 'gap' | 'prev_hash' | 'hash';
}

/** Re-hashes every origin's chain: proves no event was edited, removed or slipped in. */
export function verifyChains(ws: Workspace): { events: number; origins: number; problems: ChainProblem[] } {
  sealLegacy(ws);
  const rows = ws.db.prepare('SELECT * FROM decision_events ORDER BY origin, origin_seq').iterate() as IterableIterator<EventRow>;
  const problems: ChainProblem[] = [];
  let origin = '';
  let expectSeq = 1;
  let prev = GENESIS_HASH;
  let events = 0;
  const origins = new Set<string>();
  for (const r of rows) {
    events += 1;
    if (r.origin !== origin) {
      origin = r.origin;
      origins.add(origin);
      expectSeq = 1;
      prev = GENESIS_HASH;
    }
    const e = rowToEvent(r);
    if (r.origin_seq !== expectSeq) problems.push({ origin, originSeq: r.origin_seq, eventId: r.id, problem: 'gap' });
    if (e.prevHash !== prev) problems.push({ origin, originSeq: r.origin_seq, eventId: r.id, problem: 'prev_hash' });
    const { hash: _h, ...rest } = e;
    if (hashEvent(rest) !== r.hash) problems.push({ origin, originSeq: r.origin_seq, eventId: r.id, problem: 'hash' });
    prev = r.hash ?? '';
    expectSeq = r.origin_seq + 1;
  }
  return { events, origins: origins.size, problems };
}

/** Copies the whole log from an attached database (a clone for another PC). */
export function copyLogFrom(db: Db, alias: string): void {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`invalid alias ${alias}`);
  db.exec(`INSERT INTO main.decision_events SELECT * FROM ${alias}.decision_events;
    INSERT INTO main.decision_supersedes SELECT * FROM ${alias}.decision_supersedes;`);
}

/**
 * Takes events out of their place in the log: only a fork repair does (electron/sync/chains.ts),
 * inside the merge's transaction, and re-inserts the same events (same ids) in their new place
 * right after. The append-only trigger is lifted for exactly this statement and restored in the
 * same transaction, so a failure anywhere rolls both back.
 */
export function removeForRepair(db: Db, ids: readonly string[]): void {
  if (ids.length === 0) return;
  if (!db.inTransaction) throw new Error('removeForRepair must run inside the merge transaction');
  db.exec('DROP TRIGGER decision_events_no_delete');
  const del = db.prepare('DELETE FROM decision_events WHERE id = ?');
  for (const id of ids) del.run(id);
  db.exec(`CREATE TRIGGER decision_events_no_delete BEFORE DELETE ON decision_events
    BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;`);
}

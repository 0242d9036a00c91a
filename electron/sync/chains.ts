/**
 * Placing arriving events on their origins' chains, and repairing forks.
 *
 * A fork is two different events under one origin and sequence number. This desk never makes one
 * (electron/sync/identity.ts), but a desk before it did after a restore, and such a fork used to
 * block every later bundle of that PC on every PC. The repair is the same on every PC, so they
 * agree without talking to each other: of the two branches from the fork point on, the one whose
 * first event has the smaller hash keeps the origin; the other moves to the derived origin
 * `ORIGIN~<fork point>~<first 16 hex of its first hash>`, renumbered from 1 and re-chained, every other field
 * unchanged (id, HLC, reviewer, payload…). Ids stay, so supersedes edges, verdicts and list
 * versions still point at the same events, and every state derived from them is the same as
 * before; the moved copy is a pure function of the branch, so two PCs that move it make the same
 * events and later dedupe them by id and hash like any other.
 *
 * The planner reads only; mergeBundle writes its plan in one transaction.
 */
import { DeskError } from '../../shared/api/index.js';
import { GENESIS_HASH, type SyncEvent } from '../../shared/sync/events.js';
import type { Db } from '../workspace/index.js';
import { hashEvent, rowToEvent, type EventRow } from './log.js';

/** Where a branch that forked at `seq` moves: the origin, the fork point and its first hash, in the name. */
export const derivedOrigin = (origin: string, seq: number, firstHash: string): string => `${origin}~${seq}~${firstHash.slice(0, 16)}`;

/** The origin, fork point and first hash a derived origin names, or null for a plain origin. */
export function parseDerived(origin: string): { base: string; seq: number; hash16: string } | null {
  const m = /^(.+)~(\d+)~([0-9a-f]{16})$/.exec(origin);
  return m && m[1] !== undefined && m[2] !== undefined && m[3] !== undefined ? { base: m[1], seq: Number(m[2]), hash16: m[3] } : null;
}

/** The branch moved to `to`, starting at `startSeq` after the event with `prevHash`. */
export function rehome(branch: readonly SyncEvent[], to: string, startSeq = 1, prevHash = GENESIS_HASH): SyncEvent[] {
  const out: SyncEvent[] = [];
  let prev = prevHash;
  branch.forEach((e, i) => {
    const { hash: _old, ...rest } = e;
    const base: Omit<SyncEvent, 'hash'> = { ...rest, origin: to, originSeq: startSeq + i, prevHash: prev };
    const moved: SyncEvent = { ...base, hash: hashEvent(base) };
    prev = moved.hash;
    out.push(moved);
  });
  return out;
}

interface Slot {
  id: string;
  hash: string;
}

interface Chain {
  bySeq: Map<number, Slot>;
  tip: number;
}

export interface MovedEvent {
  eventId: string;
  origin: string;
  originSeq: number;
  hash: string;
  movedTo: string;
  movedSeq: number;
}

export interface ForkFound {
  origin: string;
  originSeq: number;
  /** The first event of the branch that kept the origin; '' while this PC does not have it. */
  keptHash: string;
  /** First 16 hex of the first event of the branch that moved. */
  movedHash: string;
  movedTo: string;
}

export interface EventPlan {
  /** Events to insert, in order (arrived ones and moved copies). */
  fresh: SyncEvent[];
  /** Ids of local events to take out of their place (they are re-inserted moved, in `fresh`). */
  remove: string[];
  moved: MovedEvent[];
  forks: ForkFound[];
  /** Events already here (by id and hash, or moved here earlier). */
  duplicates: number;
  /** Origins whose chain forked. */
  forkedOrigins: Set<string>;
}

/**
 * The chains as this merge sees them: the database plus what the plan has done so far (events
 * added, local branches taken out). Loaded per origin on first use.
 */
class Chains {
  private readonly chains = new Map<string, Chain>();
  private readonly planned = new Map<string, { origin: string; seq: number }>();
  private readonly removed = new Set<string>();
  private readonly rows;
  private readonly place;
  private readonly movedStmt;
  private readonly movedAt;
  private readonly branch;

  constructor(private readonly db: Db) {
    this.rows = db.prepare('SELECT id, origin_seq, hash FROM decision_events WHERE origin = ? ORDER BY origin_seq');
    this.place = db.prepare('SELECT origin, origin_seq FROM decision_events WHERE id = ?');
    this.movedStmt = db.prepare('SELECT * FROM sync_moved WHERE event_id = ?');
    this.movedAt = db.prepare('SELECT * FROM sync_moved WHERE origin = ? AND origin_seq = ? AND hash = ?');
    this.branch = db.prepare('SELECT * FROM decision_events WHERE origin = ? AND origin_seq >= ? ORDER BY origin_seq');
  }

  chain(origin: string): Chain {
    let c = this.chains.get(origin);
    if (!c) {
      const rows = this.rows.all(origin) as { id: string; origin_seq: number; hash: string }[];
      c = { bySeq: new Map(rows.map((r) => [r.origin_seq, { id: r.id, hash: r.hash }])), tip: rows.at(-1)?.origin_seq ?? 0 };
      this.chains.set(origin, c);
    }
    return c;
  }

  at(origin: string, seq: number): Slot | undefined {
    return this.chain(origin).bySeq.get(seq);
  }

  tipHash(origin: string): string {
    const c = this.chain(origin);
    return c.tip === 0 ? GENESIS_HASH : (c.bySeq.get(c.tip)?.hash ?? GENESIS_HASH);
  }

  add(e: SyncEvent): void {
    const c = this.chain(e.origin);
    c.bySeq.set(e.originSeq, { id: e.id, hash: e.hash });
    c.tip = Math.max(c.tip, e.originSeq);
    this.planned.set(e.id, { origin: e.origin, seq: e.originSeq });
  }

  /** Where an event with this id stands now (in the database or the plan), if anywhere. */
  placeOf(id: string): { origin: string; seq: number } | undefined {
    const p = this.planned.get(id);
    if (p) return p;
    if (this.removed.has(id)) return undefined;
    const r = this.place.get(id) as { origin: string; origin_seq: number } | undefined;
    return r ? { origin: r.origin, seq: r.origin_seq } : undefined;
  }

  movedRow(id: string): { origin: string; origin_seq: number; hash: string; moved_to: string; moved_seq: number } | undefined {
    return this.movedStmt.get(id) as ReturnType<Chains['movedRow']>;
  }

  movedFrom(origin: string, seq: number, hash: string): { moved_to: string; moved_seq: number } | undefined {
    return this.movedAt.get(origin, seq, hash) as { moved_to: string; moved_seq: number } | undefined;
  }

  /** Takes the local events of `origin` from `seq` on out of the chain (only database rows can be). */
  takeFrom(origin: string, seq: number): SyncEvent[] {
    const c = this.chain(origin);
    const events = (this.branch.all(origin, seq) as EventRow[]).map(rowToEvent).filter((e) => !this.removed.has(e.id));
    for (const e of events) {
      this.removed.add(e.id);
      c.bySeq.delete(e.originSeq);
    }
    c.tip = seq - 1;
    return events;
  }
}

function gap(origin: string, have: number, from: number): DeskError {
  return new DeskError(
    'bundle_gap',
    `同步包缺少工作区 ${origin.slice(0, 8)}… 第 ${have + 1} 条之前的事件（本包从第 ${from} 条开始）。请先导入更早的同步包，或让对方不带 --peer 导出完整同步包。`,
  );
}

/**
 * Decides, without writing, what merging these (verified, hash-checked) events means: which are
 * new, which are here already, and which forks to repair and how. Throws a DeskError when an
 * event cannot be placed (a gap) or contradicts the log (same id, different content).
 */
export function planEvents(db: Db, events: readonly SyncEvent[]): EventPlan {
  const chains = new Chains(db);
  const plan: EventPlan = { fresh: [], remove: [], moved: [], forks: [], duplicates: 0, forkedOrigins: new Set() };
  const sorted = [...events].sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : a.originSeq - b.originSeq));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    if (a && b && a.origin === b.origin && a.originSeq === b.originSeq) {
      throw new DeskError('bundle_tampered', `同步包中工作区 ${a.origin.slice(0, 8)}… 的第 ${a.originSeq} 条事件出现两次，已拒绝。`);
    }
  }

  const move = (branch: SyncEvent[], to: string): void => {
    const start = chains.chain(to).tip + 1;
    // A moved branch is a function of the branch: copies another PC made are found as duplicates.
    const copies = rehome(branch, to, 1);
    copies.forEach((m, idx) => {
      const from = branch[idx];
      if (!from) return;
      plan.moved.push({ eventId: from.id, origin: from.origin, originSeq: from.originSeq, hash: from.hash, movedTo: to, movedSeq: m.originSeq });
      const have = chains.at(to, m.originSeq);
      if (have) {
        if (have.id !== m.id || have.hash !== m.hash) throw new DeskError('bundle_tampered', `事件 ${m.id} 的分叉修复结果与本机不一致，已拒绝。`);
        return;
      }
      if (m.originSeq !== chains.chain(to).tip + 1) throw gap(to, chains.chain(to).tip, start);
      chains.add(m);
      plan.fresh.push(m);
    });
  };

  // One origin at a time, in sequence order.
  let i = 0;
  while (i < sorted.length) {
    const e = sorted[i];
    if (!e) break;
    const origin = e.origin;
    const have = chains.at(origin, e.originSeq);
    if (have) {
      if (have.id === e.id && have.hash === e.hash) {
        plan.duplicates++;
        i++;
        continue;
      }
      if (have.id === e.id) throw new DeskError('bundle_tampered', `事件 ${e.id} 与本机记录不一致，已拒绝。`);
      if (chains.movedFrom(origin, e.originSeq, e.hash)) {
        plan.duplicates++; // a branch moved here earlier, arriving again in its old place
        i++;
        continue;
      }
      // A fork. Both branches must start after the same event to be compared.
      const k = e.originSeq;
      const before = k === 1 ? GENESIS_HASH : chains.at(origin, k - 1)?.hash;
      if (e.prevHash !== before) throw gap(origin, k - 1, k);
      const remote: SyncEvent[] = [e];
      let j = i + 1;
      for (; j < sorted.length; j++) {
        const n = sorted[j];
        const last = remote.at(-1);
        if (!n || !last || n.origin !== origin || n.originSeq !== last.originSeq + 1 || n.prevHash !== last.hash) break;
        remote.push(n);
      }
      plan.forkedOrigins.add(origin);
      if (have.hash < e.hash) {
        const to = derivedOrigin(origin, k, e.hash);
        move(remote, to);
        plan.forks.push({ origin, originSeq: k, keptHash: have.hash, movedHash: e.hash.slice(0, 16), movedTo: to });
      } else {
        const local = chains.takeFrom(origin, k);
        plan.remove.push(...local.map((x) => x.id));
        const to = derivedOrigin(origin, k, have.hash);
        move(local, to);
        plan.forks.push({ origin, originSeq: k, keptHash: e.hash, movedHash: have.hash.slice(0, 16), movedTo: to });
        for (const r of remote) {
          chains.add(r);
          plan.fresh.push(r);
        }
      }
      // Anything of this origin after the remote branch cannot be placed on either chain.
      const rest = sorted[j];
      if (rest && rest.origin === origin) throw gap(origin, chains.chain(origin).tip, rest.originSeq);
      i = j;
      continue;
    }
    const c = chains.chain(origin);
    if (e.originSeq === c.tip + 1 && e.prevHash === chains.tipHash(origin)) {
      // Only a moved copy (a derived origin) can meet its own id elsewhere in this log; any other
      // id clash is a contradiction the insert refuses (mergeBundle reports it as tampering).
      const derived = parseDerived(origin);
      const there = derived ? chains.placeOf(e.id) : undefined;
      if (there) {
        // A moved copy of an event this PC still holds in its old place: another PC repaired a
        // fork this PC has not seen yet. Move the local branch the same way, then this is a duplicate.
        const k = derived ? there.seq - (e.originSeq - 1) : 0;
        const first = derived ? chains.at(there.origin, k) : undefined;
        if (!derived || there.origin !== derived.base || k !== derived.seq || !first || derivedOrigin(derived.base, k, first.hash) !== origin) {
          throw new DeskError('bundle_tampered', `事件 ${e.id} 在同步包和本机中位置不同，已拒绝。`);
        }
        const local = chains.takeFrom(derived.base, k);
        plan.remove.push(...local.map((x) => x.id));
        plan.forkedOrigins.add(derived.base);
        move(local, origin);
        plan.forks.push({ origin: derived.base, originSeq: k, keptHash: '', movedHash: derived.hash16, movedTo: origin });
        continue; // look at e again: now a duplicate of the local copy (or a contradiction)
      }
      // The first moved event of a fork another PC repaired: this PC learns of the fork here.
      if (derived && e.originSeq === 1) {
        plan.forkedOrigins.add(derived.base);
        plan.forks.push({ origin: derived.base, originSeq: derived.seq, keptHash: chains.at(derived.base, derived.seq)?.hash ?? '', movedHash: derived.hash16, movedTo: origin });
      }
      chains.add(e);
      plan.fresh.push(e);
      i++;
      continue;
    }
    if (chains.movedFrom(origin, e.originSeq, e.hash)) {
      plan.duplicates++;
      i++;
      continue;
    }
    // A branch that was moved keeps growing on a desk that has not been upgraded: follow it.
    const prev = e.originSeq > 1 ? chains.movedFrom(origin, e.originSeq - 1, e.prevHash) : undefined;
    if (prev) {
      const to = prev.moved_to;
      if (chains.chain(to).tip === prev.moved_seq) {
        const [m] = rehome([e], to, prev.moved_seq + 1, chains.tipHash(to));
        if (m) {
          plan.moved.push({ eventId: e.id, origin, originSeq: e.originSeq, hash: e.hash, movedTo: to, movedSeq: m.originSeq });
          chains.add(m);
          plan.fresh.push(m);
          i++;
          continue;
        }
      }
    }
    throw gap(origin, c.tip, e.originSeq);
  }
  return plan;
}

/**
 * The colleges this installation knows (学院列表) and the switch between them. The list is kept in
 * `colleges.json` in the desk's home folder (id, folder, name, when made and last opened, the
 * last counts seen); names, counts and the last sync are read afresh from each workspace when
 * the start screen lists them. Opening a college opens its workspace first (lock included) and
 * only then closes the one that was open, so a refusal (another desk has it) leaves the desk as
 * it was. The demo college is one entry (id 'demo'), made on its first opening.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { DeskError, type AreaHandlers, type CollegeEntry, type CollegesResults, type CurrentCollege } from '../../shared/api/index.js';
import { countApplicants } from '../applicants/index.js';
import { collegeSettings, setCollegeSettings } from '../college/index.js';
import { sweepKilledWrites } from '../documents/index.js';
import { ocrServiceFor } from '../ocr/index.js';
import { findResource, log } from '../platform/index.js';
import { statusSummary } from '../review/index.js';
import { bundleCollege, joinFromBundle, lastSyncAt } from '../sync/index.js';
import { DB_FILE, LOCK_FILE, openWorkspace, peekWorkspace, type Workspace } from '../workspace/index.js';
import { DEMO_COLLEGE, DEMO_FOLDER, ensureDemoWorkspace } from './bootstrap.js';
import type { DeskContext } from './context.js';
import { safeName } from './files.js';

export const REGISTRY_FILE = 'colleges.json';

/** The review years this desk has rules for, newest first. */
export function ruleYears(): number[] {
  const dir = findResource('rules');
  if (!dir) return [];
  return readdirSync(dir).map((f) => /^(\d{4})\.json$/.exec(f)?.[1]).filter((y): y is string => !!y).map(Number).sort((a, b) => b - a);
}
const DEMO_ID = 'demo';

interface Stored {
  id: string;
  folder: string;
  name: string;
  demo?: boolean;
  createdAt: string;
  lastOpenedAt: string | null;
  /** What the last look into the workspace found (shown when it cannot be read now). */
  seen?: { applicants: number; decided: number; lastSyncAt: string | null; code: string; year: number };
}

interface RegistryFile {
  version: 1;
  colleges: Stored[];
  /** The college open when the desk last stopped (reopened at the next start), or null. */
  reopen: string | null;
}

/** The sweep of killed writes on open; a failure of it never keeps a college from opening. */
function sweepOrphans(ws: Workspace): void {
  try {
    const r = sweepKilledWrites(ws);
    if (r.scans + r.journals + r.parts > 0) log('info', 'documents.sweep', { ...r });
  } catch (e) {
    log('warn', 'documents.sweep', { code: e instanceof DeskError ? e.code : 'internal' });
  }
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string): string => (process.platform === 'win32' ? resolve(p).toLowerCase() : resolve(p));
  return norm(a) === norm(b);
}

/** A folder as kept in the list: as given when absolute (a '//server/share' path stays one), else resolved. */
function keep(folder: string): string {
  return isAbsolute(folder) ? folder : resolve(folder);
}

function newId(): string {
  return `c_${randomBytes(9).toString('base64url')}`;
}

export class CollegeRegistry {
  constructor(private readonly home: () => string) {}

  private file(): string {
    return join(this.home(), REGISTRY_FILE);
  }

  read(): RegistryFile {
    let r: RegistryFile = { version: 1, colleges: [], reopen: null };
    try {
      const parsed = JSON.parse(readFileSync(this.file(), 'utf8')) as Partial<RegistryFile>;
      if (Array.isArray(parsed.colleges)) {
        r = {
          version: 1,
          colleges: parsed.colleges.filter((c): c is Stored => !!c && typeof c.id === 'string' && typeof c.folder === 'string' && typeof c.name === 'string'),
          reopen: typeof parsed.reopen === 'string' ? parsed.reopen : null,
        };
      }
    } catch {
      // No list yet (or an unreadable one): this PC knows only the demo.
    }
    if (!r.colleges.some((c) => c.id === DEMO_ID)) {
      r.colleges.push({ id: DEMO_ID, folder: join(this.home(), DEMO_FOLDER), name: DEMO_COLLEGE, demo: true, createdAt: '', lastOpenedAt: null });
    }
    return r;
  }

  write(r: RegistryFile): void {
    mkdirSync(this.home(), { recursive: true });
    // Written whole to a temporary file and renamed: a crash leaves the old list, never half of one.
    const tmp = `${this.file()}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(r, null, 2));
    renameSync(tmp, this.file());
  }

  update(f: (r: RegistryFile) => void): RegistryFile {
    const r = this.read();
    f(r);
    this.write(r);
    return r;
  }

  get(id: string): Stored {
    const c = this.read().colleges.find((x) => x.id === id);
    if (!c) throw new DeskError('college_unknown', '本机的学院列表里没有这个学院（可能已被移除）。');
    return c;
  }

  byFolder(folder: string): Stored | undefined {
    return this.read().colleges.find((c) => samePath(c.folder, folder));
  }
}

/** What the start screen shows of one college: read from its workspace when it can be. */
function describe(c: Stored, open: Workspace | null): CollegeEntry {
  const isOpen = open !== null && samePath(open.dir, c.folder);
  const base: CollegeEntry = {
    id: c.id, name: c.name, code: c.seen?.code ?? '', year: c.seen?.year ?? null, demo: c.demo === true, folder: c.folder,
    createdAt: c.createdAt, lastOpenedAt: c.lastOpenedAt, applicants: c.seen?.applicants ?? null, decided: c.seen?.decided ?? null,
    lastSyncAt: c.seen?.lastSyncAt ?? null, notYetMade: false, problem: null, storageWarning: null, open: isOpen,
  };
  if (!existsSync(join(c.folder, DB_FILE))) {
    if (c.demo) return { ...base, notYetMade: true };
    return { ...base, problem: `找不到学院的数据：${c.folder}（文件夹已被移动或删除？）` };
  }
  let ws: Workspace | null = open && isOpen ? open : null;
  let peeked: Workspace | null = null;
  try {
    if (!ws) ws = peeked = peekWorkspace(c.folder);
    const settings = collegeSettings(ws);
    const summary = statusSummary(ws);
    const decided = summary.byDecision.approve + summary.byDecision.reject + summary.byDecision.return;
    return {
      ...base, name: settings.name || c.name, code: settings.code, year: settings.year, applicants: countApplicants(ws.db), decided,
      lastSyncAt: lastSyncAt(ws.db), storageWarning: ws.storageWarning,
    };
  } catch (e) {
    // Another version, or a file another program holds: the last counts seen are shown instead.
    log('warn', 'colleges.describe', { code: e instanceof DeskError ? e.code : 'internal' });
    return base;
  } finally {
    peeked?.close();
  }
}

export interface CollegeServiceOptions {
  /** Something is running that must finish before the desk switches (an import). */
  busy(): boolean;
}

/** The start screen's operations on one desk. */
export class CollegeService {
  readonly registry: CollegeRegistry;
  /** Why the college of the last session was not reopened at this start. */
  private notice: CurrentCollege['notice'] = null;

  constructor(private readonly ctx: DeskContext, private readonly home: () => string, private readonly opts: CollegeServiceOptions) {
    this.registry = new CollegeRegistry(home);
  }

  private openWs(): Workspace | null {
    return this.ctx.hasWorkspace() ? this.ctx.ws() : null;
  }

  list(): CollegeEntry[] {
    const r = this.registry.read();
    const open = this.openWs();
    const entries = r.colleges.map((c) => describe(c, open));
    // Remember what was read, so a college that cannot be read later still shows its last counts.
    const seen = new Map(entries.filter((e) => e.applicants !== null && e.problem === null && !e.notYetMade).map((e) => [e.id, e]));
    const changed = r.colleges.some((c) => {
      const e = seen.get(c.id);
      return e !== undefined && (c.name !== e.name || JSON.stringify(c.seen) !== JSON.stringify({ applicants: e.applicants ?? 0, decided: e.decided ?? 0, lastSyncAt: e.lastSyncAt, code: e.code, year: e.year ?? 2024 }));
    });
    if (changed) {
      try {
        this.registry.update((reg) => {
          for (const c of reg.colleges) {
            const e = seen.get(c.id);
            if (e) {
              c.name = e.name;
              c.seen = { applicants: e.applicants ?? 0, decided: e.decided ?? 0, lastSyncAt: e.lastSyncAt, code: e.code, year: e.year ?? 2024 };
            }
          }
        });
      } catch {
        // A read-only home folder: the list still shows.
      }
    }
    // The demo last, the others by when they were last opened.
    return entries.sort((a, b) => Number(a.demo) - Number(b.demo) || (b.lastOpenedAt ?? '').localeCompare(a.lastOpenedAt ?? ''));
  }

  current(): CurrentCollege {
    const open = this.openWs();
    if (!open) return { college: null, notice: this.notice, ruleYears: ruleYears() };
    // A folder opened directly (a desk made on it by a test or an older start) joins the list.
    const c = this.registry.byFolder(open.dir) ?? this.registry.get(this.remember(open.dir));
    return { college: describe(c, open), notice: this.notice, ruleYears: ruleYears() };
  }

  /**
   * Switches the desk to the workspace in `folder`: opened first (with the lock), the old one
   * closed after (its reading queue paused, its lock released). A refusal leaves the old one open.
   */
  private switchTo(folder: string, extra: { takeOver?: boolean; create?: boolean; college?: string } = {}): Workspace {
    this.refuseWhileBusy();
    const old = this.openWs();
    if (old && samePath(old.dir, folder)) return old;
    return this.adopt(this.openFolder(folder, extra));
  }

  private refuseWhileBusy(): void {
    if (this.opts.busy()) throw new DeskError('desk_busy', '正在导入名单，请等导入完成（或取消）后再切换学院。');
  }

  private openFolder(folder: string, extra: { takeOver?: boolean; create?: boolean; college?: string } = {}): Workspace {
    return openWorkspace(folder, {
      // Claimed by this installation: a copy of a college that another desk was using (加入学院
      // from a copy) starts its own origin instead of writing under the other PC's.
      deviceId: this.ctx.deviceId,
      lock: this.ctx.settings.lock,
      ...(this.ctx.settings.busyTimeoutMs !== undefined ? { busyTimeoutMs: this.ctx.settings.busyTimeoutMs } : {}),
      ...extra,
    });
  }

  /** The desk takes an opened workspace: the old one's reading queue paused, the old one closed. */
  private adopt(ws: Workspace): Workspace {
    const old = this.openWs();
    if (old) ocrServiceFor(old, this.ctx.settings.ocrSpawner).pause();
    this.ctx.setWorkspace(ws);
    this.notice = null;
    // A desk holding the lock removes what an import or sync killed here before left behind.
    if (this.ctx.settings.lock) sweepOrphans(ws);
    if (this.ctx.settings.backgroundOcr) ocrServiceFor(ws, this.ctx.settings.ocrSpawner).start();
    return ws;
  }

  private opened(id: string): void {
    this.registry.update((r) => {
      const c = r.colleges.find((x) => x.id === id);
      if (c) c.lastOpenedAt = new Date().toISOString();
      r.reopen = id;
    });
  }

  private entry(id: string): CollegeEntry {
    const c = this.registry.get(id);
    return describe(c, this.openWs());
  }

  /** Adds a workspace folder to the list (or finds it there), named as the workspace says. */
  remember(folder: string, demo = false): string {
    const known = this.registry.byFolder(folder);
    if (known) return known.id;
    let name = basename(folder);
    try {
      const ws = peekWorkspace(folder);
      try {
        name = collegeSettings(ws).name || ws.college || name;
      } finally {
        ws.close();
      }
    } catch {
      // Named by its folder until it can be read.
    }
    const id = newId();
    this.registry.update((r) => {
      r.colleges.push({ id, folder: keep(folder), name, ...(demo ? { demo } : {}), createdAt: new Date().toISOString(), lastOpenedAt: null });
    });
    return id;
  }

  async open(args: { id?: string | undefined; folder?: string | undefined; takeOver: boolean }): Promise<CollegeEntry> {
    let id: string;
    if (args.folder !== undefined) {
      if (!existsSync(join(args.folder, DB_FILE))) throw new DeskError('workspace_missing', `这个文件夹里没有学院的数据（找不到 ${DB_FILE}）：${args.folder}`);
      id = this.remember(args.folder);
    } else if (args.id !== undefined) {
      id = args.id;
    } else {
      throw new DeskError('invalid_args', '请指定要打开的学院。');
    }
    const c = this.registry.get(id);
    // The demo is made on its first opening (about half a minute), exactly as before.
    if (c.demo) await ensureDemoWorkspace(this.home());
    else if (!existsSync(join(c.folder, DB_FILE))) throw new DeskError('workspace_missing', `找不到学院的数据：${c.folder}（文件夹已被移动或删除？）`);
    this.switchTo(c.folder, { takeOver: args.takeOver });
    this.opened(id);
    log('info', 'colleges.open', { demo: c.demo === true });
    return this.entry(id);
  }

  create(args: { name: string; code?: string | undefined; year?: number | undefined; folder?: string | undefined; by?: string | undefined }): CollegeEntry {
    const years = ruleYears();
    if (args.year !== undefined && !years.includes(args.year)) {
      throw new DeskError('rules_missing', `本程序还没有 ${args.year} 年的审核规则（已有：${years.join('、') || '无'}），请选择已有的年度或更新审核台。`);
    }
    let folder: string;
    if (args.folder !== undefined) {
      folder = args.folder;
      if (existsSync(join(folder, DB_FILE))) throw new DeskError('college_exists', `这个文件夹里已经有一个学院，请用“打开”：${folder}`);
      if (existsSync(folder) && readdirSync(folder).length > 0) throw new DeskError('folder_not_empty', `请选择一个新的或空的文件夹来存放学院：${folder}`);
    } else {
      const root = join(this.home(), 'colleges');
      mkdirSync(root, { recursive: true });
      folder = join(root, safeName(args.name, 'college'));
      for (let i = 2; existsSync(folder); i++) folder = join(root, `${safeName(args.name, 'college')}-${i}`);
    }
    const ws = this.switchTo(folder, { create: true, college: args.name });
    const patch = { ...(args.code !== undefined ? { code: args.code } : {}), ...(args.year !== undefined ? { year: args.year } : {}) };
    // Before accounts exist the settings change is recorded under the name given (or as made with the college).
    if (Object.keys(patch).length > 0) setCollegeSettings(ws, this.ctx.deviceId, patch, args.by ?? '新建学院');
    const id = newId();
    this.registry.update((r) => {
      r.colleges.push({ id, folder: keep(folder), name: args.name, createdAt: new Date().toISOString(), lastOpenedAt: new Date().toISOString() });
      r.reopen = id;
    });
    log('info', 'colleges.create', {});
    return this.entry(id);
  }

  /** 加入学院: from a copy another PC made (workspace.clone), or from a bundle with the passphrase. */
  join(args: { source: string; passphrase?: string | undefined; folder?: string | undefined }): CollegeEntry {
    const isFolder = existsSync(args.source) && statSync(args.source).isDirectory();
    let name: string;
    if (isFolder) {
      if (!existsSync(join(args.source, DB_FILE))) throw new DeskError('join_not_a_college', `这个文件夹不是审核台的工作区副本（找不到 ${DB_FILE}）：${args.source}`);
      const ws = peekWorkspace(args.source);
      try {
        name = collegeSettings(ws).name || ws.college;
      } finally {
        ws.close();
      }
    } else {
      if (!existsSync(args.source)) throw new DeskError('file_missing', `找不到：${args.source}`);
      if (!args.passphrase) throw new DeskError('passphrase_missing', '请输入学院统一的同步口令。');
      name = bundleCollege(readFileSync(args.source)).college || '加入的学院';
    }
    let folder = args.folder;
    if (folder === undefined) {
      const root = join(this.home(), 'colleges');
      mkdirSync(root, { recursive: true });
      folder = join(root, safeName(name, 'college'));
      for (let i = 2; existsSync(folder); i++) folder = join(root, `${safeName(name, 'college')}-${i}`);
    } else if (existsSync(folder) && readdirSync(folder).length > 0) {
      throw new DeskError('folder_not_empty', `请选择一个新的或空的文件夹来存放学院：${folder}`);
    }
    const target = folder;
    this.refuseWhileBusy();
    // The new college is made and filled first; only a complete one replaces the open college,
    // so a wrong passphrase or a damaged copy leaves the desk as it was and nothing behind.
    let ws: Workspace | null = null;
    try {
      if (isFolder) {
        // The copy runs from this PC's disk, not from the USB stick it arrived on; another
        // desk's lock file does not come along.
        mkdirSync(dirname(target), { recursive: true });
        cpSync(args.source, target, { recursive: true, filter: (src) => basename(src) !== LOCK_FILE });
        ws = this.openFolder(target);
      } else {
        ws = this.openFolder(target, { create: true, college: name });
        joinFromBundle(ws, readFileSync(args.source), args.passphrase ?? '', basename(args.source));
      }
    } catch (e) {
      ws?.close();
      rmSync(target, { recursive: true, force: true });
      throw e;
    }
    this.adopt(ws);
    const id = newId();
    this.registry.update((r) => {
      r.colleges.push({ id, folder: keep(target), name, createdAt: new Date().toISOString(), lastOpenedAt: new Date().toISOString() });
      r.reopen = id;
    });
    log('info', 'colleges.join', { from: isFolder ? 'clone' : 'bundle' });
    return this.entry(id);
  }

  /** Back to the start screen: the open college is closed and not reopened at the next start. */
  close(): { closed: boolean } {
    if (this.opts.busy()) throw new DeskError('desk_busy', '正在导入名单，请等导入完成（或取消）后再关闭学院。');
    const open = this.openWs();
    if (open) ocrServiceFor(open, this.ctx.settings.ocrSpawner).pause();
    this.ctx.setWorkspace(null);
    this.registry.update((r) => {
      r.reopen = null;
    });
    return { closed: open !== null };
  }

  forget(id: string): { forgotten: boolean } {
    const c = this.registry.get(id);
    if (c.demo) throw new DeskError('college_demo', '演示学院总在列表里。');
    const open = this.openWs();
    if (open && samePath(open.dir, c.folder)) throw new DeskError('college_open', '这个学院正打开着，请先回到开始页面。');
    this.registry.update((r) => {
      r.colleges = r.colleges.filter((x) => x.id !== id);
      if (r.reopen === id) r.reopen = null;
    });
    return { forgotten: true };
  }

  /**
   * At the desk's start: a folder named on the command line, else the college open when the
   * desk last stopped. A college that cannot be opened (another desk holds it, its folder is
   * gone) leaves the desk on the start screen with the reason as the notice; never throws.
   */
  async startup(opts: { folder?: string | undefined; reopen: boolean }): Promise<void> {
    const id = opts.folder !== undefined ? null : opts.reopen ? this.registry.read().reopen : null;
    if (opts.folder === undefined && id === null) return;
    try {
      if (opts.folder !== undefined) await this.open({ folder: opts.folder, takeOver: false });
      else if (id !== null) await this.open({ id, takeOver: false });
    } catch (e) {
      const err = e instanceof DeskError ? e : new DeskError('internal', e instanceof Error ? e.message : String(e));
      let known: string | null = id;
      if (opts.folder !== undefined) known = this.registry.byFolder(opts.folder)?.id ?? null;
      this.notice = { code: err.code, message: err.message, id: known, ...(err.details !== undefined ? { details: err.details } : {}) };
      log('warn', 'colleges.reopen', { code: err.code });
    }
  }
}

export function collegesHandlers(svc: CollegeService): AreaHandlers<CollegesResults> {
  return {
    'colleges.list': () => svc.list(),
    'colleges.current': () => svc.current(),
    'colleges.create': (a) => svc.create(a),
    'colleges.open': (a) => svc.open(a),
    'colleges.join': (a) => svc.join(a),
    'colleges.close': () => svc.close(),
    'colleges.forget': ({ id }) => svc.forget(id),
  };
}

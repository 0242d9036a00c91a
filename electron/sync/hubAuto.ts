/**
 * 自动同步: while a college is open and its settings name a hub, the main process visits the hub
 * every few minutes (never the renderer: a visit outlives any screen). Nothing waits for it: the
 * desk works offline as before, an unreachable hub only turns the light to 离线 and the next
 * attempt comes later (doubling up to half an hour), and a visit cut short leaves nothing half
 * done on either side, so the next one simply catches up. The toolbar polls `status()`.
 */
import { DeskError, type HubStatus } from '../../shared/api/index.js';
import type { SecretStore } from '../platform/index.js';
import type { Workspace } from '../workspace/index.js';
import { syncWithHub } from './hub.js';
import { hubUrlPassword, hubUrlWithoutPassword, hubUrlWithPassword, redactHubUrl } from './hubUrl.js';
import { collegeId } from './log.js';

export const HUB_INTERVAL_MS = 3 * 60 * 1000;
export const HUB_MAX_BACKOFF_MS = 30 * 60 * 1000;
/** The first visit after a college opens: soon, but not in the middle of opening it. */
const FIRST_DELAY_MS = 5000;
/** Failures that mean "not reachable now": back off and try again; the others need a person. */
const OFFLINE = new Set(['hub_unreachable', 'hub_connection_lost', 'hub_busy']);

export interface Timer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimer: Timer = {
  set: (fn, ms) => {
    const h = setTimeout(fn, ms);
    // A pending sync must not keep a CLI or test process alive.
    h.unref();
    return h;
  },
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface HubAutoDeps {
  deviceId: string;
  /** The open college, or null. */
  workspace(): Workspace | null;
  /** The hub address in the college settings ('' = none). */
  hubUrl(ws: Workspace): string;
  /** Records a new address in the college settings (an event every PC receives). */
  setHubUrl(ws: Workspace, url: string, by: string | undefined): void;
  secrets: SecretStore;
  /** From the environment (the web host, the CLI): wins over the store. */
  env?: { password?: string | undefined; passphrase?: string | undefined };
  timer?: Timer;
  now?: () => number;
  intervalMs?: number;
  maxBackoffMs?: number;
  connectTimeoutMs?: number;
  /** scrypt cost of what this PC seals (tests). */
  kdfN?: number;
}

const passwordKey = (ws: Workspace): string => `hub.password:${collegeId(ws)}`;
const passphraseKey = (ws: Workspace): string => `sync.passphrase:${collegeId(ws)}`;

export class HubAutoSync {
  private state: HubStatus['state'] = 'idle';
  private lastSyncAt: string | null = null;
  private lastError: HubStatus['lastError'] = null;
  private last: HubStatus['last'] = null;
  private failures = 0;
  private handle: unknown = null;
  private nextAt: number | null = null;
  private running: Promise<HubStatus> | null = null;
  private started = false;
  /** The college the status above is about: a switch of college starts afresh. */
  private college: string | null = null;

  constructor(private readonly deps: HubAutoDeps) {}

  private get timer(): Timer {
    return this.deps.timer ?? realTimer;
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Starts the rounds (the Electron shell and the web host); the CLI never does. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(FIRST_DELAY_MS);
  }

  stop(): void {
    this.started = false;
    if (this.handle !== null) this.timer.clear(this.handle);
    this.handle = null;
    this.nextAt = null;
  }

  private schedule(ms: number): void {
    if (!this.started) return;
    if (this.handle !== null) this.timer.clear(this.handle);
    this.nextAt = this.now() + ms;
    this.handle = this.timer.set(() => {
      this.handle = null;
      void this.syncNow();
    }, ms);
  }

  private follow(ws: Workspace | null): void {
    const id = ws ? `${ws.dir}\u0000${ws.workspaceId}` : null;
    if (id === this.college) return;
    this.college = id;
    this.state = 'idle';
    this.lastSyncAt = null;
    this.lastError = null;
    this.last = null;
    this.failures = 0;
  }

  private password(ws: Workspace, url: string): string | undefined {
    return hubUrlPassword(url) || this.deps.env?.password || this.deps.secrets.get(passwordKey(ws));
  }

  private passphrase(ws: Workspace): string | undefined {
    return this.deps.env?.passphrase || this.deps.secrets.get(passphraseKey(ws));
  }

  /** The address in the settings, checked (a hand-edited or newer-desk value may not parse). */
  private url(ws: Workspace): string {
    const raw = this.deps.hubUrl(ws);
    if (!raw) return '';
    try {
      return hubUrlWithoutPassword(raw);
    } catch {
      return '';
    }
  }

  status(): HubStatus {
    const ws = this.deps.workspace();
    this.follow(ws);
    const url = ws ? this.url(ws) : '';
    return {
      state: url ? this.state : 'off',
      url: url ? redactHubUrl(url) : '',
      passwordSaved: !!ws && !!url && !!this.password(ws, url),
      passphraseSaved: !!ws && !!this.passphrase(ws),
      secrets: this.deps.secrets.kind,
      lastSyncAt: this.lastSyncAt,
      lastError: url ? this.lastError : null,
      nextAttemptAt: url && this.nextAt !== null ? new Date(this.nextAt).toISOString() : null,
      last: this.last,
    };
  }

  /** The hub address (with this PC's password and passphrase) for automatic and one-shot syncs. */
  connection(ws: Workspace, given?: { url?: string | undefined; password?: string | undefined; passphrase?: string | undefined }): { url: string; passphrase: string } {
    const url = given?.url ?? this.url(ws);
    if (!url) throw new DeskError('hub_not_configured', '本学院尚未设置同步服务器：请在“同步”中填写服务器地址（或用 --url 指定）。');
    const password = given?.password || this.password(ws, url);
    const passphrase = given?.passphrase || this.passphrase(ws);
    if (!passphrase) throw new DeskError('passphrase_missing', '缺少同步口令：请在“同步”中保存学院统一的同步口令（或设置环境变量 DESK_SYNC_PASSPHRASE）。');
    return { url: hubUrlWithPassword(url, password), passphrase };
  }

  /** One visit now; a visit already under way is joined rather than doubled. */
  syncNow(): Promise<HubStatus> {
    this.running ??= this.visit().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async visit(): Promise<HubStatus> {
    const ws = this.deps.workspace();
    this.follow(ws);
    if (!ws || !this.url(ws)) {
      this.schedule(this.deps.intervalMs ?? HUB_INTERVAL_MS);
      return this.status();
    }
    this.state = 'syncing';
    try {
      const { url, passphrase } = this.connection(ws);
      const r = await syncWithHub(ws, url, { passphrase, deviceId: this.deps.deviceId, kdfN: this.deps.kdfN, connectTimeoutMs: this.deps.connectTimeoutMs });
      // The college may have been switched while the hub answered: that status is not this one's.
      if (this.deps.workspace() !== ws) return this.status();
      this.state = 'synced';
      this.lastSyncAt = new Date(this.now()).toISOString();
      this.lastError = null;
      this.failures = 0;
      this.last = { readEvents: r.read.events, writtenEvents: r.written.events, readScans: r.read.scans, writtenScans: r.written.scans, conflicts: r.conflicts };
      this.schedule(this.deps.intervalMs ?? HUB_INTERVAL_MS);
    } catch (e) {
      if (this.deps.workspace() !== ws) return this.status();
      const err = e instanceof DeskError ? e : new DeskError('hub_error', e instanceof Error ? e.message : String(e));
      this.lastError = { code: err.code, message: err.message };
      this.state = OFFLINE.has(err.code) ? 'offline' : 'error';
      this.failures++;
      const base = this.deps.intervalMs ?? HUB_INTERVAL_MS;
      this.schedule(Math.min(base * 2 ** (this.failures - 1), this.deps.maxBackoffMs ?? HUB_MAX_BACKOFF_MS));
    }
    return this.status();
  }

  /**
   * Sets this college's hub: the address goes to the college settings without its password; the
   * password and the passphrase stay on this PC, in its protected storage. '' stops using a hub.
   */
  configure(a: { url: string; password?: string | undefined; passphrase?: string | undefined; by?: string | undefined }): Promise<HubStatus> {
    const ws = this.deps.workspace();
    if (!ws) throw new DeskError('no_workspace', '尚未打开学院：请在开始页面新建或打开一个学院。');
    if (a.url === '') {
      this.deps.setHubUrl(ws, '', a.by);
      this.deps.secrets.delete(passwordKey(ws));
      this.follow(null);
      return Promise.resolve(this.status());
    }
    const bare = hubUrlWithoutPassword(a.url);
    const password = a.password || hubUrlPassword(a.url);
    if (password) this.deps.secrets.set(passwordKey(ws), password);
    if (a.passphrase) this.deps.secrets.set(passphraseKey(ws), a.passphrase);
    if (this.deps.hubUrl(ws) !== bare) this.deps.setHubUrl(ws, bare, a.by);
    this.follow(null);
    this.follow(ws);
    // The first visit right away, in the background: the answer is the status, not the visit.
    void this.syncNow();
    return Promise.resolve(this.status());
  }
}

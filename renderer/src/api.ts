/**
 * The renderer's only way to data: the API contract, over Electron IPC (preload bridge) when
 * running in the desk, or over the loopback host when running in a browser (`npm run web`, e2e).
 */
import type { ApiArgs, ApiError, ApiName, ApiResult, Envelope } from '../../shared/api/index.js';

/** The Electron window's file bridge (preload): native dialogs, dropped files, show in Explorer; handles only. */
export interface DeskFilesBridge {
  pick(kind: string, folder?: boolean): Promise<unknown>;
  save(kind: string, suggestedName?: string): Promise<unknown>;
  drop(kind: string, file: File): Promise<unknown>;
  reveal(handle: string): Promise<unknown>;
}

interface DeskBridge {
  call(name: string, args: unknown): Promise<unknown>;
  docUrl(id: number): string;
  files?: DeskFilesBridge;
}

declare global {
  interface Window {
    deskBridge?: DeskBridge;
  }
}

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

async function send(name: string, args: unknown): Promise<Envelope<unknown>> {
  if (window.deskBridge) return (await window.deskBridge.call(name, args)) as Envelope<unknown>;
  const res = await fetch(`/api/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(args ?? {}),
  });
  if (!res.ok) return { ok: false, error: { code: `http_${res.status}`, message: `连接审核台失败（HTTP ${res.status}）：${await res.text()}` } };
  return (await res.json()) as Envelope<unknown>;
}

export async function call<K extends ApiName>(name: K, args: ApiArgs<K>): Promise<ApiResult<K>> {
  const env = await send(name, args);
  if (!env.ok) throw new ApiFailure(env.error);
  return env.value as ApiResult<K>;
}

/** URL of a scan by document id; never a file path. */
export function docUrl(id: number): string {
  return window.deskBridge ? window.deskBridge.docUrl(id) : `/doc/${id}`;
}

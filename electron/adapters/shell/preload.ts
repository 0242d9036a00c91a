/**
 * Preload (sandboxed, bundled to CommonJS): exposes exactly one function, the contract call,
 * and the URL scheme for documents. No Node objects reach the page.
 */
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('deskBridge', {
  call: (name: string, args: unknown): Promise<unknown> => ipcRenderer.invoke('desk:call', name, args),
  docUrl: (id: number): string => `desk-doc://doc/${Math.trunc(id)}`,
});

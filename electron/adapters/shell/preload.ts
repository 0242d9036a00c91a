/**
 * Preload (sandboxed, bundled to CommonJS): exposes the contract call, the URL scheme for
 * documents and the narrow file bridge. No Node objects reach the page, and no path leaves it
 * except the one of a file the user dropped: `webUtils.getPathForFile` answers only for a real
 * File from a drop or a file input, never for one a script made up.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';

contextBridge.exposeInMainWorld('deskBridge', {
  call: (name: string, args: unknown): Promise<unknown> => ipcRenderer.invoke('desk:call', name, args),
  docUrl: (id: number): string => `desk-doc://doc/${Math.trunc(id)}`,
  files: {
    /** Native open dialog for a kind; resolves to a handle envelope (value null when cancelled). */
    pick: (kind: string, folder?: boolean): Promise<unknown> => ipcRenderer.invoke('desk:files', 'pick', { kind, ...(folder ? { folder: true } : {}) }),
    /** Native save dialog (a new file, or a new folder for exports). */
    save: (kind: string, suggestedName?: string): Promise<unknown> => ipcRenderer.invoke('desk:files', 'save', { kind, ...(suggestedName ? { suggestedName } : {}) }),
    /** A file or folder dropped on the page. */
    drop: (kind: string, file: unknown): Promise<unknown> => {
      const path = file instanceof File ? webUtils.getPathForFile(file) : '';
      if (!path) return Promise.resolve({ ok: false, error: { code: 'file_not_dropped', message: '只能拖入本机上的文件或文件夹。' } });
      return ipcRenderer.invoke('desk:files', 'drop', { kind, path });
    },
    /** Shows an output (an export folder) in Explorer. */
    reveal: (handle: string): Promise<unknown> => ipcRenderer.invoke('desk:files', 'reveal', { handle }),
  },
});

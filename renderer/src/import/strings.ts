/**
 * Binds the import wizard to the desk's one string catalogue (renderer/src/i18n.ts: the wiz.*,
 * col.*, phase.* and target.* keys), following the desk's language setting.
 */
import { t, useLang, type MessageKey } from '../i18n.js';
import type { ImportPhase, ImportTarget } from '../../../shared/api/index.js';

export type ImportKey = Extract<MessageKey, `wiz.${string}` | `col.${string}` | `phase.${string}` | `target.${string}`>;

/** t() for the wizard; re-renders when the language changes. */
export function useImportT(): (key: ImportKey, params?: Record<string, string | number>) => string {
  useLang();
  return (key, params) => t(key, params);
}

export const phaseKey = (p: ImportPhase): ImportKey => `phase.${p}`;
export const extraTargetKey = (x: Extract<ImportTarget, 'ignore' | 'rowNo' | 'attachments' | 'examNo'>): ImportKey => `target.${x}`;

/** How each kind of document is shown (fit and zoom), remembered across restarts. */
import type { DocumentKind } from '../../../shared/domain.js';

export type Fit = 'width' | 'page' | 'free';

/** How a kind of document is shown: a registrar reads every 毕业证 the same way. */
export interface KindView {
  fit: Fit;
  /** Scale used when fit is 'free' (1 = 100 %). */
  zoom: number;
}

const VIEWS_KEY = 'desk.viewByKind';
const DEFAULT_VIEW: KindView = { fit: 'width', zoom: 1 };

function readViews(): Partial<Record<DocumentKind, KindView>> {
  try {
    const v = JSON.parse(localStorage.getItem(VIEWS_KEY) ?? '{}') as unknown;
    return v && typeof v === 'object' ? (v as Partial<Record<DocumentKind, KindView>>) : {};
  } catch {
    return {};
  }
}

let views = readViews();

/** The fit and zoom last chosen for this kind of document (kept across restarts). */
export function viewFor(kind: DocumentKind): KindView {
  const v = views[kind];
  return v && (v.fit === 'width' || v.fit === 'page' || v.fit === 'free') && Number.isFinite(v.zoom) && v.zoom > 0 ? v : DEFAULT_VIEW;
}

export function rememberView(kind: DocumentKind, v: KindView): void {
  const had = viewFor(kind);
  if (had.fit === v.fit && (v.fit !== 'free' || had.zoom === v.zoom)) return;
  views = { ...views, [kind]: v };
  localStorage.setItem(VIEWS_KEY, JSON.stringify(views));
}

/** The viewer's geometry: the size of its box, the scale a fit gives, and drag-to-pan with Ctrl + wheel zoom. */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Fit } from './kindViews.js';

/** Room left around a fitted scan. */
const PAD = 16;

export type Box = { w: number; h: number };

/**
 * The last size a scan was shown in, without and with a PDF's page thumbnails beside it: the
 * next applicant's first scan is drawn ahead at the scale this box gives it, and a new viewer
 * starts from it (no second render once it has measured itself).
 */
export const lastBoxes: { single: Box; multi: Box | null } = { single: { w: 800, h: 600 }, multi: null };

/** Size of the scroll area, kept current as panes open, close or go full screen. */
export function useBoxSize(ref: React.RefObject<HTMLElement | null>): Box {
  const [size, setSize] = useState(lastBoxes.single);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = (): void => {
      const w = el.clientWidth;
      const h = el.clientHeight;
      setSize((s) => (s.w === w && s.h === h ? s : { w, h }));
    };
    read();
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

export function fitScale(fit: Fit, zoom: number, box: { w: number; h: number }, w: number, h: number): number {
  if (fit === 'free' || w <= 0 || h <= 0) return zoom;
  const sw = Math.max(0.05, (box.w - PAD * 2) / w);
  return fit === 'width' ? sw : Math.min(sw, Math.max(0.05, (box.h - PAD * 2) / h));
}

/** Drag with the mouse to pan a zoomed scan; Ctrl + wheel to zoom. */
export function usePanZoom(ref: React.RefObject<HTMLElement | null>, onWheelZoom?: (f: number) => void): void {
  const zoomRef = useRef(onWheelZoom);
  zoomRef.current = onWheelZoom;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let drag: { x: number; y: number; left: number; top: number } | null = null;
    const down = (e: PointerEvent): void => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, left: el.scrollLeft, top: el.scrollTop };
      el.classList.add('panning');
    };
    const move = (e: PointerEvent): void => {
      if (!drag) return;
      el.scrollLeft = drag.left - (e.clientX - drag.x);
      el.scrollTop = drag.top - (e.clientY - drag.y);
    };
    const up = (): void => {
      drag = null;
      el.classList.remove('panning');
    };
    const wheel = (e: WheelEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || !zoomRef.current) return;
      e.preventDefault();
      zoomRef.current(e.deltaY < 0 ? 1.15 : 1 / 1.15);
    };
    el.addEventListener('pointerdown', down);
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    el.addEventListener('wheel', wheel, { passive: false });
    return () => {
      el.removeEventListener('pointerdown', down);
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      el.removeEventListener('wheel', wheel);
    };
  }, [ref]);
}

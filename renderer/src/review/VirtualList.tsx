/**
 * A windowed list: only the rows in view (plus a few above and below) are in the DOM, so the
 * queue scrolls smoothly at 10,000 applicants. Rows have one fixed height; the selected row is
 * kept in view when it changes from the keyboard.
 */
import { useLayoutEffect, useRef, useState } from 'react';

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  /** Index to keep in view (the selection). */
  activeIndex: number;
  renderRow: (item: T, index: number) => React.JSX.Element;
  className?: string;
  overscan?: number;
  empty?: React.ReactNode;
  label?: string;
}

export function VirtualList<T>({ items, rowHeight, activeIndex, renderRow, className, overscan = 8, empty, label }: VirtualListProps<T>): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Compares with the scroll position and height held in state, not read from the element:
  // reading scrollTop after the rows changed forces a layout of the whole desk per keystroke.
  // The element is written only when the row is out of view. The list may have shrunk since the
  // last scroll event, so the kept position is clamped to what the new length allows.
  const maxTop = Math.max(0, items.length * rowHeight - height);
  const shownTop = Math.min(scrollTop, maxTop);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || activeIndex < 0) return;
    const top = activeIndex * rowHeight;
    let want = shownTop;
    if (top < shownTop) want = top;
    else if (top + rowHeight > shownTop + height) want = top + rowHeight - height;
    if (want === shownTop) return;
    // The rows for the new position render now; the element scrolls in the next frame, where
    // the browser lays out anyway (setting scrollTop here would force a second layout).
    setScrollTop(want);
    const frame = requestAnimationFrame(() => {
      el.scrollTop = want;
    });
    return () => cancelAnimationFrame(frame);
    // Only the selection moving brings it into view; scrolling by hand must stay free.
  }, [activeIndex, rowHeight]);

  const first = Math.max(0, Math.floor(shownTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((shownTop + height) / rowHeight) + overscan);
  const rows: React.JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    const item = items[i];
    if (item !== undefined) rows.push(renderRow(item, i));
  }
  return (
    <div ref={ref} className={className} role="listbox" aria-label={label} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      {items.length === 0 && empty}
      <div style={{ height: items.length * rowHeight, position: 'relative' }}>
        <ul className="rows" style={{ position: 'absolute', top: first * rowHeight, left: 0, right: 0 }}>{rows}</ul>
      </div>
    </div>
  );
}

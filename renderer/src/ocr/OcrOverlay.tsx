/**
 * OCR overlay (识别核对框): green frames where the scan shows the declared value, red where it shows
 * another (with what was read), dashed amber where the recogniser was unsure of what it read or
 * the value was found but could not be judged. The frames sit just outside the value; their
 * labels appear only while the pointer is on a frame (or it flashes), so no label covers the
 * text of the scan the reviewer is reading. Give it
 * the fields of `ocr.forDocument`, the page being shown and the size the scan is displayed at;
 * place it inside the element that holds the scan (it fills that element, absolutely positioned).
 * Only the frames take the pointer (for their tooltip); a drag on them still pans the viewer,
 * because the viewer listens on its scroll area and pointer events bubble up to it.
 */
import { useEffect, useRef } from 'react';
import type { OcrFieldCheck, OcrPageInfo } from '../../../shared/api/index.js';
import { boxOnScreen } from '../../../shared/ocr/geometry.js';
import type { Rotation } from '../../../shared/ocr/types.js';
import { fieldLabel, t } from '../i18n.js';

export interface OcrOverlayProps {
  fields: readonly OcrFieldCheck[];
  /** The page shown (from OcrDocumentView.pages); fields of other pages are not drawn. */
  page: OcrPageInfo;
  /** Displayed size of the (turned) scan in CSS pixels. */
  width: number;
  height: number;
  /** How the viewer turns the stored image (0 when it shows it as stored). */
  viewRotation?: Rotation;
  /** Statuses to draw; default agree, differ and unsure (and found-but-unjudged values), never unchecked. */
  show?: readonly OcrFieldCheck['status'][];
  /** A field to bring into view and flash; `n` changes on every request so a second click flashes again. */
  flash?: { field: string; n: number } | null;
}

const COLOURS = { agree: '#1f9d55', differ: '#d42a2a', unsure: '#c27c00', missing: '#d08700', unchecked: '#6b7280' } as const;

/** The tooltip and label of one frame: a red one says what the scan shows. */
export function describeCheck(f: OcrFieldCheck): { label: string; tip: string } {
  const name = fieldLabel(f.field);
  const status = t(`ocr.status.${f.status}`);
  if (f.status === 'differ') {
    return { label: `${name} ${status}：${f.found}`, tip: t('ocr.differTip', { field: name, found: f.found, declared: f.declared }) };
  }
  if (f.status === 'unsure') {
    return { label: `${name} ${status}：${f.found}？`, tip: t('ocr.unsureTip', { field: name, found: f.found, declared: f.declared }) };
  }
  return { label: `${name} ${status}`, tip: `${name}：${status}${f.note ? `（${f.note}）` : ''}` };
}

export function OcrOverlay({ fields, page, width, height, viewRotation = 0, show = ['agree', 'differ', 'unsure', 'missing'], flash = null }: OcrOverlayProps): React.JSX.Element {
  const drawn = fields.filter((f) => f.box && f.page === page.page && show.includes(f.status));
  const flashRef = useRef<HTMLDivElement>(null);
  const flashKey = flash ? `${flash.field}:${flash.n}` : '';
  useEffect(() => {
    // Centre the box in the viewer's scroll area (smooth scrolling would race a re-layout).
    if (flashKey) flashRef.current?.scrollIntoView({ block: 'center', inline: 'center' });
  }, [flashKey, width, height]);
  return (
    <div className="ocr-overlay" data-testid="ocr-overlay" data-page={page.page} style={{ position: 'absolute', left: 0, top: 0, width, height, pointerEvents: 'none' }}>
      {drawn.map((f, i) => {
        if (!f.box) return null;
        const b = boxOnScreen(f.box, page, viewRotation, width, height);
        const colour = COLOURS[f.status];
        const { label, tip } = describeCheck(f);
        const flashing = flash?.field === f.field;
        return (
          <div
            // The flash count in the key restarts the CSS animation on a repeated click.
            key={`${f.field}-${i}${flashing ? `-${flash?.n}` : ''}`}
            ref={flashing ? flashRef : undefined}
            className={`ocr-box ocr-${f.status}${flashing ? ' ocr-flash' : ''}`}
            data-field={f.field}
            data-status={f.status}
            title={tip}
            style={{
              position: 'absolute',
              left: b.x - 3,
              top: b.y - 3,
              width: b.w + 6,
              height: b.h + 6,
              border: `2px ${f.status === 'unsure' || f.status === 'missing' ? 'dashed' : 'solid'} ${colour}`,
              borderRadius: 3,
              background: f.status === 'differ' ? 'rgba(212,42,42,0.10)' : 'transparent',
              pointerEvents: 'auto',
            }}
          >
            <span className="ocr-label" style={{ background: colour }}>{label}</span>
          </div>
        );
      })}
    </div>
  );
}

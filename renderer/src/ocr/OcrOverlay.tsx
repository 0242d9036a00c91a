/**
 * OCR overlay (识别核对框): green frames where the scan shows the declared value, red where it shows
 * another, amber where the value was found but could not be judged. Self-contained: give it the
 * fields of `ocr.forDocument`, the page being shown and the size the scan is displayed at; place it
 * inside the element that holds the scan (it fills that element, absolutely positioned) and it
 * never takes pointer events from the viewer.
 */
import type { OcrFieldCheck, OcrPageInfo } from '../../../shared/api/index.js';
import { boxOnScreen } from '../../../shared/ocr/geometry.js';
import type { Rotation } from '../../../shared/ocr/types.js';

export interface OcrOverlayProps {
  fields: readonly OcrFieldCheck[];
  /** The page shown (from OcrDocumentView.pages); fields of other pages are not drawn. */
  page: OcrPageInfo;
  /** Displayed size of the (turned) scan in CSS pixels. */
  width: number;
  height: number;
  /** How the viewer turns the stored image (0 when it shows it as stored). */
  viewRotation?: Rotation;
  /** Statuses to draw; default agree and differ (and found-but-unjudged values). */
  show?: readonly OcrFieldCheck['status'][];
}

const COLOURS = { agree: '#1f9d55', differ: '#d42a2a', missing: '#d08700', unchecked: '#6b7280' } as const;
const STATUS_TEXT = { agree: '一致', differ: '不一致', missing: '待核对', unchecked: '未申报' } as const;

export function OcrOverlay({ fields, page, width, height, viewRotation = 0, show = ['agree', 'differ', 'missing'] }: OcrOverlayProps): React.JSX.Element {
  const drawn = fields.filter((f) => f.box && f.page === page.page && show.includes(f.status));
  return (
    <div
      className="ocr-overlay"
      data-testid="ocr-overlay"
      style={{ position: 'absolute', left: 0, top: 0, width, height, pointerEvents: 'none' }}
    >
      {drawn.map((f, i) => {
        if (!f.box) return null;
        const b = boxOnScreen(f.box, page, viewRotation, width, height);
        const colour = COLOURS[f.status];
        const tip = f.status === 'differ' ? `${f.label}：扫描件「${f.found}」，申报「${f.declared}」` : `${f.label}：${STATUS_TEXT[f.status]}${f.note ? `（${f.note}）` : ''}`;
        return (
          <div
            key={`${f.field}-${i}`}
            data-field={f.field}
            data-status={f.status}
            title={tip}
            style={{
              position: 'absolute',
              left: b.x - 3,
              top: b.y - 3,
              width: b.w + 6,
              height: b.h + 6,
              border: `2px solid ${colour}`,
              borderRadius: 3,
              background: f.status === 'differ' ? 'rgba(212,42,42,0.10)' : 'transparent',
            }}
          >
            <span
              style={{
                position: 'absolute',
                left: -2,
                bottom: '100%',
                padding: '0 4px',
                font: '12px/16px sans-serif',
                color: '#fff',
                background: colour,
                whiteSpace: 'nowrap',
                borderRadius: '3px 3px 0 0',
              }}
            >
              {f.label} {STATUS_TEXT[f.status]}
            </span>
          </div>
        );
      })}
    </div>
  );
}

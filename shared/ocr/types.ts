/**
 * What the desk read on a scan (识别结果) and what it made of it. Pure data: produced by the OCR
 * worker (electron/ocr) or the PDF text layer, consumed by field extraction and the viewer overlay.
 */
import type { DeclaredField, DocumentKind } from '../domain.js';

/** A rectangle in page pixels (origin top-left) of the page's stated width × height. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A run of text with its own box (a PDF text item, or one region the OCR detected). */
export interface OcrSegment {
  text: string;
  box: Box;
  /**
   * OCR only: each character's ink box, flattened [left, top, right, bottom] (4 × text.length
   * values), from where the recogniser saw each character; without them a value's box is
   * estimated from character widths and the segment's height.
   */
  chars?: number[];
  /** OCR only: the recogniser's confidence in each character (0..1). */
  confs?: number[];
}

/** One visual line: segments left to right; `text` is them joined by single spaces. */
export interface OcrLine {
  text: string;
  /** Recogniser confidence 0..1 (1 for a PDF text layer). */
  conf: number;
  segments: OcrSegment[];
}

/** Clockwise quarter turns that make a page stand upright. */
export type Rotation = 0 | 90 | 180 | 270;

export interface OcrPage {
  /** 1-based. */
  page: number;
  /** Size of the upright page in pixels; every box of this page is in this frame. */
  width: number;
  height: number;
  /**
   * The stored image must be turned clockwise by this many degrees to stand upright (the
   * auto-orientation found it); the viewer applies it before drawing boxes. 0 for PDF text.
   */
  rotation: Rotation;
  /** 'text': the PDF's own text layer (exact); 'ocr': recognised from pixels. */
  source: 'text' | 'ocr';
  lines: OcrLine[];
}

/** The reading of one scan, cached by its sha256. */
export interface OcrRead {
  pages: OcrPage[];
  /** Why nothing (or not everything) could be read, e.g. a corrupt PDF; '' when fine. */
  problem: string;
  ms: number;
}

/** Declared fields the OCR looks for on scans. */
export type OcrField = Extract<
  DeclaredField,
  | 'name'
  | 'idNumber'
  | 'dischargeCertNo'
  | 'enlistDate'
  | 'dischargeDate'
  | 'competition'
  | 'award'
  | 'awardLevel'
  | 'awardDate'
  | 'povertyIssuer'
>;

/** A value found on a scan, with where it is. */
export interface FoundField {
  field: OcrField;
  value: string;
  page: number;
  box: Box;
  /** The recogniser's confidence: its least sure character of the value where it says per character. */
  conf: number;
  /** 'label': after its printed label (姓名：…); 'pattern': by its shape (18-digit ID, 湘退字…号);
   *  'search': the declared value itself was found somewhere on the page. */
  via: 'label' | 'pattern' | 'search';
}

/** agree = the scan shows the declared value; differ = it shows another, read with confidence;
 *  unsure = it seems to show another, but the recogniser was unsure of a character where they
 *  differ (a digit under a seal): for the reviewer's eye, not a ✗; missing = not found;
 *  unchecked = nothing was declared to compare with. */
export type OcrStatus = 'agree' | 'differ' | 'unsure' | 'missing' | 'unchecked';
export const OCR_STATUSES = ['agree', 'differ', 'unsure', 'missing', 'unchecked'] as const satisfies readonly OcrStatus[];

/** One field of one document compared with the declared data (OCR 核对结果). */
export interface OcrFieldCheck {
  field: OcrField;
  /** Chinese label, e.g. 姓名. */
  label: string;
  declared: string;
  /** What the scan shows ('' when missing). */
  found: string;
  status: OcrStatus;
  /** Where the value is; null when missing. */
  page: number | null;
  box: Box | null;
  conf: number;
  note: string;
}

export interface OcrDocumentInput {
  kind: DocumentKind;
  read: OcrRead;
}

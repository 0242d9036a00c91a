/**
 * File type by magic bytes, never by extension (a PDF renamed .jpg is still a PDF). Pure.
 */
import { DOCUMENT_KINDS, type DocumentKind } from '../domain.js';
import { toHalfWidth } from './normalise.js';

export type SniffedType =
  | { ok: true; mime: 'application/pdf' | 'image/jpeg' | 'image/png' | 'image/webp' | 'image/bmp' | 'image/tiff' }
  | { ok: false; kind: 'heic' | 'unknown' | 'empty' };

export function sniffType(head: Uint8Array): SniffedType {
  const b = (i: number): number => head[i] ?? -1;
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  if (head.length === 0) return { ok: false, kind: 'empty' };
  if (ascii(0, 5) === '%PDF-') return { ok: true, mime: 'application/pdf' };
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return { ok: true, mime: 'image/jpeg' };
  if (b(0) === 0x89 && ascii(1, 4) === 'PNG') return { ok: true, mime: 'image/png' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { ok: true, mime: 'image/webp' };
  if (ascii(0, 2) === 'BM') return { ok: true, mime: 'image/bmp' };
  if ((ascii(0, 4) === 'II*\u0000') || (ascii(0, 4) === 'MM\u0000*')) return { ok: true, mime: 'image/tiff' };
  if (ascii(4, 8) === 'ftyp' && /^(heic|heix|hevc|heim|heis|mif1|msf1)$/.test(ascii(8, 12))) return { ok: false, kind: 'heic' };
  return { ok: false, kind: 'unknown' };
}

/** The 18-character ID number in a file or folder name, if any. */
export function idNumberInName(name: string): string | null {
  const m = /(?<!\d)(\d{17}[\dXx])(?!\d)/.exec(toHalfWidth(name));
  return m ? m[1]!.toUpperCase() : null;
}

/** Document kind from words in a name; 'other' when none matches. Longest alias wins. */
export function documentKindInName(name: string): DocumentKind {
  let best: { kind: DocumentKind; len: number } | null = null;
  for (const k of DOCUMENT_KINDS) {
    for (const a of k.aliases) {
      if (name.includes(a) && (!best || a.length > best.len)) best = { kind: k.code, len: a.length };
    }
  }
  return best?.kind ?? 'other';
}

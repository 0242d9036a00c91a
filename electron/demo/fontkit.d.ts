/**
 * The slice of fontkit (pdfkit's own font engine, no types of its own) that the demo uses: parse a
 * font once and hand the parsed font to every pdfkit document.
 */
declare module 'fontkit' {
  export interface Font {
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}

/**
 * What counts as English inside the Chinese desk (issue 15, part 8): one rule for the e2e scan of
 * the rendered screens (harness.strayEnglish) and the unit test of the zh-CN catalogue.
 *
 * Latin words a Chinese desk may show: file formats, units and technical names a registrar meets
 * as they are (PDF, OCR, Excel, KB, WAL …), the key names of the shortcuts, and the one English
 * word of the language switch. File names and extensions (desk.sqlite, .zsbsync), the scheme of an
 * address the registrar is told to type (postgres://…) and environment variable names an admin
 * sets (DESK_HUB_PASSWORD) are literals and pass too. Any
 * other Latin word of two letters or more, and any snake_case code such as check_digit, is English
 * that slipped through.
 */
export const ZH_ALLOWED_LATIN = new Set([
  'PDF', 'OCR', 'CSV', 'csv', 'xlsx', 'xls', 'Excel', 'Unicode', 'zip', 'WAL', 'SQLite', 'PC', 'ID', 'PIN', 'KB', 'MB', 'GB',
  'p12', 'pfx', 'JPG', 'PNG', 'jpg', 'png', 'jpeg',
  'Shift', 'Ctrl', 'Alt', 'Home', 'End', 'Esc', 'Enter', 'Tab', 'Space', 'PageUp', 'PageDown', 'English', 'SMB', 'NFS', 'UNC', 'CLI',
]);

/** A file name or extension as the desk names them (desk.sqlite, .zsbsync), not a dotted code like ocr.pause. */
const FILE_NAME = /\.(sqlite|zsbsync|xlsx|xls|csv|txt|zip|pdf|p12|pfx|jpe?g|png|json)$/i;

/** An environment variable's name (upper case with underscores), not a raw code like check_digit. */
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** The Latin words of `text` that a Chinese desk should not show. */
export function strayWords(text: string): string[] {
  return [...text.matchAll(/\.?[A-Za-z][A-Za-z0-9_]*[A-Za-z0-9](?:\.[A-Za-z0-9]+)*/g)]
    .filter((m) => !text.startsWith('://', m.index + m[0].length) && !ENV_NAME.test(m[0]))
    .map((m) => m[0])
    .filter((w) => w.includes('_') || !(ZH_ALLOWED_LATIN.has(w) || FILE_NAME.test(w)));
}

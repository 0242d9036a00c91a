/**
 * Every cap on what enters the desk, in one place (issue 19): each refusal names its cap, so a
 * registrar whose real list hits one knows what to split or fix. The numbers leave a wide margin
 * over real colleges (a few thousand applicants, three to six scans each) and stop what is not a
 * list or a scan long before it costs the PC its memory or the desk its export.
 */
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const LIMITS = {
  import: {
    /** Data rows of one list (a large college has a few thousand applicants). */
    maxRows: 50_000,
    /** Characters in one cell of a column the desk imports (names, schools, 证书编号…). */
    maxCellChars: 2_000,
    /** Columns read of a worksheet row (a list has a few dozen); cells further right are not read. */
    maxColumns: 256,
  },
  xlsx: {
    /** Everything a workbook holds once inflated (a 10,000-row list is ~10 MB). */
    maxUncompressedBytes: 200 * MiB,
    /** One part of it (a worksheet, the shared strings): exceljs keeps the shared strings in memory. */
    maxEntryBytes: 100 * MiB,
    /** Parts of a workbook (a list has a dozen; thousands of sheets are not a list). */
    maxEntries: 2_000,
  },
  zip: {
    /** Files in an attachments archive (50,000 applicants × 4 scans). */
    maxEntries: 200_000,
    /** Everything an attachments archive holds once inflated (the upload cap of the web host too). */
    maxTotalBytes: 16 * GiB,
    /** Inflated/compressed of one entry above `ratioFloorBytes` (scans are JPEG/PDF: under 2×). */
    maxEntryRatio: 100,
    /** Inflated/compressed of the whole archive once it holds more than `totalRatioFloorBytes`. */
    maxTotalRatio: 20,
    /** Entries smaller than this are not judged by their ratio alone (a tiny file compresses anyhow). */
    ratioFloorBytes: 64 * 1024,
    totalRatioFloorBytes: 64 * MiB,
  },
  documents: {
    /** Scans of one applicant (a dossier has three to six; a PDF may hold several pages). */
    maxPerApplicant: 50,
  },
  pdf: {
    /** Pages the OCR reads of one PDF: a certificate is one to a few pages. */
    maxOcrPages: 50,
    /** Pages the viewer shows of one PDF (the rest are named, not drawn). */
    maxViewPages: 100,
  },
} as const;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const ZERO_WIDTH = /[\u00ad\u200b-\u200d\u2060\ufeff]/;

/**
 * Why a text that is shown as a name (or printed in a table) cannot be taken: control characters,
 * bidi overrides (which reorder what a reviewer sees — 张三 shown for another name), zero-width
 * characters (two names that look the same and are not). Null when it is clean.
 */
export function hiddenCharacters(text: string): { kind: 'control' | 'bidi' | 'zeroWidth'; char: string } | null {
  for (const [kind, re] of [['control', CONTROL], ['bidi', BIDI], ['zeroWidth', ZERO_WIDTH]] as const) {
    const m = re.exec(text);
    if (m) return { kind, char: m[0] };
  }
  return null;
}

/** U+202E as the user can look it up. */
export const codePoint = (c: string): string => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

export const HIDDEN_LABELS = { control: '控制字符', bidi: '改变文字方向的字符', zeroWidth: '零宽字符' } as const;

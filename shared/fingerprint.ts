/** How key fingerprints are shown to people: in the signed cover letter, the sync panel and the CLI alike. */

/** '3f2a…' → '3F2A 91C0 …': groups of four, as people read a fingerprint aloud over the phone. */
export function groupedHex(hex: string): string {
  return hex.toUpperCase().replace(/(.{4})(?!$)/g, '$1 ');
}

/** The first 16 hex digits, grouped: enough to compare by eye across PCs. */
export const shortFingerprint = (hex: string): string => groupedHex(hex.slice(0, 16));

/**
 * manifest.json: what an export folder holds (every file with its SHA-256), who made it and from
 * what, signed with the college's Ed25519 key (electron/workspace/keys.ts: one key per college,
 * carried to its PCs by sync, so one fingerprint verifies the tables of every PC). The signature
 * covers a canonical form of the body (sorted keys, no whitespace), so reformatting the file does
 * not break it but changing any value does.
 */
import type { CategoryTotal, ExportedFile, NoticeTerms } from '../../shared/api/export.js';
import { keyFingerprint, signBytes, verifyBytes, type WorkspaceKey } from '../workspace/index.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'zsb-review-desk/export-manifest@1';

export interface ManifestBody {
  format: typeof MANIFEST_FORMAT;
  exportId: string;
  table: string;
  year: number;
  title: string;
  college: string;
  /** 学校代码 (manifests of desks before it was a setting have none). */
  collegeCode?: string;
  workspaceId: string;
  deviceId: string;
  /** The PC that made the export, by the name it shows in sync. */
  pcName?: string;
  /** Whose key signed: the college's (one fingerprint for every PC) or, before this PC received it, the PC's own. */
  signedBy?: 'college' | 'workspace';
  reviewers: string[];
  exportedAt: string;
  draft: boolean;
  counts: { rows: number; byDecision: Record<string, number>; byCategory: Record<string, number> };
  /** What the pages print besides the rows (newer manifests): totals, review period, 复核, 零报告, 公示期. */
  totals?: CategoryTotal[];
  reviewPeriod?: { from: string; to: string } | null;
  signoff?: boolean;
  noneConfirmed?: boolean;
  notice?: NoticeTerms | null;
  /** Hash of the table's cells, printed (first 16 hex) on every page. */
  dataSha256: string;
  files: ExportedFile[];
  /** Subject of the certificate that signed the PDF; null when the PDF carries no signature. */
  pdfSigner: string | null;
  publicKey: string;
  keyFingerprint: string;
}

export interface Manifest {
  body: ManifestBody;
  /** Ed25519 over canonicalJson(body), base64; null for drafts (never signed). */
  signature: string | null;
}

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export { keyFingerprint };

export function signManifest(body: ManifestBody, key: WorkspaceKey | null): Manifest {
  return { body, signature: key ? signBytes(key, Buffer.from(canonicalJson(body), 'utf8')) : null };
}

export function verifyManifestSignature(m: Manifest): boolean {
  if (!m.signature) return false;
  return verifyBytes(m.body.publicKey, Buffer.from(canonicalJson(m.body), 'utf8'), m.signature);
}

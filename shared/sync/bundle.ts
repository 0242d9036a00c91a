/**
 * The sync bundle format (同步包), version 1. On disk:
 *
 *   'ZSBSYNC' 0x01 | u32 BE header length | header JSON | AES-256-GCM ciphertext | 16-byte GCM tag
 *
 * The header is readable without the passphrase (so a bundle of another college is refused by
 * name before any key work) and is the GCM additional data, so editing it breaks the tag. The
 * plaintext is deflated: u32 BE length | signed manifest JSON | the scans, back to back.
 * The manifest is signed with the sending workspace's Ed25519 key; scans are checked by sha256.
 */
import type { SyncEvent } from './events.js';

export const BUNDLE_MAGIC = 'ZSBSYNC\u0001';
export const BUNDLE_FORMAT = 1;

export interface BundleHeader {
  format: number;
  collegeId: string;
  college: string;
  fromWorkspace: string;
  /** The peer the bundle was cut for (incremental), or null for a full bundle. */
  toWorkspace: string | null;
  createdAt: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  iv: string;
  /** Tells a wrong passphrase apart from a damaged file. */
  keyCheck: string;
  cipherLength: number;
}

/** 材料 rows whose scans travel in the bundle. */
export interface BundleDocument {
  idNumber: string;
  kind: string;
  sha256: string;
  originalName: string;
}

export interface BundleBlob {
  sha256: string;
  mime: string;
  size: number;
  /** Byte offset in the blob area after the manifest. */
  offset: number;
}

export interface BundleManifest {
  format: number;
  collegeId: string;
  college: string;
  /** Lineage: the sending workspace, the college it belongs to, and its signing key. */
  fromWorkspace: string;
  fromDevice: string;
  publicKey: string;
  toWorkspace: string | null;
  createdAt: string;
  /** What the sender has: highest origin_seq per origin workspace. */
  marks: Record<string, number>;
  /** 16-hex prefixes of the scans the sender has (null when scans are left out). */
  haveBlobs: string[] | null;
  events: SyncEvent[];
  documents: BundleDocument[];
  blobs: BundleBlob[];
  /**
   * Added by issue 14 (absent in bundles of older desks): the sender's current origin, its HLC
   * when the bundle was cut (a newer bundle's marks replace an older one's: after a restore a PC
   * really has fewer events than it once reported), and its display name.
   */
  origin?: string;
  clock?: string;
  name?: string;
  /** Which PC (workspace) wrote each origin the sender knows, and what that PC is called. */
  origins?: Record<string, { workspace: string; name: string }>;
  /** The college's signing key, PKCS#8 PEM: travels only inside the encrypted body. */
  collegeKey?: string;
}

export interface SignedManifest {
  /** The manifest as the exact JSON text that was signed. */
  manifest: string;
  signature: string;
}

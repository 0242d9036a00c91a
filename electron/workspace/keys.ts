/**
 * Signing keys (Ed25519), kept in the workspace's meta table:
 * - the workspace's own key, created on first use: it signs this PC's sync bundles, and peers pin
 *   it per workspace;
 * - the college's key (学院签名密钥): one per college, made once by the PC that founded it (whose
 *   workspace id is the college id) and carried to the other PCs inside the encrypted sync bundles
 *   (protected by the sync passphrase) and by clones. It signs export manifests, so the provincial
 *   office checks every table of the college against one fingerprint, whichever PC made it.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { getMeta, initMeta } from './meta.js';
import type { Workspace } from './workspace.js';

export interface WorkspaceKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM of the public key, as embedded in manifests and bundles. */
  publicKeyPem: string;
}

const parsed = new Map<string, WorkspaceKey>();

/** Parsing a PEM costs about a millisecond; a folder visit asks for the same keys hundreds of times. */
function fromPem(pem: string): WorkspaceKey {
  let key = parsed.get(pem);
  if (!key) {
    const privateKey = createPrivateKey(pem);
    const publicKey = createPublicKey(privateKey);
    key = { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    if (parsed.size > 64) parsed.clear();
    parsed.set(pem, key);
  }
  return key;
}

const newKeyPem = (): string => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export function workspaceKey(ws: Workspace): WorkspaceKey {
  return fromPem(getMeta(ws.db, 'signing_key') ?? initMeta(ws.db, 'signing_key', newKeyPem()));
}

const COLLEGE_KEY = 'college_key';

/** True on the PC that founded the college (its workspace id, now or before a move, is the college id). */
function isFounder(ws: Workspace): boolean {
  const college = getMeta(ws.db, 'college_id') ?? ws.workspaceId;
  if (college === ws.workspaceId) return true;
  try {
    return (JSON.parse(getMeta(ws.db, 'former_workspaces') ?? '[]') as string[]).includes(college);
  } catch {
    return false;
  }
}

/**
 * The college's signing key: the one this PC holds, or — on the founding PC only — a new one.
 * null on a PC that has not received it yet (it arrives with the next bundle from any PC that has it).
 */
export function collegeKey(ws: Workspace): WorkspaceKey | null {
  const pem = getMeta(ws.db, COLLEGE_KEY) ?? (isFounder(ws) ? initMeta(ws.db, COLLEGE_KEY, newKeyPem()) : undefined);
  return pem ? fromPem(pem) : null;
}

/** The college key's private half as PKCS#8 PEM, to carry inside an encrypted bundle or a clone. */
export function collegeKeyPem(ws: Workspace): string | null {
  return collegeKey(ws) ? (getMeta(ws.db, COLLEGE_KEY) ?? null) : null;
}

/**
 * A college key that arrived from a peer. The first one is kept (a PC has one college key for
 * good); a different one is reported, never swapped in: exports already signed must stay valid.
 */
export function adoptCollegeKey(ws: Workspace, pem: string): 'adopted' | 'same' | 'conflict' | 'invalid' {
  let key: WorkspaceKey;
  try {
    key = fromPem(pem);
  } catch {
    return 'invalid';
  }
  if (key.privateKey.asymmetricKeyType !== 'ed25519') return 'invalid';
  const had = getMeta(ws.db, COLLEGE_KEY);
  if (had === pem) return 'same';
  if (had === undefined) {
    if (isFounder(ws)) return fromPem(initMeta(ws.db, COLLEGE_KEY, newKeyPem())).publicKeyPem === key.publicKeyPem ? 'same' : 'conflict';
    initMeta(ws.db, COLLEGE_KEY, pem);
    return 'adopted';
  }
  return fromPem(had).publicKeyPem === key.publicKeyPem ? 'same' : 'conflict';
}

export function signBytes(key: WorkspaceKey, data: Uint8Array): string {
  return sign(null, data, key.privateKey).toString('base64');
}

export function verifyBytes(publicKeyPem: string, data: Uint8Array, signatureB64: string): boolean {
  try {
    return verify(null, data, createPublicKey(publicKeyPem), Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

/** SHA-256 (hex) of the public key's DER: short enough to print and compare by eye. */
export function keyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

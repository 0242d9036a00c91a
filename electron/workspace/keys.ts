/**
 * Signing keys (Ed25519), kept in the workspace's meta table:
 * - the workspace's own key, created on first use: it signs this PC's sync bundles, and peers pin
 *   it per workspace;
 * - the college's key (学院签名密钥): one per college, made once by the PC that founded it (whose
 *   workspace id is the college id) and carried to the other PCs inside the encrypted sync bundles
 *   (protected by the sync passphrase) and by clones. It signs export manifests, so the provincial
 *   office checks every table of the college against one fingerprint, whichever PC made it.
 *
 * Both private keys are stored sealed by this PC's protector (platform/keyStore.ts: the OS's
 * protected storage in the desk, DPAPI on Windows) once a desk opened the workspace as its own
 * (`ws.keyStore`), so neither the database nor any backup of it holds them in plaintext. A key
 * found in plaintext there (an older desk, or a clone on its way to its PC, which cannot be sealed
 * for a PC it has not reached) is sealed on first use and the plaintext page wiped. A key sealed
 * elsewhere (the folder or a backup brought from another PC) cannot be unsealed: this PC makes a
 * new workspace key (an admin enrols it, like any copy) and waits for the college key from a peer.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { isSealed, sealSecret, secretProtector, unsealSecret, type SecretProtector } from '../platform/index.js';
import { deleteMeta, getMeta, initMeta, setMeta } from './meta.js';
import type { Db } from './sqlite.js';
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

/** Unsealed keys per store (unsealing through the OS store costs a system call). */
const unsealedBy = new WeakMap<SecretProtector, Map<string, string | null>>();
function unsealedCache(p: SecretProtector): Map<string, string | null> {
  let m = unsealedBy.get(p);
  if (!m) unsealedBy.set(p, (m = new Map()));
  return m;
}
const KEY_NAMES = ['signing_key', 'college_key'] as const;

/**
 * When a desk opens a workspace as its own, before the backup taken at open: keys still in
 * plaintext (an older desk, a clone that reached its PC) are sealed, their old pages zeroed and
 * the log checkpointed, so neither the file nor that backup keeps them. Returns how many.
 */
export function sealKeysAtRest(db: Db, store: SecretProtector): number {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get()) return 0;
  const plain = KEY_NAMES.flatMap((name) => {
    const v = getMeta(db, name);
    return v !== undefined && !isSealed(v) ? [{ name, v }] : [];
  });
  if (plain.length === 0) return 0;
  db.pragma('secure_delete = ON');
  try {
    db.transaction(() => {
      for (const { name, v } of plain) setMeta(db, name, sealSecret(v, store));
    }).immediate();
  } finally {
    db.pragma('secure_delete = OFF');
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  return plain.length;
}

/** The PEM a stored key holds (null: sealed on another PC), sealing a plaintext one when `ws` seals its keys. */
function readKey(ws: Workspace, name: string, stored: string): string | null {
  const store = ws.keyStore ?? secretProtector();
  const unsealed = unsealedCache(store);
  let pem = unsealed.get(stored);
  if (pem === undefined) {
    pem = unsealSecret(stored, store);
    if (unsealed.size > 64) unsealed.clear();
    unsealed.set(stored, pem);
  }
  if (pem !== null && ws.keyStore && !isSealed(stored)) storeKey(ws, name, pem);
  return pem;
}

/** Writes a key as this workspace keeps them: sealed once a desk owns it; the old page is zeroed. */
function storeKey(ws: Workspace, name: string, pem: string): string {
  const value = ws.keyStore ? sealSecret(pem, ws.keyStore) : pem;
  const wipe = ws.keyStore !== null && getMeta(ws.db, name) !== undefined;
  if (wipe) ws.db.pragma('secure_delete = ON');
  try {
    setMeta(ws.db, name, value);
  } finally {
    if (wipe) ws.db.pragma('secure_delete = OFF');
  }
  if (ws.keyStore) unsealedCache(ws.keyStore).set(value, pem);
  return value;
}

/** Stores a key unless one is there (the first writer wins) and returns the one kept. */
function initKey(ws: Workspace, name: string, pem: string): string | null {
  const value = initMeta(ws.db, name, ws.keyStore ? sealSecret(pem, ws.keyStore) : pem);
  return readKey(ws, name, value);
}

export function workspaceKey(ws: Workspace): WorkspaceKey {
  const stored = getMeta(ws.db, 'signing_key');
  const pem = stored === undefined ? null : readKey(ws, 'signing_key', stored);
  if (pem !== null) return fromPem(pem);
  // None yet, or sealed on another PC (lost here): this PC's own, which an admin enrols.
  if (stored !== undefined) deleteMeta(ws.db, 'signing_key');
  return fromPem(initKey(ws, 'signing_key', newKeyPem()) ?? '');
}

/** Forgets this workspace's key (a copy opened on another PC makes its own). */
export function dropWorkspaceKey(db: Db): void {
  deleteMeta(db, 'signing_key');
}

const COLLEGE_KEY = 'college_key';

/** True on the PC that founded the college (its workspace id, now or before a move, is the college id). */
export function isFounder(ws: Workspace): boolean {
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
  const pem = collegeKeyPem(ws);
  return pem ? fromPem(pem) : null;
}

/** The college key's private half as PKCS#8 PEM, to carry inside an encrypted bundle or a clone. */
export function collegeKeyPem(ws: Workspace): string | null {
  const stored = getMeta(ws.db, COLLEGE_KEY);
  // A key sealed on another PC is not made anew (exports signed with it must stay valid): it comes back from a peer.
  if (stored !== undefined) return readKey(ws, COLLEGE_KEY, stored);
  return isFounder(ws) ? initKey(ws, COLLEGE_KEY, newKeyPem()) : null;
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
  const stored = getMeta(ws.db, COLLEGE_KEY);
  const had = stored === undefined ? undefined : readKey(ws, COLLEGE_KEY, stored);
  if (had === pem) return 'same';
  if (had === null) {
    // Ours was sealed on another PC and is lost here: the college's own key comes back.
    storeKey(ws, COLLEGE_KEY, pem);
    return 'adopted';
  }
  if (had === undefined) {
    if (isFounder(ws)) return fromPem(initKey(ws, COLLEGE_KEY, newKeyPem()) ?? '').publicKeyPem === key.publicKeyPem ? 'same' : 'conflict';
    initKey(ws, COLLEGE_KEY, pem);
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

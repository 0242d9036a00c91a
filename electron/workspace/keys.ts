/**
 * The workspace's own Ed25519 signing key, created on first use and kept in the workspace's
 * meta table. It signs export manifests and sync bundles; its public half travels with them.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { getMeta, initMeta } from './meta.js';
import type { Workspace } from './workspace.js';

export interface WorkspaceKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM of the public key, as embedded in manifests and bundles. */
  publicKeyPem: string;
}

export function workspaceKey(ws: Workspace): WorkspaceKey {
  let pem = getMeta(ws.db, 'signing_key');
  if (!pem) {
    const { privateKey } = generateKeyPairSync('ed25519');
    pem = initMeta(ws.db, 'signing_key', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  }
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
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

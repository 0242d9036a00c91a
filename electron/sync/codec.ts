/**
 * Sealing and opening sync bundles (format in shared/sync/bundle.ts): scrypt KDF + AES-256-GCM
 * with the header as additional data, Ed25519 signature over the manifest. Opening checks in an
 * order that gives the clearest message: not a bundle → truncated → other college → wrong
 * passphrase → tampered. It only reads; callers write nothing until everything has passed.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DeskError } from '../../shared/api/index.js';
import { BUNDLE_FORMAT, BUNDLE_MAGIC, type BundleHeader, type BundleManifest, type SignedManifest } from '../../shared/sync/bundle.js';
import { signBytes, verifyBytes, type WorkspaceKey } from '../workspace/index.js';

const MAGIC = Buffer.from(BUNDLE_MAGIC, 'latin1');
// 2^14: about 0.1–0.2 s per bundle on a registrar PC — once per bundle, and the bundle goal is < 1 s.
const KDF = { N: 16384, r: 8, p: 1 } as const;
const TAG = 16;

function deriveKey(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }): Buffer {
  if (p.N > 1 << 20 || p.N < 1 << 10 || p.r > 16 || p.p > 4) throw new DeskError('bundle_tampered', '同步包的密钥参数异常，拒绝导入。');
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { ...p, maxmem: 256 * p.N * p.r + (1 << 20) });
}

function keyCheck(key: Buffer): string {
  return createHash('sha256').update('zsb-sync-keycheck\0').update(key).digest('hex').slice(0, 16);
}

/**
 * One scrypt per folder visit instead of one per file: a visit seals and opens many small files
 * (event segments, scans), each with its own random IV under a key derived once per salt. Keyed by
 * the passphrase it was made for; a call with another passphrase derives as usual.
 */
export class KeyCache {
  private readonly keys = new Map<string, Buffer>();
  private own: { salt: Buffer; N: number; key: Buffer } | null = null;
  /**
   * `salt`: the salt this PC seals with in one sync folder, kept from visit to visit (it is not
   * secret), so a PC that reads a week of another PC's files derives one key, not one per visit.
   */
  constructor(readonly passphrase: string, private readonly salt?: Buffer) {}

  derive(salt: Buffer, p: { N: number; r: number; p: number }): Buffer {
    const id = `${p.N}|${p.r}|${p.p}|${salt.toString('base64')}`;
    let key = this.keys.get(id);
    if (!key) {
      key = deriveKey(this.passphrase, salt, p);
      this.keys.set(id, key);
    }
    return key;
  }

  /** The salt and key everything sealed through this cache uses. */
  sealing(N: number): { salt: Buffer; key: Buffer } {
    if (!this.own || this.own.N !== N) {
      const salt = this.salt ?? randomBytes(16);
      this.own = { salt, N, key: this.derive(salt, { ...KDF, N }) };
    }
    return this.own;
  }
}

export interface SealInput {
  header: Omit<BundleHeader, 'format' | 'kdf' | 'iv' | 'keyCheck' | 'cipherLength'>;
  manifest: BundleManifest;
  blobData: Buffer[];
  key: WorkspaceKey;
  passphrase: string;
  /** scrypt cost; lower only in tests that cut hundreds of bundles (the header records it). */
  kdfN?: number | undefined;
  keyCache?: KeyCache | undefined;
}

export function sealBundle(input: SealInput): Buffer {
  const manifestText = JSON.stringify(input.manifest);
  const signed: SignedManifest = { manifest: manifestText, signature: signBytes(input.key, Buffer.from(manifestText)) };
  const signedBytes = Buffer.from(JSON.stringify(signed));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(signedBytes.length);
  // Scans (JPEG, PDF) hardly compress: a bundle that is mostly scans is stored, not deflated.
  const scanBytes = input.blobData.reduce((n, b) => n + b.length, 0);
  const plain = deflateRawSync(Buffer.concat([len, signedBytes, ...input.blobData]), { level: scanBytes > signedBytes.length ? 0 : 6 });
  const iv = randomBytes(12);
  const kdf = { ...KDF, N: input.kdfN ?? KDF.N };
  const cached = input.keyCache?.passphrase === input.passphrase ? input.keyCache.sealing(kdf.N) : null;
  const salt = cached?.salt ?? randomBytes(16);
  const key = cached?.key ?? deriveKey(input.passphrase, salt, kdf);
  const header: BundleHeader = {
    ...input.header,
    format: BUNDLE_FORMAT,
    kdf: { name: 'scrypt', ...kdf, salt: salt.toString('base64') },
    iv: iv.toString('base64'),
    keyCheck: keyCheck(key),
    cipherLength: plain.length,
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const hlen = Buffer.alloc(4);
  hlen.writeUInt32BE(headerBytes.length);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(headerBytes);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([MAGIC, hlen, headerBytes, body, cipher.getAuthTag()]);
}

/** Reads only the plaintext header (no passphrase needed). */
export function readHeader(file: Buffer): { header: BundleHeader; headerBytes: Buffer; bodyStart: number } {
  if (file.length < MAGIC.length || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
    if (file.length < MAGIC.length && MAGIC.subarray(0, file.length).equals(file)) {
      throw new DeskError('bundle_truncated', '同步包不完整（文件被截断），请重新复制。');
    }
    throw new DeskError('bundle_not_a_bundle', '这不是审核台的同步包。');
  }
  if (file.length < MAGIC.length + 4) throw new DeskError('bundle_truncated', '同步包不完整（文件被截断），请重新复制。');
  const hlen = file.readUInt32BE(MAGIC.length);
  const bodyStart = MAGIC.length + 4 + hlen;
  if (hlen > 1 << 20) throw new DeskError('bundle_tampered', '同步包头部已损坏或被篡改。');
  if (file.length < bodyStart) throw new DeskError('bundle_truncated', '同步包不完整（文件被截断），请重新复制。');
  const headerBytes = file.subarray(MAGIC.length + 4, bodyStart);
  let header: BundleHeader;
  try {
    header = JSON.parse(headerBytes.toString('utf8')) as BundleHeader;
  } catch {
    throw new DeskError('bundle_tampered', '同步包头部已损坏或被篡改。');
  }
  // Valid JSON is not yet a header: null, a number or an array must be refused, not crash.
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new DeskError('bundle_tampered', '同步包头部已损坏或被篡改。');
  }
  if (header.format !== BUNDLE_FORMAT) {
    throw new DeskError('bundle_format', `同步包格式版本 ${String(header.format)} 不受支持（本程序支持 ${BUNDLE_FORMAT}）。`);
  }
  if (typeof header.cipherLength !== 'number' || typeof header.collegeId !== 'string') {
    throw new DeskError('bundle_tampered', '同步包头部已损坏或被篡改。');
  }
  return { header, headerBytes, bodyStart };
}

export interface OpenedBundle {
  header: BundleHeader;
  manifest: BundleManifest;
  blobArea: Buffer;
}

export function openBundle(file: Buffer, passphrase: string, expect: { collegeId: string; college: string }, keyCache?: KeyCache): OpenedBundle {
  const { header, headerBytes, bodyStart } = readHeader(file);
  const expectedLength = bodyStart + header.cipherLength + TAG;
  if (file.length < expectedLength) throw new DeskError('bundle_truncated', '同步包不完整（文件被截断），请重新复制。');
  if (header.collegeId !== expect.collegeId) {
    throw new DeskError(
      'bundle_foreign_college',
      `此同步包属于另一个学院（${header.college || '未知'}，学院编号 ${header.collegeId.slice(0, 8)}…），不是本学院（${expect.college}）的，已拒绝。`,
    );
  }
  if (file.length > expectedLength) throw new DeskError('bundle_tampered', '同步包末尾有多余数据，可能被篡改，已拒绝。');
  if (!header.kdf || typeof header.kdf.salt !== 'string') throw new DeskError('bundle_tampered', '同步包头部已损坏或被篡改。');
  const salt = Buffer.from(header.kdf.salt, 'base64');
  const key = keyCache?.passphrase === passphrase ? keyCache.derive(salt, header.kdf) : deriveKey(passphrase, salt, header.kdf);
  if (keyCheck(key) !== header.keyCheck) throw new DeskError('bundle_wrong_passphrase', '同步口令不正确，无法打开同步包。');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'));
    decipher.setAAD(headerBytes);
    decipher.setAuthTag(file.subarray(expectedLength - TAG, expectedLength));
    const deflated = Buffer.concat([decipher.update(file.subarray(bodyStart, expectedLength - TAG)), decipher.final()]);
    plain = inflateRawSync(deflated);
  } catch {
    throw new DeskError('bundle_tampered', '同步包内容校验失败（已损坏或被篡改），已拒绝。');
  }
  const slen = plain.readUInt32BE(0);
  const signed = JSON.parse(plain.subarray(4, 4 + slen).toString('utf8')) as SignedManifest;
  const manifest = JSON.parse(signed.manifest) as BundleManifest;
  if (!verifyBytes(manifest.publicKey, Buffer.from(signed.manifest), signed.signature)) {
    throw new DeskError('bundle_tampered', '同步包签名无效，已拒绝。');
  }
  // The signed manifest must tell the same story as the readable header: a bundle of another
  // college re-wrapped under our college's name and passphrase is a replay.
  if (manifest.collegeId !== expect.collegeId || manifest.collegeId !== header.collegeId || manifest.fromWorkspace !== header.fromWorkspace) {
    throw new DeskError('bundle_replayed', `此同步包签名内容属于另一个学院或工作区（${manifest.college}），是转封装的重放包，已拒绝。`);
  }
  return { header, manifest, blobArea: plain.subarray(4 + slen) };
}

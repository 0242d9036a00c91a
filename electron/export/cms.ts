/**
 * The CMS SignedData inside a signed PDF (RFC 5652, detached, as adbe.pkcs7.detached wants), made
 * and checked here rather than by node-forge: forge rewrites the issuer Name it copies into the
 * SignerInfo, double-encoding UTF-8 (forge issue #847), so with a Chinese-named certificate
 * pdfsig and `openssl cms -verify` could not find the signer. Certificates travel as the bytes
 * the P12 holds; the SignerInfo's issuer and serial number are slices of those bytes. Signing and
 * signature checks use Node's crypto.
 */
import { createHash, sign as cryptoSign, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { DeskError } from '../../shared/api/index.js';
import {
  children, ctx, decodeOid, decodeTime, derNull, encode, expectTag, octets, oid, readTlv, seq, setOf, smallInt, TAG, time, type Tlv,
} from './der.js';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

const DIGESTS: Record<string, string> = {
  [OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms verify accepts: the key type each needs and the hash it implies (if any). */
const SIGNATURES: Record<string, { key: 'rsa' | 'ec'; hash?: string }> = {
  [OID.rsaEncryption]: { key: 'rsa' },
  '1.2.840.113549.1.1.11': { key: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', hash: 'sha512' },
  [OID.ecdsaWithSha256]: { key: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'sha512' },
};

export interface Certificate {
  der: Buffer;
  /** The serialNumber INTEGER element, tag and length included. */
  serial: Buffer;
  /** The issuer and subject Name elements, exactly as in the TBSCertificate. */
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  x509: X509Certificate;
}

export function parseCertificate(der: Buffer): Certificate {
  const outer = expectTag(readTlv(der), TAG.SEQUENCE, '证书');
  if (outer.der.length !== der.length) throw new DeskError('der_invalid', '证书后有多余数据');
  const tbs = children(expectTag(children(outer)[0], TAG.SEQUENCE, '证书主体'));
  // version is [0] EXPLICIT and absent in v1 certificates.
  const i = tbs[0]?.tag === ctx(0) ? 1 : 0;
  const serial = expectTag(tbs[i], TAG.INTEGER, '证书序列号');
  const issuer = expectTag(tbs[i + 2], TAG.SEQUENCE, '证书颁发者');
  const validity = children(expectTag(tbs[i + 3], TAG.SEQUENCE, '证书有效期'));
  const subject = expectTag(tbs[i + 4], TAG.SEQUENCE, '证书主题');
  const [from, to] = validity;
  if (!from || !to) throw new DeskError('der_invalid', '证书有效期格式不正确');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (e) {
    throw new DeskError('der_invalid', `证书无法解析：${(e as Error).message}`);
  }
  return { der, serial: serial.der, issuer: issuer.der, subject: subject.der, notBefore: decodeTime(from), notAfter: decodeTime(to), x509 };
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.5': 'serialNumber',
};

function utf8OrLatin1(b: Buffer): string {
  // PrintableString and T61String are meant to be ASCII/Latin, but some CAs (and certificates
  // made with node-forge) put UTF-8 in them; showing that as Chinese is what every reader does.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return b.toString('latin1');
  }
}

function decodeString(t: Tlv): string {
  switch (t.tag) {
    case TAG.UTF8_STRING:
      return t.body.toString('utf8');
    case TAG.BMP_STRING:
      return Buffer.from(t.body).swap16().toString('utf16le');
    case TAG.UNIVERSAL_STRING: {
      let s = '';
      for (let k = 0; k + 3 < t.body.length; k += 4) s += String.fromCodePoint(t.body.readUInt32BE(k));
      return s;
    }
    default:
      return utf8OrLatin1(t.body);
  }
}

/** The attributes of a Name, in order, as [short name or OID, text]. */
export function nameAttributes(name: Buffer): [string, string][] {
  const out: [string, string][] = [];
  for (const rdn of children(readTlv(name))) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      if (!type || !value) continue;
      const o = decodeOid(type.body);
      out.push([SHORT_NAMES[o] ?? o, decodeString(value)]);
    }
  }
  return out;
}

/** What the desk calls a signer: the certificate's CN, or the whole subject when it has none. */
export function displayName(name: Buffer): string {
  const attrs = nameAttributes(name);
  const cn = attrs.filter(([k]) => k === 'CN').at(-1);
  return cn ? cn[1] : attrs.map(([k, v]) => `${k}=${v}`).join(', ');
}

const selfIssued = (c: Certificate): boolean => c.issuer.equals(c.subject);

/**
 * The path from `leaf` upward through `pool`, matched by the issuer and subject Names' bytes; it
 * ends at a self-issued certificate or where the next issuer is not in the pool.
 */
export function pathFrom(leaf: Certificate, pool: Certificate[]): Certificate[] {
  const path = [leaf];
  for (let c = leaf; !selfIssued(c); ) {
    const next = pool.find((p) => p.subject.equals(c.issuer) && !path.includes(p));
    if (!next) break;
    path.push(next);
    c = next;
  }
  return path;
}

/** Whether `issuer`'s key signed `c` (a key type OpenSSL cannot use counts as not signed). */
function issuedBy(c: Certificate, issuer: Certificate): boolean {
  try {
    return c.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Checks a path from pathFrom: each certificate is signed by the next (a self-issued last one by
 * itself), every issuer is a CA certificate, and each was valid at `at`. Returns the problem, in
 * the words verify prints, or null.
 */
export function checkPath(path: Certificate[], at: Date): string | null {
  for (const [k, c] of path.entries()) {
    const name = displayName(c.subject);
    if (at < c.notBefore || at > c.notAfter) return `证书「${name}」在 ${day(at)} 不在有效期内（${day(c.notBefore)} 至 ${day(c.notAfter)}）`;
    const issuer = path[k + 1] ?? (selfIssued(c) ? c : undefined);
    if (!issuer) continue;
    if (issuer !== c && !issuer.x509.ca) return `证书「${displayName(issuer.subject)}」不是 CA 证书，不能签发「${name}」`;
    if (!issuedBy(c, issuer)) return issuer === c ? `自签名证书「${name}」的签名无效` : `证书「${name}」不是由「${displayName(issuer.subject)}」签发的（证书签名不符）`;
  }
  return null;
}

export interface SigningIdentity {
  key: KeyObject;
  /** The signing certificate first, then its issuers (pathFrom). */
  chain: Certificate[];
}

/** The SignerInfo signatureAlgorithm for a key, or a refusal for key types not proven with pdfsig and OpenSSL. */
export function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'rsa') return seq(oid(OID.rsaEncryption), derNull());
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return seq(oid(OID.ecdsaWithSha256));
  const what = key.asymmetricKeyType === 'ec' ? `ECDSA ${key.asymmetricKeyDetails?.namedCurve ?? ''}` : (key.asymmetricKeyType ?? '未知');
  throw new DeskError('p12_key_unsupported', `不支持此证书的密钥类型（${what.trim()}）：只能用 RSA 或 ECDSA P-256 证书签名 PDF。`);
}

const attribute = (type: string, value: Buffer): Buffer => seq(oid(type), setOf(value));

/** A detached SignedData over `content`, SHA-256, signed attributes contentType, signingTime and messageDigest. */
export function buildSignedData(content: Buffer, id: SigningIdentity, signingTime: Date): Buffer {
  const [signer] = id.chain;
  if (!signer) throw new DeskError('p12_no_cert', '证书文件中没有与私钥匹配的证书。');
  const sigAlg = signatureAlgorithm(id.key);
  const sha256 = seq(oid(OID.sha256));
  const attrs = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.signingTime, time(signingTime)),
    attribute(OID.messageDigest, octets(createHash('sha256').update(content).digest())),
  ].sort(Buffer.compare);
  // RFC 5652 §5.4: the signature is over the attributes as a DER SET OF; they are stored as [0].
  const signature = cryptoSign('sha256', encode(TAG.SET, ...attrs), { key: id.key, dsaEncoding: 'der' });
  const signerInfo = seq(
    smallInt(1),
    seq(signer.issuer, signer.serial),
    sha256,
    encode(ctx(0), ...attrs),
    sigAlg,
    octets(signature),
  );
  const signedData = seq(
    smallInt(1),
    setOf(sha256),
    seq(oid(OID.data)),
    // Leaf first, then its issuers: validators build the path themselves, but this is the order people read.
    encode(ctx(0), ...id.chain.map((c) => c.der)),
    setOf(signerInfo),
  );
  return seq(oid(OID.signedData), encode(ctx(0), signedData));
}

export interface CmsCheck {
  ok: boolean;
  problem?: string;
  signer?: Certificate;
  signingTime?: Date;
}

/**
 * Verifies a detached SignedData over `content` with one signer: the signer certificate found by
 * issuer Name bytes and serial number (as NSS and OpenSSL look it up), contentType and
 * messageDigest attributes, the signature over the attributes, and the certificate path the CMS
 * carries, each certificate valid at the signing time.
 */
export function verifySignedData(der: Buffer, content: Buffer): CmsCheck {
  // The DER is followed by the placeholder's zero padding; readTlv reads the first element only.
  const contentInfo = children(expectTag(readTlv(der), TAG.SEQUENCE, 'CMS'));
  if (decodeOid(expectTag(contentInfo[0], TAG.OID, 'CMS 类型').body) !== OID.signedData) return { ok: false, problem: '签名不是 CMS SignedData' };
  const sd = children(expectTag(children(expectTag(contentInfo[1], ctx(0), 'CMS 内容'))[0], TAG.SEQUENCE, 'SignedData'));
  const encap = children(expectTag(sd[2], TAG.SEQUENCE, 'encapContentInfo'));
  if (encap.length > 1) return { ok: false, problem: '签名内嵌了内容（应为分离式签名）' };
  const certs = sd.find((n) => n.tag === ctx(0));
  const signerInfos = children(expectTag(sd.at(-1), TAG.SET, 'signerInfos'));
  if (signerInfos.length !== 1) return { ok: false, problem: `签名者数量为 ${signerInfos.length}` };
  const si = children(expectTag(signerInfos[0], TAG.SEQUENCE, 'SignerInfo'));
  const sid = si[1];
  if (sid?.tag !== TAG.SEQUENCE) return { ok: false, problem: '签名者以密钥标识符标明（只支持颁发者与序列号）' };
  const [sidIssuer, sidSerial] = children(sid);
  if (!sidIssuer || !sidSerial) return { ok: false, problem: '签名者标识格式不正确' };
  const pool = certs ? children(certs).map((c) => parseCertificate(Buffer.from(c.der))) : [];
  const signer = pool.find((c) => c.issuer.equals(sidIssuer.der) && c.serial.equals(sidSerial.der));
  if (!signer) return { ok: false, problem: '签名中找不到签名者证书（没有颁发者与序列号都相符的证书）' };

  const digestOid = decodeOid(expectTag(children(expectTag(si[2], TAG.SEQUENCE, '摘要算法'))[0], TAG.OID, '摘要算法').body);
  const hash = DIGESTS[digestOid];
  if (!hash) return { ok: false, problem: `不支持的摘要算法 ${digestOid}`, signer };
  const attrsNode = si[3]?.tag === ctx(0) ? si[3] : undefined;
  if (!attrsNode) return { ok: false, problem: '签名缺少签名属性（signedAttrs）', signer };
  const values = new Map<string, Tlv[]>();
  for (const attr of children(attrsNode)) {
    const [type, set] = children(attr);
    const o = decodeOid(expectTag(type, TAG.OID, '签名属性').body);
    if (values.has(o)) return { ok: false, problem: `签名属性 ${o} 重复`, signer };
    values.set(o, children(expectTag(set, TAG.SET, '签名属性值')));
  }
  const single = (o: string): Tlv | undefined => {
    const v = values.get(o);
    return v?.length === 1 ? v[0] : undefined;
  };
  const contentType = single(OID.contentType);
  if (!contentType || contentType.tag !== TAG.OID || decodeOid(contentType.body) !== OID.data) return { ok: false, problem: '签名的 contentType 属性缺失或不是 data', signer };
  const messageDigest = single(OID.messageDigest);
  if (!messageDigest || messageDigest.tag !== TAG.OCTET_STRING) return { ok: false, problem: '签名缺少 messageDigest 属性', signer };
  if (!createHash(hash).update(content).digest().equals(messageDigest.body)) return { ok: false, problem: '文件内容与签名时不一致（摘要不符）', signer };
  const timeNode = single(OID.signingTime);
  const signingTime = timeNode ? decodeTime(timeNode) : undefined;

  const [sigAlgOid, sigValue] = [si[4], si[5]];
  const algOid = decodeOid(expectTag(children(expectTag(sigAlgOid, TAG.SEQUENCE, '签名算法'))[0], TAG.OID, '签名算法').body);
  const alg = SIGNATURES[algOid];
  if (!alg) return { ok: false, problem: `不支持的签名算法 ${algOid}`, signer };
  if (alg.hash && alg.hash !== hash) return { ok: false, problem: '签名算法与摘要算法不一致', signer };
  const publicKey = signer.x509.publicKey;
  if (publicKey.asymmetricKeyType !== alg.key) return { ok: false, problem: '签名算法与证书密钥类型不符', signer };
  const signed = encode(TAG.SET, attrsNode.body);
  const valid = cryptoVerify(hash, signed, { key: publicKey, dsaEncoding: 'der' }, expectTag(sigValue, TAG.OCTET_STRING, '签名值').body);
  if (!valid) return { ok: false, problem: '签名值无效', signer };

  const pathProblem = checkPath(pathFrom(signer, pool), signingTime ?? new Date());
  if (pathProblem) return { ok: false, problem: pathProblem, signer };
  return { ok: true, signer, ...(signingTime ? { signingTime } : {}) };
}

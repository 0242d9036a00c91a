/**
 * The college's certificate signature on the PDF (adbe.pkcs7.detached, what WPS, Acrobat and
 * `pdfsig` check) and its independent verification: the CMS is parsed with node-forge, the signed
 * byte ranges are hashed here and the RSA signature is checked with Node's crypto, so verify does
 * not trust the library that made the signature.
 */
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import forge from 'node-forge';
import { DeskError } from '../../shared/api/index.js';

const KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';

export interface P12Info {
  buffer: Buffer;
  passphrase: string;
  /** Subject CN (or the whole subject) of the signing certificate. */
  subject: string;
}

function subjectOf(cert: forge.pki.Certificate): string {
  const cn = cert.subject.getField('CN') as { value?: string } | null;
  const raw = cn?.value ?? cert.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', ');
  // forge returns UTF-8 certificate strings as raw bytes.
  try {
    return forge.util.decodeUtf8(raw);
  } catch {
    return raw;
  }
}

/** Opens the PKCS#12 file once up front, so a wrong passphrase is reported before anything is written. */
export function openP12(path: string, passphrase: string): P12Info {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (e) {
    throw new DeskError('p12_unreadable', `无法读取证书文件 ${path}：${(e as Error).message}`);
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(buffer.toString('binary')), passphrase);
  } catch {
    throw new DeskError('p12_passphrase', '证书文件无法打开：密码错误或不是 PKCS#12（.p12/.pfx）文件。');
  }
  const keyBags = p12.getBags({ bagType: KEY_BAG })[KEY_BAG] ?? [];
  const key = keyBags[0]?.key;
  if (!key) throw new DeskError('p12_no_key', '证书文件中没有私钥。');
  if (!('n' in key)) throw new DeskError('p12_not_rsa', '仅支持 RSA 证书签名 PDF。');
  const certs = (p12.getBags({ bagType: CERT_BAG })[CERT_BAG] ?? []).flatMap((b) => (b.cert ? [b.cert] : []));
  const rsa = key as forge.pki.rsa.PrivateKey;
  const mine = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n?.equals(rsa.n));
  if (!mine) throw new DeskError('p12_no_cert', '证书文件中没有与私钥匹配的证书。');
  return { buffer, passphrase, subject: subjectOf(mine) };
}

export async function signPdf(pdf: Buffer, p12: P12Info): Promise<Buffer> {
  const signer = new P12Signer(p12.buffer, { passphrase: p12.passphrase });
  return new SignPdf().sign(pdf, signer);
}

export interface PdfSignatureCheck {
  ok: boolean;
  /** Why it failed, in the words verify prints. */
  problem?: string;
  subject?: string;
  /** The PDF's Keywords entry, read from inside the signed bytes. */
  keywords?: string;
}

const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.3.14.3.2.26': 'sha1',
};
// The typings only know the old boolean argument; forge 1.x takes an options object.
const fromDer = forge.asn1.fromDer as unknown as (b: forge.util.ByteBuffer, o: { parseAllBytes: boolean; strict: boolean }) => forge.asn1.Asn1;

type Node = forge.asn1.Asn1;
const kids = (n: Node | undefined): Node[] => (n && Array.isArray(n.value) ? (n.value as Node[]) : []);
const bytes = (n: Node | undefined): string => (n && typeof n.value === 'string' ? n.value : '');

/** The binding string pdf.ts writes into the Keywords entry (an ASCII literal, possibly an indirect object). */
function keywordsOf(signed: Buffer): string | undefined {
  const m = /\((desk-export:[ -~]*?)\)/.exec(signed.toString('latin1'));
  return m?.[1];
}

/**
 * Checks the one signature of a PDF written by this desk: the byte ranges cover the whole file
 * except the signature itself, the CMS message digest equals the hash of those bytes, and the
 * signer's RSA signature over the signed attributes is valid for the certificate inside.
 */
export function verifyPdfSignature(pdf: Buffer): PdfSignatureCheck {
  const text = pdf.toString('latin1');
  const all = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  if (all.length === 0) return { ok: false, problem: '没有数字签名' };
  if (all.length > 1) return { ok: false, problem: `含 ${all.length} 个签名（应只有 1 个）` };
  const [a, b, c, d] = (all[0]?.slice(1) ?? []).map(Number) as [number, number, number, number];
  if (a !== 0 || c + d !== pdf.length || b >= c) return { ok: false, problem: '签名范围没有覆盖整个文件（文件在签名后被追加或截断）' };
  const hex = text.slice(b, c);
  if (!/^<[0-9a-fA-F]+>$/.test(hex)) return { ok: false, problem: '签名内容格式不正确' };
  const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const der = Buffer.from(hex.slice(1, -1), 'hex');
  try {
    // The CMS DER is followed by the placeholder's zero padding; fromDer with parseAllBytes off ignores it.
    const ci = fromDer(forge.util.createBuffer(der.toString('binary')), { parseAllBytes: false, strict: false });
    const signedData = kids(kids(kids(ci)[1])[0]);
    const certsNode = signedData.find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 0);
    const signerInfos = signedData.at(-1);
    const infos = kids(signerInfos);
    if (infos.length !== 1) return { ok: false, problem: `签名者数量为 ${infos.length}` };
    const si = kids(infos[0]);
    const sid = kids(si[1]);
    const serial = forge.util.bytesToHex(bytes(sid[1]));
    const digestOid = forge.asn1.derToOid(bytes(kids(si[2])[0]));
    const attrsNode = si.find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 0);
    const sigValue = si.at(-1);
    const hashName = DIGESTS[digestOid];
    if (!hashName) return { ok: false, problem: `不支持的摘要算法 ${digestOid}` };
    if (!attrsNode) return { ok: false, problem: '签名缺少签名属性（signedAttrs）' };
    const certs = kids(certsNode).map((n) => forge.pki.certificateFromAsn1(n));
    const cert = certs.find((x) => x.serialNumber.toLowerCase().replace(/^0+/, '') === serial.toLowerCase().replace(/^0+/, ''));
    if (!cert) return { ok: false, problem: '签名中找不到签名者证书' };
    let messageDigest: string | undefined;
    for (const attr of kids(attrsNode)) {
      const [oid, values] = kids(attr);
      if (forge.asn1.derToOid(bytes(oid)) === OID_MESSAGE_DIGEST) messageDigest = bytes(kids(values)[0]);
    }
    if (messageDigest === undefined) return { ok: false, problem: '签名缺少 messageDigest 属性' };
    const actual = createHash(hashName).update(signed).digest();
    if (!actual.equals(Buffer.from(messageDigest, 'binary'))) {
      return { ok: false, problem: '文件内容与签名时不一致（摘要不符）', subject: subjectOf(cert) };
    }
    // RFC 5652 §5.4: the signature covers the DER of the attributes re-tagged as a SET OF.
    const asSet = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, kids(attrsNode));
    const attrsDer = Buffer.from(forge.asn1.toDer(asSet).getBytes(), 'binary');
    const publicKey = createPublicKey(forge.pki.publicKeyToPem(cert.publicKey));
    const valid = cryptoVerify(hashName, attrsDer, publicKey, Buffer.from(bytes(sigValue), 'binary'));
    if (!valid) return { ok: false, problem: '签名值无效', subject: subjectOf(cert) };
    const keywords = keywordsOf(signed);
    return { ok: true, subject: subjectOf(cert), ...(keywords !== undefined ? { keywords } : {}) };
  } catch (e) {
    return { ok: false, problem: `签名无法解析：${(e as Error).message}` };
  }
}

/** Keywords of an unsigned PDF (drafts, exports without a certificate). */
export function pdfKeywords(pdf: Buffer): string | undefined {
  return keywordsOf(pdf);
}

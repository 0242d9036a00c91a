/**
 * The college's certificate signature on the PDF (adbe.pkcs7.detached, what WPS, Acrobat and
 * `pdfsig` check) and its independent verification. @signpdf places the ByteRange and fills
 * /Contents; the CMS inside is made by cms.ts from the P12's key and its certificates' original
 * bytes, and verify re-hashes the signed byte ranges itself.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { DeskError } from '../../shared/api/index.js';
import { buildSignedData, checkPath, displayName, parseCertificate, pathFrom, signatureAlgorithm, verifySignedData, type Certificate, type SigningIdentity } from './cms.js';
import { readP12 } from './p12.js';
import { SIGNATURE_LENGTH } from './pdfDoc.js';

export interface P12Info extends SigningIdentity {
  /** Subject CN (or the whole subject) of the signing certificate. */
  subject: string;
}

/**
 * Opens the PKCS#12 file once up front and proves it can sign (key type, matching certificate,
 * certificate path, a probe signature that fits the PDF's placeholder), so every refusal comes
 * before anything is written.
 */
export function openP12(path: string, passphrase: string): P12Info {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (e) {
    throw new DeskError('p12_unreadable', `无法读取证书文件 ${path}：${(e as Error).message}`);
  }
  let contents: ReturnType<typeof readP12>;
  try {
    contents = readP12(buffer, passphrase);
  } catch {
    throw new DeskError('p12_passphrase', '证书文件无法打开：密码错误或不是 PKCS#12（.p12/.pfx）文件。');
  }
  if (contents.keys.length === 0) throw new DeskError('p12_no_key', '证书文件中没有私钥。');
  const keys: KeyObject[] = [];
  for (const der of contents.keys) {
    try {
      keys.push(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
    } catch (e) {
      throw new DeskError('p12_key_unsupported', `不支持此证书的私钥（${(e as Error).message}）：只能用 RSA 或 ECDSA P-256 证书签名 PDF。`);
    }
  }
  // A certificate this desk cannot parse cannot be embedded either; it is left out rather than fatal.
  const certs = contents.certs.flatMap((der): Certificate[] => {
    try {
      return [parseCertificate(der)];
    } catch {
      return [];
    }
  });
  for (const key of keys) signatureAlgorithm(key);
  let identity: SigningIdentity | undefined;
  for (const key of keys) {
    const leaf = certs.find((c) => c.x509.checkPrivateKey(key));
    if (leaf) {
      identity = { key, chain: pathFrom(leaf, certs) };
      break;
    }
  }
  if (!identity) throw new DeskError('p12_no_cert', '证书文件中没有与私钥匹配的证书。');
  const problem = checkPath(identity.chain, new Date());
  if (problem) throw new DeskError('p12_cert_invalid', `证书不能用于签名：${problem}。`);
  // The signature's size does not depend on the content, so a probe tells whether it fits.
  const probe = buildSignedData(Buffer.alloc(0), identity, new Date());
  // ECDSA signatures vary by a few bytes; leave room for that.
  if (probe.length + 16 > SIGNATURE_LENGTH) {
    throw new DeskError('p12_chain_too_long', `证书链太长（签名 ${probe.length} 字节，PDF 中预留 ${SIGNATURE_LENGTH} 字节）。`);
  }
  const [leaf] = identity.chain;
  return { ...identity, subject: leaf ? displayName(leaf.subject) : '' };
}

/** Hands @signpdf the CMS for the bytes outside /Contents. */
class CmsSigner extends Signer {
  constructor(private readonly identity: SigningIdentity) {
    super();
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    return buildSignedData(pdfBuffer, this.identity, signingTime ?? new Date());
  }
}

export async function signPdf(pdf: Buffer, p12: SigningIdentity, signingTime?: Date): Promise<Buffer> {
  try {
    return await new SignPdf().sign(pdf, new CmsSigner(p12), signingTime);
  } catch (e) {
    if (e instanceof DeskError) throw e;
    throw new DeskError('pdf_sign_failed', `PDF 签名失败：${(e as Error).message}`);
  }
}

export interface PdfSignatureCheck {
  ok: boolean;
  /** Why it failed, in the words verify prints. */
  problem?: string;
  subject?: string;
  /** The PDF's Keywords entry, read from inside the signed bytes. */
  keywords?: string;
}

/** The binding string pdf.ts writes into the Keywords entry (an ASCII literal, possibly an indirect object). */
function keywordsOf(signed: Buffer): string | undefined {
  const m = /\((desk-export:[ -~]*?)\)/.exec(signed.toString('latin1'));
  return m?.[1];
}

/**
 * Checks the one signature of a PDF written by this desk: the byte ranges cover the whole file
 * except the signature itself, and the CMS verifies over those bytes (cms.ts: signer by issuer
 * and serial number, message digest, signature, certificate path).
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
    const check = verifySignedData(der, signed);
    const subject = check.signer ? displayName(check.signer.subject) : undefined;
    if (!check.ok) return { ok: false, problem: check.problem ?? '签名无效', ...(subject !== undefined ? { subject } : {}) };
    const keywords = keywordsOf(signed);
    return { ok: true, ...(subject !== undefined ? { subject } : {}), ...(keywords !== undefined ? { keywords } : {}) };
  } catch (e) {
    return { ok: false, problem: `签名无法解析：${(e as Error).message}` };
  }
}

/** Keywords of an unsigned PDF (drafts, exports without a certificate). */
export function pdfKeywords(pdf: Buffer): string | undefined {
  return keywordsOf(pdf);
}

/**
 * Reads a PKCS#12 (.p12/.pfx) file into its private keys (PKCS#8 DER, for Node's crypto) and its
 * certificates exactly as stored. node-forge supplies the parts Node lacks (BER parsing, the
 * PKCS#12 KDF, RC2 and 3DES for -legacy and older Windows files, PBES2), but not its
 * pkcs12FromAsn1: that only understands RSA keys, re-encodes the certificates it parses (the
 * Chinese names among them), and cannot open an OpenSSL 3 file whose password is not ASCII.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import forge from 'node-forge';

type Asn1 = forge.asn1.Asn1;

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
};

// Present in forge 1.x (pkcs12 and pkcs8 decryption use it) but missing from its typings.
interface Pbe {
  getCipher(oid: string, params: Asn1, password: string): forge.cipher.BlockCipher;
}
const pbe = (forge.pki as unknown as { pbe: Pbe }).pbe;

export interface P12Contents {
  /** PrivateKeyInfo (PKCS#8) DER of each key, decrypted. */
  keys: Buffer[];
  /** Each X.509 certificate's DER, byte for byte as in the file. */
  certs: Buffer[];
}

const kids = (n: Asn1 | undefined): Asn1[] => (n && Array.isArray(n.value) ? n.value : []);

/** An OCTET STRING's content; BER writers (Windows among them) may split it into chunks. */
function octetsOf(n: Asn1 | undefined): string {
  if (!n) throw new Error('PKCS#12 结构不完整');
  return Array.isArray(n.value) ? n.value.map(octetsOf).join('') : n.value;
}

function oidOf(n: Asn1 | undefined): string {
  if (!n || typeof n.value !== 'string') throw new Error('PKCS#12 结构不完整');
  return forge.asn1.derToOid(n.value);
}

const derOf = (n: Asn1): Buffer => Buffer.from(forge.asn1.toDer(n).getBytes(), 'binary');

const MAC_DIGESTS: Record<string, { node: string; forge: () => forge.md.MessageDigest }> = {
  '1.3.14.3.2.26': { node: 'sha1', forge: () => forge.md.sha1.create() },
  '2.16.840.1.101.3.4.2.1': { node: 'sha256', forge: () => forge.md.sha256.create() },
  '2.16.840.1.101.3.4.2.2': { node: 'sha384', forge: () => forge.md.sha384.create() },
  '2.16.840.1.101.3.4.2.3': { node: 'sha512', forge: () => forge.md.sha512.create() },
};

/** RFC 7292 appendix B MAC over the AuthenticatedSafe: the password check proper. */
function checkMac(macData: Asn1, authSafe: string, password: string): void {
  const [digestInfo, salt, iterations] = kids(macData);
  const [algorithm, digest] = kids(digestInfo);
  const md = MAC_DIGESTS[oidOf(kids(algorithm)[0])];
  if (!md || !salt || typeof salt.value !== 'string' || !digest || typeof digest.value !== 'string') throw new Error('PKCS#12 使用了不支持的 MAC');
  const count = iterations && typeof iterations.value === 'string' ? parseInt(forge.util.bytesToHex(iterations.value), 16) : 1;
  const hash = md.forge();
  // The PKCS#12 KDF takes the password as a BMPString, which forge builds from the JS string.
  const key = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt.value), 3, count, hash.digestLength, hash);
  const mac = createHmac(md.node, Buffer.from(key.getBytes(), 'binary')).update(Buffer.from(authSafe, 'binary')).digest();
  const expected = Buffer.from(digest.value, 'binary');
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw new Error('PKCS#12 MAC 不符（密码错误）');
}

/** Decrypts PBES2 (OpenSSL 3's AES) or PKCS#12 PBE (RC2/3DES of -legacy and older Windows) data. */
function decrypt(algorithm: Asn1 | undefined, data: string, password: string): string {
  const [algOid, params] = kids(algorithm);
  const oid = oidOf(algOid);
  if (!params) throw new Error('PKCS#12 加密参数缺失');
  // PBES2 keys come from the password's UTF-8 bytes (as OpenSSL writes them); forge's PBKDF2 reads
  // a JS string as bytes, so a Chinese password must be handed over encoded. The PKCS#12 PBE takes
  // the JS string and makes its BMPString itself.
  const cipher = pbe.getCipher(oid, params, oid === OID.pbes2 ? forge.util.encodeUtf8(password) : password);
  cipher.update(forge.util.createBuffer(data));
  if (!cipher.finish()) throw new Error('PKCS#12 内容无法解密（密码错误）');
  return cipher.output.getBytes();
}

/** Throws on a wrong password or a file that is not PKCS#12 (the message is for logs only). */
export function readP12(buffer: Buffer, password: string): P12Contents {
  // forge reads BER as well as DER: PKCS#12 files from Windows are often BER.
  const pfx = forge.asn1.fromDer(buffer.toString('binary'));
  const [, authSafe, macData] = kids(pfx);
  if (oidOf(kids(authSafe)[0]) !== OID.data) throw new Error('PKCS#12 使用了不支持的公钥完整性模式');
  const safes = octetsOf(kids(kids(authSafe)[1])[0]);
  if (macData) checkMac(macData, safes, password);
  const out: P12Contents = { keys: [], certs: [] };
  for (const contentInfo of kids(forge.asn1.fromDer(safes))) {
    const [typeNode, wrapped] = kids(contentInfo);
    const type = oidOf(typeNode);
    let safeContents: string;
    if (type === OID.data) {
      safeContents = octetsOf(kids(wrapped)[0]);
    } else if (type === OID.encryptedData) {
      const [, encryptedContentInfo] = kids(kids(wrapped)[0]);
      const [, algorithm, encrypted] = kids(encryptedContentInfo);
      safeContents = decrypt(algorithm, octetsOf(encrypted), password);
    } else {
      // Public-key encrypted contents (EnvelopedData) need a key the desk does not have.
      continue;
    }
    for (const bag of kids(forge.asn1.fromDer(safeContents))) {
      const [idNode, valueNode] = kids(bag);
      const id = oidOf(idNode);
      const value = kids(valueNode)[0];
      if (!value) continue;
      if (id === OID.shroudedKeyBag) {
        const [algorithm, encrypted] = kids(value);
        out.keys.push(Buffer.from(decrypt(algorithm, octetsOf(encrypted), password), 'binary'));
      } else if (id === OID.keyBag) {
        out.keys.push(derOf(value));
      } else if (id === OID.certBag) {
        const [certId, certValue] = kids(value);
        if (oidOf(certId) === OID.x509Certificate) out.certs.push(Buffer.from(octetsOf(kids(certValue)[0]), 'binary'));
      }
    }
  }
  return out;
}

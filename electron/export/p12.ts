/**
 * Reads a PKCS#12 (.p12/.pfx) file into its private keys (PKCS#8 DER, for Node's crypto) and its
 * certificates exactly as stored. node-forge does the password work (MAC check, PBES2/AES of
 * OpenSSL 3, the RC2/3DES of -legacy and of Windows exports, BER input), but its certificate and
 * key objects are not used: it only understands RSA, and writing a certificate back out from them
 * re-encodes fields (the Chinese names among them), so the walk below keeps the original bytes.
 */
import forge from 'node-forge';

type Asn1 = forge.asn1.Asn1;

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
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

/** Throws on a wrong password or a file that is not PKCS#12 (the message is forge's, for logs only). */
export function readP12(buffer: Buffer, password: string): P12Contents {
  const bytes = buffer.toString('binary');
  // forge checks the MAC first, so a wrong password fails as such rather than as a decryption
  // that happens to yield valid padding; its result is then read again below for exact bytes.
  forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes), password);
  const pfx = forge.asn1.fromDer(bytes);
  const authSafe = kids(pfx)[1];
  if (oidOf(kids(authSafe)[0]) !== OID.data) throw new Error('PKCS#12 使用了不支持的公钥完整性模式');
  const out: P12Contents = { keys: [], certs: [] };
  for (const contentInfo of kids(forge.asn1.fromDer(octetsOf(kids(kids(authSafe)[1])[0])))) {
    const [typeNode, wrapped] = kids(contentInfo);
    const type = oidOf(typeNode);
    let safeContents: string;
    if (type === OID.data) {
      safeContents = octetsOf(kids(wrapped)[0]);
    } else if (type === OID.encryptedData) {
      const [, encryptedContentInfo] = kids(kids(wrapped)[0]);
      const [, algorithm, encrypted] = kids(encryptedContentInfo);
      const [algOid, params] = kids(algorithm);
      if (!params) throw new Error('PKCS#12 加密参数缺失');
      const cipher = pbe.getCipher(oidOf(algOid), params, password);
      cipher.update(forge.util.createBuffer(octetsOf(encrypted)));
      if (!cipher.finish()) throw new Error('PKCS#12 内容无法解密');
      safeContents = cipher.output.getBytes();
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
        const info = forge.pki.decryptPrivateKeyInfo(value, password) as Asn1 | null;
        if (!info) throw new Error('PKCS#12 私钥无法解密');
        out.keys.push(derOf(info));
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

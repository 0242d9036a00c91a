/**
 * PDF signatures with certificates shaped like real ones, made by OpenSSL at test time: Chinese
 * names in UTF8String (what every college certificate has), RSA 2048 self-signed, RSA 3072 under
 * a Chinese-named CA chain, ECDSA P-256, and an ASCII-only control. Each signed PDF must satisfy
 * validators that share no code with the desk — poppler's pdfsig (NSS) and `openssl cms -verify`
 * on the CMS cut out of /Contents — and the desk's own verify must agree with them, including
 * where they reject: a changed byte, a SignerInfo issuer re-encoded the way node-forge did
 * (issue #847), and a chain whose intermediate did not sign the leaf.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pdfkitAddPlaceholder } from '@signpdf/placeholder-pdfkit';
import forge from 'node-forge';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskError, type ExportResult } from '../../../shared/api/index.js';
import { parseCertificate } from '../../../electron/export/cms.js';
import { children, ctx, encode, readTlv, seq, TAG, type Tlv } from '../../../electron/export/der.js';
import { runExport } from '../../../electron/export/exportService.js';
import { openP12, signPdf, verifyPdfSignature } from '../../../electron/export/pdfSignature.js';
import { verifyExport } from '../../../electron/export/verify.js';
import { decidedWorkspace, tempDir } from './fixtures.js';

/** Fails (never skips) when a validator is missing, naming the Debian package that has it. */
function requireTool(cmd: string, args: string[], pkg: string): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} is not installed; these tests need it: apt-get install ${pkg}`);
}

let root: string;
// Typed from the fixture so this file does not depend on where the workspace module lives.
let ws: Awaited<ReturnType<typeof decidedWorkspace>>;
let n = 0;

function openssl(args: string[]): string {
  const r = spawnSync('openssl', args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}\n${r.stderr}`);
  return r.stdout;
}

const CONFIG = `[req]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
prompt = no
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
# No key identifiers: OpenSSL then tries a same-named impostor CA and reports its signature, not a missing issuer.
subjectKeyIdentifier = none
authorityKeyIdentifier = none
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = none
authorityKeyIdentifier = none
`;

interface Made { key: string; cert: string }

const KEYS: Record<string, string[]> = {
  rsa2048: ['-newkey', 'rsa:2048'],
  rsa3072: ['-newkey', 'rsa:3072'],
  p256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
};

/** A certificate for `subj` (OpenSSL's /K=V form, UTF-8), self-signed or issued by `issuer`. */
function makeCert(subj: string, keyType: keyof typeof KEYS, ext: 'ca' | 'leaf', issuer?: Made): Made {
  const base = `c${++n}`;
  const made = { key: join(root, `${base}.key`), cert: join(root, `${base}.pem`) };
  const common = ['-utf8', ...(KEYS[keyType] ?? []), '-nodes', '-keyout', made.key, '-config', 'openssl.cnf', '-subj', subj];
  if (!issuer) {
    openssl(['req', '-new', '-x509', ...common, '-days', '30', '-extensions', ext, '-out', made.cert]);
  } else {
    openssl(['req', '-new', ...common, '-out', `${base}.csr`]);
    openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', issuer.cert, '-CAkey', issuer.key, '-set_serial', String(1000 + n), '-days', '30', '-extfile', 'openssl.cnf', '-extensions', ext, '-out', made.cert]);
  }
  return made;
}

const PASS = '湖南测试-pass';

/** PKCS#12 with OpenSSL 3's defaults (PBES2/AES-256, SHA-256 MAC) or -legacy (RC2-40/3DES, SHA-1 MAC). */
function makeP12(leaf: Made, chain: Made[], legacy: boolean): string {
  const out = leaf.cert.replace(/\.pem$/, legacy ? '-legacy.p12' : '.p12');
  const certfile = chain.length > 0 ? ['-certfile', leaf.cert.replace(/\.pem$/, '-chain.pem')] : [];
  if (chain.length > 0) writeFileSync(certfile[1] ?? '', chain.map((c) => readFileSync(c.cert, 'utf8')).join(''));
  openssl(['pkcs12', '-export', ...(legacy ? ['-legacy'] : []), '-inkey', leaf.key, '-in', leaf.cert, ...certfile, '-out', out, '-passout', `pass:${PASS}`]);
  return out;
}

const derOfPem = (path: string): Buffer => Buffer.from(readFileSync(path, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');

const CHINESE = '/C=CN/ST=湖南省/L=长沙市/O=湖南示范职业技术学院/OU=招生办公室/CN=湖南示范职业技术学院招生专用章';

interface Shape {
  name: string;
  cn: string;
  leaf: Made;
  /** The root the chain ends in: the trust anchor handed to `openssl cms -verify -CAfile`. */
  anchor: string;
  p12: string;
  legacyP12: string;
  export?: ExportResult;
}
const SHAPES = ['RSA 2048 self-signed, Chinese names', 'RSA 3072 under a Chinese-named CA chain', 'ECDSA P-256, Chinese names', 'RSA 2048, ASCII names'] as const;
const shapes = new Map<string, Shape>();
let rootCa: Made;
let intermediate: Made;

function shape(name: string, cn: string, leaf: Made, anchor: string, chain: Made[] = []): void {
  shapes.set(name, { name, cn, leaf, anchor, p12: makeP12(leaf, chain, false), legacyP12: makeP12(leaf, chain, true) });
}

const get = (name: string): Shape => {
  const s = shapes.get(name);
  if (!s) throw new Error(`no shape ${name}`);
  return s;
};

interface Cut { byteRange: [number, number, number, number]; cms: Buffer; signed: Buffer }

/** The CMS (without /Contents' zero padding) and the bytes the ByteRange covers, read without the desk's code. */
function cut(pdf: Buffer): Cut {
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(pdf.toString('latin1'));
  const [a, b, c, d] = (m?.slice(1) ?? []).map(Number) as [number, number, number, number];
  const der = Buffer.from(pdf.subarray(b + 1, c - 1).toString('latin1'), 'hex');
  const lenByte = der[1] ?? 0;
  const lenOctets = lenByte & 0x80 ? lenByte & 0x7f : 0;
  let len = lenOctets ? 0 : lenByte;
  for (let i = 0; i < lenOctets; i++) len = len * 256 + (der[2 + i] ?? 0);
  return { byteRange: [a, b, c, d], cms: der.subarray(0, 2 + lenOctets + len), signed: Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]) };
}

/** The same PDF with another CMS in /Contents (padded like the original, so no offset moves). */
function withCms(pdf: Buffer, cms: Buffer): Buffer {
  const { byteRange: [, b, c] } = cut(pdf);
  const hex = cms.toString('hex');
  const room = c - b - 2;
  expect(hex.length).toBeLessThanOrEqual(room);
  const out = Buffer.from(pdf);
  out.write(hex.padEnd(room, '0'), b + 1, 'latin1');
  return out;
}

interface Verdicts { pdfsig: string; openssl: { ok: boolean; output: string } }

function validators(pdf: Buffer, anchor: string, label: string): Verdicts {
  const file = join(root, `${label}-${++n}.pdf`);
  writeFileSync(file, pdf);
  const { cms, signed } = cut(pdf);
  writeFileSync(`${file}.der`, cms);
  writeFileSync(`${file}.bin`, signed);
  const sig = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  const cmsRun = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${file}.der`, '-content', `${file}.bin`, '-CAfile', anchor, '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
  return { pdfsig: sig.stdout + sig.stderr, openssl: { ok: cmsRun.status === 0, output: cmsRun.stdout + cmsRun.stderr } };
}

/** One byte changed inside the signed range: a letter of the Keywords binding string. */
function tampered(pdf: Buffer): Buffer {
  const out = Buffer.from(pdf);
  const at = out.indexOf('(desk-export:');
  expect(at).toBeGreaterThan(0);
  out[at + 1] = 0x44; // 'd' -> 'D'
  return out;
}

/**
 * The issuer Name as node-forge 1.x writes it into a SignerInfo: each UTF8String value's bytes
 * taken as Latin-1 characters and UTF-8 encoded again. ASCII survives that unchanged, which is
 * why only Chinese-named certificates broke.
 */
function forgeStyle(name: Buffer): Buffer {
  return seq(...children(readTlv(name)).map((rdn) => encode(TAG.SET, ...children(rdn).map((atv) => {
    const [type, value] = children(atv);
    if (!type || !value) throw new Error('bad Name');
    return seq(type.der, value.tag === TAG.UTF8_STRING ? encode(TAG.UTF8_STRING, Buffer.from(value.body.toString('latin1'), 'utf8')) : value.der);
  }))));
}

function at(list: Tlv[], k: number): Tlv {
  const x = list[k];
  if (!x) throw new Error(`CMS element ${k} missing`);
  return x;
}

/** The same CMS with another issuer Name in the SignerInfo's issuerAndSerialNumber (not covered by the signature). */
function withSignerIssuer(cms: Buffer, issuer: Buffer): Buffer {
  const contentInfo = children(readTlv(cms));
  const sd = children(at(children(at(contentInfo, 1)), 0));
  const si = children(at(children(at(sd, sd.length - 1)), 0));
  const serial = at(children(at(si, 1)), 1);
  const newSi = seq(...si.map((x, k) => (k === 1 ? seq(issuer, serial.der) : x.der)));
  const newSd = seq(...sd.map((x, k) => (k === sd.length - 1 ? encode(TAG.SET, newSi) : x.der)));
  return seq(at(contentInfo, 0).der, encode(ctx(0), newSd));
}

/** A one-page PDF with an empty signature placeholder, for signatures openP12 would refuse to make. */
async function placeholderPdf(name: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((res) => doc.on('end', () => res(Buffer.concat(chunks))));
  doc.info.Keywords = 'desk-export:test';
  doc.text('test');
  pdfkitAddPlaceholder({ pdf: doc, pdfBuffer: Buffer.alloc(0), reason: 'test', contactInfo: '', name, location: '', signatureLength: 16384 });
  doc.end();
  return done;
}

beforeAll(async () => {
  requireTool('openssl', ['version'], 'openssl');
  requireTool('pdfsig', ['-v'], 'poppler-utils');
  root = tempDir('desk-sig-');
  writeFileSync(join(root, 'openssl.cnf'), CONFIG);
  rootCa = makeCert('/C=CN/ST=湖南省/O=湖南省教育考试院（测试）/CN=湖南省教育考试院测试根证书', 'rsa2048', 'ca');
  intermediate = makeCert('/C=CN/ST=湖南省/O=湖南示范电子认证服务有限公司/CN=湖南示范电子认证中间证书（测试）', 'rsa2048', 'ca', rootCa);
  const [selfRsa, chained, ec, ascii] = SHAPES;
  const selfSigned = makeCert(CHINESE, 'rsa2048', 'leaf');
  shape(selfRsa, '湖南示范职业技术学院招生专用章', selfSigned, selfSigned.cert);
  shape(chained, '湖南示范职业技术学院招生专用章', makeCert(CHINESE, 'rsa3072', 'leaf', intermediate), rootCa.cert, [intermediate, rootCa]);
  const ecLeaf = makeCert(CHINESE, 'p256', 'leaf');
  shape(ec, '湖南示范职业技术学院招生专用章', ecLeaf, ecLeaf.cert);
  const asciiLeaf = makeCert('/C=CN/ST=Hunan/L=Changsha/O=Hunan Demo Vocational College/CN=Hunan Demo College Admissions', 'rsa2048', 'leaf');
  shape(ascii, 'Hunan Demo College Admissions', asciiLeaf, asciiLeaf.cert);

  ws = await decidedWorkspace(root);
  for (const s of shapes.values()) {
    s.export = await runExport(ws, 'test-device', { table: 'notice', out: join(root, `out-${++n}`), p12Path: s.p12, passphrase: PASS, draft: false });
  }
});

afterAll(() => {
  ws?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const exportedPdf = (s: Shape): Buffer => {
  const f = s.export?.files.find((x) => x.name.endsWith('.pdf'));
  return readFileSync(join(s.export?.dir ?? '', f?.name ?? ''));
};

describe.each(SHAPES)('%s', (name) => {
  it('opens from a P12 with OpenSSL 3 defaults and with -legacy to the same key and chain', () => {
    const s = get(name);
    const modern = openP12(s.p12, PASS);
    const legacy = openP12(s.legacyP12, PASS);
    expect(modern.subject).toBe(s.cn);
    expect(legacy.subject).toBe(s.cn);
    expect(legacy.chain.map((c) => c.der.toString('hex'))).toEqual(modern.chain.map((c) => c.der.toString('hex')));
    // The leaf is carried byte for byte as OpenSSL wrote it.
    expect(modern.chain[0]?.der.equals(derOfPem(s.leaf.cert))).toBe(true);
    const pub = (k: KeyObject): string => createPublicKey(k).export({ format: 'der', type: 'spki' }).toString('hex');
    expect(pub(legacy.key)).toBe(pub(modern.key));
  });

  it('signs the exported table so that pdfsig, openssl cms and the desk all accept it', () => {
    const s = get(name);
    const pdf = exportedPdf(s);
    const v = validators(pdf, s.anchor, 'ok');
    expect(v.pdfsig).toContain('Signature Validation: Signature is Valid.');
    expect(v.pdfsig).toContain(`Signer Certificate Common Name: ${s.cn}`);
    expect(v.openssl.output).toContain('CMS Verification successful');
    expect(v.openssl.ok).toBe(true);
    expect(verifyPdfSignature(pdf)).toMatchObject({ ok: true, subject: s.cn });
    expect(verifyExport(s.export?.dir ?? '')).toMatchObject({ pdfSigner: s.cn });
  });

  it('is rejected by all three after one byte inside the signed range changes', () => {
    const s = get(name);
    const bad = tampered(exportedPdf(s));
    const v = validators(bad, s.anchor, 'tampered');
    expect(v.pdfsig).not.toContain('Signature is Valid');
    expect(v.openssl.ok).toBe(false);
    const mine = verifyPdfSignature(bad);
    expect(mine.ok).toBe(false);
    expect(mine.problem).toContain('摘要不符');
  });

  it('is rejected by all three when the SignerInfo issuer is re-encoded the way node-forge did (Chinese names only)', () => {
    const s = get(name);
    const pdf = exportedPdf(s);
    const issuer = parseCertificate(derOfPem(s.leaf.cert)).issuer;
    const altered = forgeStyle(issuer);
    if (s.cn === 'Hunan Demo College Admissions') {
      // Why ASCII certificates always validated: the re-encoding changes nothing.
      expect(altered.equals(issuer)).toBe(true);
      return;
    }
    expect(altered.equals(issuer)).toBe(false);
    if (!name.startsWith('ECDSA')) {
      // The same bytes node-forge 1.4 writes (its DN writer re-encodes UTF8String values);
      // forge cannot read EC certificates, hence RSA only.
      const forgeDer = Buffer.from(forge.asn1.toDer(forge.pki.distinguishedNameToAsn1(forge.pki.certificateFromPem(readFileSync(s.leaf.cert, 'utf8')).issuer)).getBytes(), 'binary');
      expect(forgeDer.toString('hex')).toBe(altered.toString('hex'));
    }
    const bad = withCms(pdf, withSignerIssuer(cut(pdf).cms, altered));
    const v = validators(bad, s.anchor, 'issuer');
    expect(v.pdfsig).toContain('Unknown Validation Failure');
    expect(v.pdfsig).not.toContain('Signature is Valid');
    expect(v.openssl.ok).toBe(false);
    expect(v.openssl.output).toContain('signer certificate not found');
    const mine = verifyPdfSignature(bad);
    expect(mine.ok).toBe(false);
    expect(mine.problem).toContain('找不到签名者证书');
  });
});

describe('certificate chain', () => {
  it('is rejected by openssl and the desk when the intermediate did not sign the leaf; openP12 refuses such a P12', async () => {
    // Same name as the real intermediate, its own key, properly issued by the root.
    const impostor = makeCert('/C=CN/ST=湖南省/O=湖南示范电子认证服务有限公司/CN=湖南示范电子认证中间证书（测试）', 'rsa2048', 'ca', rootCa);
    const leaf = get(SHAPES[1]).leaf;
    const p12 = makeP12(leaf, [impostor, rootCa], false);
    const refused = (() => {
      try {
        openP12(p12, PASS);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(refused).toBeInstanceOf(DeskError);
    expect((refused as DeskError).code).toBe('p12_cert_invalid');
    expect((refused as DeskError).message).toContain('不是由「湖南示范电子认证中间证书（测试）」签发的');

    // Signed anyway, below openP12, to see what validators make of such a PDF.
    const chain = [leaf.cert, impostor.cert, rootCa.cert].map((p) => parseCertificate(derOfPem(p)));
    const key = createPrivateKey(readFileSync(leaf.key));
    const pdf = await signPdf(await placeholderPdf('湖南示范职业技术学院招生专用章'), { key, chain });
    const v = validators(pdf, rootCa.cert, 'impostor');
    expect(v.openssl.ok).toBe(false);
    expect(v.openssl.output).toContain('certificate signature failure');
    // pdfsig checks the CMS signature, which is intact; the chain is NSS's certificate
    // validation, which it reports separately and never as trusted here.
    expect(v.pdfsig).not.toContain('Certificate is Trusted');
    const mine = verifyPdfSignature(pdf);
    expect(mine.ok).toBe(false);
    expect(mine.problem).toContain('不是由「湖南示范电子认证中间证书（测试）」签发的');

    // The real intermediate in the same place makes all of it valid again.
    const good = await signPdf(await placeholderPdf('湖南示范职业技术学院招生专用章'), { key, chain: [leaf.cert, intermediate.cert, rootCa.cert].map((p) => parseCertificate(derOfPem(p))) });
    expect(validators(good, rootCa.cert, 'real').openssl.ok).toBe(true);
    expect(verifyPdfSignature(good).ok).toBe(true);
  });
});

describe('unsupported keys', () => {
  it('refuses an ECDSA P-384 certificate with p12_key_unsupported before anything is written', async () => {
    const leaf = makeCert(CHINESE, 'p384', 'leaf');
    const p12 = makeP12(leaf, [], false);
    expect(() => openP12(p12, PASS)).toThrow(expect.objectContaining({ code: 'p12_key_unsupported' }) as Error);
    const out = join(root, 'p384-out');
    await expect(runExport(ws, 'test-device', { table: 'notice', out, p12Path: p12, passphrase: PASS, draft: false })).rejects.toMatchObject({ code: 'p12_key_unsupported' });
    expect(existsSync(out)).toBe(false);
  });

  it('reports a wrong password as such for both P12 encryptions', () => {
    const s = get(SHAPES[0]);
    for (const p of [s.p12, s.legacyP12]) expect(() => openP12(p, 'wrong')).toThrow(expect.objectContaining({ code: 'p12_passphrase' }) as Error);
  });
});

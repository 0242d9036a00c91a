/**
 * Just enough DER for CMS signatures: a reader that hands out exact byte slices (so a
 * certificate's issuer Name can be copied into the SignerInfo unchanged — re-encoding decoded
 * strings is how node-forge broke Chinese names) and a writer for the few types a SignedData needs.
 * Only definite lengths are read: everything this desk writes or embeds is DER.
 */
import { DeskError } from '../../shared/api/index.js';

export interface Tlv {
  /** The identifier octet (class, constructed bit and tag number below 31). */
  tag: number;
  /** The whole element, header included. */
  der: Buffer;
  /** The content octets. */
  body: Buffer;
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag [n], constructed unless said otherwise. */
export const ctx = (n: number, constructed = true): number => 0x80 | (constructed ? 0x20 : 0) | n;

const bad = (message: string): DeskError => new DeskError('der_invalid', message);

/** Reads the element starting at `at`; the slices share memory with `buf`. */
export function readTlv(buf: Buffer, at = 0): Tlv {
  const tag = buf[at];
  const first = buf[at + 1];
  if (tag === undefined || first === undefined) throw bad('DER 数据被截断');
  if ((tag & 0x1f) === 0x1f) throw bad('不支持多字节标签');
  let len = first;
  let head = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    // 0x80 is BER's indefinite length; more than 4 length octets is no file this desk reads.
    if (n === 0 || n > 4) throw bad('DER 长度格式不正确');
    len = 0;
    for (let i = 0; i < n; i++) {
      const b = buf[at + 2 + i];
      if (b === undefined) throw bad('DER 数据被截断');
      len = len * 256 + b;
    }
    head += n;
  }
  const end = at + head + len;
  if (end > buf.length) throw bad('DER 数据被截断');
  return { tag, der: buf.subarray(at, end), body: buf.subarray(at + head, end) };
}

/** The elements inside a constructed element. */
export function children(t: Tlv): Tlv[] {
  if (!(t.tag & 0x20)) throw bad('应为构造类型');
  const out: Tlv[] = [];
  for (let at = 0; at < t.body.length; ) {
    const c = readTlv(t.body, at);
    out.push(c);
    at += c.der.length;
  }
  return out;
}

/** Reads an element and checks its tag, so a wrong structure fails with a message instead of a misread. */
export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw bad(`${what}格式不正确`);
  return t;
}

export function decodeOid(body: Buffer): string {
  const arcs: number[] = [];
  let v = 0;
  for (const b of body) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

/** UTCTime or GeneralizedTime (the forms X.509 and CMS use: seconds, Z). */
export function decodeTime(t: Tlv): Date {
  const s = t.body.toString('latin1');
  const m = t.tag === TAG.UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m || (t.tag !== TAG.UTC_TIME && t.tag !== TAG.GENERALIZED_TIME)) throw bad(`时间格式不正确：${s}`);
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  // RFC 5280 §4.1.2.5.1: two-digit years 50–99 are 19xx.
  const year = t.tag === TAG.UTC_TIME ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  return new Date(Date.UTC(year, mo - 1, d, h, mi, se));
}

function lengthOctets(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function encode(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthOctets(body.length), body]);
}

export const seq = (...content: Buffer[]): Buffer => encode(TAG.SEQUENCE, ...content);

/** A DER SET OF: the elements sorted by their encodings (X.690 §11.6), which signers must hash that way. */
export const setOf = (...elements: Buffer[]): Buffer => encode(TAG.SET, ...[...elements].sort(Buffer.compare));

export const octets = (b: Buffer): Buffer => encode(TAG.OCTET_STRING, b);

export const derNull = (): Buffer => Buffer.from([TAG.NULL, 0]);

export function smallInt(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > 127) throw bad('只写小整数');
  return encode(TAG.INTEGER, Buffer.from([n]));
}

export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = arcs;
  const out: number[] = [];
  for (const v of [a * 40 + b, ...rest]) {
    const chunk = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) chunk.unshift((x & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return encode(TAG.OID, Buffer.from(out));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5652 §11.3 signingTime). */
export function time(d: Date): Buffer {
  const iso = d.toISOString();
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = d.getUTCFullYear();
  if (year >= 1950 && year < 2050) return encode(TAG.UTC_TIME, Buffer.from(digits.slice(2), 'latin1'));
  return encode(TAG.GENERALIZED_TIME, Buffer.from(digits, 'latin1'));
}

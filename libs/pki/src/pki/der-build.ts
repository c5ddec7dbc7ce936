/**
 * A minimal DER writer. A node is its own encoding (tag, length, content), so building a
 * structure is concatenating Buffers and already-encoded DER (a Name, a SubjectPublicKeyInfo) is
 * embedded as it is, byte for byte. It replaced node-forge's ASN.1 model on the issuing hot path,
 * where parsing embedded DER into forge's tree and writing it back cost more than the signature.
 */
export type Asn1 = Buffer;

const Tag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
  printableString: 0x13,
  utcTime: 0x17,
  generalizedTime: 0x18,
  contextPrimitive: 0x80,
  contextConstructed: 0xa0,
} as const;

export function sequence(items: readonly Asn1[]): Asn1 {
  return element(Tag.sequence, Buffer.concat(items));
}

/** A SET OF as given: callers pass one member or members already in DER order. */
export function set(items: readonly Asn1[]): Asn1 {
  return element(Tag.set, Buffer.concat(items));
}

const oidCache = new Map<string, Asn1>();

export function oid(dotted: string): Asn1 {
  const cached = oidCache.get(dotted);
  if (cached) return cached;
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes = [first * 40 + second, ...rest].flatMap(base128);
  const encoded = element(Tag.oid, Buffer.from(bytes));
  oidCache.set(dotted, encoded);
  return encoded;
}

export function boolean(value: boolean): Asn1 {
  return element(Tag.boolean, Buffer.from([value ? 0xff : 0x00]));
}

/** A non-negative INTEGER that fits a JavaScript safe integer (versions, path lengths). */
export function smallInteger(value: number): Asn1 {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  return unsignedInteger(Buffer.from(bytes));
}

/** A non-negative INTEGER from big-endian magnitude bytes, minimally encoded as DER requires. */
export function unsignedInteger(magnitude: Uint8Array): Asn1 {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const needsSignPad = trimmed.length === 0 || (trimmed[0] ?? 0) >= 0x80;
  return element(Tag.integer, needsSignPad ? Buffer.concat([ZERO, trimmed]) : trimmed);
}

export function octetString(bytes: Uint8Array): Asn1 {
  return element(Tag.octetString, bytes);
}

/** A BIT STRING whose content is whole bytes (signatures, public keys): no unused bits. */
export function bitStringOfBytes(bytes: Uint8Array): Asn1 {
  return element(Tag.bitString, Buffer.concat([ZERO, bytes]));
}

/** A named-bit BIT STRING (KeyUsage): bit 0 is the most significant bit; trailing zeros dropped. */
export function namedBits(bitIndexes: readonly number[]): Asn1 {
  const highest = Math.max(...bitIndexes);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bitIndexes) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  const unusedBits = 7 - (highest & 7);
  return element(Tag.bitString, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

export function printableString(text: string): Asn1 {
  return element(Tag.printableString, Buffer.from(text, 'latin1'));
}

export function utf8String(text: string): Asn1 {
  return element(Tag.utf8String, Buffer.from(text, 'utf8'));
}

export function utcTime(text: string): Asn1 {
  return element(Tag.utcTime, Buffer.from(text, 'latin1'));
}

export function generalizedTime(text: string): Asn1 {
  return element(Tag.generalizedTime, Buffer.from(text, 'latin1'));
}

/** `[tag] EXPLICIT inner`. */
export function explicitTag(tag: number, inner: readonly Asn1[]): Asn1 {
  return element(Tag.contextConstructed | tag, Buffer.concat(inner));
}

/** `[tag] IMPLICIT` over a primitive type: the caller supplies the raw content bytes. */
export function implicitPrimitive(tag: number, content: Uint8Array | string): Asn1 {
  return element(Tag.contextPrimitive | tag, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
}

/** Embeds already-encoded DER (a Name, a SubjectPublicKeyInfo) byte for byte. */
export function preEncoded(der: Uint8Array): Asn1 {
  return Buffer.isBuffer(der) ? der : Buffer.from(der);
}

export function encode(node: Asn1): Buffer {
  return node;
}

const ZERO = Buffer.from([0]);

function element(tag: number, content: Uint8Array): Buffer {
  const header = lengthHeader(tag, content.length);
  const out = Buffer.allocUnsafe(header.length + content.length);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

/** Tag byte and definite length: short form below 128, else the fewest big-endian length bytes. */
function lengthHeader(tag: number, length: number): number[] {
  if (length < 0x80) return [tag, length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return [tag, 0x80 | bytes.length, ...bytes];
}

function base128(arc: number): number[] {
  const bytes = [arc & 0x7f];
  for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) bytes.unshift(0x80 | (rest & 0x7f));
  return bytes;
}

import forge from 'node-forge';

/**
 * Thin DER builders over node-forge's ASN.1 model. forge works on "binary strings" (one char per
 * byte); these helpers take and give Node Buffers so the rest of the PKI code never sees them.
 */
export type Asn1 = forge.asn1.Asn1;

const { asn1 } = forge;
const { Class, Type } = asn1;

export function sequence(items: Asn1[]): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
}

export function set(items: Asn1[]): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.SET, true, items);
}

export function oid(dotted: string): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(dotted).getBytes());
}

export function boolean(value: boolean): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.BOOLEAN, false, String.fromCharCode(value ? 0xff : 0x00));
}

export function smallInteger(value: number): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(value).getBytes());
}

/** A non-negative INTEGER from big-endian magnitude bytes, minimally encoded as DER requires. */
export function unsignedInteger(magnitude: Uint8Array): Asn1 {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = Buffer.from(magnitude.subarray(start));
  const needsSignPad = trimmed.length === 0 || (trimmed[0] ?? 0) >= 0x80;
  const body = needsSignPad ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return asn1.create(Class.UNIVERSAL, Type.INTEGER, false, toBinary(body));
}

export function octetString(bytes: Uint8Array): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, toBinary(bytes));
}

/** A BIT STRING whose content is whole bytes (signatures, public keys): no unused bits. */
export function bitStringOfBytes(bytes: Uint8Array): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, '\u0000' + toBinary(bytes));
}

/** A named-bit BIT STRING (KeyUsage): bit 0 is the most significant bit; trailing zeros dropped. */
export function namedBits(bitIndexes: readonly number[]): Asn1 {
  const highest = Math.max(...bitIndexes);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bitIndexes) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  const unusedBits = 7 - (highest & 7);
  return asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, String.fromCharCode(unusedBits) + toBinary(bytes));
}

export function printableString(text: string): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.PRINTABLESTRING, false, text);
}

export function utf8String(text: string): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.UTF8, false, forge.util.encodeUtf8(text));
}

export function utcTime(text: string): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, text);
}

export function generalizedTime(text: string): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, text);
}

/** `[tag] EXPLICIT inner`. */
export function explicitTag(tag: number, inner: Asn1[]): Asn1 {
  return asn1.create(Class.CONTEXT_SPECIFIC, tag, true, inner);
}

/** `[tag] IMPLICIT` over a primitive type: the caller supplies the raw content bytes. */
export function implicitPrimitive(tag: number, content: Uint8Array | string): Asn1 {
  const binary = typeof content === 'string' ? content : toBinary(content);
  return asn1.create(Class.CONTEXT_SPECIFIC, tag, false, binary);
}

/** Embeds already-encoded DER (a Name, a SubjectPublicKeyInfo) so it re-encodes byte for byte. */
export function preEncoded(der: Uint8Array): Asn1 {
  const options = { strict: true, parseAllBytes: true, decodeBitStrings: false };
  // @types/node-forge only declares the legacy boolean `strict` parameter.
  return asn1.fromDer(toBinary(der), options as unknown as boolean);
}

export function encode(node: Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'latin1');
}

function toBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

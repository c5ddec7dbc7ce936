import { boolean, encode, implicitPrimitive, namedBits, octetString, oid, sequence, type Asn1 } from './der-build.js';
import { Oid } from './oids.js';

/** RFC 5280 KeyUsage bit positions. */
export const KeyUsageBit = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

export function extension(extnId: string, critical: boolean, value: Asn1): Asn1 {
  const fields = [oid(extnId)];
  if (critical) fields.push(boolean(true));
  fields.push(octetString(encode(value)));
  return sequence(fields);
}

export function keyUsage(bits: readonly number[]): Asn1 {
  return extension(Oid.keyUsage, true, namedBits(bits));
}

/** Go always marks BasicConstraints critical; CA:FALSE encodes as an empty SEQUENCE. */
export function basicConstraints(isCa: boolean): Asn1 {
  return extension(Oid.basicConstraints, true, sequence(isCa ? [boolean(true)] : []));
}

export function subjectKeyIdentifier(keyId: Uint8Array): Asn1 {
  return extension(Oid.subjectKeyIdentifier, false, octetString(keyId));
}

export function authorityKeyIdentifier(keyId: Uint8Array): Asn1 {
  return extension(Oid.authorityKeyIdentifier, false, sequence([implicitPrimitive(0, keyId)]));
}

export function extendedKeyUsage(purposeOids: readonly string[]): Asn1 {
  return extension(Oid.extKeyUsage, false, sequence(purposeOids.map(oid)));
}

/** dNSName is `[2] IMPLICIT IA5String`. */
export function dnsSubjectAltNames(names: readonly string[]): Asn1 {
  return extension(Oid.subjectAltName, false, sequence(names.map((name) => implicitPrimitive(2, name))));
}

/** dNSName `[2] IMPLICIT IA5String` and iPAddress `[7] IMPLICIT OCTET STRING` (4 or 16 bytes). */
export function subjectAltNames(names: { readonly dns: readonly string[]; readonly ips: readonly Uint8Array[] }): Asn1 {
  return extension(Oid.subjectAltName, false, sequence([...names.dns.map((name) => implicitPrimitive(2, name)), ...names.ips.map((ip) => implicitPrimitive(7, ip))]));
}

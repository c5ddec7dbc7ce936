import { encode, oid, printableString, sequence, set, utf8String, type Asn1 } from './der-build.js';
import { Oid } from './oids.js';

export interface NameAttribute {
  readonly type: 'O' | 'OU' | 'CN';
  readonly value: string;
}

const attributeOid: Record<NameAttribute['type'], string> = {
  O: Oid.organizationName,
  OU: Oid.organizationalUnitName,
  CN: Oid.commonName,
};

/**
 * An X.501 Name with one attribute per RDN, in the order given. Go (and so Docker) writes a
 * subject as O, OU, CN and picks PrintableString when every character allows it, else UTF8String.
 */
export function distinguishedName(attributes: readonly NameAttribute[]): Asn1 {
  return sequence(attributes.map((attribute) => set([sequence([oid(attributeOid[attribute.type]), directoryString(attribute.value)])])));
}

export function distinguishedNameDer(attributes: readonly NameAttribute[]): Buffer {
  return encode(distinguishedName(attributes));
}

function directoryString(value: string): Asn1 {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value) ? printableString(value) : utf8String(value);
}

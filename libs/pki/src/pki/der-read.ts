import { PkiError } from '../pki-error.js';

/**
 * A minimal DER reader that slices elements out of a buffer without re-encoding them, so the
 * exact signed bytes (a TBSCertificate, a CertificationRequestInfo) can be verified as received.
 */
export interface DerElement {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  readonly contentStart: number;
  /** Offset just past the element. */
  readonly end: number;
}

export function readElement(der: Uint8Array, offset: number): DerElement {
  const tag = byteAt(der, offset);
  if ((tag & 0x1f) === 0x1f) throw malformed('high tag numbers are not supported');
  const first = byteAt(der, offset + 1);
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const lengthBytes = first & 0x7f;
    if (lengthBytes === 0 || lengthBytes > 4) throw malformed('unsupported length encoding');
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + byteAt(der, contentStart + i);
    contentStart += lengthBytes;
  }
  const end = contentStart + length;
  if (end > der.length) throw malformed('element runs past the end of the input');
  return { tag, start: offset, contentStart, end };
}

/** The whole input must be exactly one element. */
export function readSingleElement(der: Uint8Array): DerElement {
  const element = readElement(der, 0);
  if (element.end !== der.length) throw malformed('trailing bytes after the outer element');
  return element;
}

export function childrenOf(der: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readElement(der, offset);
    if (child.end > parent.end) throw malformed('child element overruns its parent');
    children.push(child);
    offset = child.end;
  }
  return children;
}

export function bytesOf(der: Uint8Array, element: DerElement): Buffer {
  return Buffer.from(der.subarray(element.start, element.end));
}

export function contentOf(der: Uint8Array, element: DerElement): Buffer {
  return Buffer.from(der.subarray(element.contentStart, element.end));
}

export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (!element || element.tag !== tag) throw malformed(`expected ${what}`);
  return element;
}

export const DerTag = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  contextConstructed0: 0xa0,
  contextConstructed3: 0xa3,
} as const;

function byteAt(der: Uint8Array, index: number): number {
  const value = der[index];
  if (value === undefined) throw malformed('unexpected end of input');
  return value;
}

function malformed(reason: string): PkiError {
  return new PkiError('InvalidCertificate', `malformed DER: ${reason}`);
}

/** The dotted form of an OBJECT IDENTIFIER's content bytes. */
export function oidOf(content: Uint8Array): string {
  if (content.length === 0) throw malformed('empty object identifier');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
    else arcs.push(value);
    value = 0;
  }
  if (content[content.length - 1]! & 0x80) throw malformed('truncated object identifier');
  return arcs.join('.');
}

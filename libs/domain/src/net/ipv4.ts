/** IPv4 prefixes as unsigned 32-bit numbers: exact and cheap to compare. */
export interface Ipv4Prefix {
  readonly base: number;
  readonly bits: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Parses `a.b.c.d/n`; `masked` clears the host bits (as the docker CLI does with pools). */
export function parseIpv4Prefix(text: string, masked = true): Ipv4Prefix | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (address === undefined || !/^\d{1,2}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > 32) return undefined;
  return { base: masked ? maskAddress(address, bits) : address, bits };
}

export function maskAddress(address: number, bits: number): number {
  if (bits === 0) return 0;
  return (address & (~0 << (32 - bits))) >>> 0;
}

export function prefixSize(bits: number): number {
  return 2 ** (32 - bits);
}

export function formatPrefix(prefix: Ipv4Prefix): string {
  return `${formatIpv4(prefix.base)}/${prefix.bits}`;
}

export function prefixesOverlap(a: Ipv4Prefix, b: Ipv4Prefix): boolean {
  const aEnd = a.base + prefixSize(a.bits);
  const bEnd = b.base + prefixSize(b.bits);
  return a.base < bEnd && b.base < aEnd;
}

export function isIpv6Literal(text: string): boolean {
  return text.includes(':');
}

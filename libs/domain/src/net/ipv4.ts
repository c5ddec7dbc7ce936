/** IPv4 prefixes as unsigned 32-bit numbers: exact and cheap to compare. */
export interface Ipv4Prefix {
  readonly base: number;
  readonly bits: number;
}

/**
 * Dotted-quad only, as Go's net.ParseIP takes it: four decimal octets 0-255, no leading zeros, no
 * sign or space. A character scan, not a split and a regular expression per octet: every network
 * event of a rebuild parses its subnet.
 */
export function parseIpv4(text: string): number | undefined {
  let value = 0;
  let octets = 0;
  let i = 0;
  while (octets < 4) {
    const start = i;
    let octet = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || octet > 255 || (digits > 1 && text.charCodeAt(start) === 48)) return undefined;
    value = value * 256 + octet;
    octets++;
    if (octets < 4) {
      if (text.charCodeAt(i) !== 46) return undefined;
      i++;
    }
  }
  return i === text.length ? value : undefined;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Parses `a.b.c.d/n`; `masked` clears the host bits (as the docker CLI does with pools). */
export function parseIpv4Prefix(text: string, masked = true): Ipv4Prefix | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  if (address === undefined) return undefined;
  const bits = parseBits(text, slash + 1);
  if (bits === undefined) return undefined;
  return { base: masked ? maskAddress(address, bits) : address, bits };
}

/** One or two decimal digits from `start` to the end, at most 32. */
function parseBits(text: string, start: number): number | undefined {
  const digits = text.length - start;
  if (digits < 1 || digits > 2) return undefined;
  let bits = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    bits = bits * 10 + (c - 48);
  }
  return bits > 32 ? undefined : bits;
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

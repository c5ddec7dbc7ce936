import IPCIDR from 'ip-cidr';
import type { Ipv4Prefix } from './ipv4.js';

/**
 * User-given CIDRs and addresses (`--default-addr-pool`, `--subnet`, `--ip-range`, `--gateway`)
 * parsed and checked by `ip-cidr`. What they yield is the integer form (`Ipv4Prefix`) that the
 * allocator and the replay of the log work with: those read subnets already checked here, through
 * the integer parser of ipv4.ts, which costs a fraction of this one (decision 0019, with figures).
 *
 * IPv4 only. ip-cidr reads any text with a `:` as IPv6 and, for `<anything>:<a.b.c.d>/n`, keeps
 * the IPv4 tail (`x:1.2.3.0/24` would be `1.2.3.0/24`): such a text is refused before ip-cidr sees
 * it. An address with a `/n` suffix is not an address (ip-cidr's parser would take it).
 */

/** `a.b.c.d/n` as written (host bits kept), or undefined when it is not an IPv4 CIDR. */
function cidrOf(text: string): IPCIDR | undefined {
  if (text.includes(':')) return undefined;
  try {
    return new IPCIDR(text); // throws on what is not a CIDR (isValidCIDR would parse it twice)
  } catch {
    return undefined;
  }
}

/** The network a CIDR names, host bits cleared (`10.24.1.5/24` is 10.24.1.0/24), or undefined when it is not an IPv4 CIDR. */
export function parseCidr(text: string): Ipv4Prefix | undefined {
  const cidr = cidrOf(text);
  if (!cidr) return undefined;
  return { base: Number(cidr.start<bigint>({ type: 'bigInteger' })), bits: cidr.address.subnetMask };
}

/** Whether `text` is a dotted-quad IPv4 address (no prefix length, no leading zeros). */
export function isIpv4Address(text: string): boolean {
  return !text.includes(':') && !text.includes('/') && IPCIDR.isValidAddress(text);
}

/** Whether the IPv4 address `address` lies in the CIDR `cidr` (both as the user wrote them). */
export function cidrContains(cidr: string, address: string): boolean {
  return isIpv4Address(address) && (cidrOf(cidr)?.contains(address) ?? false);
}

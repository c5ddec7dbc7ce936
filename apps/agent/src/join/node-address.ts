import type { NetworkInterfaceInfo } from 'node:os';

/**
 * `NodeAddr` in `docker info`: the advertise address when it names an IP (with or without a port)
 * or an interface with an IPv4 address; otherwise the address the manager saw us come from.
 */
export function nodeAddress(
  advertiseAddr: string | undefined,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
  seenByManager: string,
): string {
  if (!advertiseAddr) return seenByManager;
  const host = advertiseAddr.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':')) return host;
  const ipv4 = interfaces[host]?.find((address) => address.family === 'IPv4');
  return ipv4?.address ?? seenByManager;
}

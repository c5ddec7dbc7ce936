import { DomainError, SwarmErrors } from '#contracts';
import { isIpv6Literal, parseIpv4 } from '../net/ipv4.js';

/** One address of a network interface, as os.networkInterfaces() reports it. */
export interface InterfaceAddress {
  readonly address: string;
  readonly family: 'IPv4' | 'IPv6';
  readonly internal: boolean;
}
export type InterfaceTable = Readonly<Record<string, readonly InterfaceAddress[] | undefined>>;

const BAD_LISTEN = 'listen address must be an IP address or network interface (with optional port number)';
const BAD_DATA_PATH = 'data path address must be a non-zero IP address or network interface (without a port number)';
const BAD_ADVERTISE = 'advertise address must be a non-zero IP address or network interface (with optional port number)';

export interface HostPort {
  readonly host: string;
  readonly port: string;
}

/** Splits `host[:port]` (IPv6 in brackets); the port defaults to `defaultPort`. */
export function splitHostPort(text: string, defaultPort: string): HostPort {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ?? defaultPort };
  const colons = text.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = text.split(':') as [string, string];
    return { host, port };
  }
  return { host: text, port: defaultPort };
}

/** An interface name or an IP literal, resolved to one IP, as the Engine resolves them. */
function resolveInputAddress(host: string, interfaces: InterfaceTable, unspecifiedValid: boolean): string | undefined {
  const addresses = Object.hasOwn(interfaces, host) ? interfaces[host] : undefined;
  if (addresses) {
    const v4 = addresses.filter((a) => a.family === 'IPv4');
    const v6 = addresses.filter((a) => a.family === 'IPv6');
    if (v4.length > 1) throw invalid(`interface ${host} has more than one IPv4 address (${v4[0]!.address} and ${v4[1]!.address})`);
    if (v4.length === 1) return v4[0]!.address;
    if (v6.length > 1) throw invalid(`interface ${host} has more than one IPv6 address (${v6[0]!.address} and ${v6[1]!.address})`);
    if (v6.length === 1) return v6[0]!.address;
    throw invalid(`interface ${host} has no usable IPv4 or IPv6 address`);
  }
  const ip = parseIpv4(host);
  if (ip !== undefined) return ip === 0 && !unspecifiedValid ? undefined : host;
  if (isIpv6Literal(host) && /^[0-9a-fA-F:.]+$/.test(host)) {
    return /^[0:]+$/.test(host) && !unspecifiedValid ? undefined : host;
  }
  return undefined;
}

/** `--listen-addr`: host must be an IP or an interface; 0.0.0.0 is allowed; port must be a TCP port. */
export function resolveListenAddr(listenAddr: string, interfaces: InterfaceTable): HostPort {
  const { host, port } = splitHostPort(listenAddr, '2377');
  const resolved = resolveInputAddress(host, interfaces, true);
  if (resolved === undefined) throw invalid(BAD_LISTEN);
  if (!/^\d+$/.test(port) || Number(port) > 65535) {
    throw new DomainError(
      SwarmErrors.system(`manager stopped: failed to listen on remote API address: listen tcp: address ${port}: invalid port`),
    );
  }
  return { host: resolved, port };
}

/**
 * `--advertise-addr`: an IP or interface with an optional port (any port text is kept, as Docker
 * does); without it, the daemon default (`defaultAdvertiseAddr`) or the one system address.
 */
export function resolveAdvertiseAddr(
  advertiseAddr: string,
  listenPort: string,
  interfaces: InterfaceTable,
  defaultAdvertiseAddr?: string,
): HostPort {
  const given = advertiseAddr || defaultAdvertiseAddr || '';
  if (given) {
    const { host, port } = splitHostPort(given, listenPort);
    const resolved = resolveInputAddress(host, interfaces, false);
    if (resolved === undefined) throw invalid(BAD_ADVERTISE);
    return { host: resolved, port };
  }
  return { host: resolveSystemAddr(interfaces), port: listenPort };
}

/** `--data-path-addr`: empty, or a non-zero IP or an interface, without a port (the Engine's resolveDataPathAddr). */
export function resolveDataPathAddr(dataPathAddr: string, interfaces: InterfaceTable): string | undefined {
  if (dataPathAddr === '') return undefined;
  // An IPv6 literal has at least two colons; one colon is a host with a port, which is refused.
  if (dataPathAddr.split(':').length === 2) throw invalid(BAD_DATA_PATH);
  const resolved = resolveInputAddress(dataPathAddr, interfaces, false);
  if (resolved === undefined) throw invalid(BAD_DATA_PATH);
  return resolved;
}

/** The one global address of the machine's external interfaces, or Docker's error. */
export function resolveSystemAddr(interfaces: InterfaceTable): string {
  const found: { iface: string; address: string }[] = [];
  for (const [iface, addresses] of Object.entries(interfaces)) {
    const usable = (addresses ?? []).filter((a) => !a.internal && !/^fe80:/i.test(a.address));
    const v4 = usable.filter((a) => a.family === 'IPv4');
    const pick = v4.length > 0 ? v4 : usable;
    if (pick.length > 1) {
      throw invalid(
        `could not choose an IP address to advertise since this system has multiple addresses on interface ${iface} (${pick[0]!.address} and ${pick[1]!.address})`,
      );
    }
    if (pick.length === 1) found.push({ iface, address: pick[0]!.address });
  }
  if (found.length > 1) {
    const [a, b] = found as [{ iface: string; address: string }, { iface: string; address: string }];
    throw invalid(
      `could not choose an IP address to advertise since this system has multiple addresses on different interfaces (${a.address} on ${a.iface} and ${b.address} on ${b.iface})`,
    );
  }
  if (found.length === 0) throw invalid("could not find the system's IP address");
  return found[0]!.address;
}

function invalid(message: string): DomainError {
  return new DomainError(SwarmErrors.invalidParameter(message));
}

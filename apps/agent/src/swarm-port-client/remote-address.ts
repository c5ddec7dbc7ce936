import { DomainError, SwarmErrors } from '#contracts';
import { AgentErrors } from '../agent-errors.js';

/** The swarm port's default, as in the Engine's `defaultAddr` (`0.0.0.0:2377`). */
export const DEFAULT_SWARM_PORT = 2377;
const DEFAULT_HOST = '0.0.0.0';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * The Engine's `validateAddr` for `ListenAddr` and each of `RemoteAddrs`: empty is an error;
 * a missing host or port takes `0.0.0.0:2377`'s; what does not parse is kept as given.
 */
export function sanitizeSwarmAddr(field: 'ListenAddr' | 'remoteAddr', addr: string): string {
  if (addr === '') throw new DomainError(SwarmErrors.invalidParameter(`invalid ${field} "": invalid empty address`));
  const bare = addr.startsWith('tcp://') ? addr.slice('tcp://'.length) : addr;
  const parsed = splitLoose(bare);
  if (!parsed) return addr;
  const host = parsed.host === '' ? DEFAULT_HOST : parsed.host;
  const port = parsed.port === '' ? String(DEFAULT_SWARM_PORT) : parsed.port;
  if (!/^\d+$/.test(port)) return addr;
  return `${host.includes(':') ? `[${host}]` : host}:${Number(port)}`;
}

/** Where to join: the first of `RemoteAddrs`, sanitized like the Engine (all of them are checked). */
export function joinTarget(remoteAddrs: readonly unknown[] | null | undefined): string {
  if (!remoteAddrs || remoteAddrs.length === 0) throw new DomainError(AgentErrors.noRemoteAddr());
  const sanitized = remoteAddrs.map((addr) => sanitizeSwarmAddr('remoteAddr', typeof addr === 'string' ? addr : ''));
  return sanitized[0]!;
}

/** `host:port` (IPv6 in brackets) as a dialable pair; undefined when it is not one. */
export function parseHostPort(addr: string): HostPort | undefined {
  const parsed = splitLoose(addr);
  if (!parsed || parsed.host === '' || !/^\d+$/.test(parsed.port)) return undefined;
  const port = Number(parsed.port);
  return port > 0 && port <= 65535 ? { host: parsed.host, port } : undefined;
}

/** Go's net.SplitHostPort, lenient about a missing port (then ''). */
function splitLoose(addr: string): { host: string; port: string } | undefined {
  if (addr.startsWith('[')) {
    const close = addr.indexOf(']');
    if (close < 0) return undefined;
    const rest = addr.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return undefined;
    return { host: addr.slice(1, close), port: rest.slice(1) };
  }
  const colons = addr.split(':').length - 1;
  if (colons === 0) return { host: addr, port: '' };
  if (colons > 1) return undefined;
  const colon = addr.indexOf(':');
  return { host: addr.slice(0, colon), port: addr.slice(colon + 1) };
}

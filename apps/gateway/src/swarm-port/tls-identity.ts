import type { TLSSocket } from 'node:tls';

/** Who is calling the swarm port, from a client certificate the root CA verified. */
export interface NodeIdentity {
  readonly nodeId: string;
  readonly role: 'manager' | 'worker';
  readonly clusterId: string;
}

/** Undefined unless the client presented a certificate that verified against the swarm's root CA. */
export function peerIdentity(socket: TLSSocket): NodeIdentity | undefined {
  if (!socket.authorized) return undefined;
  const certificate = socket.getPeerCertificate();
  const subject = certificate?.subject as Record<string, string | string[] | undefined> | undefined;
  const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
  const nodeId = first(subject?.CN);
  const ou = first(subject?.OU);
  const clusterId = first(subject?.O);
  if (!nodeId || !clusterId || (ou !== 'swarm-manager' && ou !== 'swarm-worker')) return undefined;
  return { nodeId, clusterId, role: ou === 'swarm-manager' ? 'manager' : 'worker' };
}

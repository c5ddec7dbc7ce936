import { DomainError, SwarmErrors } from '#contracts';

/**
 * Where the swarm port binds: the init's listen address, unless `SWARM_BIND_HOST` pins the host
 * (tests and benchmarks set 127.0.0.1, so that a plain `docker swarm init` never listens beyond
 * loopback on this workplace).
 */
export function swarmPortBindAddress(listenAddr: string): { host: string; port: number } {
  const colon = listenAddr.lastIndexOf(':');
  const host = listenAddr.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(listenAddr.slice(colon + 1));
  return { host: process.env.SWARM_BIND_HOST || host, port };
}

export function listenError(listenAddr: string, error: NodeJS.ErrnoException): DomainError {
  const reason = error.code === 'EADDRINUSE' ? 'bind: address already in use' : error.code === 'EADDRNOTAVAIL' ? 'bind: cannot assign requested address' : error.message;
  return new DomainError(SwarmErrors.system(`manager stopped: failed to listen on remote API address: listen tcp ${listenAddr}: ${reason}`));
}

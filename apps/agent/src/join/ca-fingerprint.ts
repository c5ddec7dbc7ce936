import { createHash } from 'node:crypto';
import { DomainError, SwarmErrors } from '#contracts';

/** The joining node trusts the downloaded root CA only if its SHA-256 is the one the token names. */
export function checkCaFingerprint(caPem: string, expectedHex: string): void {
  const actual = createHash('sha256').update(caPem).digest('hex');
  if (actual !== expectedHex) {
    throw new DomainError(SwarmErrors.system(`remote CA does not match fingerprint. Expected: ${expectedHex}`));
  }
}

/** `RemoteAddrs[0]` with the swarm port's default 2377. */
export function remoteAddress(remoteAddrs: readonly string[] | null | undefined): string {
  const first = remoteAddrs?.[0];
  if (!first) throw new DomainError(SwarmErrors.invalidParameter('at least 1 RemoteAddr is required to join'));
  return /:\d+$/.test(first) ? first : `${first}:2377`;
}

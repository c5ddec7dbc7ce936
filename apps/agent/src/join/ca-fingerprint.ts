import { createHash } from 'node:crypto';
import { DomainError } from '#contracts';
import { AgentErrors } from '../agent-errors.js';

/**
 * The downloaded root CA is trusted only if the SHA-256 of its PEM (exact bytes) is the digest
 * the join token names; the error quotes the token's digest, as the Engine does.
 */
export function checkCaFingerprint(caPem: string, expectedHex: string): void {
  const actual = createHash('sha256').update(caPem, 'utf8').digest('hex');
  if (actual !== expectedHex) throw new DomainError(AgentErrors.caFingerprintMismatch(expectedHex));
}

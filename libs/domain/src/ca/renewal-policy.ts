import { createHash } from 'node:crypto';
/** What renewal needs of a node's current certificate. */
export interface NodeCertificateFacts {
  readonly serial: string;
  readonly notBeforeMs: number | undefined;
  readonly notAfterMs: number;
  /** The root that signed it; undefined for certificates recorded before this was written. */
  readonly issuerCaDigest: string | undefined;
}

/** swarmkit renews at a random point between 50% and 80% of a certificate's life. */
export const RENEW_LOWER = 0.5;
export const RENEW_UPPER = 0.8;
/** swarmkit backdates a node certificate by an hour: its life is the expiry plus that hour. */
const BACKDATE_MS = 3_600_000;

export type RenewalReason = 'rotation' | 'expiry-changed' | 'due';

/**
 * When a certificate is due: its point between 50% and 80% of its life is drawn from its serial, so
 * every replica that looks at it picks the same instant (and one renewal follows, not one each).
 */
export function renewalDueMs(certificate: NodeCertificateFacts): number | undefined {
  if (certificate.notBeforeMs === undefined) return undefined;
  const draw = createHash('sha256').update(certificate.serial).digest().readUInt32BE(0) / 2 ** 32;
  const fraction = RENEW_LOWER + (RENEW_UPPER - RENEW_LOWER) * draw;
  return certificate.notBeforeMs + (certificate.notAfterMs - certificate.notBeforeMs) * fraction;
}

/**
 * Why a certificate must be renewed now, if it must: another root is wanted (a rotation under way,
 * or ended while it was down), the swarm's `--cert-expiry` changed since it was issued, or it is due.
 */
export function renewalReason(input: {
  readonly certificate: NodeCertificateFacts;
  readonly desiredCaDigest: string | undefined;
  readonly expiryNs: number;
  readonly nowMs: number;
}): RenewalReason | undefined {
  const { certificate, desiredCaDigest } = input;
  if (desiredCaDigest !== undefined && certificate.issuerCaDigest !== undefined && certificate.issuerCaDigest !== desiredCaDigest) return 'rotation';
  if (certificate.notBeforeMs !== undefined && input.expiryNs > 0) {
    const issuedForMs = certificate.notAfterMs - certificate.notBeforeMs - BACKDATE_MS;
    // Whole seconds in the certificate, rounded minutes in swarmkit: a minute's slack.
    if (Math.abs(issuedForMs - input.expiryNs / 1e6) > 60_000) return 'expiry-changed';
  }
  const due = renewalDueMs(certificate);
  if (due !== undefined && input.nowMs >= due) return 'due';
  return undefined;
}

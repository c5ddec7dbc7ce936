import type { NodeRole } from '#contracts';

/** swarmkit renews a node certificate at a random point between 50% and 80% of its validity. */
export const RENEW_LOWER = 0.5;
export const RENEW_UPPER = 0.8;

/** When to renew (ms since the epoch); `random` in [0, 1). */
export function renewalDue(notBeforeMs: number, notAfterMs: number, random: number): number {
  const fraction = RENEW_LOWER + (RENEW_UPPER - RENEW_LOWER) * random;
  return notBeforeMs + (notAfterMs - notBeforeMs) * fraction;
}

export interface RenewalInput {
  /** The role in our certificate's OU. */
  readonly certificateRole: NodeRole | undefined;
  /** The role the manager reports in its heartbeat reply. */
  readonly reportedRole: NodeRole;
  readonly nowMs: number;
  readonly dueMs: number;
}

/** Why the certificate must be renewed now, if it must: a promote/demote, or its age. */
export function renewalReason(input: RenewalInput): 'role' | 'expiry' | undefined {
  if (input.certificateRole !== input.reportedRole) return 'role';
  if (input.nowMs >= input.dueMs) return 'expiry';
  return undefined;
}

/** swarmkit renews a node certificate at a random point between 50% and 80% of its validity. */
export const RENEW_LOWER = 0.5;
export const RENEW_UPPER = 0.8;

/** When to renew (ms since the epoch), `random` in [0, 1). */
export function renewalDue(notBeforeMs: number, notAfterMs: number, random: number): number {
  const fraction = RENEW_LOWER + (RENEW_UPPER - RENEW_LOWER) * random;
  return notBeforeMs + (notAfterMs - notBeforeMs) * fraction;
}

/** The longest delay a Node timer takes (about 24.8 days); beyond it a timer would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * How long a local `GET /events` stays open, from its `until` (unix seconds with an optional
 * fraction, as the CLI sends it, or a date): 0 for a time already past, undefined for "until the
 * client goes away" (no `until`, one that does not parse, or one too far away for a timer).
 */
export function eventsStreamMs(until: string | undefined, nowMs: number): number | undefined {
  if (until === undefined || until === '') return undefined;
  const atMs = /^\d+(\.\d+)?$/.test(until) ? Number(until) * 1000 : Date.parse(until);
  if (Number.isNaN(atMs)) return undefined;
  const remaining = Math.max(0, Math.ceil(atMs - nowMs));
  return remaining > MAX_TIMER_MS ? undefined : remaining;
}

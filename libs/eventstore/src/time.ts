/**
 * Event times: RFC 3339, UTC, always 9 fractional digits, e.g. `2026-11-26T22:58:07.587066548Z`.
 */

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;
const NANOS_PER_MS = 1_000_000n;
let lastIssued = 0n;

/**
 * The wall clock in nanoseconds since the epoch, with millisecond precision: the sub-millisecond
 * digits only count up, so that times issued by this process are unique and strictly increasing.
 */
export function nowNanos(): bigint {
  let ns = BigInt(Date.now()) * NANOS_PER_MS;
  if (ns <= lastIssued) ns = lastIssued + 1n;
  lastIssued = ns;
  return ns;
}

/** The current time as RFC 3339 UTC with 9 fractional digits. */
export function nowRfc3339(): string {
  return formatNanos(nowNanos());
}

/** Nanoseconds since the epoch as RFC 3339 UTC with 9 fractional digits. */
export function formatNanos(ns: bigint): string {
  if (ns < 0n) throw new RangeError('times before 1970 are not supported');
  const seconds = new Date(Number(ns / NANOS_PER_MS)).toISOString().slice(0, 19);
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${seconds}.${fraction}Z`;
}

/**
 * Any RFC 3339 time (any offset, 0-9+ fractional digits) as UTC with exactly 9 fractional digits.
 * Throws a TypeError for anything else.
 */
export function normalizeRfc3339(time: string): string {
  const match = RFC3339.exec(time);
  const [, date, clock, fraction = '', offset = 'Z'] = match ?? [];
  const wholeSeconds = match ? Date.parse(`${date}T${clock}${offset.toUpperCase()}`) : Number.NaN;
  if (!Number.isFinite(wholeSeconds)) throw new TypeError(`not an RFC 3339 time: ${JSON.stringify(time)}`);
  const digits = fraction.slice(0, 9).padEnd(9, '0');
  return `${new Date(wholeSeconds).toISOString().slice(0, 19)}.${digits}Z`;
}

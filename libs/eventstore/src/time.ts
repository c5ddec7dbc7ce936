/**
 * Event times: RFC 3339, UTC, always 9 fractional digits, e.g. `2026-11-26T22:58:07.587066548Z`.
 */

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;
const NANOS_PER_MS = 1_000_000n;
/** The last time issued: its millisecond and the nanoseconds counted up within it. */
let lastMs = 0;
let lastSub = 0;

/** Moves the last time issued to now, or one nanosecond past it when the clock has not moved on. */
function tick(): void {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    lastSub = 0;
  } else if (++lastSub >= 1_000_000) {
    lastMs += 1;
    lastSub = 0;
  }
}

/**
 * The wall clock in nanoseconds since the epoch, with millisecond precision: the sub-millisecond
 * digits only count up, so that times issued by this process are unique and strictly increasing.
 */
export function nowNanos(): bigint {
  tick();
  return BigInt(lastMs) * NANOS_PER_MS + BigInt(lastSub);
}

/** The last whole second formatted (`2026-11-26T22:58:07`), and which second it is. */
let formattedSecond = -1;
let formatted = '';

/**
 * The current time as RFC 3339 UTC with 9 fractional digits, as `formatNanos(nowNanos())` gives
 * it, without BigInt arithmetic and with the whole second's text kept while the second lasts
 * (this runs for every event appended).
 */
export function nowRfc3339(): string {
  tick();
  const second = Math.floor(lastMs / 1000);
  if (second !== formattedSecond) {
    formatted = new Date(second * 1000).toISOString().slice(0, 19);
    formattedSecond = second;
  }
  const fraction = (lastMs - second * 1000) * 1_000_000 + lastSub;
  return `${formatted}.${String(fraction).padStart(9, '0')}Z`;
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

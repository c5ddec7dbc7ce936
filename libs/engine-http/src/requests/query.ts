import { DomainError, SwarmErrors } from '#contracts';

/**
 * Query parameters as the Engine (20.10) reads them. Each query value is bounded by the URL
 * itself (Node's HTTP parser refuses headers over 16 KiB, the request line included).
 */

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/**
 * A strict flag (`strconv.ParseBool`), as `swarm update` reads `rotateWorkerToken`,
 * `rotateManagerToken` and `rotateManagerUnlockKey`: absent or empty is false, anything Go does
 * not parse is `invalid value for <name>: <value>` (400).
 */
export function strictQueryBool(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (GO_TRUE.includes(value)) return true;
  if (GO_FALSE.includes(value)) return false;
  throw invalid(`invalid value for ${name}: ${value}`);
}

/**
 * A lenient flag (`httputils.BoolValue`), as `swarm leave` and `node rm` read `force`: false
 * only for "", "0", "no", "false" and "none" (any case, spaces trimmed); anything else is true.
 */
export function lenientQueryBool(value: string | undefined): boolean {
  const text = (value ?? '').trim().toLowerCase();
  return !['', '0', 'no', 'false', 'none'].includes(text);
}

const UINT64_MAX = 18446744073709551615n;

/**
 * An object version (`strconv.ParseUint(v, 10, 64)`), as `swarm update` and `node update` read
 * `version`: `invalid <object> version '<v>': strconv.ParseUint: parsing "<v>": invalid syntax`
 * (or `value out of range`).
 */
export function queryVersion(object: 'swarm' | 'node', value: string | undefined): number {
  const text = value ?? '';
  const parse = (reason: string) => invalid(`invalid ${object} version '${text}': strconv.ParseUint: parsing ${goQuote(text)}: ${reason}`);
  if (!/^\d+$/.test(text)) throw parse('invalid syntax');
  if (BigInt(text) > UINT64_MAX) throw parse('value out of range');
  return Number(text);
}

/** Go's `strconv.Quote` for the texts above (JSON's escapes are Go's for printable ASCII). */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}

function invalid(message: string): DomainError {
  return new DomainError(SwarmErrors.invalidParameter(message));
}

/** Filter keys the Engine accepts on `/events`; those about objects this engine has none of match nothing. */
export const EVENT_FILTER_KEYS = [
  'config', 'container', 'daemon', 'event', 'image', 'label', 'network', 'node', 'plugin', 'scope', 'secret', 'service', 'type', 'volume',
] as const;

/** `since`/`until` as the CLI sends them (unix seconds with optional nanoseconds) or RFC 3339. */
export function parseEventTime(value: string | undefined): bigint | undefined {
  if (value === undefined || value === '') return undefined;
  // The Engine's timetypes.ParseTimestamps: seconds[.nanoseconds], each a Go int64.
  const unix = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (unix) {
    const seconds = BigInt(unix[1]!);
    if (seconds > INT64_MAX || seconds < -INT64_MAX - 1n) throw parseIntError(unix[1]!, 'value out of range');
    return seconds * 1_000_000_000n + BigInt((unix[2] ?? '').padEnd(9, '0'));
  }
  // Also RFC 3339 (ours: the Engine wants the CLI to convert), within JavaScript's date range.
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    const dot = value.indexOf('.');
    const seconds = dot < 0 ? value : value.slice(0, dot);
    throw parseIntError(/^[-+]?\d+$/.test(seconds) ? value.slice(dot + 1) : seconds, 'invalid syntax');
  }
  const fraction = /\.(\d{1,9})/.exec(value)?.[1]?.padEnd(9, '0');
  return BigInt(Math.floor(ms / 1000)) * 1_000_000_000n + (fraction ? BigInt(fraction) : BigInt(ms % 1000) * 1_000_000n);
}

const INT64_MAX = 9223372036854775807n;

/** strconv.ParseInt's error as the Engine returns it (20.10 answers 500; we answer 400). */
function parseIntError(text: string, reason: string): DomainError {
  return new DomainError(SwarmErrors.invalidParameter(`strconv.ParseInt: parsing ${JSON.stringify(text)}: ${reason}`));
}


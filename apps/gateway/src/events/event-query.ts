import { DomainError, SwarmErrors } from '#contracts';
import type { DockerEvent } from '#domain';
import { parseFilters } from '#engine-http';

/** Filter keys the Engine accepts on `/events`; those about objects this engine has none of match nothing. */
const EVENT_FILTERS = [
  'config', 'container', 'daemon', 'event', 'image', 'label', 'network', 'node', 'plugin', 'scope', 'secret', 'service', 'type', 'volume',
] as const;

export interface EventWindow {
  /** Nanoseconds since the epoch; undefined: from the start of the log. */
  readonly since: bigint | undefined;
  readonly until: bigint | undefined;
  readonly matches: (event: DockerEvent) => boolean;
}

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

export function eventWindow(since: string | undefined, until: string | undefined, filters: string | undefined): EventWindow {
  const from = parseEventTime(since);
  const to = parseEventTime(until);
  if (from !== undefined && to !== undefined && from > to) {
    throw new DomainError(SwarmErrors.invalidParameter(`\`since\` time (${since}) cannot be after \`until\` time (${until})`));
  }
  return { since: from, until: to, matches: eventFilter(filters) };
}

function eventFilter(raw: string | undefined): (event: DockerEvent) => boolean {
  let filters: ReadonlyMap<string, readonly string[]>;
  try {
    filters = parseFilters(raw, EVENT_FILTERS);
  } catch (error) {
    // The Engine ignores keys it does not know on /events; malformed JSON is still an error.
    if (raw && /^Invalid filter '/.test((error as Error).message)) filters = new Map();
    else throw error;
  }
  const wants = (key: string, test: (value: string) => boolean): boolean => {
    const values = filters.get(key);
    return !values || values.length === 0 || values.some(test);
  };
  const objectFilters = ['config', 'container', 'daemon', 'image', 'plugin', 'secret', 'service', 'volume'];
  return (event) => {
    const name = event.Actor.Attributes.name ?? '';
    const fuzzy = (v: string): boolean => event.Actor.ID.startsWith(v) || name === v || name.startsWith(v);
    return (
      wants('type', (v) => v === event.Type) &&
      wants('event', (v) => v === event.Action) &&
      wants('scope', (v) => v === event.scope) &&
      wants('node', (v) => event.Type === 'node' && fuzzy(v)) &&
      wants('network', (v) => event.Type === 'network' && fuzzy(v)) &&
      wants('label', (v) => labelMatches(event.Actor.Attributes, v)) &&
      objectFilters.every((key) => wants(key, () => false))
    );
  };
}

function labelMatches(attributes: Record<string, string>, wanted: string): boolean {
  const eq = wanted.indexOf('=');
  return eq < 0 ? Object.hasOwn(attributes, wanted) : attributes[wanted.slice(0, eq)] === wanted.slice(eq + 1);
}

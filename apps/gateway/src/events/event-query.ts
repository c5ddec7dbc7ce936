import { DomainError, SwarmErrors } from '#contracts';
import type { DockerEvent } from '#engine-http';
import { EVENT_FILTER_KEYS, parseEventTime, parseFilters } from '#engine-http';

export interface EventWindow {
  /** Nanoseconds since the epoch; undefined: from the start of the log. */
  readonly since: bigint | undefined;
  readonly until: bigint | undefined;
  readonly matches: (event: DockerEvent) => boolean;
}

export function eventWindow(since: string | undefined, until: string | undefined, filters: string | undefined): EventWindow {
  const from = parseEventTime(since);
  const to = parseEventTime(until);
  if (from !== undefined && to !== undefined && from > to) {
    throw new DomainError(SwarmErrors.invalidParameter(`\`since\` time (${since}) cannot be after \`until\` time (${until})`));
  }
  return { since: clampToDates(from), until: clampToDates(to), matches: eventFilter(filters) };
}

/** JavaScript dates end at ±8.64e15 ms; the Engine takes any int64 second, so later times are clamped. */
const DATE_LIMIT_NS = 8_640_000_000_000_000_000_000n;

function clampToDates(ns: bigint | undefined): bigint | undefined {
  if (ns === undefined) return undefined;
  return ns > DATE_LIMIT_NS ? DATE_LIMIT_NS : ns < -DATE_LIMIT_NS ? -DATE_LIMIT_NS : ns;
}

function eventFilter(raw: string | undefined): (event: DockerEvent) => boolean {
  let filters: ReadonlyMap<string, readonly string[]>;
  try {
    filters = parseFilters(raw, EVENT_FILTER_KEYS);
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

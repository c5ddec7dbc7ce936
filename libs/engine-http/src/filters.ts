import { DomainError, SwarmErrors, compileSchema } from '#contracts';
import { engineRequest } from './shapes/engine-request.js';
import { Type } from '@sinclair/typebox';
import { checked } from './requests/decode-body.js';
import { GoJsonSyntaxError, readGoJson } from './requests/go-json.js';

/** Docker's `filters` query parameter: `{"key":{"value":true}}` or the older `{"key":["value"]}`. */
export type Filters = ReadonlyMap<string, readonly string[]>;

/** Most filter keys and values in one `filters` parameter (the URL bounds their text to 16 KiB). */
const MAX_FILTER_KEYS = 32;
const MAX_FILTER_VALUES = 256;

const FilterArgs = engineRequest(
  Type.Unsafe<Record<string, Record<string, boolean> | null> | null>({
    type: ['object', 'null'],
    maxProperties: MAX_FILTER_KEYS,
    additionalProperties: { type: ['object', 'null'], maxProperties: MAX_FILTER_VALUES, additionalProperties: { type: 'boolean', goType: 'bool' }, goType: 'map[string]bool' },
    goType: 'map[string]map[string]bool',
  }),
);

/** The format of API < 1.22 (`{"key":["value"]}`), which the Engine still accepts. */
const LegacyFilterArgs = compileSchema(
  Type.Unsafe<Record<string, string[] | null>>({
    type: 'object',
    maxProperties: MAX_FILTER_KEYS,
    additionalProperties: { type: ['array', 'null'], maxItems: MAX_FILTER_VALUES, items: { type: 'string' } },
  }),
);

/**
 * Docker's `filters` query parameter, read as the Engine's `filters.FromJSON`: Go's syntax
 * texts, the new format's type error when neither format fits, `Invalid filter '<key>'` for a
 * key the endpoint does not take. (20.10 answers a malformed `filters` with 500; we answer 400,
 * as Engine 23+ does: it is the caller's mistake.)
 */
export function parseFilters(raw: string | undefined, allowed: readonly string[] | 'any keys'): Filters {
  const filters = new Map<string, string[]>();
  if (!raw) return filters;
  let read: ReturnType<typeof readGoJson>;
  try {
    read = readGoJson(raw, 3);
  } catch (error) {
    if (error instanceof GoJsonSyntaxError) throw new DomainError(SwarmErrors.invalidParameter(error.message));
    throw error;
  }
  const parsed = read?.value ?? null;
  let entries: [string, string[]][];
  if (LegacyFilterArgs(parsed)) {
    entries = Object.entries(parsed).map(([key, values]) => [key, values ?? []]);
  } else {
    const args = checked(parsed, FilterArgs) ?? {};
    entries = Object.entries(args).map(([key, values]) => [key, Object.entries(values ?? {}).filter(([, on]) => on).map(([v]) => v)]);
  }
  for (const [key, values] of entries) filters.set(key, values);
  if (allowed !== 'any keys') checkFilterKeys(filters, allowed);
  return filters;
}

/**
 * `filters.Validate`: `Invalid filter '<key>'` for a key the endpoint does not take. Apart from
 * `parseFilters` for the endpoints where the Engine reads the parameter (router) before a check of
 * its own (the manager check of `GET /tasks` and `GET /services`) and validates the keys after it.
 */
export function checkFilterKeys(filters: Filters, allowed: readonly string[]): void {
  for (const key of filters.keys()) {
    if (!allowed.includes(key)) throw new DomainError(SwarmErrors.invalidParameter(`Invalid filter '${key}'`));
  }
}

/** `key` or `key=value` label filters, all of which must match. */
export function matchesLabels(labels: Record<string, string>, wanted: readonly string[] | undefined): boolean {
  return (wanted ?? []).every((entry) => {
    const eq = entry.indexOf('=');
    if (eq < 0) return Object.hasOwn(labels, entry);
    return labels[entry.slice(0, eq)] === entry.slice(eq + 1);
  });
}

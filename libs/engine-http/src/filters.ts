import { DomainError, SwarmErrors } from '#contracts';

/** Docker's `filters` query parameter: `{"key":{"value":true}}` or the older `{"key":["value"]}`. */
export type Filters = ReadonlyMap<string, readonly string[]>;

export function parseFilters(raw: string | undefined, allowed: readonly string[]): Filters {
  const filters = new Map<string, string[]>();
  if (!raw) return filters;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new DomainError(SwarmErrors.invalidParameter((error as Error).message));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DomainError(SwarmErrors.invalidParameter('invalid filter format'));
  }
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!allowed.includes(key)) throw new DomainError(SwarmErrors.invalidParameter(`invalid filter '${key}'`));
    const values = Array.isArray(value)
      ? value.map(String)
      : Object.entries((value ?? {}) as Record<string, unknown>).filter(([, on]) => on === true).map(([v]) => v);
    filters.set(key, values);
  }
  return filters;
}

/** `key` or `key=value` label filters, all of which must match. */
export function matchesLabels(labels: Record<string, string>, wanted: readonly string[] | undefined): boolean {
  return (wanted ?? []).every((entry) => {
    const eq = entry.indexOf('=');
    if (eq < 0) return Object.hasOwn(labels, entry);
    return labels[entry.slice(0, eq)] === entry.slice(eq + 1);
  });
}

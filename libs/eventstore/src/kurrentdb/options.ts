import type { KurrentDBClient, RegexFilter } from '@kurrent/kurrentdb-client';

import { STREAM_NAME_PATTERN } from '../stream-name.js';

export interface KurrentDbConnectOptions {
  /**
   * A KurrentDB connection string: `kurrentdb://host:2113?tls=false`, `kurrentdb+discover://...`
   * for a cluster behind DNS, or the older `esdb://` / `esdb+discover://` spelling (rewritten to
   * `kurrentdb`, which the client no longer warns about). Credentials go in the URL
   * (`kurrentdb://user:password@host:2113`).
   */
  readonly connectionString: string;
}

/** Everything the adapter's parts share. */
export interface KurrentDbContext {
  readonly client: KurrentDBClient;
}

const SCHEMES = ['kurrentdb', 'kurrent', 'kdb', 'esdb'];
const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** True when `url` names a KurrentDB / EventStoreDB server (any of the client's schemes). */
export function isKurrentDbUrl(url: string): boolean {
  const scheme = URL_SCHEME.exec(url.trim())?.[1]?.toLowerCase();
  if (scheme === undefined) return false;
  return SCHEMES.some((s) => scheme === s || scheme === `${s}+discover`);
}

/** The connection string the client is given: `esdb` schemes become `kurrentdb`. */
export function kurrentDbConnectionString(url: string): string {
  const trimmed = url.trim();
  if (!isKurrentDbUrl(trimmed)) {
    throw new TypeError(`not a KurrentDB URL (kurrentdb://, kurrentdb+discover://, esdb://, esdb+discover://): ${redactUrl(trimmed)}`);
  }
  return trimmed.replace(/^esdb(\+discover)?:\/\//i, (_, discover: string | undefined) => `kurrentdb${discover ?? ''}://`);
}

/** The URL with any password replaced by `***`, for error messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]+):[^@/]*@/i, '$1:***@');
}

/**
 * Server-side filter for `$all` reads and subscriptions: only streams whose names the port allows.
 * This leaves out every system stream (`$...`, including `$$` metadata streams and projection
 * link streams), so positions seen by callers are always positions of our own events.
 */
export const OWN_STREAMS_FILTER: RegexFilter = {
  filterOn: 'streamName',
  regex: STREAM_NAME_PATTERN,
  checkpointInterval: 1,
};

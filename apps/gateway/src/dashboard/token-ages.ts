import type { EventData } from '#contracts';
import type { TokenInfo } from './view-types.js';

/** Per cluster: each join token's fingerprint and when it was issued. Never the token itself. */
export type TokenAges = Map<string, { worker: TokenInfo | null; manager: TokenInfo | null }>;

/** What the token tracker reads of a logged event. */
export interface TokenEvent {
  readonly type: string;
  readonly data: unknown;
  readonly time: string;
}

/**
 * Folds a join token event into `ages` (other events are ignored); returns whether it changed.
 * The log keeps the fingerprints in the clear beside the sealed secrets for audit, which is
 * exactly what the page may show.
 */
export function recordTokenEvent(ages: TokenAges, event: TokenEvent): boolean {
  if (event.type === 'JoinTokensIssued') {
    const d = event.data as EventData<'JoinTokensIssued'>;
    ages.set(d.clusterId, {
      worker: { fingerprint: d.workerFingerprint, since: event.time },
      manager: { fingerprint: d.managerFingerprint, since: event.time },
    });
    return true;
  }
  if (event.type === 'JoinTokenRotated') {
    const d = event.data as EventData<'JoinTokenRotated'>;
    const current = ages.get(d.clusterId) ?? { worker: null, manager: null };
    ages.set(d.clusterId, { ...current, [d.role]: { fingerprint: d.fingerprint, since: event.time } });
    return true;
  }
  return false;
}

import { DomainError, SwarmErrors, type SwarmSpec } from '#contracts';

/**
 * Spec fields this engine keeps no machinery for: it has no Raft log (the state is an event log)
 * and runs no tasks. The Engine would act on a new value; here it would only be stored and shown,
 * so a change is refused instead. The value a swarm starts with (or already holds) passes, because
 * the CLI's `swarm update` sends the whole spec back.
 */
const UNHONOURED: readonly { readonly field: string; readonly flag?: string; readonly why: string; readonly read: (spec: SwarmSpec) => unknown }[] = [
  { field: 'Orchestration.TaskHistoryRetentionLimit', flag: '--task-history-limit', why: 'it runs no tasks', read: (s) => s.Orchestration.TaskHistoryRetentionLimit },
  { field: 'Raft.SnapshotInterval', flag: '--snapshot-interval', why: 'it has no Raft log (its state is an event log)', read: (s) => s.Raft.SnapshotInterval },
  { field: 'Raft.KeepOldSnapshots', flag: '--max-snapshots', why: 'it has no Raft log (its state is an event log)', read: (s) => s.Raft.KeepOldSnapshots },
  { field: 'Raft.LogEntriesForSlowFollowers', why: 'it has no Raft log (its state is an event log)', read: (s) => s.Raft.LogEntriesForSlowFollowers },
  { field: 'Raft.ElectionTick', why: 'it has no Raft elections', read: (s) => s.Raft.ElectionTick },
  { field: 'Raft.HeartbeatTick', why: 'it has no Raft elections', read: (s) => s.Raft.HeartbeatTick },
  { field: 'TaskDefaults', flag: '--log-driver', why: 'it runs no tasks', read: (s) => s.TaskDefaults },
];

/** The error for a field this engine takes but cannot honour: said so, never stored as if it had effect. */
export function unsupportedField(field: string, flag: string | undefined, why: string): DomainError {
  const named = flag ? `${field} (${flag})` : field;
  return new DomainError(SwarmErrors.invalidParameter(`${named} is not supported by this engine: ${why}`));
}

/** Refuses a spec whose unhonoured fields differ from `before` (the current spec, or the default at init). */
export function refuseUnhonouredChanges(before: SwarmSpec, after: SwarmSpec): void {
  for (const { field, flag, why, read } of UNHONOURED) {
    if (!sameValue(read(before), read(after))) throw unsupportedField(field, flag, `${why}, so a value other than the current one would have no effect`);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Key order does not make a change; `{}` and an absent map are the same. */
function canonical(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
    if (entries.length === 0) return null;
    return Object.fromEntries(entries.sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

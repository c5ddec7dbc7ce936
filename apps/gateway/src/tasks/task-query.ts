import { checkFilterKeys, type Filters } from '#engine-http';
import { DomainError, SwarmErrors } from '#contracts';

/** The keys `GET /tasks` takes (the daemon's `newListTasksFilters`). */
const TASK_FILTERS = ['name', 'id', 'label', 'service', 'node', 'desired-state', '_up-to-date', 'runtime'] as const;

/** swarmkit's task states, which `desired-state` is matched against (case-insensitively). */
const TASK_STATES: ReadonlySet<string> = new Set([
  'NEW', 'PENDING', 'ASSIGNED', 'ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'RUNNING',
  'COMPLETE', 'SHUTDOWN', 'FAILED', 'REJECTED', 'REMOVE', 'ORPHANED',
]);

/**
 * `GET /tasks` filters checked as the Engine's `newListTasksFilters` does, once the router has read
 * them and the manager check passed: known keys only (`Invalid filter '<key>'`), then (after the
 * caller has looked up the nodes and services they name) each `desired-state` a task state
 * (`Invalid desired-state filter: '<value>'`; 20.10 answers it 500, we 400 as for other malformed
 * filters, see decision 0011).
 */
export function checkTaskFilterKeys(filters: Filters): void {
  checkFilterKeys(filters, TASK_FILTERS);
}

export function checkDesiredStates(filters: Filters): void {
  for (const state of filters.get('desired-state') ?? []) {
    if (state !== '' && !TASK_STATES.has(state.toUpperCase())) {
      throw new DomainError(SwarmErrors.invalidParameter(`Invalid desired-state filter: '${state}'`));
    }
  }
}

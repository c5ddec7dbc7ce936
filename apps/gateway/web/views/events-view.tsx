import { useState } from 'preact/hooks';
import type { DockerEventRow } from '../../src/dashboard/view-types.js';
import { shortId } from '../format.js';

interface Filters {
  type: string;
  action: string;
  node: string;
  network: string;
}

/** Docker's filter rules: `node`/`network` match events of that type by ID prefix or name (prefix). */
function matches(event: DockerEventRow, filters: Filters): boolean {
  const name = event.Actor.Attributes.name ?? '';
  const fuzzy = (value: string): boolean => event.Actor.ID.startsWith(value) || name.startsWith(value);
  return (
    (!filters.type || event.Type === filters.type) &&
    (!filters.action || event.Action === filters.action) &&
    (!filters.node || (event.Type === 'node' && fuzzy(filters.node))) &&
    (!filters.network || (event.Type === 'network' && fuzzy(filters.network)))
  );
}

function attributes(event: DockerEventRow): string {
  return Object.entries(event.Actor.Attributes)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/** `docker events`, live: newest first, with the Engine's fields and its filters. */
export function EventsView({ events }: { events: readonly DockerEventRow[] }) {
  const [filters, setFilters] = useState<Filters>({ type: '', action: '', node: '', network: '' });
  const set = (key: keyof Filters) => (e: Event) => setFilters({ ...filters, [key]: (e.target as HTMLInputElement).value.trim() });
  const shown = events.filter((event) => matches(event, filters));
  return (
    <section data-testid="events">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>type <select name="type" value={filters.type} onChange={set('type')}><option value="">any</option><option>node</option><option>network</option></select></label>
        <label>event <select name="action" value={filters.action} onChange={set('action')}><option value="">any</option><option>create</option><option>update</option><option>remove</option></select></label>
        <label>node <input name="node" placeholder="ID or name" value={filters.node} onInput={set('node')} /></label>
        <label>network <input name="network" placeholder="ID or name" value={filters.network} onInput={set('network')} /></label>
        <span class="count">{shown.length} of {events.length}</span>
      </form>
      <EventTable events={shown} />
    </section>
  );
}

export function EventTable({ events }: { events: readonly DockerEventRow[] }) {
  if (events.length === 0) return <p class="empty">No events yet: they appear here as the log records them.</p>;
  return (
    <table class="grid events">
      <thead><tr><th>time</th><th>Type</th><th>Action</th><th>Actor.ID</th><th>Actor.Attributes</th><th>scope</th><th>position</th></tr></thead>
      <tbody>
        {events.slice(0, 500).map((event) => (
          <tr key={`${event.position}-${event.timeNano}-${event.Action}-${event.Actor.ID}`} data-type={event.Type} data-action={event.Action}>
            <td>{new Date(Number(BigInt(event.timeNano) / 1_000_000n)).toISOString().replace('T', ' ').slice(0, 23)}</td>
            <td>{event.Type}</td>
            <td>{event.Action}</td>
            <td><code title={event.Actor.ID}>{shortId(event.Actor.ID)}</code></td>
            <td>{attributes(event)}</td>
            <td>{event.scope}</td>
            <td>{event.position}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

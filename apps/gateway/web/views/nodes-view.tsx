import type { NodeRow } from '../../src/dashboard/view-types.js';
import { formatTime, relativeDays, shortId } from '../format.js';

/** The nodes as `docker node ls` lists them, with addresses, certificates and last changes; down is red. */
interface Props {
  readonly nodes: readonly NodeRow[];
  readonly selfNodeId: string | null;
  /** Last heartbeats (live only: the log does not keep them). */
  readonly heartbeats?: ReadonlyMap<string, string>;
}

export function NodesView({ nodes, selfNodeId, heartbeats }: Props) {
  if (nodes.length === 0) return <p class="empty">No nodes.</p>;
  const sorted = [...nodes].sort((a, b) => (a.role === b.role ? a.hostname.localeCompare(b.hostname) : a.role === 'manager' ? -1 : 1));
  return (
    <table class="grid" data-testid="nodes">
      <thead>
        <tr>
          <th>Hostname</th><th>ID</th><th>Role</th><th>Status</th><th>Availability</th><th>Address</th><th>Certificate expires</th>
          {heartbeats && <th title="heartbeats are not in the log: the last one heard since this gateway started">Last heartbeat</th>}
          <th>Last change</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((node) => {
          const beat = heartbeats?.get(node.id);
          return (
            <tr key={node.id} class={node.state === 'down' ? 'down' : ''} data-node={node.hostname} data-state={node.state}>
              <td>{node.hostname}</td>
              <td><code>{shortId(node.id)}</code></td>
              <td>{node.role}{node.leader ? ' (leader)' : ''}</td>
              <td><span class={node.state === 'down' ? 'badge bad' : 'badge ok'}>{node.state}</span>{node.message ? ` ${node.message}` : ''}</td>
              <td>{node.availability}</td>
              <td>{node.addr}</td>
              <td>{formatTime(node.certExpiry)} {node.certExpiry ? `(${relativeDays(node.certExpiry)})` : ''}</td>
              {heartbeats && <td data-heartbeat={beat ?? ''}>{node.id === selfNodeId ? 'this manager' : beat ? formatTime(beat) : '—'}</td>}
              <td>{formatTime(node.updatedAt)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

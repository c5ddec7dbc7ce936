import { useMemo } from 'preact/hooks';
import type { NetworkRow } from '../../src/dashboard/view-types.js';
import { formatTime, shortId } from '../format.js';

/** How many rows are drawn: the pool picture shows them all, the table the newest. */
const SHOWN = 200;

function kindOf(network: NetworkRow): string {
  return network.ingress ? 'ingress' : network.explicit ? 'explicit subnet' : 'from the pools';
}

/** `docker network ls` for overlay networks, with each one's subnet and where it came from. */
export function NetworksTable({ networks }: { networks: readonly NetworkRow[] }) {
  const newest = useMemo(() => [...networks].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).slice(0, SHOWN), [networks]);
  if (networks.length === 0) return <p class="empty">No networks.</p>;
  return (
    <>
      <table class="grid" data-testid="networks">
        <thead><tr><th>Name</th><th>ID</th><th>Subnet</th><th>Subnet from</th><th>Created</th></tr></thead>
        <tbody>
          {newest.map((network) => (
            <tr key={network.id} data-network={network.name}>
              <td>{network.name}</td>
              <td><code>{shortId(network.id)}</code></td>
              <td><code>{network.subnet}</code></td>
              <td>{kindOf(network)}</td>
              <td>{formatTime(network.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {networks.length > SHOWN && <p class="count">The newest {SHOWN} of {networks.length.toLocaleString('en')} networks.</p>}
    </>
  );
}

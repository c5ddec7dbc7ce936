import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { CellState, layoutPools } from '../../src/dashboard/pool-layout.js';
import type { NetworkRow, SwarmInfo } from '../../src/dashboard/view-types.js';
import { CELL_COLOURS, PoolCanvas, STATE_NAMES } from './pool-canvas.js';

declare global {
  interface Window {
    /** The last pool picture's layout + paint time in ms (read by the browser tests). */
    swarmplanePoolDrawMs?: number;
  }
}

function Legend() {
  return (
    <p class="legend">
      {[CellState.Ingress, CellState.Network, CellState.Explicit, CellState.Free].map((state) => (
        <span key={state}>
          <i style={{ background: CELL_COLOURS[state] }} /> {STATE_NAMES[state]}
        </span>
      ))}
    </p>
  );
}

interface Props {
  readonly swarm: SwarmInfo | null;
  readonly networks: readonly NetworkRow[];
  /** Bumped whenever `networks` changed (the live store mutates in place). */
  readonly version: number;
  readonly testId?: string;
}

/** Every default pool as a grid of its subnets at the mask length; explicit subnets outside the pools apart. */
export function PoolsView({ swarm, networks, version, testId = 'pools' }: Props) {
  const renderStarted = useRef(0);
  renderStarted.current = performance.now();
  const section = useRef<HTMLElement>(null);
  const layout = useMemo(() => (swarm ? layoutPools(swarm.pools, swarm.subnetSize, networks) : undefined), [swarm?.pools, swarm?.subnetSize, networks, version]);
  // Runs after every pool canvas has painted (children's layout effects run first): layout + paint.
  useLayoutEffect(() => {
    const ms = performance.now() - renderStarted.current;
    window.swarmplanePoolDrawMs = ms;
    section.current?.setAttribute('data-draw-ms', ms.toFixed(1));
  }, [layout]);
  if (!swarm || !layout) return <p class="empty">No swarm, no address pools.</p>;
  return (
    <section ref={section} data-testid={testId} data-networks={networks.length}>
      <Legend />
      {layout.pools.map((picture) => (
        <figure key={picture.pool} class="pool" data-pool={picture.pool} data-used={picture.used} data-free={picture.free}>
          <figcaption>
            <strong>{picture.pool}</strong> — {picture.subnets.toLocaleString('en')} subnets of /{swarm.subnetSize}:{' '}
            <span class="used">{picture.used.toLocaleString('en')} used</span>, <span>{picture.free.toLocaleString('en')} free</span>
            {picture.span > 1 ? ` (one cell: ${picture.span} subnets)` : ''}
          </figcaption>
          <PoolCanvas picture={picture} subnetSize={swarm.subnetSize} networks={networks} />
        </figure>
      ))}
      <h3>Explicit subnets outside the pools</h3>
      {layout.outside.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <ul class="outside" data-testid="outside-pools">
          {layout.outside.map((index) => (
            <li key={networks[index]?.id}>
              <code>{networks[index]?.subnet}</code> {networks[index]?.name}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LiveStore } from './live-store.js';
import { EventsView } from './views/events-view.js';
import { NetworksTable } from './views/networks-table.js';
import { NodesView } from './views/nodes-view.js';
import { PoolsView } from './views/pools-view.js';
import { SwarmView } from './views/swarm-view.js';
import { TimeMachineView } from './views/time-machine-view.js';

const VIEWS = [
  ['swarm', 'Swarm'],
  ['nodes', 'Nodes'],
  ['pools', 'Address pools'],
  ['events', 'Events'],
  ['time', 'Time machine'],
] as const;
type ViewName = (typeof VIEWS)[number][0];

function currentView(): ViewName {
  const hash = location.hash.slice(1);
  return VIEWS.some(([name]) => name === hash) ? (hash as ViewName) : 'swarm';
}

/** Re-renders the caller whenever the store changed (at most once per animation frame). */
function useStore(store: LiveStore): number {
  const [tick, setTick] = useState(0);
  useEffect(() => store.subscribe(() => setTick((t) => t + 1)), [store]);
  return tick;
}

function App({ store }: { store: LiveStore }) {
  useStore(store);
  const [view, setView] = useState<ViewName>(currentView());
  useEffect(() => {
    const onHash = (): void => setView(currentView());
    window.addEventListener('hashchange', onHash);
    // A hash change between the first render and this effect fired no listener: read it again.
    onHash();
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const networks = useMemo(() => [...store.networks.values()], [store.networksVersion]);
  const nodes = [...store.nodes.values()];
  return (
    <>
      <header>
        <h1>swarmplane</h1>
        <nav>
          {VIEWS.map(([name, label]) => (
            <a key={name} href={`#${name}`} class={name === view ? 'current' : ''} data-view={name}>{label}</a>
          ))}
        </nav>
        <span class={`connection ${store.connection}`} data-testid="connection" title="server-sent events from the log">
          {store.connection === 'live' ? '● live' : store.connection === 'lost' ? '○ disconnected' : '◌ connecting'} · position {store.position}
        </span>
      </header>
      <main data-view={view}>
        {view === 'swarm' && <SwarmView swarm={store.swarm} />}
        {view === 'nodes' && <NodesView nodes={nodes} selfNodeId={store.selfNodeId} heartbeats={store.heartbeats} />}
        {view === 'pools' && (
          <>
            <PoolsView swarm={store.swarm} networks={networks} version={store.networksVersion} />
            <h3>Networks</h3>
            <NetworksTable networks={networks} />
          </>
        )}
        {view === 'events' && <EventsView events={store.events} />}
        {view === 'time' && <TimeMachineView livePosition={store.position} />}
      </main>
    </>
  );
}

const store = new LiveStore();
store.connect();
render(<App store={store} />, document.getElementById('app')!);

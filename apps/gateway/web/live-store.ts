import type { DashboardView, DockerEventRow, NetworkRow, NodeRow, SwarmInfo, ViewChange } from '../src/dashboard/view-types.js';

/** How many Docker events the Events view keeps. */
const KEEP_EVENTS = 1000;

export type Connection = 'connecting' | 'live' | 'lost';

/**
 * The page's copy of the view, fed by the server-sent events of /api/live (a snapshot, then
 * changes). Networks and nodes are kept in maps and changed in place, and listeners are told once
 * per animation frame: ten thousand creates in a burst cost ten thousand map writes, not ten
 * thousand copies of the list and as many renders.
 */
export class LiveStore {
  position = 0;
  swarm: SwarmInfo | null = null;
  selfNodeId: string | null = null;
  /** Node ID -> its last heartbeat (RFC 3339), as the gateway heard them. */
  readonly heartbeats = new Map<string, string>();
  readonly nodes = new Map<string, NodeRow>();
  readonly networks = new Map<string, NetworkRow>();
  events: DockerEventRow[] = [];
  connection: Connection = 'connecting';
  /** Bumped on every change of `networks` (the pool picture redraws when it moves). */
  networksVersion = 0;
  private readonly listeners = new Set<() => void>();
  private frame = 0;
  private source: EventSource | undefined;

  connect(): void {
    const source = new EventSource('/api/live');
    this.source = source;
    source.addEventListener('open', () => this.set('live'));
    source.addEventListener('error', () => this.set(source.readyState === EventSource.CLOSED ? 'lost' : 'connecting'));
    source.addEventListener('snapshot', (e) => this.applySnapshot(JSON.parse((e as MessageEvent<string>).data) as DashboardView));
    source.addEventListener('change', (e) => this.applyChange(JSON.parse((e as MessageEvent<string>).data) as ViewChange));
    source.addEventListener('docker', (e) => this.applyDocker(JSON.parse((e as MessageEvent<string>).data) as DockerEventRow[]));
    source.addEventListener('heartbeats', (e) => {
      for (const [id, at] of Object.entries(JSON.parse((e as MessageEvent<string>).data) as Record<string, string>)) this.heartbeats.set(id, at);
      this.notify();
    });
  }

  close(): void {
    this.source?.close();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(connection: Connection): void {
    this.connection = connection;
    this.notify();
  }

  private applySnapshot(view: DashboardView): void {
    this.position = view.position;
    this.swarm = view.swarm;
    this.selfNodeId = view.selfNodeId;
    this.nodes.clear();
    for (const node of view.nodes) this.nodes.set(node.id, node);
    this.networks.clear();
    for (const network of view.networks) this.networks.set(network.id, network);
    this.networksVersion++;
    // The server follows a snapshot with its recent Docker events: a reconnect must not list them twice.
    this.events = [];
    this.notify();
  }

  private applyChange(change: ViewChange): void {
    this.position = Math.max(this.position, change.position);
    if (change.swarm !== undefined) this.swarm = change.swarm;
    if (change.node) this.nodes.set(change.node.id, change.node);
    if (change.nodeRemoved) this.nodes.delete(change.nodeRemoved);
    if (change.network) this.networks.set(change.network.id, change.network);
    if (change.networkRemoved) this.networks.delete(change.networkRemoved);
    if (change.network || change.networkRemoved) this.networksVersion++;
    this.notify();
  }

  private applyDocker(rows: DockerEventRow[]): void {
    if (rows.length === 0) return;
    this.events = [...rows.slice().reverse(), ...this.events].slice(0, KEEP_EVENTS);
    this.position = Math.max(this.position, ...rows.map((r) => r.position));
    this.notify();
  }

  private notify(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      for (const listener of this.listeners) listener();
    });
  }
}

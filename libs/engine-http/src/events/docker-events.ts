import type { EventData, SwarmEvent } from '#contracts';

/**
 * An event as the Engine API's `/events` shows it. `timeNano` is kept as decimal digits: it does
 * not fit a JavaScript number exactly, and clients compare it.
 */
export interface DockerEvent {
  readonly Type: 'node' | 'network';
  readonly Action: 'create' | 'update' | 'remove';
  readonly Actor: { readonly ID: string; readonly Attributes: Record<string, string> };
  readonly scope: 'swarm' | 'local';
  readonly time: number;
  readonly timeNano: string;
}

/** The event as the Engine writes it on `/events`: one JSON object, `timeNano` as an exact integer. */
export function dockerEventJson(event: DockerEvent): string {
  const { timeNano, ...rest } = event;
  return `${JSON.stringify(rest).slice(0, -1)},"timeNano":${timeNano}}`;
}

/** What the translator reads of a stored event: a swarm event (its type and schema checked) and its time. */
export type LoggedEvent = SwarmEvent & {
  /** RFC 3339 with 9 fractional digits. */
  readonly time: string;
};

export interface NodeFacts {
  name: string;
  role: string;
  availability: string;
  state: string;
}

/**
 * Turns the log into Docker's swarm events, as an Engine reports them: node create/update/remove
 * with `name` and the `.old`/`.new` pairs of availability, role and state; network create (then an
 * update for its allocation, as the Engine's allocator emits) and remove; the ingress of an init as
 * a local-scope create with `type=overlay`. Token rotations, swarm updates and CA events emit
 * nothing, as in the Engine. Stateful (it remembers names and previous values): feed it every
 * event in log order.
 */
export class DockerEventTranslator {
  private readonly nodes = new Map<string, NodeFacts>();
  private readonly networks = new Map<string, string>();
  private readonly initNodes = new Set<string>();
  private readonly initIngress = new Set<string>();

  /**
   * Starts from known facts instead of the whole log (a live stream from the current position):
   * the nodes and networks as a read model holds them.
   */
  seed(facts: { nodes: readonly ({ id: string } & NodeFacts)[]; networks: readonly { id: string; name: string }[] }): this {
    for (const { id, ...node } of facts.nodes) this.nodes.set(id, { ...node });
    for (const network of facts.networks) this.networks.set(network.id, network.name);
    return this;
  }

  /** Whether the translator holds facts about this node (else its earlier events were not fed). */
  knowsNode(nodeId: string): boolean {
    return this.nodes.has(nodeId);
  }

  translate(event: LoggedEvent): DockerEvent[] {
    const at = timeOf(event.time);
    const domain = event;
    switch (domain.type) {
      case 'SwarmInitStarted':
        this.initNodes.add(domain.data.nodeId);
        this.initIngress.add(domain.data.ingressNetworkId);
        return [];
      case 'SwarmInitAbandoned':
        // No Docker event: the Engine shows none for an init that failed. Its node never registers.
        this.initNodes.delete(domain.data.nodeId);
        return [];
      case 'NodeRegistered':
        return this.nodeRegistered(domain.data, at);
      case 'NodeSpecUpdated':
        return this.nodeSpecUpdated(domain.data, at);
      case 'NodeStatusChanged': {
        const facts = this.nodes.get(domain.data.nodeId);
        if (!facts) return [];
        const attributes = { name: facts.name, 'state.new': domain.data.state, 'state.old': facts.state };
        facts.state = domain.data.state;
        return [nodeEvent('update', domain.data.nodeId, attributes, at)];
      }
      case 'NodeRemoved': {
        const facts = this.nodes.get(domain.data.nodeId);
        this.nodes.delete(domain.data.nodeId);
        return [nodeEvent('remove', domain.data.nodeId, { name: facts?.name ?? '' }, at)];
      }
      case 'NetworkCreated':
        return this.networkCreated(domain.data, at);
      case 'NetworkRemoved':
        this.networks.delete(domain.data.networkId);
        return [networkEvent('remove', domain.data.networkId, { name: domain.data.name }, 'swarm', at)];
      default:
        return [];
    }
  }

  private nodeRegistered(data: EventData<'NodeRegistered'>, at: Instant): DockerEvent[] {
    const name = data.engine.hostname;
    this.nodes.set(data.nodeId, { name, role: data.role, availability: data.availability, state: 'ready' });
    const ready = { name, 'state.new': 'ready', 'state.old': 'unknown' };
    // The init's own node only turns ready; a joining node is created, then turns ready.
    if (this.initNodes.has(data.nodeId)) return [nodeEvent('update', data.nodeId, ready, at)];
    return [nodeEvent('create', data.nodeId, { name }, at), nodeEvent('update', data.nodeId, ready, at, 1000)];
  }

  private nodeSpecUpdated(data: EventData<'NodeSpecUpdated'>, at: Instant): DockerEvent[] {
    const facts = this.nodes.get(data.nodeId);
    if (!facts) return [];
    const attributes: Record<string, string> = { name: facts.name };
    if (facts.availability !== data.availability) {
      attributes['availability.new'] = data.availability;
      attributes['availability.old'] = facts.availability;
    }
    if (facts.role !== data.role) {
      attributes['role.new'] = data.role;
      attributes['role.old'] = facts.role;
    }
    facts.availability = data.availability;
    facts.role = data.role;
    return [nodeEvent('update', data.nodeId, attributes, at)];
  }

  private networkCreated(data: EventData<'NetworkCreated'>, at: Instant): DockerEvent[] {
    this.networks.set(data.networkId, data.name);
    if (this.initIngress.has(data.networkId)) {
      return [networkEvent('create', data.networkId, { name: data.name, type: 'overlay' }, 'local', at)];
    }
    return [
      networkEvent('create', data.networkId, { name: data.name }, 'swarm', at),
      networkEvent('update', data.networkId, { name: data.name }, 'swarm', at, 1000),
    ];
  }
}

interface Instant {
  readonly seconds: number;
  readonly nanos: bigint;
}

function timeOf(rfc3339: string): Instant {
  const wholeMs = Date.parse(`${rfc3339.slice(0, 19)}Z`);
  const fraction = /\.(\d{1,9})Z$/.exec(rfc3339)?.[1]?.padEnd(9, '0') ?? '000000000';
  const nanos = BigInt(Math.floor(wholeMs / 1000)) * 1_000_000_000n + BigInt(fraction);
  return { seconds: Math.floor(wholeMs / 1000), nanos };
}

function shifted(at: Instant, offsetNanos: number): { time: number; timeNano: string } {
  const nanos = at.nanos + BigInt(offsetNanos);
  return { time: Number(nanos / 1_000_000_000n), timeNano: nanos.toString() };
}

function nodeEvent(action: DockerEvent['Action'], id: string, attributes: Record<string, string>, at: Instant, offset = 0): DockerEvent {
  return { Type: 'node', Action: action, Actor: { ID: id, Attributes: sorted(attributes) }, scope: 'swarm', ...shifted(at, offset) };
}

function networkEvent(
  action: DockerEvent['Action'],
  id: string,
  attributes: Record<string, string>,
  scope: DockerEvent['scope'],
  at: Instant,
  offset = 0,
): DockerEvent {
  return { Type: 'network', Action: action, Actor: { ID: id, Attributes: sorted(attributes) }, scope, ...shifted(at, offset) };
}

/** The Engine's attributes come out of a Go map: JSON encodes them sorted by key. */
function sorted(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

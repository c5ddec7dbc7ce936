/** Whole, schema-valid event data for specs: a spec names what it cares about and takes the rest from here. */
import { EVENT_SCHEMA_VERSIONS, defaultSwarmSpec, type EngineDescription, type EventData, type NetworkSpaceEvent, type SwarmEvent } from '#contracts';
import type { Recorded, RecordedEvent } from '#eventstore';

let recordedCount = 0;

/** A domain event as a store would hand it to a reader (positions count up per call unless given). */
export function recordedEvent<E extends SwarmEvent>(event: E, at: { stream?: string; position?: number; time?: string } = {}): Recorded<E> {
  const position = at.position ?? ++recordedCount;
  const envelope: Omit<RecordedEvent, 'type' | 'data'> = {
    id: `event-${position}`,
    stream: at.stream ?? 's',
    revision: position,
    position,
    schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
    metadata: { correlationId: 'c', actor: 'test' },
    time: at.time ?? '2026-01-01T00:00:00.000000000Z',
  };
  const { type, data }: SwarmEvent = event;
  return Object.assign({ ...envelope, type, data }, event);
}

export const engineFixture: EngineDescription = {
  hostname: 'manager-1',
  engineVersion: '28.3.0',
  architecture: 'x86_64',
  os: 'linux',
  nanoCpus: 2_000_000_000,
  memoryBytes: 4 * 1024 ** 3,
};

export function swarmInitStartedData(overrides: Partial<EventData<'SwarmInitStarted'>> = {}): EventData<'SwarmInitStarted'> {
  return {
    initId: 'init-1',
    clusterId: 'cluster-1',
    nodeId: 'node-1',
    ingressNetworkId: 'ingress-1',
    listenAddr: '0.0.0.0:2377',
    advertiseHost: '192.0.2.2',
    advertisePort: '2377',
    dataPathPort: 4789,
    defaultAddrPool: null,
    subnetSize: 24,
    spec: defaultSwarmSpec(),
    availability: 'active',
    engine: engineFixture,
    startedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function nodeRegisteredData(overrides: Partial<EventData<'NodeRegistered'>> = {}): EventData<'NodeRegistered'> {
  return {
    nodeId: 'node-1',
    clusterId: 'cluster-1',
    role: 'worker',
    availability: 'active',
    labels: {},
    addr: '192.0.2.3',
    leader: false,
    engine: engineFixture,
    registeredAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A cluster's ipam stream after init: pools 10.0.0.0/8 in /24s and the ingress network on 10.0.0.0/24. */
export function initializedIpamEvents(clusterId: string, ingressNetworkId = `${clusterId}-ingress`): NetworkSpaceEvent[] {
  return [
    { type: 'AddressPoolsConfigured', data: { clusterId, pools: ['10.0.0.0/8'], subnetSize: 24 } },
    {
      type: 'NetworkCreated',
      data: {
        networkId: ingressNetworkId, clusterId, name: 'ingress', driver: 'overlay', ingress: true, internal: false, attachable: false,
        labels: {}, options: {}, subnet: '10.0.0.0/24', gateway: '10.0.0.1', explicitSubnet: false, vxlanId: 4096, createdAt: '2026-01-01T00:00:00Z',
      },
    },
  ];
}

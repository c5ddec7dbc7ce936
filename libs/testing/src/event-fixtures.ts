/** Whole, schema-valid event data for specs: a spec names what it cares about and takes the rest from here. */
import { defaultSwarmSpec, type EngineDescription, type EventData } from '#contracts';

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

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EventData } from '#contracts';
import { JetStreamEventStore } from '#eventstore';
import { laggingSubscriptions, startNatsServer, type NatsServerHandle } from '#testing';
import { ClusterNodesService } from './cluster-nodes.service.js';

const context = { correlationId: 'test', actor: 'test' };
const node = (nodeId: string): EventData<'NodeRegistered'> => ({
  nodeId,
  clusterId: 'cluster-lag',
  role: 'worker',
  availability: 'active',
  labels: {},
  addr: '127.0.0.1',
  leader: false,
  engine: { hostname: nodeId, engineVersion: '28.2.2', architecture: 'x86_64', os: 'linux', nanoCpus: 1e9, memoryBytes: 2 ** 30 },
  registeredAt: new Date().toISOString(),
});

describe('node commands on a replica that lags behind the log', () => {
  let server: NatsServerHandle;
  let store: JetStreamEventStore;
  let fresh: ClusterNodesService;
  let behind: ClusterNodesService;
  before(async () => {
    server = await startNatsServer();
    store = await JetStreamEventStore.connect({ servers: server.url });
    fresh = new ClusterNodesService(store);
    behind = new ClusterNodesService(laggingSubscriptions(store, 300));
    await fresh.onModuleInit();
    await behind.onModuleInit();
  });
  after(async () => {
    await fresh?.onApplicationShutdown();
    await behind?.onApplicationShutdown();
    await store?.close();
    await server?.stop();
  });

  it('acts on a node another replica registered a moment ago instead of answering not found', async () => {
    await fresh.register(node('node-a'), context);
    const result = await behind.execute('node-a', { type: 'ChangeNodeStatus', state: 'down', message: 'heartbeat failure' }, context);
    assert.deepEqual(result.events.map((e) => e.type), ['NodeStatusChanged']);
  });

  it('does not take a stale view for "already so": the status another replica changed is changed back', async () => {
    await fresh.register(node('node-b'), context);
    await behind.waitFor(await store.headPosition());
    await fresh.execute('node-b', { type: 'ChangeNodeStatus', state: 'down', message: 'heartbeat failure' }, context);
    // The lagging replica still sees node-b ready: "ready" looks like nothing to do there.
    const seen = behind.state.nodes.get('node-b')?.node;
    assert.equal(seen?.exists && seen.state, 'ready');
    const result = await behind.execute('node-b', { type: 'ChangeNodeStatus', state: 'ready', message: '' }, context);
    assert.deepEqual(result.events.map((e) => e.type), ['NodeStatusChanged']);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JetStreamEventStore } from '#eventstore';
import { laggingSubscriptions, startNatsServer, type NatsServerHandle } from '#testing';
import { NetworkSpaceCommands } from './network-space.commands.js';

const context = { correlationId: 'test', actor: 'test' };
const network = (networkId: string, name: string) => ({
  networkId,
  name,
  ingress: false,
  internal: false,
  attachable: false,
  labels: {},
  options: {},
  createdAt: new Date().toISOString(),
});

describe('network-space commands on a replica that lags behind the log', () => {
  let server: NatsServerHandle;
  let store: JetStreamEventStore;
  let fresh: NetworkSpaceCommands;
  let behind: NetworkSpaceCommands;
  const clusterId = 'cluster-lag';
  before(async () => {
    server = await startNatsServer();
    store = await JetStreamEventStore.connect({ servers: server.url });
    fresh = new NetworkSpaceCommands(store);
    behind = new NetworkSpaceCommands(laggingSubscriptions(store, 300));
    await fresh.onModuleInit();
    await behind.onModuleInit();
    await fresh.execute(clusterId, { type: 'ConfigurePools', clusterId, pools: ['10.0.0.0/8'], subnetSize: 24 }, context);
  });
  after(async () => {
    await fresh?.onApplicationShutdown();
    await behind?.onApplicationShutdown();
    await store?.close();
    await server?.stop();
  });

  it('removes a network another replica created a moment ago instead of answering not found', async () => {
    await fresh.execute(clusterId, { type: 'CreateNetwork', network: network('net-a', 'a') }, context);
    assert.equal(behind.spaceOf(clusterId).networks.has('net-a'), false, 'the lagging replica has not seen the create yet');
    const removed = await behind.execute(clusterId, { type: 'RemoveNetwork', networkId: 'net-a' }, context);
    assert.deepEqual(removed.events.map((e) => e.type), ['NetworkRemoved']);
  });

  it('still answers "nothing to do" for a network that does not exist at the head', async () => {
    const result = await behind.execute(clusterId, { type: 'RemoveNetwork', networkId: 'never-created' }, context);
    assert.deepEqual(result.events, []);
  });

  it('gives prune the space at the head, with a network the replica had not seen yet', async () => {
    await fresh.execute(clusterId, { type: 'CreateNetwork', network: network('net-b', 'b') }, context);
    const space = await behind.spaceAtHead(clusterId);
    assert.ok(space.networks.has('net-b'));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Streams } from '#contracts';
import { domainEvents, thenEvents } from '#testing';
import { activeSwarm, CLUSTER, givenNodes, specContext as context, worker } from '../projections/nodes.test-helper.js';
import { HeartbeatsService } from './heartbeats.service.js';

describe('node leaves (nodes.leave)', () => {
  it('given a ready worker, records it down at once; a second goodbye records nothing', async () => {
    const { store, nodes, stop } = await givenNodes({ ...activeSwarm(), ...worker('w1') });
    const heartbeats = new HeartbeatsService(nodes);
    const reply = await heartbeats.leave({ context, nodeId: 'w1' });
    await heartbeats.leave({ context, nodeId: 'w1' });
    const changed = (await thenEvents(store, Streams.node('w1'))).slice(1);
    assert.deepEqual(domainEvents(changed), [{ type: 'NodeStatusChanged', data: { nodeId: 'w1', clusterId: CLUSTER, state: 'down', message: 'heartbeat failure' } }]);
    assert.equal(reply.position, changed[0]?.position);
    await stop();
  });

  it('a heartbeat from a node that is down records it ready again', async () => {
    const { store, nodes, stop } = await givenNodes({ ...activeSwarm(), ...worker('w2', 'down') });
    await new HeartbeatsService(nodes).heartbeat({ nodeId: 'w2', at: Date.now() });
    const last = (await thenEvents(store, Streams.node('w2'))).at(-1);
    assert.ok(last?.type === 'NodeStatusChanged' && last.data.state === 'ready');
    await stop();
  });
});

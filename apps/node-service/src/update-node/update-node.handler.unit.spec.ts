import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Streams } from '#contracts';
import { domainEvents, thenEvents } from '#testing';
import { activeSwarm, CLUSTER, givenNodes, MANAGER, specContext as context, worker } from '../projections/nodes.test-helper.js';
import { UpdateNodeHandler } from './update-node.handler.js';

const outOfSequence = (e: unknown) => e instanceof DomainError && e.code === 'UpdateOutOfSequence';

describe('update node', () => {
  it('at the version the client read: records the spec as it now is (a promotion gets a manager address)', async () => {
    const { store, nodes, stop } = await givenNodes({ ...activeSwarm(), ...worker('w1') });
    const { revision } = await store.readStream(Streams.node('w1'));
    assert.ok(typeof revision === 'number');
    const reply = await new UpdateNodeHandler(nodes).update({ context, nodeId: 'w1', version: revision, role: 'manager', availability: 'drain', labels: { a: 'b' } });
    const updated = (await thenEvents(store, Streams.node('w1'))).slice(1);
    assert.deepEqual(domainEvents(updated), [
      { type: 'NodeSpecUpdated', data: { nodeId: 'w1', clusterId: CLUSTER, role: 'manager', availability: 'drain', labels: { a: 'b' }, managerAddr: '192.0.2.3:2377' } },
    ]);
    assert.equal(reply.position, updated[0]?.position);
    await stop();
  });

  it('at another version: update out of sequence, nothing recorded', async () => {
    const { store, nodes, stop } = await givenNodes({ ...activeSwarm(), ...worker('w1') });
    const { revision } = await store.readStream(Streams.node('w1'));
    assert.ok(typeof revision === 'number');
    await assert.rejects(new UpdateNodeHandler(nodes).update({ context, nodeId: 'w1', version: revision - 1, role: 'worker', availability: 'pause', labels: {} }), outOfSequence);
    assert.equal((await thenEvents(store, Streams.node('w1'))).length, 1);
    await stop();
  });

  it('refuses to demote the last manager, and a node that does not exist', async () => {
    const { store, nodes, stop } = await givenNodes(activeSwarm());
    const { revision } = await store.readStream(Streams.node(MANAGER));
    assert.ok(typeof revision === 'number');
    const handler = new UpdateNodeHandler(nodes);
    await assert.rejects(handler.update({ context, nodeId: MANAGER, version: revision, role: 'worker', availability: 'active', labels: {} }), /demote the last manager/);
    await assert.rejects(handler.update({ context, nodeId: 'nobody', version: 1, role: 'worker', availability: 'active', labels: {} }), (e: unknown) => e instanceof DomainError && e.kind === 'NotFound');
    assert.equal((await thenEvents(store, Streams.node(MANAGER))).length, 1);
    await stop();
  });
});

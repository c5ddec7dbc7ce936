import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Streams } from '#contracts';
import { domainEvents, thenEvents } from '#testing';
import { activeSwarm, CLUSTER, givenNodes, MANAGER, specContext as context, worker } from '../projections/nodes.test-helper.js';
import { RemoveNodeHandler } from './remove-node.handler.js';

describe('remove node', () => {
  it('given a worker that is down, records its removal', async () => {
    const { store, nodes, stop } = await givenNodes({ ...activeSwarm(), ...worker('w1', 'down') });
    const reply = await new RemoveNodeHandler(nodes).remove({ context, nodeId: 'w1', force: false });
    const removed = (await thenEvents(store, Streams.node('w1'))).slice(2);
    assert.deepEqual(domainEvents(removed), [{ type: 'NodeRemoved', data: { nodeId: 'w1', clusterId: CLUSTER, force: false } }]);
    assert.equal(reply.position, removed[0]?.position);
    await stop();
  });

  it('removes a live worker only with force, a manager never, and answers not found for a node that is gone', async () => {
    const { store, nodes, stop } = await givenNodes({ ...activeSwarm(), ...worker('w1') });
    const handler = new RemoveNodeHandler(nodes);
    await assert.rejects(handler.remove({ context, nodeId: 'w1', force: false }), /is not down and can't be removed/);
    await assert.rejects(handler.remove({ context, nodeId: MANAGER, force: true }), /must be demoted to worker before removal/);
    await handler.remove({ context, nodeId: 'w1', force: true });
    await assert.rejects(handler.remove({ context, nodeId: 'w1', force: true }), (e: unknown) => e instanceof DomainError && e.kind === 'NotFound');
    assert.deepEqual((await thenEvents(store, Streams.node('w1'))).map((e) => e.type), ['NodeRegistered', 'NodeRemoved']);
    await stop();
  });
});

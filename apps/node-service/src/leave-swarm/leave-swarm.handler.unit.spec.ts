import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Streams } from '#contracts';
import { domainEvents, givenEvents, thenEvents } from '#testing';
import { activeSwarm, CLUSTER, MANAGER, specContext as context } from '../projections/nodes.test-helper.js';
import { LeaveSwarmHandler } from './leave-swarm.handler.js';

describe('leave swarm', () => {
  it('given an active swarm, the only manager leaves only with force', async () => {
    const store = await givenEvents(activeSwarm());
    const handler = new LeaveSwarmHandler(store);
    await assert.rejects(handler.leave({ context, force: false }), (e: unknown) => e instanceof DomainError && e.code === 'LeaveLastManager');
    assert.equal((await thenEvents(store, Streams.membership())).length, 2);
    const reply = await handler.leave({ context, force: true });
    const left = (await thenEvents(store, Streams.membership())).slice(2);
    assert.deepEqual(domainEvents(left), [{ type: 'SwarmLeft', data: { clusterId: CLUSTER, nodeId: MANAGER, force: true } }]);
    assert.equal(reply.position, left[0]?.position);
  });

  it('given no swarm, answers "not part of a swarm" and records nothing', async () => {
    const store = await givenEvents();
    await assert.rejects(new LeaveSwarmHandler(store).leave({ context, force: true }), (e: unknown) => e instanceof DomainError && e.code === 'NotPartOfSwarm');
    assert.deepEqual(await thenEvents(store, Streams.membership()), []);
  });
});

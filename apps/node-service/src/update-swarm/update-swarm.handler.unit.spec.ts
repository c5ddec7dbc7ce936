import { UnlockKeys } from '../autolock/unlock-keys.js';
import { KekHolder } from '#service-host';
import { givenEvents, standInRpc, testKek, thenEvents } from '#testing';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Streams, type UpdateSwarmRequest } from '#contracts';
import { activeSwarm, CLUSTER, specContext as context } from '../projections/nodes.test-helper.js';
import { UpdateSwarmHandler } from './update-swarm.handler.js';

const stream = Streams.cluster(CLUSTER);
const update = (version: number, extra: Partial<UpdateSwarmRequest> = {}): UpdateSwarmRequest => ({
  context, version, spec: { Labels: { env: 'spec' } }, rotateWorkerToken: false, rotateManagerToken: false, rotateManagerUnlockKey: false, ...extra,
});

const handlerFor = (store: Awaited<ReturnType<typeof givenEvents>>, rpc: ReturnType<typeof standInRpc>['rpc']): UpdateSwarmHandler =>
  new UpdateSwarmHandler(store, rpc, new UnlockKeys(store, KekHolder.fixed(testKek())));

describe('update swarm', () => {
  it('at the version the client read: records the new spec, then has the tokens rotated, caused by that event', async () => {
    const store = await givenEvents(activeSwarm());
    const { rpc, sent } = standInRpc({ 'tokens.rotate': () => ({ position: 1000 }) });
    const { revision } = await store.readStream(stream);
    assert.ok(typeof revision === 'number');
    const reply = await handlerFor(store, rpc).update(update(revision, { rotateWorkerToken: true }));
    const updated = (await thenEvents(store, stream)).at(-1);
    assert.ok(updated?.type === 'SwarmUpdated');
    assert.deepEqual([updated.data.spec.Labels, updated.data.rotateWorkerToken], [{ env: 'spec' }, true]);
    assert.deepEqual(sent, [{ subject: 'tokens.rotate', request: { context: { ...context, actor: 'service:node-service', causationId: updated.id }, clusterId: CLUSTER, roles: ['worker'], causationEventId: updated.id } }]);
    assert.equal(reply.position, 1000);
  });

  it('at a version that is not the current one: update out of sequence, nothing recorded, nothing rotated', async () => {
    const store = await givenEvents(activeSwarm());
    const { rpc, sent } = standInRpc({});
    const { revision } = await store.readStream(stream);
    assert.ok(typeof revision === 'number');
    await assert.rejects(handlerFor(store, rpc).update(update(revision + 1000)), (e: unknown) => e instanceof DomainError && e.code === 'UpdateOutOfSequence');
    assert.equal((await thenEvents(store, stream)).length, 1);
    assert.deepEqual(sent, []);
  });

  it('refuses a new name, and answers "not a manager" without a swarm', async () => {
    const store = await givenEvents(activeSwarm());
    const { revision } = await store.readStream(stream);
    assert.ok(typeof revision === 'number');
    const handler = handlerFor(store, standInRpc({}).rpc);
    await assert.rejects(handler.update(update(revision, { spec: { Name: 'renamed' } })), /modification of cluster name is not allowed/);
    await assert.rejects(handlerFor(await givenEvents(), standInRpc({}).rpc).update(update(1)), (e: unknown) => e instanceof DomainError && e.code === 'NotInSwarm');
  });
});

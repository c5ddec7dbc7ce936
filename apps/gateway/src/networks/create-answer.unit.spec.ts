/** `POST /networks/create` is decided and appended in the gateway, with no NATS request (decision 0021). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Streams } from '#contracts';
import { givenEvents, initializedIpamEvents, swarmInitStartedData, testKek, thenEvents } from '#testing';
import { NetworkSpaceCommands } from '#network-space';
import type { RpcClient } from '#rpc';
import { KekHolder } from '#service-host';
import type { FastifyRequest } from 'fastify';
import { ReadModelService } from '../read-model/read-model.service.js';
import { NetworksController } from './networks.controller.js';

const request = { headers: { 'content-type': 'application/json' }, id: 'corr-1', ip: '127.0.0.1', socket: {} } as unknown as FastifyRequest;

/** A gateway (read model, network space, controller) on a store holding an initialized swarm; NATS is never asked. */
async function gatewayOnAStore() {
  const store = await givenEvents({
    [Streams.membership()]: [
      { type: 'SwarmInitStarted', data: swarmInitStartedData({ initId: 'i1', clusterId: 'c1', nodeId: 'm1', ingressNetworkId: 'ing' }) },
      { type: 'SwarmInitCompleted', data: { initId: 'i1', clusterId: 'c1', nodeId: 'm1' } },
    ],
    [Streams.ipam('c1')]: initializedIpamEvents('c1', 'ing'),
  });
  let subscriptions = 0;
  const subscribeAll = store.subscribeAll.bind(store);
  store.subscribeAll = (...args: Parameters<typeof subscribeAll>) => {
    subscriptions++;
    return subscribeAll(...args);
  };
  // As GatewayModule wires them: the network spaces come with the read model's subscription.
  const readModel = new ReadModelService(store, KekHolder.fixed(testKek()));
  const networkSpace = new NetworkSpaceCommands(store, readModel.networkSpaces);
  await readModel.onModuleInit();
  await networkSpace.onModuleInit();
  assert.equal(subscriptions, 1, 'one subscription feeds the read model and the network spaces');
  const rpc = { request: () => Promise.reject(new Error('a create asks no other service')) } as unknown as RpcClient;
  const controller = new NetworksController(readModel, rpc, networkSpace);
  const stop = async () => {
    await networkSpace.onApplicationShutdown();
    await readModel.onApplicationShutdown();
  };
  return { store, readModel, controller, stop };
}

describe('network create in the gateway', () => {
  it('appends the NetworkCreated event itself and answers once its read model shows the network', async () => {
    const { store, readModel, controller, stop } = await gatewayOnAStore();
    const answer = await controller.create(request, { Name: 'web', Driver: 'overlay' });
    const created = (await thenEvents(store, Streams.ipam('c1'))).at(-1);
    assert.equal(created?.type, 'NetworkCreated');
    assert.deepEqual(created?.type === 'NetworkCreated' && [created.data.networkId, created.data.name, created.data.subnet], [answer.Id, 'web', '10.0.1.0/24']);
    assert.equal(created?.metadata.correlationId, 'corr-1');
    assert.equal(readModel.model.networks.get(answer.Id)?.data.name, 'web');
    await stop();
  });

  it('takes the lowest free subnets for creates sent together, each with its own answer', async () => {
    const { controller, readModel, stop } = await gatewayOnAStore();
    const answers = await Promise.all(['a', 'b', 'c'].map((Name) => controller.create(request, { Name, Driver: 'overlay' })));
    assert.deepEqual(answers.map((a) => readModel.model.networks.get(a.Id)?.data.subnet), ['10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24']);
    await stop();
  });

  it('refuses a taken name with the Engine\'s error and leaves no event', async () => {
    const { store, controller, stop } = await gatewayOnAStore();
    await controller.create(request, { Name: 'web', Driver: 'overlay', CheckDuplicate: true });
    const before = (await store.readStream(Streams.ipam('c1'))).events.length;
    await assert.rejects(
      controller.create(request, { Name: 'web', Driver: 'overlay', CheckDuplicate: true }),
      (e: unknown) => e instanceof DomainError && e.message === 'network with name web already exists',
    );
    assert.equal((await store.readStream(Streams.ipam('c1'))).events.length, before);
    await stop();
  });
});

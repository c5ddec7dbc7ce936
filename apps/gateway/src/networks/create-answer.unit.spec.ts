/** `POST /networks/create` answers when the read model shows the network, not after ipam-service's reply (decision 0016). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Streams, type CreateNetworkRequest } from '#contracts';
import { givenEvents, newEventOf, swarmInitStartedData, testKek } from '#testing';
import type { RpcClient } from '#rpc';
import type { FastifyRequest } from 'fastify';
import { ReadModelService } from '../read-model/read-model.service.js';
import { NetworksController } from './networks.controller.js';
import { KekHolder } from '#service-host';

const request = { headers: { 'content-type': 'application/json' }, id: 'corr-1', ip: '127.0.0.1', socket: {} } as unknown as FastifyRequest;

async function gatewayOnAStore(rpc: (create: CreateNetworkRequest) => Promise<unknown>) {
  const store = await givenEvents({
    [Streams.membership()]: [
      { type: 'SwarmInitStarted', data: swarmInitStartedData({ initId: 'i1', clusterId: 'c1', nodeId: 'm1', ingressNetworkId: 'ing' }) },
      { type: 'SwarmInitCompleted', data: { initId: 'i1', clusterId: 'c1', nodeId: 'm1' } },
    ],
  });
  const readModel = new ReadModelService(store, KekHolder.fixed(testKek()));
  await readModel.onModuleInit();
  const controller = new NetworksController(readModel, { request: (_subject: string, create: CreateNetworkRequest) => rpc(create) } as unknown as RpcClient);
  return { store, readModel, controller };
}

describe('network create, the answer', () => {
  it('comes once the read model shows the network, the ID the gateway picked, even before the reply', async () => {
    let sent: CreateNetworkRequest | undefined;
    const { store, readModel, controller } = await gatewayOnAStore(async (create) => {
      sent = create;
      const { networkId = '', context, clusterId, ...rest } = create;
      await store.append(Streams.ipam(clusterId), [newEventOf({
        type: 'NetworkCreated',
        data: { ...rest, networkId, clusterId, driver: 'overlay', subnet: '10.0.1.0/24', gateway: '10.0.1.1', explicitSubnet: false, vxlanId: 4097, createdAt: '2026-01-01T00:00:00Z' },
      })], 'any');
      void context;
      return new Promise(() => undefined); // the reply never comes
    });
    const answer = await controller.create(request, { Name: 'web', Driver: 'overlay' });
    assert.ok(sent?.networkId);
    assert.equal(answer.Id, sent.networkId);
    assert.equal(readModel.model.networks.get(answer.Id)?.data.name, 'web');
    await readModel.onApplicationShutdown();
  });

  it('is the refusal the reply brings, when the network never shows', async () => {
    const { readModel, controller } = await gatewayOnAStore(async () => {
      throw new DomainError({ code: 'NetworkNameTaken', kind: 'Conflict', message: 'network with name web already exists' });
    });
    await assert.rejects(controller.create(request, { Name: 'web', Driver: 'overlay' }), (e: unknown) => e instanceof DomainError && e.code === 'NetworkNameTaken');
    await readModel.onApplicationShutdown();
  });
});

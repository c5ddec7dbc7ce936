import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, type EventData } from '#contracts';
import { recordedEvent, swarmInitStartedData } from '#testing';
import type { RpcClient } from '#rpc';
import type { NetworkSpaceCommands } from '#network-space';
import { ReadModelService } from '../read-model/read-model.service.js';
import { SwarmReadModel } from '../read-model/swarm-read-model.js';
import { NetworksController } from './networks.controller.js';

let position = 0;
const at = () => ({ position: ++position, time: '2026-11-27T00:00:00Z' });

const network: EventData<'NetworkCreated'> = {
  networkId: 'n1net', clusterId: 'c1', name: 'late', driver: 'overlay', ingress: false, internal: false, attachable: false,
  labels: {}, options: {}, subnet: '10.0.1.0/24', gateway: '10.0.1.1', explicitSubnet: false, vxlanId: 4097, createdAt: '2026-11-27T00:00:00Z',
};

/**
 * A gateway replica whose model lags: the network created through another replica reaches it only
 * when it reads up to the head of the log (`readToHead`, which the real service does against the store).
 */
function laggingReplica(logHasNetwork: boolean) {
  const model = new SwarmReadModel(() => '');
  model.apply(recordedEvent({ type: 'SwarmInitStarted', data: swarmInitStartedData({ initId: 'i1', clusterId: 'c1', nodeId: 'm1', ingressNetworkId: 'ing' }) }, at()));
  model.apply(recordedEvent({ type: 'SwarmInitCompleted', data: { initId: 'i1', clusterId: 'c1', nodeId: 'm1' } }, at()));
  let readsToHead = 0;
  // The service's own findAtHead, over a stand-in for its model and for the read to the head.
  const readModel = Object.assign(Object.create(ReadModelService.prototype) as ReadModelService, {
    model,
    readToHead: async () => {
      readsToHead++;
      if (!logHasNetwork || model.networks.has(network.networkId)) return false;
      model.apply(recordedEvent({ type: 'NetworkCreated', data: network }, at()));
      return true;
    },
    waitFor: async () => undefined,
  });
  const rpc = { request: async () => ({ position }) };
  const controller = new NetworksController(readModel, rpc as unknown as RpcClient, {} as NetworkSpaceCommands);
  return { controller, readsToHead: () => readsToHead };
}

describe('NetworksController on a replica behind the log', () => {
  it('finds a network created a moment ago through another replica by reading to the head', async () => {
    const { controller, readsToHead } = laggingReplica(true);
    const inspected = await controller.inspect('late');
    assert.equal(inspected.Id, network.networkId);
    assert.equal(readsToHead(), 1);
    assert.equal((await controller.inspect('n1net')).Name, 'late');
    assert.equal(readsToHead(), 1, 'a network the model has costs no read');
  });

  it('answers not found once the head does not have it either', async () => {
    const { controller } = laggingReplica(false);
    await assert.rejects(controller.inspect('nope'), (error: unknown) => error instanceof DomainError && /network nope not found/.test(error.message));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Streams } from '#contracts';
import { domainEvents, thenEvents } from '#testing';
import { givenIpam, initialized, specContext as context } from '../network-space/ipam.test-helper.js';
import { RemoveNetworkHandler } from './remove-network.handler.js';

describe('remove network', () => {
  it('given a network, records its removal (its subnet and VXLAN ID are free again)', async () => {
    const { store, commands, stop } = await givenIpam('c1', initialized('c1'));
    const reply = await new RemoveNetworkHandler(commands).remove({ context, clusterId: 'c1', networkId: 'c1-ingress' });
    const removed = (await thenEvents(store, Streams.ipam('c1'))).at(-1);
    assert.deepEqual(domainEvents(removed ? [removed] : []), [{ type: 'NetworkRemoved', data: { networkId: 'c1-ingress', clusterId: 'c1', name: 'ingress' } }]);
    assert.equal(reply.position, removed?.position);
    assert.equal(commands.spaceOf('c1').networks.has('c1-ingress'), false);
    await stop();
  });

  it('answers not found for a network that does not exist (or no longer does), recording nothing', async () => {
    const { store, commands, stop } = await givenIpam('c1', initialized('c1'));
    const handler = new RemoveNetworkHandler(commands);
    await handler.remove({ context, clusterId: 'c1', networkId: 'c1-ingress' });
    const before = (await thenEvents(store, Streams.ipam('c1'))).length;
    for (const networkId of ['c1-ingress', 'never-was']) {
      await assert.rejects(handler.remove({ context, clusterId: 'c1', networkId }), (e: unknown) => e instanceof DomainError && e.kind === 'NotFound');
    }
    assert.equal((await thenEvents(store, Streams.ipam('c1'))).length, before);
    await stop();
  });
});

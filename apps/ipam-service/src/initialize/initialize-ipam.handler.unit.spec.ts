import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Streams } from '#contracts';
import { domainEvents, thenEvents } from '#testing';
import { givenIpam, specContext as context } from '../network-space/ipam.test-helper.js';
import { InitializeIpamHandler } from './initialize-ipam.handler.js';

const request = (clusterId: string, pools: string[], subnetSize: number) =>
  ({ context, clusterId, pools, subnetSize, ingressNetworkId: `${clusterId}-ingress`, createdAt: '2026-01-01T00:00:00Z' });

describe('initialize ipam', () => {
  it('given a new swarm, records its pools, then its ingress network on the first subnet', async () => {
    const { store, commands, stop } = await givenIpam('c1', []);
    const reply = await new InitializeIpamHandler(commands).initialize(request('c1', ['10.20.0.0/16'], 26));
    const events = await thenEvents(store, Streams.ipam('c1'));
    assert.deepEqual(domainEvents(events).slice(0, 1), [{ type: 'AddressPoolsConfigured', data: { clusterId: 'c1', pools: ['10.20.0.0/16'], subnetSize: 26 } }]);
    const ingress = events[1];
    assert.ok(ingress?.type === 'NetworkCreated');
    assert.deepEqual([ingress.data.name, ingress.data.ingress, ingress.data.subnet, ingress.data.networkId], ['ingress', true, '10.20.0.0/26', 'c1-ingress']);
    assert.equal(reply.position, ingress.position);
    await stop();
  });

  it('completes what is missing when retried, and records nothing when all is there', async () => {
    const { store, commands, stop } = await givenIpam('c2', []);
    const handler = new InitializeIpamHandler(commands);
    const first = await handler.initialize(request('c2', [], 24));
    const again = await handler.initialize(request('c2', [], 24));
    assert.equal((await thenEvents(store, Streams.ipam('c2'))).length, 2);
    assert.ok(again.position <= first.position);
    await stop();
  });

  it('refuses a subnet size its pool cannot hold, and records nothing', async () => {
    const { store, commands, stop } = await givenIpam('c3', []);
    await assert.rejects(new InitializeIpamHandler(commands).initialize(request('c3', ['10.0.0.0/8'], 4)), (e: unknown) => e instanceof DomainError && /too small/.test(e.message));
    assert.deepEqual(await thenEvents(store, Streams.ipam('c3')), []);
    await stop();
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Streams, type CreateNetworkRequest } from '#contracts';
import { thenEvents } from '#testing';
import { givenIpam, initialized, specContext as context } from '../network-space/ipam.test-helper.js';
import { CreateNetworkHandler } from './create-network.handler.js';

const request = (name: string, extra: Partial<CreateNetworkRequest> = {}): CreateNetworkRequest => ({
  context, clusterId: 'c1', name, ingress: false, internal: false, attachable: false, labels: {}, options: {}, ...extra,
});

describe('create network', () => {
  it('given the ingress on 10.0.0.0/24, gives the next network the lowest free subnet and a new VXLAN ID', async () => {
    const { store, commands, stop } = await givenIpam('c1', initialized('c1'));
    const given = (await thenEvents(store, Streams.ipam('c1'))).length;
    const reply = await new CreateNetworkHandler(commands).create(request('web', { labels: { tier: 'front' } }));
    const [created, ...more] = (await thenEvents(store, Streams.ipam('c1'))).slice(given);
    assert.equal(more.length, 0);
    assert.ok(created?.type === 'NetworkCreated');
    assert.deepEqual(
      [created.data.networkId, created.data.name, created.data.subnet, created.data.gateway, created.data.labels, created.data.explicitSubnet],
      [reply.networkId, 'web', '10.0.1.0/24', '10.0.1.1', { tier: 'front' }, false],
    );
    assert.notEqual(created.data.vxlanId, 4096);
    await stop();
  });

  it('refuses a name that is taken, a predefined name and a subnet that overlaps, recording nothing', async () => {
    const { store, commands, stop } = await givenIpam('c1', initialized('c1'));
    const handler = new CreateNetworkHandler(commands);
    await handler.create(request('web'));
    const before = (await thenEvents(store, Streams.ipam('c1'))).length;
    await assert.rejects(handler.create(request('web')), (e: unknown) => e instanceof DomainError && e.code === 'NetworkNameTaken');
    await assert.rejects(handler.create(request('bridge')), (e: unknown) => e instanceof DomainError && e.code === 'PredefinedNetwork');
    await assert.rejects(handler.create(request('other', { subnet: '10.0.0.0/16' })), DomainError);
    assert.equal((await thenEvents(store, Streams.ipam('c1'))).length, before);
    await stop();
  });

  it('gives concurrent creates distinct subnets (one at a time per cluster in a replica)', async () => {
    const { store, commands, stop } = await givenIpam('c1', initialized('c1'));
    const handler = new CreateNetworkHandler(commands);
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => handler.create(request(name))));
    const subnets = (await thenEvents(store, Streams.ipam('c1'))).flatMap((e) => (e.type === 'NetworkCreated' ? [e.data.subnet] : []));
    assert.deepEqual([...subnets].sort(), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24', '10.0.4.0/24']);
    await stop();
  });
});

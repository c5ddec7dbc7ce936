import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Streams, type CreateNetworkRequest, type NetworkSpaceEvent } from '#contracts';
import { givenEvents, initializedIpamEvents, thenEvents } from '#testing';
import { NetworkSpaceCommands } from './network-space.commands.js';

const context = { correlationId: 'spec', actor: 'user:spec' };
const request = (name: string, extra: Partial<CreateNetworkRequest> = {}): CreateNetworkRequest => ({
  context, clusterId: 'c1', name, ingress: false, internal: false, attachable: false, labels: {}, options: {}, ...extra,
});

/** NetworkSpaceCommands on its own subscription, over a store holding `events` in cluster c1's ipam stream. */
async function givenIpam(events: readonly NetworkSpaceEvent[]) {
  const store = await givenEvents({ [Streams.ipam('c1')]: events });
  const commands = new NetworkSpaceCommands(store);
  await commands.onModuleInit();
  return { store, commands, stop: () => commands.onApplicationShutdown() };
}

describe('NetworkSpaceCommands.create', () => {
  it('given the ingress on 10.0.0.0/24, gives the next network the lowest free subnet and a new VXLAN ID', async () => {
    const { store, commands, stop } = await givenIpam(initializedIpamEvents('c1'));
    const given = (await thenEvents(store, Streams.ipam('c1'))).length;
    const reply = await commands.create(request('web', { labels: { tier: 'front' } }));
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
    const { store, commands, stop } = await givenIpam(initializedIpamEvents('c1'));
    await commands.create(request('web'));
    const before = (await thenEvents(store, Streams.ipam('c1'))).length;
    await assert.rejects(commands.create(request('web')), (e: unknown) => e instanceof DomainError && e.code === 'NetworkNameTaken');
    await assert.rejects(commands.create(request('bridge')), (e: unknown) => e instanceof DomainError && e.code === 'PredefinedNetwork');
    await assert.rejects(commands.create(request('other', { subnet: '10.0.0.0/16' })), DomainError);
    assert.equal((await thenEvents(store, Streams.ipam('c1'))).length, before);
    await stop();
  });

  it('gives concurrent creates distinct subnets (one at a time per cluster in a replica)', async () => {
    const { store, commands, stop } = await givenIpam(initializedIpamEvents('c1'));
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => commands.create(request(name))));
    const subnets = (await thenEvents(store, Streams.ipam('c1'))).flatMap((e) => (e.type === 'NetworkCreated' ? [e.data.subnet] : []));
    assert.deepEqual([...subnets].sort(), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24', '10.0.4.0/24']);
    await stop();
  });

  it('group-commits the creates queued at a turn: one append for them, each answered from its own decision', async () => {
    const { store, commands, stop } = await givenIpam(initializedIpamEvents('c1'));
    const appends: number[] = [];
    const append = store.append.bind(store);
    store.append = (stream, events, expected) => {
      appends.push(events.length);
      return append(stream, events, expected);
    };
    const names = ['a', 'b', 'c', 'a', 'd', 'e'];
    const replies = await Promise.allSettled(names.map((name) => commands.create(request(name))));
    // All six were queued before the lane's turn began: one batch, one append (the second 'a' refused).
    assert.deepEqual(appends, [5]);
    assert.deepEqual(replies.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const refused = replies[3];
    assert.ok(refused?.status === 'rejected' && refused.reason instanceof DomainError && refused.reason.code === 'NetworkNameTaken');
    const created = (await thenEvents(store, Streams.ipam('c1'))).flatMap((e) => (e.type === 'NetworkCreated' ? [[e.data.networkId, e.data.name, e.data.subnet]] : []));
    const ids = replies.map((r) => (r.status === 'fulfilled' ? r.value.networkId : undefined));
    assert.deepEqual(created.slice(1), [
      [ids[0], 'a', '10.0.1.0/24'], [ids[1], 'b', '10.0.2.0/24'], [ids[2], 'c', '10.0.3.0/24'], [ids[4], 'd', '10.0.4.0/24'], [ids[5], 'e', '10.0.5.0/24'],
    ]);
    // Two more, the second sent while the first is being decided: they go together.
    await Promise.all([commands.create(request('x')), Promise.resolve().then(() => commands.create(request('y')))]);
    assert.deepEqual(appends, [5, 2]);
    await stop();
  });
});

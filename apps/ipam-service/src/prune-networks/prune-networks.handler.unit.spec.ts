import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Streams } from '#contracts';
import { thenEvents } from '#testing';
import { givenIpam, initialized, specContext as context } from '../network-space/ipam.test-helper.js';
import { PruneNetworksHandler } from './prune-networks.handler.js';

describe('prune networks', () => {
  it('removes those of the given networks that exist, never the ingress, and names them', async () => {
    const { store, commands, stop } = await givenIpam('c1', initialized('c1'));
    const base = { context, clusterId: 'c1', ingress: false, internal: false, attachable: false, labels: {}, options: {} };
    const a = await commands.create({ ...base, name: 'a' });
    const b = await commands.create({ ...base, name: 'b' });
    await commands.create({ ...base, name: 'kept' });
    const reply = await new PruneNetworksHandler(commands).prune({ context, clusterId: 'c1', networkIds: [a.networkId, 'c1-ingress', b.networkId, 'gone'] });
    assert.deepEqual(reply.removed, ['a', 'b']);
    const removed = (await thenEvents(store, Streams.ipam('c1'))).flatMap((e) => (e.type === 'NetworkRemoved' ? [e.data.name] : []));
    assert.deepEqual(removed, ['a', 'b']);
    assert.ok(reply.position > b.position);
    await stop();
  });
});

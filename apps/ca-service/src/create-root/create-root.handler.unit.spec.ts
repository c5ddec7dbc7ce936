import { KekHolder } from '#service-host';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Streams } from '#contracts';
import { givenEvents, testKek, thenEvents } from '#testing';
import { CreateRootHandler } from './create-root.handler.js';

const context = { correlationId: 'spec', actor: 'user:spec' };
const stream = Streams.ca('cluster-1');

describe('create root CA', () => {
  it('given no CA, records one with its key sealed and answers with its certificate and digest', async () => {
    const store = await givenEvents();
    const reply = await new CreateRootHandler(store, KekHolder.fixed(testKek())).createRoot({ context, clusterId: 'cluster-1' });
    const events = await thenEvents(store, stream);
    assert.deepEqual(events.map((e) => e.type), ['RootCaCreated']);
    const recorded = JSON.stringify(events[0]?.data);
    assert.ok(recorded.includes(JSON.stringify(reply.certPem)) && recorded.includes(reply.caDigest));
    assert.ok(!recorded.includes('PRIVATE KEY'), 'the private key is sealed, never plaintext');
    assert.ok(reply.position > 0);
  });

  it('given a CA, records nothing and answers with the first one (a retried init)', async () => {
    const store = await givenEvents();
    const handler = new CreateRootHandler(store, KekHolder.fixed(testKek()));
    const first = await handler.createRoot({ context, clusterId: 'cluster-1' });
    const again = await handler.createRoot({ context, clusterId: 'cluster-1' });
    assert.deepEqual(again, first);
    assert.equal((await thenEvents(store, stream)).length, 1);
  });

  it('keeps one CA when two replicas create it at once', async () => {
    const store = await givenEvents();
    const kek = testKek();
    const [a, b] = await Promise.all([
      new CreateRootHandler(store, KekHolder.fixed(kek)).createRoot({ context, clusterId: 'cluster-1' }),
      new CreateRootHandler(store, KekHolder.fixed(kek)).createRoot({ context, clusterId: 'cluster-1' }),
    ]);
    assert.equal(a.certPem, b.certPem);
    assert.equal((await thenEvents(store, stream)).length, 1);
  });
});

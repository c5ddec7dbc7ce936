/** The bulk reader under readAll: batches, ranges, and starting over when its consumer is lost. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '#testing';

import { newEvent, uniqueStream } from '../contract/helpers.js';
import { bulkRead } from './bulk-read.js';
import { JetStreamEventStore } from './jetstream-event-store.js';
import { AckedPublisher } from './acked-publish.js';
import { resolveOptions, type JetStreamContext } from './options.js';

const STREAM = 'BULK_TEST';
const EVENTS = 250;

describe('bulkRead', () => {
  let server: NatsServerHandle;
  let store: JetStreamEventStore;
  let nc: NatsConnection;
  let ctx: JetStreamContext;

  before(async () => {
    server = await startNatsServer();
    store = await JetStreamEventStore.connect({ servers: server.url, streamName: STREAM });
    const stream = uniqueStream();
    for (let i = 0; i < EVENTS; i++) await store.append(stream, [newEvent('Bulk', { i })], 'any');
    nc = await connect({ servers: server.url });
    ctx = { ...resolveOptions({ streamName: STREAM }), branches: new Set(), replicas: 1, nc, jsm: await jetstreamManager(nc), js: jetstream(nc), publisher: new AckedPublisher(nc, 5_000) };
  });
  after(async () => {
    await nc.close();
    await store.close();
    await server.stop();
  });

  it('returns every message of a range once, in order, across many small batches', async () => {
    const seqs: number[] = [];
    for await (const batch of bulkRead(ctx, { startSeq: 11, endSeq: 200, batch: 7 })) seqs.push(...batch.map((m) => m.seq));
    assert.deepEqual(seqs, Array.from({ length: 190 }, (_, i) => i + 11));
    const consumers = await ctx.jsm.consumers.list(STREAM).next();
    assert.equal(consumers.length, 0, 'its consumer is deleted afterwards');
  });

  it('ends at the end of the stream when endSeq lies beyond it', async () => {
    let count = 0;
    for await (const batch of bulkRead(ctx, { startSeq: 240, endSeq: 10_000, batch: 4 })) count += batch.length;
    assert.equal(count, EVENTS - 239);
  });

  it('starts over after the last message it returned when its consumer disappears', async () => {
    const seqs: number[] = [];
    let deleted = false;
    for await (const batch of bulkRead(ctx, { startSeq: 1, endSeq: EVENTS, batch: 10, stallMs: 500 })) {
      seqs.push(...batch.map((m) => m.seq));
      if (!deleted && seqs.length >= 35) {
        deleted = true;
        for (const info of await ctx.jsm.consumers.list(STREAM).next()) await ctx.jsm.consumers.delete(STREAM, info.name);
      }
    }
    assert.ok(deleted);
    assert.deepEqual(seqs, Array.from({ length: EVENTS }, (_, i) => i + 1));
  });
});

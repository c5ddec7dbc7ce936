/** Group commit on JetStream (decision 0016): a multi-event append published at once, chained by last message id. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startNatsServer, type NatsServerHandle } from '#testing';
import { newEvent, uniqueStream } from '../contract/helpers.js';
import { WrongExpectedRevisionError } from '../port.js';
import { JetStreamEventStore } from './jetstream-event-store.js';

describe('JetStream multi-event append (pipelined)', () => {
  let server: NatsServerHandle;
  let store: JetStreamEventStore;
  let other: JetStreamEventStore;

  before(async () => {
    server = await startNatsServer();
    store = await JetStreamEventStore.connect({ servers: server.url, streamName: 'ES_PIPE', subjectPrefix: 'swarm.ev' });
    // Another connection: its publishes may land between ours.
    other = await JetStreamEventStore.connect({ servers: server.url, streamName: 'ES_PIPE', subjectPrefix: 'swarm.ev' });
  });
  after(async () => {
    await store.close();
    await other.close();
    await server.stop();
  });

  it('stores every event of the append, in order, each right after the one before on its stream', async () => {
    const stream = uniqueStream();
    const events = Array.from({ length: 64 }, (_, n) => newEvent('Tested', { n }));
    const result = await store.append(stream, events, 'no_stream');
    const stored = await store.readStream(stream);
    assert.deepEqual(stored.events.map((e) => e.id), events.map((e) => e.id));
    assert.equal(result.position, stored.events.at(-1)?.position);
    assert.equal(stored.revision, result.nextExpectedRevision);
  });

  it('stores nothing when the first event meets a conflict (the later ones expect it as the last message)', async () => {
    const stream = uniqueStream();
    await store.append(stream, [newEvent()], 'no_stream');
    await assert.rejects(store.append(stream, Array.from({ length: 16 }, () => newEvent()), 'no_stream'), WrongExpectedRevisionError);
    assert.equal((await store.readStream(stream)).events.length, 1);
    const head = await store.headPosition();
    await assert.rejects(store.append(stream, [newEvent(), newEvent()], 1), WrongExpectedRevisionError);
    assert.equal(await store.headPosition(), head);
  });

  it('completes an append that writers of other streams interleave with, still in order and contiguous on its stream', async () => {
    const streams = Array.from({ length: 8 }, () => uniqueStream('batch'));
    const batches = streams.map(() => Array.from({ length: 32 }, (_, n) => newEvent('Tested', { n })));
    const noise = Array.from({ length: 200 }, () => other.append(uniqueStream('noise'), [newEvent()], 'no_stream'));
    await Promise.all([...streams.map((stream, i) => store.append(stream, batches[i]!, 'no_stream')), ...noise]);
    for (const [i, stream] of streams.entries()) {
      assert.deepEqual((await store.readStream(stream)).events.map((e) => e.id), batches[i]!.map((e) => e.id));
    }
  });
});

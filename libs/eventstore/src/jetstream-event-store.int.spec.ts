/** JetStream-specific behaviour beyond the shared contract. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '#testing';

import { deferred, newEvent, uniqueStream, within } from './contract-helpers.js';
import { DuplicateEventIdError, JetStreamEventStore } from './jetstream/index.js';
import { WrongExpectedRevisionError, type RecordedEvent } from './port.js';

describe('JetStreamEventStore', () => {
  let server: NatsServerHandle;
  let store: JetStreamEventStore;

  before(async () => {
    server = await startNatsServer();
    store = await JetStreamEventStore.connect({ servers: server.url, streamName: 'ES_TEST', subjectPrefix: 'swarm.ev' });
  });
  after(async () => {
    await store.close();
    await server.stop();
  });

  it('stores one message per event on <prefix>.<stream>, id in Nats-Msg-Id, revision = position = sequence', async () => {
    const stream = uniqueStream();
    const event = newEvent('Stored', { a: 1 }, { time: '2026-01-02T03:04:05.000000006Z' });
    const result = await store.append(stream, [event], 'no_stream');
    assert.equal(result.position, result.nextExpectedRevision);
    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      const msg = await jsm.streams.getMessage('ES_TEST', { seq: result.position });
      assert.equal(msg?.subject, `swarm.ev.${stream}`);
      assert.equal(msg?.header.get('Nats-Msg-Id'), event.id);
      assert.equal(msg?.header.get('Es-Event-Type'), 'Stored');
      assert.deepEqual(msg?.json(), {
        id: event.id,
        type: 'Stored',
        schemaVersion: 1,
        data: { a: 1 },
        metadata: event.metadata,
        time: event.time,
      });
    } finally {
      await nc.close();
    }
  });

  it('reports the actual revision of a conflict', async () => {
    const stream = uniqueStream();
    const r1 = await store.append(stream, [newEvent()], 'no_stream');
    await assert.rejects(store.append(stream, [newEvent()], 'no_stream'), (err: unknown) => {
      assert.ok(err instanceof WrongExpectedRevisionError);
      assert.equal(err.actual, r1.nextExpectedRevision);
      return true;
    });
    await assert.rejects(store.append(uniqueStream(), [newEvent()], 5), (err: unknown) => {
      assert.ok(err instanceof WrongExpectedRevisionError);
      assert.equal(err.actual, 'no_stream');
      return true;
    });
  });

  it('normalizes given times to UTC with 9 digits and rejects bad ones', async () => {
    const stream = uniqueStream();
    await store.append(stream, [newEvent('T', {}, { time: '2026-01-01T00:30:00.5+01:00' })], 'any');
    assert.equal((await store.readStream(stream)).events[0]?.time, '2025-12-31T23:30:00.500000000Z');
    await assert.rejects(store.append(stream, [newEvent('T', {}, { time: 'yesterday' })], 'any'), TypeError);
  });

  it('rejects empty appends, bad revisions and an event id reused on another stream', async () => {
    await assert.rejects(store.append(uniqueStream(), [], 'any'), RangeError);
    await assert.rejects(store.append(uniqueStream(), [newEvent()], -1), RangeError);
    const event = newEvent();
    await store.append(uniqueStream(), [event], 'any');
    await assert.rejects(store.append(uniqueStream(), [event], 'any'), DuplicateEventIdError);
  });

  it('reads a small stream in a few milliseconds', async (t) => {
    const stream = uniqueStream();
    await store.append(stream, [newEvent(), newEvent(), newEvent()], 'no_stream');
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      assert.equal((await store.readStream(stream)).events.length, 3);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const median = times[15] ?? Infinity;
    t.diagnostic(`readStream of 3 events: median ${median.toFixed(2)} ms, max ${times.at(-1)?.toFixed(2)} ms`);
    assert.ok(median < 20, `median ${median} ms`);
  });

  it('reads streams of any length completely, interleaved with other streams', async () => {
    for (const length of [1, 7, 8, 9, 40]) {
      const stream = uniqueStream(`len${length}`);
      const ids: string[] = [];
      let revision: number | 'no_stream' = 'no_stream';
      for (let i = 0; i < length; i++) {
        const event = newEvent('Long', { i });
        ids.push(event.id);
        revision = (await store.append(stream, [event], revision)).nextExpectedRevision;
        await store.append(uniqueStream('noise'), [newEvent()], 'any');
      }
      const read = await store.readStream(stream);
      assert.deepEqual(read.events.map((e) => e.id), ids, `length ${length}`);
      assert.equal(read.revision, revision);
    }
  });

  it('delivers every position without a gap and survives a deleted consumer', async () => {
    const received: RecordedEvent[] = [];
    let waiting: { position: number; done: () => void } | undefined;
    const reach = (position: number): Promise<void> => {
      if ((received.at(-1)?.position ?? 0) >= position) return Promise.resolve();
      const d = deferred();
      waiting = { position, done: d.resolve };
      return within(d.promise, 20_000, `position ${position}`);
    };
    const subscription = store.subscribeAll({ afterPosition: 0 }, (event) => {
      received.push(event);
      if (waiting && event.position >= waiting.position) waiting.done();
    });
    const stream = uniqueStream();
    await reach((await store.append(stream, [newEvent()], 'any')).position);

    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      const consumers = await jsm.consumers.list('ES_TEST').next();
      assert.ok(consumers.length >= 1);
      for (const c of consumers) await jsm.consumers.delete('ES_TEST', c.name);
    } finally {
      await nc.close();
    }
    let last = 0;
    for (let i = 0; i < 5; i++) last = (await store.append(stream, [newEvent()], 'any')).position;
    await reach(last);
    await subscription.stop();
    assert.deepEqual(
      received.map((e) => e.position),
      Array.from({ length: last }, (_, i) => i + 1),
    );
  });

  it('stops a subscription whose handler throws and reports the error', async () => {
    const failure = deferred<unknown>();
    const boom = new Error('boom');
    const calls: number[] = [];
    const subscription = store.subscribeAll({ afterPosition: 0, onError: failure.resolve }, (event) => {
      calls.push(event.position);
      throw boom;
    });
    await store.append(uniqueStream(), [newEvent()], 'any');
    assert.equal(await within(failure.promise, 10_000, 'onError'), boom);
    await subscription.stop();
    assert.equal(calls.length, 1);
  });
});

describe('JetStreamEventStore setup and connections', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });
  after(async () => {
    await nc.close();
    await server.stop();
  });

  it('shares a connection without closing it', async () => {
    const shared = await JetStreamEventStore.fromConnection(nc, { streamName: 'SHARED', subjectPrefix: 'shared' });
    const caught = deferred<number>();
    shared.subscribeAll({ afterPosition: 0, onCaughtUp: caught.resolve }, () => {});
    await within(caught.promise, 10_000, 'onCaughtUp on an empty store');
    assert.equal(await caught.promise, 0);
    await shared.append('one', [newEvent()], 'no_stream');
    await shared.close();
    assert.equal(nc.isClosed(), false);
    await assert.rejects(shared.readStream('one'), /closed/);
    const again = await JetStreamEventStore.fromConnection(nc, { streamName: 'SHARED', subjectPrefix: 'shared' });
    assert.equal((await again.readStream('one')).events.length, 1);
    await again.close();
  });

  it('updates an existing stream and refuses to change its storage', async () => {
    const first = await JetStreamEventStore.fromConnection(nc, { streamName: 'SETUP', subjectPrefix: 'setup', duplicateWindowMs: 60_000 });
    await first.close();
    const second = await JetStreamEventStore.fromConnection(nc, { streamName: 'SETUP', subjectPrefix: 'setup', duplicateWindowMs: 120_000 });
    await second.close();
    const jsm = await jetstreamManager(nc);
    assert.equal((await jsm.streams.info('SETUP')).config.duplicate_window, 120_000 * 1_000_000);
    await assert.rejects(JetStreamEventStore.fromConnection(nc, { streamName: 'SETUP', subjectPrefix: 'setup', storage: 'memory' }), /storage/);
    await assert.rejects(JetStreamEventStore.fromConnection(nc, { streamName: 'bad.name' }), TypeError);
  });
});

/** JetStream-specific behaviour beyond the shared contract. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '#testing';

import { deferred, newEvent, uniqueStream, within } from './contract/helpers.js';
import { DuplicateEventIdError, JetStreamEventStore } from './jetstream/index.js';
import { InvalidEventError } from './new-event.js';
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

  it('refuses a batch holding one event that does not match its schema, and writes none of it', async () => {
    const stream = uniqueStream();
    const head = await store.headPosition();
    const good = newEvent('T');
    const poison = newEvent('NetworkCreated', { networkId: 'x1', clusterId: 'c1', name: 5, labels: ['a'] });
    await assert.rejects(store.append(stream, [good, poison], 'no_stream'), (err: unknown) => {
      assert.ok(err instanceof InvalidEventError);
      assert.deepEqual([err.eventType, err.eventId], ['NetworkCreated', poison.id]);
      return true;
    });
    await assert.rejects(store.append(stream, [{ ...newEvent(), type: 'NeverRegistered' }], 'any'), InvalidEventError);
    assert.deepEqual(await store.readStream(stream), { events: [], revision: 'no_stream' });
    assert.equal(await store.headPosition(), head);
    await store.append(stream, [good], 'no_stream');
    assert.equal((await store.readStream(stream)).events.length, 1, 'the good event alone is accepted afterwards');
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

  it('gives branch categories subjects of their own and records the layout on the stream, which later stores follow', async () => {
    const jsm = await jetstreamManager(nc);
    const branched = await JetStreamEventStore.fromConnection(nc, { streamName: 'LAYOUT', subjectPrefix: 'lay', branchCategories: ['node'] });
    const node = await branched.append('node-1', [newEvent('Joined')], 'no_stream');
    const ipam = await branched.append('ipam-1', [newEvent('Created')], 'no_stream');
    assert.equal((await jsm.streams.getMessage('LAYOUT', { seq: node.position }))?.subject, 'lay.node.node-1');
    assert.equal((await jsm.streams.getMessage('LAYOUT', { seq: ipam.position }))?.subject, 'lay.ipam-1');
    assert.match((await jsm.streams.info('LAYOUT')).config.description ?? '', /subject-branches=node\b/);
    await branched.close();

    // Another process configured otherwise: the stream's record wins (appends and reads must agree).
    const later = await JetStreamEventStore.fromConnection(nc, { streamName: 'LAYOUT', subjectPrefix: 'lay' });
    assert.deepEqual(later.branchCategories, ['node']);
    const again = await later.append('node-1', [newEvent('Updated')], node.nextExpectedRevision);
    assert.deepEqual((await later.readStream('node-1')).events.map((e) => e.type), ['Joined', 'Updated']);
    assert.equal(await later.lastPositionOf('node-1'), again.position);
    const reused = newEvent('Twice');
    await later.append('node-2', [reused], 'no_stream');
    await assert.rejects(later.append('ipam-2', [reused], 'no_stream'), (err: unknown) => err instanceof DuplicateEventIdError && err.stream === 'ipam-2' && err.storedOn === 'lay.node.node-2');
    await later.close();

    // A stream made before layouts were recorded keeps every subject at <prefix>.<stream>.
    await jsm.streams.add({ name: 'UNRECORDED', subjects: ['old.>'] });
    const old = await JetStreamEventStore.fromConnection(nc, { streamName: 'UNRECORDED', subjectPrefix: 'old', branchCategories: ['node'] });
    assert.deepEqual(old.branchCategories, []);
    const { position } = await old.append('node-1', [newEvent()], 'no_stream');
    assert.equal((await jsm.streams.getMessage('UNRECORDED', { seq: position }))?.subject, 'old.node-1');
    await old.close();
  });

  it('filters a subscription of some categories on the server when one subject covers them', async () => {
    const jsm = await jetstreamManager(nc);
    const store = await JetStreamEventStore.fromConnection(nc, { streamName: 'FILTERS', subjectPrefix: 'flt', branchCategories: ['node', 'nodecert'] });
    for (const stream of ['membership', 'node-a', 'nodecert-a', 'ipam-c', 'node-b']) await store.append(stream, [newEvent()], 'any');
    const cases: { categories: string[]; filter: string | undefined; streams: string[] }[] = [
      { categories: ['membership', 'ipam'], filter: 'flt.*', streams: ['membership', 'ipam-c'] },
      { categories: ['node'], filter: 'flt.node.*', streams: ['node-a', 'node-b'] },
      { categories: ['node', 'ipam'], filter: undefined, streams: ['node-a', 'ipam-c', 'node-b'] },
    ];
    for (const { categories, filter, streams } of cases) {
      const seen: string[] = [];
      const caught = deferred<number>();
      const subscription = store.subscribeAll({ afterPosition: 0, categories, onCaughtUp: caught.resolve }, (event) => {
        seen.push(event.stream);
      });
      assert.equal(await within(caught.promise, 10_000, 'onCaughtUp'), 5, 'caught up at the head');
      const consumers = await (await jsm.consumers.list('FILTERS')).next();
      assert.equal(consumers.length, 1);
      assert.equal(consumers[0]?.config.filter_subject || undefined, filter, categories.join(','));
      assert.deepEqual(seen, streams);
      await subscription.stop();
      while ((await (await jsm.consumers.list('FILTERS')).next()).length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await store.close();
  });
});

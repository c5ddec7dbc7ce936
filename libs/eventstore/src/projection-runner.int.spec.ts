import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { laggingSubscriptions, publishRawEvents, rawEventJson, startNatsServer, type NatsServerHandle } from '#testing';

import { collect, newEvent, uniqueStream, within } from './contract/helpers.js';
import { JetStreamEventStore } from './jetstream/index.js';
import type { EventStore, RecordedEvent } from './port.js';
import { ProjectionStoppedError, ProjectionTimeoutError } from './projection.js';
import { ProjectionGroup, ProjectionRunner } from './projection-runner.js';
import { SkippedEventLog } from './skipped-events.js';

interface Tally {
  readonly count: number;
  readonly types: readonly string[];
}

/** A projection of one stream: counts its events and remembers their types. */
function tallyOf(stream: string) {
  return {
    initialState: { count: 0, types: [] } as Tally,
    evolve: (state: Tally, event: RecordedEvent): Tally =>
      event.stream === stream ? { count: state.count + 1, types: [...state.types, event.type] } : state,
  };
}

describe('ProjectionRunner', () => {
  let server: NatsServerHandle;
  let store: JetStreamEventStore;
  before(async () => {
    server = await startNatsServer();
    store = await JetStreamEventStore.connect({ servers: server.url });
  });
  after(async () => {
    await store.close();
    await server.stop();
  });

  it('resolves start() once caught up, then follows live events', async () => {
    const stream = uniqueStream();
    for (let i = 0; i < 25; i++) await store.append(stream, [newEvent('A')], 'any');
    const head = await store.headPosition();
    const runner = new ProjectionRunner({ store, name: 'tally', ...tallyOf(stream) });
    await within(runner.start(), 10_000, 'start');
    assert.equal(runner.state.count, 25);
    assert.ok(runner.position >= head);
    const { position } = await store.append(stream, [newEvent('B')], 'any');
    await runner.waitForPosition(position);
    assert.equal(runner.state.count, 26);
    assert.equal(runner.state.types.at(-1), 'B');
    assert.ok(runner.position >= position);
    await runner.stop();
  });

  it('skips event types it does not handle but still advances', async () => {
    const stream = uniqueStream();
    const runner = new ProjectionRunner({ store, handles: ['Kept'], ...tallyOf(stream) });
    await runner.start();
    await store.append(stream, [newEvent('Kept')], 'any');
    const skipped = await store.append(stream, [newEvent('Skipped')], 'any');
    await runner.waitForPosition(skipped.position);
    assert.deepEqual(runner.state.types, ['Kept']);
    assert.equal(runner.position, skipped.position);
    await runner.stop();
  });

  it('calls onEvent listeners with the new state until unsubscribed', async () => {
    const stream = uniqueStream();
    const runner = new ProjectionRunner({ store, ...tallyOf(stream) });
    await runner.start();
    const seen: [string, number][] = [];
    const off = runner.onEvent((event, state) => {
      if (event.stream === stream) seen.push([event.type, state.count]);
    });
    await store.append(stream, [newEvent('One')], 'any');
    const two = await store.append(stream, [newEvent('Two')], 'any');
    await runner.waitForPosition(two.position);
    off();
    const three = await store.append(stream, [newEvent('Three')], 'any');
    await runner.waitForPosition(three.position);
    assert.deepEqual(seen, [['One', 1], ['Two', 2]]);
    await runner.stop();
  });

  it('resumes from a checkpoint', async () => {
    const stream = uniqueStream();
    await store.append(stream, [newEvent('Old')], 'any');
    const checkpoint = await store.append(stream, [newEvent('Old')], 'any');
    await store.append(stream, [newEvent('New')], 'any');
    const runner = new ProjectionRunner({
      store,
      ...tallyOf(stream),
      checkpoint: { position: checkpoint.position, state: { count: 2, types: ['saved'] } },
    });
    await runner.start();
    assert.deepEqual(runner.state, { count: 3, types: ['saved', 'New'] });
    await runner.stop();
  });

  it('times out waitForPosition with a clear error, and rejects waiters on stop', async () => {
    const runner = new ProjectionRunner({ store, name: 'waiting', ...tallyOf(uniqueStream()) });
    await runner.start();
    const far = (await store.headPosition()) + 1_000;
    await assert.rejects(runner.waitForPosition(far, 50), (err: unknown) => {
      assert.ok(err instanceof ProjectionTimeoutError);
      assert.equal(err.position, far);
      assert.match(err.message, /waiting did not reach position \d+ within 50 ms/);
      return true;
    });
    const pending = runner.waitForPosition(far, 10_000);
    await runner.stop();
    await assert.rejects(pending, ProjectionStoppedError);
  });

  it('skips (and records) an event evolve cannot fold, during catch-up and live, and goes on', async () => {
    const stream = uniqueStream();
    await store.append(stream, [newEvent('Poison'), newEvent('A')], 'any');
    const errors: unknown[] = [];
    const skipped = new SkippedEventLog();
    const runner = new ProjectionRunner({
      store,
      name: 'poisoned',
      skipped,
      ...tallyOf(stream),
      evolve: (state: Tally, event) => {
        if (event.type === 'Poison') throw new Error('cannot fold');
        return tallyOf(stream).evolve(state, event);
      },
      onError: (error) => errors.push(error),
    });
    await within(runner.start(), 10_000, 'start');
    const { position } = await store.append(stream, [newEvent('Poison'), newEvent('B')], 'any');
    await within(runner.waitForPosition(position), 10_000, 'the event after the live poison');
    assert.deepEqual(runner.state.types, ['A', 'B']);
    assert.equal(errors.length, 2);
    assert.deepEqual(skipped.list().map((s) => [s.type, s.cause]), [['Poison', 'apply'], ['Poison', 'apply']]);
    await runner.stop();
  });

  it('keeps going past events written around the store\'s checks (issue 12), applying the good event after them', async () => {
    const stream = uniqueStream('raw');
    const subject = `es.${stream}`;
    const before = await store.append(stream, [newEvent('A')], 'no_stream');
    const poison = [
      rawEventJson('NodeRegistered', { nodeId: 'n1', clusterId: 'c1', role: 'worker', availability: 'active', labels: {}, addr: '10.0.0.2', leader: false, engine: null, registeredAt: '2026-01-01T00:00:00Z' }),
      rawEventJson('SwarmUpdated', { clusterId: 'c1', spec: { CAConfig: { NodeCertExpiry: 'abc' } }, rotateWorkerToken: false, rotateManagerToken: false, rotateManagerUnlockKey: false }),
      rawEventJson('NetworkCreated', { networkId: 'x1', clusterId: 'c1', name: 5, labels: ['a'] }),
      rawEventJson('NeverHeardOf', {}),
      'not json {',
      'null',
    ];
    const positions = await publishRawEvents(server.url, subject, poison);
    const skipped = new SkippedEventLog();
    const group = new ProjectionGroup({ store, name: 'raw group' });
    const all = group.add({ name: 'everything', skipped, ...tallyOf(stream) });
    const nodes = group.add({ name: 'nodes only', skipped, handles: ['NodeRegistered', 'A', 'B'], ...tallyOf(stream) });
    await within(group.start(), 10_000, 'start past the poison');
    const after = await store.append(stream, [newEvent('B')], 'any');
    await within(group.waitForPosition(after.position), 10_000, 'the good event after the poison');
    assert.deepEqual(all.state.types, ['A', 'B']);
    assert.deepEqual(nodes.state.types, ['A', 'B']);
    assert.ok(before.position < (positions[0] ?? 0));
    const everything = skipped.list().filter((s) => s.reader === 'everything');
    assert.deepEqual(everything.map((s) => s.position), positions);
    assert.deepEqual(everything.map((s) => s.type), ['NodeRegistered', 'SwarmUpdated', 'NetworkCreated', 'NeverHeardOf', '$undecodable', '$undecodable']);
    assert.deepEqual(skipped.list().filter((s) => s.reader === 'nodes only').map((s) => s.type), ['NodeRegistered']);
    const all2 = await collect(store.readAll({ fromPosition: positions[0] ?? 0 }));
    assert.equal(all2.length, poison.length + 1, 'a plain read delivers them too (as stand-ins), never stops');
    await group.stop();
  });
});

describe('ProjectionGroup', () => {
  let server: NatsServerHandle;
  let store: JetStreamEventStore;
  before(async () => {
    server = await startNatsServer();
    store = await JetStreamEventStore.connect({ servers: server.url });
  });
  after(async () => {
    await store.close();
    await server.stop();
  });

  it('feeds many projections from one subscription', async () => {
    let subscriptions = 0;
    const counting: EventStore = Object.assign(Object.create(store) as EventStore, {
      subscribeAll: (...args: Parameters<EventStore['subscribeAll']>) => {
        subscriptions += 1;
        return store.subscribeAll(...args);
      },
    });
    const [a, b] = [uniqueStream('a'), uniqueStream('b')];
    await store.append(a, [newEvent('A1')], 'any');
    const skip = await store.append(b, [newEvent('B1')], 'any');
    const group = new ProjectionGroup({ store: counting });
    const pa = group.add({ name: 'a', ...tallyOf(a) });
    const pb = group.add({ name: 'b', ...tallyOf(b), checkpoint: { position: skip.position, state: { count: 1, types: ['saved'] } } });
    await group.start();
    assert.equal(subscriptions, 1);
    assert.deepEqual(pa.state.types, ['A1']);
    assert.deepEqual(pb.state.types, ['saved']);
    await store.append(a, [newEvent('A2')], 'any');
    const last = await store.append(b, [newEvent('B2')], 'any');
    await group.waitForPosition(last.position);
    assert.deepEqual(pa.state.types, ['A1', 'A2']);
    assert.deepEqual(pb.state.types, ['saved', 'B2']);
    assert.ok(group.position >= last.position);
    assert.throws(() => group.add({ ...tallyOf(a) }), /before start/);
    await group.stop();
  });

  it('reads to the head on request, ahead of a subscription that lags', async () => {
    const stream = uniqueStream();
    const runner = new ProjectionRunner({ store: laggingSubscriptions(store, 300), name: 'lagging', ...tallyOf(stream) });
    await runner.start();
    assert.equal(await runner.readToHead(), false, 'caught up: nothing to read');
    await store.append(stream, [newEvent('A')], 'any');
    assert.equal(runner.state.count, 0, 'the live event has not arrived yet');
    assert.equal(await runner.readToHead(), true);
    assert.equal(runner.state.count, 1);
    await runner.stop();
  });

  it('reads the streams its answer rests on to their last events, with a subscription of some categories', async () => {
    const wanted = uniqueStream('tallied');
    const runner = new ProjectionRunner({ store: laggingSubscriptions(store, 300), name: 'some categories', categories: ['tallied'], ...tallyOf(wanted) });
    await runner.start();
    await assert.rejects(runner.readToHead(), /readStreamsToHead/, 'the head may be an event it is never sent');
    assert.equal(await runner.readStreamsToHead([wanted]), false, 'a stream with no event: nothing to read');
    await store.append(wanted, [newEvent('A')], 'any');
    await store.append(uniqueStream('other'), [newEvent('B')], 'any'); // the head: of another category
    assert.equal(runner.state.count, 0, 'the live event has not arrived yet');
    assert.equal(await runner.readStreamsToHead([wanted, uniqueStream('tallied')]), true);
    assert.equal(runner.state.count, 1);
    assert.equal(await runner.readStreamsToHead([wanted]), false);
    await runner.stop();
  });
});

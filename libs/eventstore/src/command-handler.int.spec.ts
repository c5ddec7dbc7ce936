import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { publishRawEvents, rawEventJson, startNatsServer, type NatsServerHandle } from '#testing';

import { handleCommand, type HandleCommandOptions } from './command-handler.js';
import { deferred, newEvent, uniqueStream, within } from './contract/helpers.js';
import { JetStreamEventStore } from './jetstream/index.js';
import { WrongExpectedRevisionError, type DomainEvent, type NewEvent } from './port.js';

class DomainRuleBroken extends Error {}

/** A counter aggregate: its state is the number of events in the stream. */
const COUNTED = new Set(['Counted', 'Tested', 'Seed', 'Raced', 'Interloper', 'Mine']);
function counter(store: JetStreamEventStore, stream: string, decide: HandleCommandOptions<number, DomainEvent>['decide']) {
  return { store, stream, types: COUNTED, initialState: 0, evolve: (n: number) => n + 1, decide };
}

describe('handleCommand', () => {
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

  it('decides past events of the stream that do not match their schema, and appends after them', async () => {
    const stream = uniqueStream();
    await handleCommand(counter(store, stream, (n) => [newEvent('Counted', { n })]));
    await publishRawEvents(server.url, `es.${stream}`, [rawEventJson('NodeRegistered', { engine: null }), 'not json']);
    const next = await handleCommand(counter(store, stream, (n) => [newEvent('Counted', { n })]));
    assert.deepEqual([next.attempts, next.state], [1, 1], 'the bad events are left out of the fold, the revision is the stream\'s');
    assert.equal((await store.readStream(stream)).events.length, 4);
  });

  it('appends what decide returns, with the revision it read', async () => {
    const stream = uniqueStream();
    const first = await handleCommand(counter(store, stream, (n) => [newEvent('Counted', { n })]));
    assert.equal(first.attempts, 1);
    assert.equal(first.state, 0);
    assert.equal(first.events.length, 1);
    const second = await handleCommand(counter(store, stream, (n) => [newEvent('Counted', { n })]));
    assert.equal(second.state, 1);
    assert.ok(second.position > first.position);
    const { events, revision } = await store.readStream(stream);
    assert.equal(revision, second.revision);
    assert.deepEqual(events.map((e) => e.data), [{ n: 0 }, { n: 1 }]);
    assert.equal(events[1]?.time, second.events[0]?.time, 'the returned event carries the stored time');
    assert.equal(events[1]?.position, second.position);
  });

  it('appends nothing when decide returns no event', async () => {
    const stream = uniqueStream();
    const empty = await handleCommand(counter(store, stream, () => []));
    assert.deepEqual({ ...empty, state: undefined }, { events: [], position: 0, revision: 'no_stream', state: undefined, attempts: 1 });
    const appended = await handleCommand(counter(store, stream, () => [newEvent()]));
    const again = await handleCommand(counter(store, stream, () => []));
    assert.equal(again.revision, appended.revision);
    assert.equal(again.position, appended.position);
    assert.equal((await store.readStream(stream)).events.length, 1);
  });

  it('lets domain errors from decide through untouched', async () => {
    const rule = new DomainRuleBroken('no');
    await assert.rejects(
      handleCommand(counter(store, uniqueStream(), () => {
        throw rule;
      })),
      (err: unknown) => err === rule,
    );
  });

  it('retries a handler that lost a race: both commands end up appended', async () => {
    const stream = uniqueStream();
    await store.append(stream, [newEvent('Seed')], 'no_stream');
    // Both handlers decide on the same state before either appends.
    let arrived = 0;
    const bothDecided = deferred();
    const decide = (label: string) => async (n: number): Promise<NewEvent[]> => {
      arrived += 1;
      if (arrived === 2) bothDecided.resolve();
      if (arrived <= 2) await within(bothDecided.promise, 10_000, 'both handlers to decide');
      return [newEvent('Raced', { label, sawCount: n })];
    };
    const [a, b] = await Promise.all([
      handleCommand(counter(store, stream, decide('a'))),
      handleCommand(counter(store, stream, decide('b'))),
    ]);
    assert.deepEqual([a.attempts, b.attempts].sort(), [1, 2]);
    const { events } = await store.readStream(stream);
    const raced = events.slice(1).map(({ data }) => {
      assert.ok(typeof data === 'object' && data !== null && 'label' in data && 'sawCount' in data);
      return { label: String(data.label), sawCount: Number(data.sawCount) };
    });
    assert.equal(raced.length, 2);
    assert.deepEqual(raced.map((d) => d.label).sort(), ['a', 'b']);
    assert.deepEqual(raced.map((d) => d.sawCount), [1, 2], 'the retry decided on the fresh state');
  });

  it('gives up after maxRetries and throws the conflict', async () => {
    const stream = uniqueStream();
    let attempts = 0;
    await assert.rejects(
      handleCommand({
        ...counter(store, stream, async () => {
          attempts += 1;
          await store.append(stream, [newEvent('Interloper')], 'any'); // always beaten to it
          return [newEvent('Mine')];
        }),
        maxRetries: 2,
      }),
      WrongExpectedRevisionError,
    );
    assert.equal(attempts, 3);
  });
});

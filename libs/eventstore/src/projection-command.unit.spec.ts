import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handleCommand } from './command-handler.js';
import { newEvent, uniqueStream } from './contract/helpers.js';
import { InMemoryEventStore } from './memory/memory-event-store.js';
import { WrongExpectedRevisionError } from './port.js';
import { decideOnProjection } from './projection-command.js';
import { ProjectionRunner } from './projection-runner.js';

/** A projection counting the events of each stream, with the revision it has seen. */
async function counting(store: InMemoryEventStore) {
  const runner = new ProjectionRunner({
    store,
    initialState: new Map<string, { count: number; revision: number | 'no_stream' }>(),
    evolve: (state, event) => state.set(event.stream, { count: (state.get(event.stream)?.count ?? 0) + 1, revision: event.revision }),
  });
  await runner.start();
  return runner;
}

describe('decideOnProjection (mode 2)', () => {
  it('decides on the projection and appends at the revision it reflects, without reading the stream', async () => {
    const store = new InMemoryEventStore();
    const runner = await counting(store);
    const stream = uniqueStream();
    let reads = 0;
    const readStream = store.readStream.bind(store);
    store.readStream = (name) => (reads++, readStream(name));
    const view = () => runner.state.get(stream) ?? { count: 0, revision: 'no_stream' as const };
    for (let i = 0; i < 3; i++) {
      await decideOnProjection({ store, stream, projection: runner, view, decide: ({ count }) => [newEvent('Counted', { count })], catchUp: async () => false });
    }
    assert.equal(reads, 0);
    assert.equal(runner.state.get(stream)?.count, 3);
    await runner.stop();
  });

  it('on a conflict, catches up and decides again on the state the winner left', async () => {
    const store = new InMemoryEventStore();
    const runner = await counting(store);
    const stream = uniqueStream();
    await store.append(stream, [newEvent('Counted', { count: 0 })], 'no_stream');
    await runner.waitForPosition(1);
    const stale = { count: 1, revision: runner.state.get(stream)!.revision };
    await store.append(stream, [newEvent('Counted', { count: 1 })], 'any'); // another replica, not seen yet by `view` below
    let first = true;
    const seen: number[] = [];
    const result = await decideOnProjection({
      store, stream, projection: runner,
      view: () => (first ? ((first = false), stale) : runner.state.get(stream)!),
      decide: ({ count }) => (seen.push(count), [newEvent('Counted', { count })]),
      catchUp: () => runner.readStreamsToHead([stream]),
    });
    assert.deepEqual([seen, result.attempts], [[1, 2], 2]);
    await runner.stop();
  });

  it('checks a refusal decided on a view that lags at the head once, and lets a caller turn a conflict into its own error', async () => {
    const store = new InMemoryEventStore();
    const runner = await counting(store);
    const stream = uniqueStream();
    let behind = true;
    const result = await decideOnProjection({
      store, stream, projection: runner,
      view: () => {
        if (behind) throw new Error('not found');
        return { revision: 'no_stream' as const };
      },
      decide: () => [newEvent()],
      catchUp: async () => ((behind = false), true),
    });
    assert.equal(result.attempts, 2);
    const mine = new Error('update out of sequence');
    await assert.rejects(
      decideOnProjection({ store, stream, projection: runner, view: () => ({ revision: 'no_stream' as const }), decide: () => [newEvent()], catchUp: async () => false, onConflict: () => mine }),
      (e: unknown) => e === mine,
    );
    await runner.stop();
  });
});

describe('handleCommand options (mode 1)', () => {
  const fold = { types: new Set(['Tested', 'Seed']), initialState: 0, evolve: (n: number) => n + 1 };

  it('assumeNew: appends to a new stream without reading it; a stream that exists is read and decided on', async () => {
    const store = new InMemoryEventStore();
    const stream = uniqueStream();
    const fresh = await handleCommand({ store, stream, ...fold, assumeNew: true, decide: (n) => (n === 0 ? [newEvent()] : []) });
    assert.deepEqual([fresh.attempts, fresh.events.length], [1, 1]);
    const again = await handleCommand({ store, stream, ...fold, assumeNew: true, decide: (n) => (n === 0 ? [newEvent()] : []) });
    assert.deepEqual([again.attempts, again.events.length, again.state, again.position], [2, 0, 1, fresh.position]);
  });

  it('expectedRevision: decides only at the revision the client named, and never retries', async () => {
    const store = new InMemoryEventStore();
    const stream = uniqueStream();
    const { nextExpectedRevision } = await store.append(stream, [newEvent('Seed')], 'no_stream');
    await assert.rejects(handleCommand({ store, stream, ...fold, expectedRevision: nextExpectedRevision + 1, decide: () => [newEvent()] }), WrongExpectedRevisionError);
    const done = await handleCommand({ store, stream, ...fold, expectedRevision: nextExpectedRevision, decide: () => [newEvent()] });
    assert.equal(done.state, 1);
    let calls = 0;
    await assert.rejects(
      handleCommand({
        store, stream, ...fold, expectedRevision: done.revision as number,
        decide: async () => {
          calls++;
          await store.append(stream, [newEvent()], 'any');
          return [newEvent()];
        },
      }),
      WrongExpectedRevisionError,
    );
    assert.equal(calls, 1);
  });
});

/**
 * The event store contract: every adapter runs it against a real server, e.g.
 *
 *   runEventStoreContract('jetstream', async () => ({ store, cleanup }));
 *
 * The store may be shared with other writers: tests use their own stream names and only assert
 * about their own events. `makeStore` is called once for the suite.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it as nodeIt } from 'node:test';

import { newEvent, RFC3339_NANOS, uniqueStream, type ContractTest, type MakeStore } from './helpers.js';
import { readContract } from './read.js';
import { subscribeContract } from './subscribe.js';
import { WrongExpectedRevisionError, type EventStore } from '../port.js';
import { InvalidEventError } from '../new-event.js';
import { InvalidStreamNameError } from '../stream-name.js';

export type { ContractStore, MakeStore } from './helpers.js';

export interface ContractOptions {
  /** Report every contract test as skipped, by name, with this reason (no server to run against). */
  readonly skip?: string;
}

export function runEventStoreContract(name: string, makeStore: MakeStore, options: ContractOptions = {}): void {
  const { skip } = options;
  const it: ContractTest = skip === undefined ? (test, fn) => nodeIt(test, fn) : (test) => nodeIt(test, { skip });
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    const get = (): EventStore => {
      if (!store) throw new Error('store not ready');
      return store;
    };
    before(async () => {
      if (skip === undefined) ({ store, cleanup } = await makeStore());
    });
    after(async () => {
      await cleanup?.();
    });
    describe('append', () => appendContract(get, it));
    describe('read', () => readContract(get, it));
    describe('subscribeAll', () => subscribeContract(get, it));
  });
}

function appendContract(get: () => EventStore, it: ContractTest): void {
  it('round-trips an event with all its fields and fills a missing time', async () => {
    const stream = uniqueStream();
    const given = newEvent('Full', { nested: { list: [1, 'two', null], flag: true } }, {
      schemaVersion: 3,
      metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'service:contract' },
      time: '2026-11-26T22:58:07.587066548Z',
    });
    const filled = newEvent('Bare');
    const result = await get().append(stream, [given, filled], 'no_stream');
    const { events, revision } = await get().readStream(stream);
    assert.equal(events.length, 2);
    assert.equal(revision, result.nextExpectedRevision);
    const [first, second] = events;
    assert.deepEqual(
      { ...first, revision: undefined, position: undefined },
      { ...given, stream, revision: undefined, position: undefined },
    );
    assert.equal(second?.id, filled.id);
    assert.deepEqual(second?.metadata, filled.metadata);
    assert.match(second?.time ?? '', RFC3339_NANOS);
    assert.equal(second?.position, result.position);
    assert.equal(second?.revision, result.nextExpectedRevision);
    assert.ok((first?.position ?? 0) >= 1 && (first?.position ?? 0) < result.position);
    assert.ok((first?.revision ?? 0) < (second?.revision ?? 0));
  });

  it('refuses an event that does not match its schema (or has no known type) and writes nothing of its batch', async () => {
    const stream = uniqueStream();
    const poison = newEvent('NodeRegistered', { nodeId: 'n1', clusterId: 'c1', engine: null });
    await assert.rejects(get().append(stream, [newEvent(), poison], 'no_stream'), (err: unknown) => {
      assert.ok(err instanceof InvalidEventError);
      assert.equal(err.eventId, poison.id);
      return true;
    });
    await assert.rejects(get().append(stream, [{ ...newEvent(), type: 'NeverRegistered' }], 'any'), InvalidEventError);
    assert.deepEqual(await get().readStream(stream), { events: [], revision: 'no_stream' });
  });

  it('reads a stream that does not exist as empty, no_stream', async () => {
    assert.deepEqual(await get().readStream(uniqueStream()), { events: [], revision: 'no_stream' });
  });

  it('accepts no_stream on a new stream and rejects it on an existing one', async () => {
    const stream = uniqueStream();
    const first = await get().append(stream, [newEvent()], 'no_stream');
    await assert.rejects(get().append(stream, [newEvent()], 'no_stream'), (err: unknown) => {
      assert.ok(err instanceof WrongExpectedRevisionError);
      assert.equal(err.stream, stream);
      assert.equal(err.expected, 'no_stream');
      assert.ok(err.actual === 'unknown' || err.actual === first.nextExpectedRevision);
      return true;
    });
    assert.equal((await get().readStream(stream)).events.length, 1);
  });

  it('accepts the exact revision and rejects a stale one', async () => {
    const stream = uniqueStream();
    const r1 = await get().append(stream, [newEvent()], 'no_stream');
    const r2 = await get().append(stream, [newEvent()], r1.nextExpectedRevision);
    assert.ok(r2.nextExpectedRevision > r1.nextExpectedRevision);
    assert.ok(r2.position > r1.position);
    await assert.rejects(get().append(stream, [newEvent()], r1.nextExpectedRevision), (err: unknown) => {
      assert.ok(err instanceof WrongExpectedRevisionError);
      assert.equal(err.expected, r1.nextExpectedRevision);
      assert.ok(err.actual === 'unknown' || err.actual === r2.nextExpectedRevision);
      return true;
    });
    await assert.rejects(get().append(uniqueStream(), [newEvent()], r1.nextExpectedRevision), WrongExpectedRevisionError);
    const { revision } = await get().readStream(stream);
    assert.equal(revision, r2.nextExpectedRevision);
  });

  it('appends with any on new and existing streams', async () => {
    const stream = uniqueStream();
    await get().append(stream, [newEvent()], 'any');
    const second = await get().append(stream, [newEvent()], 'any');
    const { events, revision } = await get().readStream(stream);
    assert.equal(events.length, 2);
    assert.equal(revision, second.nextExpectedRevision);
  });

  it('appends several events in order and returns the last revision', async () => {
    const stream = uniqueStream();
    const batch = [newEvent('A'), newEvent('B'), newEvent('C')];
    const result = await get().append(stream, batch, 'no_stream');
    const { events, revision } = await get().readStream(stream);
    assert.deepEqual(events.map((e) => e.id), batch.map((e) => e.id));
    assert.equal(revision, result.nextExpectedRevision);
    assert.equal(events.at(-1)?.position, result.position);
    const next = await get().append(stream, [newEvent('D')], result.nextExpectedRevision);
    assert.ok(next.position > result.position);
  });

  it('stores a re-appended event id once and returns the same position', async () => {
    const stream = uniqueStream();
    const event = newEvent();
    const first = await get().append(stream, [event], 'no_stream');
    const retry = await get().append(stream, [event], 'no_stream');
    assert.deepEqual(retry, first);
    const viaAny = await get().append(stream, [event], 'any');
    assert.equal(viaAny.position, first.position);
    const { events } = await get().readStream(stream);
    assert.deepEqual(events.map((e) => e.id), [event.id]);
  });

  it('lets exactly one of 20 concurrent appends with the same expected revision win', async () => {
    for (const start of ['no_stream', 'existing'] as const) {
      const stream = uniqueStream();
      const expected = start === 'no_stream' ? 'no_stream' : (await get().append(stream, [newEvent()], 'no_stream')).nextExpectedRevision;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => get().append(stream, [newEvent()], expected)),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      assert.equal(won.length, 1, `${start}: one winner`);
      for (const o of lost) assert.ok(o.reason instanceof WrongExpectedRevisionError, String(o.reason));
      assert.equal((await get().readStream(stream)).events.length, start === 'no_stream' ? 1 : 2);
    }
  });

  it('rejects invalid stream names', async () => {
    for (const bad of ['', 'a.b', 'a b', 'a*', 'a>', 'é', 'a/b', 'x'.repeat(201)]) {
      await assert.rejects(get().append(bad, [newEvent()], 'any'), InvalidStreamNameError, bad);
      await assert.rejects(get().readStream(bad), InvalidStreamNameError, bad);
    }
    await get().append('Valid_name-1', [newEvent()], 'any');
  });

  it('reports the head position', async () => {
    const result = await get().append(uniqueStream(), [newEvent()], 'any');
    assert.ok((await get().headPosition()) >= result.position);
  });
}

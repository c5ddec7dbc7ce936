/**
 * The subscription's own logic (order, onCaughtUp, re-opening after a lost connection, errors,
 * stop) against scripted client calls: each `subscribeToAll` returns a stream the test writes
 * events and errors into. Not a stand-in for KurrentDB; the contract suite checks the server.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';

import { UnavailableError, type AllStreamResolvedEvent, type KurrentDBClient, type ReadPosition } from '@kurrent/kurrentdb-client';

import { deferred, within, registerTestEventType } from '../contract/helpers.js';
import { prepareNewEvent } from '../new-event.js';
import type { RecordedEvent } from '../port.js';
import { encodeEvent } from './codec.js';
import { KurrentDbSubscription, type KurrentDbSubscribeOptions } from './subscription.js';

registerTestEventType('T');

function resolvedAt(position: number, streamId = 's'): AllStreamResolvedEvent {
  const data = encodeEvent(prepareNewEvent({ id: `e-${position}`, type: 'T', schemaVersion: 1, data: { position }, metadata: { correlationId: 'c', actor: 'a' } }));
  const at = { commit: BigInt(position), prepare: BigInt(position) };
  return {
    event: { streamId, id: data.id, isJson: true, revision: 0n, type: 'T', created: new Date(), data: { position }, metadata: data.metadata as Record<string, unknown>, position: at },
    commitPosition: at.commit,
  };
}

interface Opened {
  readonly from: ReadPosition | undefined;
  readonly stream: PassThrough & { unsubscribe(): Promise<void> };
}

/** A client whose head is `head` and whose subscriptions the test feeds by hand. */
function scriptedClient(head: number, failingHeadReads = 0): { client: KurrentDBClient; opened: Opened[]; nextOpen: () => Promise<Opened> } {
  const opened: Opened[] = [];
  const waiters: ((o: Opened) => void)[] = [];
  let failures = failingHeadReads;
  const client = {
    async *readAll() {
      if (failures-- > 0) throw new UnavailableError();
      if (head > 0) yield resolvedAt(head);
    },
    subscribeToAll(options: { fromPosition?: ReadPosition }) {
      const stream = Object.assign(new PassThrough({ objectMode: true }), { unsubscribe: async () => undefined });
      const o = { from: options.fromPosition, stream };
      opened.push(o);
      waiters.shift()?.(o);
      return stream;
    },
  } as unknown as KurrentDBClient;
  const nextOpen = (): Promise<Opened> => {
    const index = opened.length;
    return new Promise((resolve) => {
      if (opened[index]) resolve(opened[index]);
      else waiters.push(resolve);
    });
  };
  return { client, opened, nextOpen };
}

function subscribe(client: KurrentDBClient, options: KurrentDbSubscribeOptions, handler: (e: RecordedEvent) => Promise<void> | void): KurrentDbSubscription {
  return new KurrentDbSubscription({ client }, options, handler, () => undefined);
}

describe('KurrentDB subscription (scripted client)', () => {
  it('delivers in order, calls onCaughtUp after the head event, and stops cleanly', async () => {
    const { client, nextOpen } = scriptedClient(30);
    const first = nextOpen();
    const seen: number[] = [];
    const caught: { position: number; seen: number[] }[] = [];
    const three = deferred();
    const sub = subscribe(client, { afterPosition: 0, onCaughtUp: (position) => caught.push({ position, seen: [...seen] }) }, (event) => {
      seen.push(event.position);
      if (seen.length === 3) three.resolve();
    });
    const { from, stream } = await within(first, 5_000, 'the subscription');
    assert.equal(from, 'start');
    for (const p of [10, 20, 30]) stream.write(resolvedAt(p));
    await within(three.promise, 5_000, 'three events');
    assert.deepEqual(seen, [10, 20, 30]);
    assert.deepEqual(caught, [{ position: 30, seen: [10, 20, 30] }]);
    await sub.stop();
    stream.write(resolvedAt(40));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, [10, 20, 30], 'nothing after stop()');
  });

  it('delivers only the given categories, reports caught up at a skipped head, resumes after a skipped event', async () => {
    const { client, nextOpen } = scriptedClient(30);
    const first = nextOpen();
    const seen: string[] = [];
    const caught = deferred<number>();
    const done = deferred();
    const sub = subscribe(client, { afterPosition: 0, categories: ['node'], onCaughtUp: caught.resolve }, (event) => {
      seen.push(`${event.stream}@${event.position}`);
      if (event.position === 50) done.resolve();
    });
    const a = await within(first, 5_000, 'the subscription');
    const second = nextOpen();
    a.stream.write(resolvedAt(10, 'node-a'));
    a.stream.write(resolvedAt(20, 'ipam-c'));
    a.stream.write(resolvedAt(30, 'nodecert-a')); // the head, of another category
    assert.equal(await within(caught.promise, 5_000, 'onCaughtUp'), 30);
    a.stream.destroy(new UnavailableError());
    const b = await within(second, 5_000, 'the re-opened subscription');
    assert.deepEqual(b.from, { commit: 30n, prepare: 30n }, 'after the last event seen, delivered or not');
    b.stream.write(resolvedAt(40, 'membership'));
    b.stream.write(resolvedAt(50, 'node-b'));
    await within(done.promise, 5_000, 'the event after the reconnect');
    assert.deepEqual(seen, ['node-a@10', 'node-b@50']);
    await sub.stop();
  });

  it('re-opens after a lost connection from the last delivered position, without a duplicate', async () => {
    const { client, nextOpen } = scriptedClient(20);
    const first = nextOpen();
    const seen: number[] = [];
    const twenty = deferred();
    const done = deferred();
    const sub = subscribe(client, { afterPosition: 0 }, (event) => {
      seen.push(event.position);
      if (event.position === 20) twenty.resolve();
      if (event.position === 30) done.resolve();
    });
    const a = await within(first, 5_000, 'the subscription');
    const second = nextOpen();
    a.stream.write(resolvedAt(10));
    a.stream.write(resolvedAt(20));
    await within(twenty.promise, 5_000, 'the events before the loss');
    a.stream.destroy(new UnavailableError());
    const b = await within(second, 5_000, 'the re-opened subscription');
    assert.deepEqual(b.from, { commit: 20n, prepare: 20n });
    b.stream.write(resolvedAt(20)); // a server that repeats the resume point is harmless
    b.stream.write(resolvedAt(30));
    await within(done.promise, 5_000, 'the event after the reconnect');
    assert.deepEqual(seen, [10, 20, 30]);
    await sub.stop();
  });

  it('stops and reports when the handler throws, never skipping the event', async () => {
    const { client, nextOpen, opened } = scriptedClient(0);
    const first = nextOpen();
    const reported = deferred<unknown>();
    const caught = deferred<number>();
    const boom = new UnavailableError(); // even a "transient" error from the handler is not retried
    const sub = subscribe(client, { afterPosition: 5, onCaughtUp: caught.resolve, onError: reported.resolve }, () => {
      throw boom;
    });
    assert.equal(await within(caught.promise, 5_000, 'onCaughtUp on an empty store'), 5);
    const { stream } = await within(first, 5_000, 'the subscription');
    stream.write(resolvedAt(10));
    assert.equal(await within(reported.promise, 5_000, 'the error'), boom);
    await sub.stop();
    assert.equal(opened.length, 1, 'not re-opened');
  });

  it('retries when the server is unreachable while the start is located', async () => {
    const { client, nextOpen } = scriptedClient(10, 2);
    const first = nextOpen();
    const caught = deferred<number>();
    const seen: number[] = [];
    const got = deferred();
    const sub = subscribe(client, { afterPosition: 0, onCaughtUp: caught.resolve }, (event) => {
      seen.push(event.position);
      got.resolve();
    });
    const { from, stream } = await within(first, 5_000, 'the subscription after two failed reads');
    assert.equal(from, 'start');
    stream.write(resolvedAt(10));
    await within(got.promise, 5_000, 'the event');
    assert.equal(await within(caught.promise, 5_000, 'onCaughtUp'), 10);
    assert.deepEqual(seen, [10]);
    await sub.stop();
  });
});

/** Contract: subscribeAll (catch-up then live, exactly once, in order, onCaughtUp, stop). */
import assert from 'node:assert/strict';

import { deferred, newEvent, uniqueStream, within, type ContractTest } from './helpers.js';
import type { EventStore, RecordedEvent } from '../port.js';

export function subscribeContract(get: () => EventStore, it: ContractTest): void {
  it('delivers stored then live events exactly once, in order, with appends racing the catch-up', async () => {
    const prefix = uniqueStream('sub');
    const streams = Array.from({ length: 5 }, (_, i) => `${prefix}-${i}`);
    const stored: number[] = [];
    for (let i = 0; i < 200; i++) {
      stored.push((await get().append(streams[i % 5] ?? '', [newEvent('Stored', { i })], 'any')).position);
    }
    const received: RecordedEvent[] = [];
    const caughtUp: { position: number; receivedBefore: Set<number> }[] = [];
    const all = deferred();
    const total = 700;
    const subscription = get().subscribeAll(
      {
        afterPosition: (stored[0] ?? 1) - 1,
        onCaughtUp: (position) => caughtUp.push({ position, receivedBefore: new Set(received.map((e) => e.position)) }),
      },
      async (event) => {
        if (!event.stream.startsWith(`${prefix}-`)) return;
        received.push(event);
        if (received.length % 7 === 0) await new Promise((resolve) => setImmediate(resolve)); // a slow-ish handler
        if (received.length === total) all.resolve();
      },
    );
    // 500 more events, 5 writers in parallel, while the subscription is catching up.
    const live = (
      await Promise.all(
        streams.map(async (stream, lane) => {
          const out: number[] = [];
          for (let j = 0; j < 100; j++) out.push((await get().append(stream, [newEvent('Live', { lane, j })], 'any')).position);
          return out;
        }),
      )
    ).flat();
    await within(all.promise, 30_000, `${total} events`);
    await subscription.stop();

    const positions = received.map((e) => e.position);
    for (let i = 1; i < positions.length; i++) assert.ok((positions[i] ?? 0) > (positions[i - 1] ?? 0), `in order at ${i}`);
    assert.deepEqual([...positions].sort((x, y) => x - y), [...stored, ...live].sort((x, y) => x - y));
    assert.equal(new Set(received.map((e) => e.id)).size, total, 'no duplicate');
    assert.equal(caughtUp.length, 1, 'onCaughtUp once');
    const [first] = caughtUp;
    assert.ok(first && first.position >= (stored.at(-1) ?? 0));
    for (const p of stored) assert.ok(first.receivedBefore.has(p), `stored event ${p} delivered before onCaughtUp`);
  });

  it('starts after the given position and reports caught up at once when nothing follows', async () => {
    const stream = uniqueStream('after');
    const r1 = await get().append(stream, [newEvent()], 'any');
    const r2 = await get().append(stream, [newEvent()], 'any');
    const head = await get().headPosition();
    const caught = deferred<number>();
    const seen: number[] = [];
    const got = deferred();
    const subscription = get().subscribeAll({ afterPosition: r1.position, onCaughtUp: caught.resolve }, (event) => {
      if (event.stream !== stream) return;
      seen.push(event.position);
      if (seen.length === 2) got.resolve();
    });
    const r3 = await get().append(stream, [newEvent()], 'any');
    await within(got.promise, 10_000, 'two events');
    assert.deepEqual(seen, [r2.position, r3.position]);
    assert.ok((await within(caught.promise, 10_000, 'onCaughtUp')) >= r2.position);
    await subscription.stop();

    const atHead = deferred<number>();
    const idle = get().subscribeAll({ afterPosition: Math.max(head, r3.position), onCaughtUp: atHead.resolve }, () => {});
    assert.ok((await within(atHead.promise, 10_000, 'onCaughtUp at the head')) >= r3.position);
    await idle.stop();
  });

  it('does not call the handler after stop() resolved', async () => {
    const stream = uniqueStream('stop');
    const start = await get().headPosition();
    let calls = 0;
    const first = deferred();
    const subscription = get().subscribeAll({ afterPosition: start }, (event) => {
      if (event.stream !== stream) return;
      calls += 1;
      first.resolve();
    });
    await get().append(stream, [newEvent()], 'any');
    await within(first.promise, 10_000, 'the first event');
    await subscription.stop();
    const later = await get().append(stream, [newEvent()], 'any');
    // A second subscription seeing the later event shows it was delivered by the store.
    const seenLater = deferred();
    const witness = get().subscribeAll({ afterPosition: later.position - 1 }, (event) => {
      if (event.position === later.position) seenLater.resolve();
    });
    await within(seenLater.promise, 10_000, 'the later event');
    await witness.stop();
    assert.equal(calls, 1);
  });

  it('delivers only the streams of the given categories, stored and live, in global order', async () => {
    // Categories named by CATEGORY_* (a store under test may give some a subject branch of their own).
    const one = uniqueStream(CATEGORY_ONE);
    const two = uniqueStream(CATEGORY_TWO);
    const three = uniqueStream(CATEGORY_THREE);
    const start = await get().headPosition();
    const appended: { stream: string; position: number }[] = [];
    const append = async (stream: string, n: number): Promise<number> => {
      const result = await get().append(stream, [newEvent('Filtered', { n })], 'any');
      appended.push({ stream, position: result.position });
      return result.position;
    };
    const lanes = [one, two, three] as const;
    for (let n = 0; n < 12; n++) await append(lanes[n % 3] ?? one, n);
    const lastStoredWanted = Math.max(...appended.filter((e) => e.stream !== two).map((e) => e.position));
    const lastStored = await append(two, 12); // the head is an event the subscriber does not want

    const wanted = (stream: string): boolean => stream === one || stream === three;
    const received: RecordedEvent[] = [];
    const unexpected: string[] = [];
    const caught = deferred<number>();
    let receivedAtCaughtUp = -1;
    const all = deferred();
    const total = 8 + 8; // 4 + 4 stored, 8 live
    const subscription = get().subscribeAll(
      {
        afterPosition: start,
        categories: [CATEGORY_ONE, CATEGORY_THREE],
        onCaughtUp: (position) => {
          receivedAtCaughtUp = received.length;
          caught.resolve(position);
        },
      },
      (event) => {
        if (!wanted(event.stream)) {
          unexpected.push(event.stream);
          return;
        }
        received.push(event);
        if (received.length === total) all.resolve();
      },
    );
    const caughtAt = await within(caught.promise, 10_000, 'onCaughtUp');
    assert.ok(caughtAt >= lastStoredWanted, `caught up at ${caughtAt}, the last wanted stored event is ${lastStoredWanted}`);
    assert.ok(caughtAt <= lastStored, `caught up at ${caughtAt}, past the head ${lastStored}`);
    assert.equal(receivedAtCaughtUp, 8, 'every stored event of the categories before onCaughtUp');
    for (let n = 13; n < 25; n++) await append(lanes[n % 3] ?? one, n);
    await within(all.promise, 10_000, `${total} events`);
    await subscription.stop();
    const expected = appended.filter((e) => wanted(e.stream)).map((e) => e.position);
    assert.deepEqual(received.map((e) => e.position), expected);
    assert.ok(received.every((e) => e.type === 'Filtered'));
    assert.deepEqual(unexpected, [], 'nothing of another category');
  });

  it('reports caught up when none of the stored events is of the given categories', async () => {
    const start = await get().headPosition();
    const other = uniqueStream(CATEGORY_TWO);
    const { position } = await get().append(other, [newEvent(), newEvent()], 'any');
    const caught = deferred<number>();
    let calls = 0;
    const subscription = get().subscribeAll({ afterPosition: start, categories: [CATEGORY_ONE], onCaughtUp: caught.resolve }, () => {
      calls += 1;
    });
    assert.ok((await within(caught.promise, 10_000, 'onCaughtUp')) >= start);
    await subscription.stop();
    assert.equal(calls, 0);
    // A wanted event after them still comes.
    const wanted = uniqueStream(CATEGORY_ONE);
    const later = deferred<number>();
    const second = get().subscribeAll({ afterPosition: position, categories: [CATEGORY_ONE] }, (event) => {
      if (event.stream === wanted) later.resolve(event.position);
    });
    const appended = await get().append(wanted, [newEvent()], 'any');
    assert.equal(await within(later.promise, 10_000, 'the wanted event'), appended.position);
    await second.stop();
  });

  it('gives the position of the last event of a stream, 0 for a stream with none', async () => {
    const stream = uniqueStream(CATEGORY_TWO);
    assert.equal(await get().lastPositionOf(stream), 0);
    await get().append(stream, [newEvent()], 'any');
    const { position } = await get().append(stream, [newEvent(), newEvent()], 'any');
    await get().append(uniqueStream(CATEGORY_TWO), [newEvent()], 'any');
    assert.equal(await get().lastPositionOf(stream), position);
    // Concurrent callers each get an answer at least as fresh as their call.
    const [a, b] = await Promise.all([get().lastPositionOf(stream), get().lastPositionOf(stream)]);
    assert.equal(a, position);
    assert.equal(b, position);
  });
}

/** The categories the category tests use (letters and digits: a category has no `-`). */
export const CATEGORY_ONE = 'contractone';
export const CATEGORY_TWO = 'contracttwo';
export const CATEGORY_THREE = 'contractthree';

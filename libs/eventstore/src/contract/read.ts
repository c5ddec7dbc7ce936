/** Contract: readAll and readAllBatches (global order, positions, times). */
import assert from 'node:assert/strict';

import { clockBoundary, collect, newEvent, uniqueStream, type ContractTest } from './helpers.js';
import type { EventStore } from '../port.js';

export function readContract(get: () => EventStore, it: ContractTest): void {
  it('keeps one global order across streams', async () => {
    const streams = [uniqueStream('g'), uniqueStream('g'), uniqueStream('g')];
    const appended: { id: string; position: number; stream: string }[] = [];
    for (let i = 0; i < 9; i++) {
      const stream = streams[i % 3] ?? '';
      const event = newEvent('Ordered', { i });
      const { position } = await get().append(stream, [event], 'any');
      appended.push({ id: event.id, position, stream });
    }
    const positions = appended.map((a) => a.position);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    assert.equal(new Set(positions).size, positions.length);
    const read = await collect(get().readAll({ fromPosition: positions[0] ?? 1 }), new Set(streams));
    assert.deepEqual(
      read.map((e) => ({ id: e.id, position: e.position, stream: e.stream })),
      appended,
    );
  });

  it('reads a range of positions', async () => {
    const stream = uniqueStream('r');
    const positions: number[] = [];
    for (let i = 0; i < 6; i++) positions.push((await get().append(stream, [newEvent('Ranged', { i })], 'any')).position);
    const [, from = 0, , , to = 0] = positions;
    const all = await collect(get().readAll({ fromPosition: from, toPosition: to }));
    assert.ok(all.every((e) => e.position >= from && e.position <= to));
    assert.deepEqual(all.map((e) => e.position), [...all.map((e) => e.position)].sort((a, b) => a - b));
    assert.deepEqual(all.filter((e) => e.stream === stream).map((e) => e.position), positions.slice(1, 5));
    const fromOnly = await collect(get().readAll({ fromPosition: from }), new Set([stream]));
    assert.deepEqual(fromOnly.map((e) => e.position), positions.slice(1));
    assert.deepEqual(await collect(get().readAll({ fromPosition: to + 1_000_000 })), []);
  });

  it('reads from and to a time (the time events were stored)', async () => {
    const stream = uniqueStream('t');
    const streams = new Set([stream]);
    const batch = async (n: number, label: string): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await get().append(stream, [newEvent(label, { i })], 'any')).position);
      return out;
    };
    const a = await batch(2, 'A');
    const t1 = await clockBoundary();
    const b = await batch(3, 'B');
    const t2 = await clockBoundary();
    const c = await batch(1, 'C');
    const positions = async (opts: Parameters<EventStore['readAll']>[0]): Promise<number[]> =>
      (await collect(get().readAll(opts), streams)).map((e) => e.position);
    assert.deepEqual(await positions({ fromTime: t1 }), [...b, ...c]);
    assert.deepEqual(await positions({ fromTime: t1, toTime: t2 }), b);
    assert.deepEqual(await positions({ fromPosition: a[0] ?? 1, toTime: t1 }), a);
    assert.deepEqual(await positions({ fromPosition: a[0] ?? 1, fromTime: t2 }), [...a, ...b, ...c]);
    assert.deepEqual(await positions({ fromTime: new Date(Date.now() + 60_000) }), []);
  });

  it('ends at the head at the time of the call', async () => {
    const stream = uniqueStream('h');
    const first = await get().append(stream, [newEvent()], 'any');
    const seen: number[] = [];
    let late = 0;
    for await (const event of get().readAll({ fromPosition: first.position })) {
      if (seen.length === 0) late = (await get().append(stream, [newEvent()], 'any')).position;
      seen.push(event.position);
    }
    assert.ok(late > 0);
    assert.ok(!seen.includes(late), 'an event appended during the read is not included');
    assert.equal(seen[0], first.position);
  });

  it('reads the same events in batches as one at a time', async () => {
    const stream = uniqueStream('b');
    const positions: number[] = [];
    for (let i = 0; i < 12; i++) positions.push((await get().append(stream, [newEvent('Batched', { i })], 'any')).position);
    const t = await clockBoundary();
    await get().append(stream, [newEvent('After')], 'any');
    const flat = async (source: AsyncIterable<readonly { id: string; position: number }[]>): Promise<string[]> => {
      const out: string[] = [];
      for await (const batch of source) {
        assert.ok(batch.length > 0, 'no empty batch');
        for (const e of batch) out.push(`${e.position}:${e.id}`);
      }
      return out;
    };
    const one = async (source: AsyncIterable<{ id: string; position: number }>): Promise<string[]> => {
      const out: string[] = [];
      for await (const e of source) out.push(`${e.position}:${e.id}`);
      return out;
    };
    const from = positions[0] ?? 1;
    for (const options of [{ fromPosition: from }, { fromPosition: positions[3] ?? 1, toPosition: positions[8] ?? 1 }, { fromPosition: from, toTime: t }]) {
      assert.deepEqual(await flat(get().readAllBatches(options)), await one(get().readAll(options)), JSON.stringify(options));
    }
    assert.equal((await flat(get().readAllBatches({ fromPosition: from, toTime: t }))).length, 12, 'toTime ends the read');
  });
}

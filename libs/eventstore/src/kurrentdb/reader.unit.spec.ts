/**
 * The reader's start resolution (exact position, backward scan, time) against a scripted `$all`:
 * an in-memory list behind the two client calls the reader makes, which, like the server, refuses
 * to read from a number that is not an event's position. Not a stand-in for KurrentDB: the
 * contract suite (contract/kurrentdb.int.spec.ts) is what checks the adapter against a server.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AllStreamResolvedEvent, KurrentDBClient, ReadAllOptions } from '@kurrent/kurrentdb-client';

import { registerTestEventType } from '../contract/helpers.js';
import { prepareNewEvent } from '../new-event.js';
import { encodeEvent } from './codec.js';
import type { KurrentDbContext } from './options.js';
import { headPosition, readAll, subscriptionStart } from './reader.js';

registerTestEventType('T');

interface Row {
  readonly stream: string;
  readonly position: number;
  readonly createdMs: number;
}

function scriptedAll(rows: readonly Row[]): { ctx: KurrentDbContext; reads: ReadAllOptions[] } {
  const reads: ReadAllOptions[] = [];
  const resolved = rows.map(({ stream, position, createdMs }): AllStreamResolvedEvent => {
    const data = encodeEvent(prepareNewEvent({ id: `e-${position}`, type: 'T', schemaVersion: 1, data: {}, metadata: { correlationId: 'c', actor: 'a' } }));
    const at = { commit: BigInt(position), prepare: BigInt(position) };
    return {
      event: { streamId: stream, id: data.id, isJson: true, revision: 0n, type: 'T', created: new Date(createdMs), data: {}, metadata: data.metadata as Record<string, unknown>, position: at },
      commitPosition: at.commit,
    };
  });
  async function* read(options: ReadAllOptions = {}): AsyncGenerator<AllStreamResolvedEvent> {
    reads.push(options);
    const { fromPosition = 'start', direction = 'forwards', maxCount = Number.MAX_SAFE_INTEGER, filter } = options;
    const regex = filter && 'regex' in filter ? new RegExp(filter.regex) : undefined;
    let list = direction === 'forwards' ? resolved : [...resolved].reverse();
    if (typeof fromPosition === 'object') {
      const index = list.findIndex((r) => r.event?.position?.commit === fromPosition.commit);
      if (index < 0) throw new Error('Trying to read from an invalid position.');
      list = list.slice(index);
    } else if (fromPosition === 'end' && direction === 'forwards') list = [];
    let count = 0;
    for (const r of list) {
      if (regex && !regex.test(r.event?.streamId ?? '')) continue;
      if (count++ >= Number(maxCount)) return;
      yield r;
    }
  }
  const client = { readAll: read } as unknown as KurrentDBClient;
  return { ctx: { client }, reads };
}

// Our events at 100, 220, 340, 460, 580; the server's own events in between.
const ROWS: Row[] = [
  { stream: '$settings', position: 10, createdMs: 1_000 },
  { stream: 'network-a', position: 100, createdMs: 2_000 },
  { stream: 'network-b', position: 220, createdMs: 3_000 },
  { stream: '$$network-b', position: 300, createdMs: 3_500 },
  { stream: 'network-a', position: 340, createdMs: 4_000 },
  { stream: 'cluster-x', position: 460, createdMs: 5_000 },
  { stream: 'network-b', position: 580, createdMs: 6_000 },
];

async function positions(ctx: KurrentDbContext, options: Parameters<typeof readAll>[1]): Promise<number[]> {
  const out: number[] = [];
  for await (const event of readAll(ctx, options)) out.push(event.position);
  return out;
}

describe('KurrentDB reader: where reads start (scripted $all)', () => {
  it('reports the head as our last event, 0 when there is none', async () => {
    assert.equal(await headPosition(scriptedAll(ROWS).ctx), 580);
    assert.equal(await headPosition(scriptedAll([{ stream: '$settings', position: 10, createdMs: 1 }]).ctx), 0);
  });

  it('reads everything of ours, system events left out', async () => {
    assert.deepEqual(await positions(scriptedAll(ROWS).ctx, {}), [100, 220, 340, 460, 580]);
  });

  it('starts at an exact position after one probe read, without a scan', async () => {
    const { ctx, reads } = scriptedAll(ROWS);
    assert.deepEqual(await positions(ctx, { fromPosition: 340 }), [340, 460, 580]);
    assert.equal(reads.filter((r) => r.direction === 'backwards' && r.maxCount === undefined).length, 0, 'no backward scan');
  });

  it('starts at the next event when the position falls between events', async () => {
    const { ctx } = scriptedAll(ROWS);
    assert.deepEqual(await positions(ctx, { fromPosition: 221 }), [340, 460, 580]);
    assert.deepEqual(await positions(ctx, { fromPosition: 300 }), [340, 460, 580], 'a system event position');
    assert.deepEqual(await positions(ctx, { fromPosition: 1 }), [100, 220, 340, 460, 580]);
    assert.deepEqual(await positions(ctx, { fromPosition: 581 }), []);
  });

  it('ends at toPosition and at the head', async () => {
    const { ctx } = scriptedAll(ROWS);
    assert.deepEqual(await positions(ctx, { fromPosition: 150, toPosition: 460 }), [220, 340, 460]);
    assert.deepEqual(await positions(ctx, { toPosition: 459 }), [100, 220, 340]);
  });

  it('starts and ends by the time the server stored each event', async () => {
    const { ctx } = scriptedAll(ROWS);
    assert.deepEqual(await positions(ctx, { fromTime: new Date(3_000) }), [220, 340, 460, 580]);
    assert.deepEqual(await positions(ctx, { fromTime: new Date(3_001), toTime: new Date(5_000) }), [340, 460]);
    assert.deepEqual(await positions(ctx, { fromPosition: 100, fromTime: new Date(9_000), toTime: new Date(2_500) }), [100], 'fromPosition wins');
    assert.deepEqual(await positions(ctx, { fromTime: new Date(7_000) }), []);
  });
});

describe('KurrentDB reader: where subscriptions start (scripted $all)', () => {
  it('subscribes after an exact position, after the last event before any other, or from the start', async () => {
    const { ctx } = scriptedAll(ROWS);
    assert.equal(await subscriptionStart(ctx, 0), 'start');
    assert.deepEqual(await subscriptionStart(ctx, 340), { commit: 340n, prepare: 340n });
    assert.deepEqual(await subscriptionStart(ctx, 339), { commit: 220n, prepare: 220n });
    assert.deepEqual(await subscriptionStart(ctx, 99), 'start');
    assert.deepEqual(await subscriptionStart(ctx, 10_000), { commit: 580n, prepare: 580n });
  });
});

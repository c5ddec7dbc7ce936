import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { EventStore, RecordedEvent, SubscribeAllOptions } from './port.js';
import { Projection, ProjectionStoppedError } from './projection.js';
import { ProjectionGroup, ProjectionRunner } from './projection-runner.js';

/** A store whose subscription delivers only what the test pushes. */
function fakeStore() {
  let handler: ((event: RecordedEvent) => Promise<void> | void) | undefined;
  let options: SubscribeAllOptions | undefined;
  let stops = 0;
  const store = {
    subscribeAll(opts: SubscribeAllOptions, h: (event: RecordedEvent) => Promise<void> | void) {
      options = opts;
      handler = h;
      return { stop: async () => void (stops += 1) };
    },
  } as unknown as EventStore;
  return {
    store,
    push: (event: RecordedEvent) => handler?.(event),
    caughtUp: (position: number) => options?.onCaughtUp?.(position),
    get after() {
      return options?.afterPosition;
    },
    get stops() {
      return stops;
    },
  };
}

function recorded(position: number, type = 'T'): RecordedEvent {
  return {
    id: `e${position}`,
    type,
    schemaVersion: 1,
    data: {},
    metadata: { correlationId: 'c', actor: 'user:test' },
    time: '2026-01-01T00:00:00.000000000Z',
    stream: 's',
    revision: position,
    position,
  };
}

const count = { initialState: 0, evolve: (n: number) => n + 1 };

describe('Projection', () => {
  it('ignores events at or below its position (replays after a checkpoint)', () => {
    const p = new Projection({ ...count, checkpoint: { position: 2, state: 10 } });
    for (const position of [1, 2, 3, 3, 4]) p.apply(recorded(position));
    assert.equal(p.state, 12);
    assert.equal(p.position, 4);
  });

  it('reports listener errors without stopping', () => {
    const errors: unknown[] = [];
    const p = new Projection({ ...count, onError: (e) => errors.push(e) });
    p.onEvent(() => {
      throw new Error('listener');
    });
    p.apply(recorded(1));
    p.apply(recorded(2));
    assert.equal(p.state, 2);
    assert.equal(errors.length, 2);
  });
});

describe('ProjectionRunner with a fake store', () => {
  it('rejects a pending start() when stopped before catching up', async () => {
    const fake = fakeStore();
    const runner = new ProjectionRunner({ store: fake.store, ...count });
    const started = runner.start();
    await runner.stop();
    await assert.rejects(started, ProjectionStoppedError);
    assert.equal(fake.stops, 1);
    await assert.rejects(runner.start(), /already started/);
  });

  it('subscribes after its checkpoint and resolves on caught up', async () => {
    const fake = fakeStore();
    const runner = new ProjectionRunner({ store: fake.store, ...count, checkpoint: { position: 7, state: 3 } });
    const started = runner.start();
    assert.equal(fake.after, 7);
    await fake.push(recorded(8));
    fake.caughtUp(9); // e.g. event 9 was deleted
    await started;
    assert.equal(runner.state, 4);
    assert.equal(runner.position, 9);
    await runner.waitForPosition(9, 1);
  });
});

describe('ProjectionGroup with a fake store', () => {
  it('keeps feeding the healthy projections when one fails', async () => {
    const fake = fakeStore();
    const group = new ProjectionGroup({ store: fake.store });
    const healthy = group.add({ name: 'healthy', ...count });
    const broken = group.add({
      name: 'broken',
      ...count,
      evolve: (n: number, e: RecordedEvent) => {
        if (e.type === 'Bad') throw new Error('bad');
        return n + 1;
      },
      onError: () => undefined,
    });
    const started = group.start();
    fake.caughtUp(0);
    await started;
    await fake.push(recorded(1));
    await fake.push(recorded(2, 'Bad'));
    await fake.push(recorded(3));
    assert.equal(healthy.state, 3);
    assert.equal(broken.state, 1);
    assert.ok(broken.failure);
    await assert.rejects(broken.waitForPosition(3), /failed at position 2/);
    await healthy.waitForPosition(3, 1);
    assert.equal(fake.stops, 0);
    await group.stop();
    assert.equal(fake.stops, 1);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { EventStore, RecordedEvent, SubscribeAllOptions } from './port.js';
import { Projection, ProjectionStoppedError } from './projection.js';
import { ProjectionGroup, ProjectionRunner } from './projection-runner.js';
import { registerTestEventType } from './contract/helpers.js';
import { SkippedEventLog } from './skipped-events.js';

registerTestEventType('T');
registerTestEventType('Bad');

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

function recorded(position: number, type = 'T', data: unknown = {}): RecordedEvent {
  return {
    id: `e${position}`,
    type,
    schemaVersion: 1,
    data,
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
  it('skips and records an event one projection cannot fold, and every projection goes on', async () => {
    const fake = fakeStore();
    const skipped = new SkippedEventLog();
    const group = new ProjectionGroup({ store: fake.store });
    const healthy = group.add({ name: 'healthy', ...count, skipped });
    const broken = group.add({
      name: 'broken',
      ...count,
      skipped,
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
    assert.equal(broken.state, 2);
    assert.equal(broken.failure, undefined);
    await broken.waitForPosition(3, 1);
    await healthy.waitForPosition(3, 1);
    assert.deepEqual(skipped.list().map((s) => [s.reader, s.position, s.cause, s.reason]), [['broken', 2, 'apply', 'bad']]);
    assert.equal(fake.stops, 0);
    await group.stop();
    assert.equal(fake.stops, 1);
  });
});

describe('Projection and events that do not match their schema', () => {
  it('skips an unknown type, a NodeRegistered without engine and a bad time, records each once, folds the next', () => {
    const skipped = new SkippedEventLog();
    const seen: string[] = [];
    const p = new Projection({ name: 'nodes', initialState: 0, skipped, evolve: (n: number, e: RecordedEvent) => (seen.push(e.type), n + 1) });
    p.apply(recorded(1, 'NeverRegistered'));
    p.apply(recorded(2, 'NodeRegistered', { nodeId: 'n1', clusterId: 'c1', engine: null }));
    p.apply({ ...recorded(3), time: 'yesterday' });
    p.apply(recorded(4));
    p.apply(recorded(2, 'NodeRegistered', { engine: null })); // a replay: below the position
    assert.deepEqual([p.state, p.position, seen], [1, 4, ['T']]);
    assert.deepEqual(skipped.list().map((s) => [s.position, s.type, s.cause]), [[1, 'NeverRegistered', 'schema'], [2, 'NodeRegistered', 'schema'], [3, 'T', 'schema']]);
    assert.match(skipped.list()[1]?.reason ?? '', /data/);
  });

  it('records a (reader, position) once however often it is replayed, and tells listeners once', () => {
    const skipped = new SkippedEventLog();
    let heard = 0;
    skipped.onSkip(() => (heard += 1));
    for (let i = 0; i < 3; i++) new Projection({ name: 'replayed', initialState: 0, skipped, evolve: (n: number) => n }).apply(recorded(1, 'Unknown'));
    assert.equal(skipped.list().length, 1);
    assert.equal(heard, 1);
  });
});

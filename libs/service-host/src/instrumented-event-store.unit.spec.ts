import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  WrongExpectedRevisionError,
  handleCommand,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadStreamResult,
} from '#eventstore';
import { metricsRegistry } from '#observability';
import { InstrumentedEventStore, countCommandRetries } from './instrumented-event-store.js';

/** The value of one series in the exposition text, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** A store whose appends fail with a conflict `conflicts` times, then succeed. */
function conflictingStore(conflicts: number): EventStore {
  let left = conflicts;
  return {
    async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
      if (left-- > 0) throw new WrongExpectedRevisionError(stream, expected, 7);
      return { nextExpectedRevision: 8 + events.length, position: 8 + events.length };
    },
    readStream: async (): Promise<ReadStreamResult> => ({ events: [], revision: 'no_stream' }),
    readAll: () => ({ [Symbol.asyncIterator]: async function* () {} }[Symbol.asyncIterator]()),
    readAllBatches: () => ({ [Symbol.asyncIterator]: async function* () {} }[Symbol.asyncIterator]()),
    subscribeAll: () => ({ stop: async () => undefined }),
    headPosition: async () => 0,
    lastPositionOf: async () => 0,
    close: async () => undefined,
  };
}

const event = (id: string): NewEvent => ({ id, type: 'Tested', schemaVersion: 1, data: {}, metadata: { correlationId: 'c', actor: 'test' } });

describe('InstrumentedEventStore', () => {
  it('counts appends, events and conflicts by category, and retries of handleCommand', async () => {
    countCommandRetries();
    const before = await metricsRegistry.metrics();
    const value = (text: string, series: string): number => sample(text, series) ?? 0;
    const store = new InstrumentedEventStore(conflictingStore(2));
    const result = await handleCommand({
      store,
      stream: 'metricstest-1',
      types: new Set<string>(),
      initialState: 0,
      evolve: (state) => state + 1,
      decide: () => [event('e1'), event('e2')],
    });
    assert.equal(result.attempts, 3);
    const after = await metricsRegistry.metrics();
    const delta = (series: string): number => value(after, series) - value(before, series);
    assert.equal(delta('swarmplane_eventstore_appends_total{category="metricstest"}'), 1);
    assert.equal(delta('swarmplane_eventstore_appended_events_total{category="metricstest"}'), 2);
    assert.equal(delta('swarmplane_eventstore_append_conflicts_total{category="metricstest"}'), 2);
    assert.equal(delta('swarmplane_command_retries_total{category="metricstest"}'), 2);
    assert.equal(delta('swarmplane_eventstore_append_duration_seconds_count'), 3);
  });
});

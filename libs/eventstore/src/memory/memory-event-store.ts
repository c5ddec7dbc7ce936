/**
 * An `EventStore` in the memory of one process: for unit tests of handlers and deciders (Given
 * events / When command / Then events), without a server. It passes the same contract suite as the
 * JetStream and KurrentDB adapters (memory-contract.unit.spec.ts), schema check on append included,
 * so a handler tested on it behaves the same on a real store.
 *
 * Revisions are global positions, as with JetStream. Events are stored as their JSON (what a real
 * store keeps) and frozen, so a reader that mutates what it was given fails here first.
 */
import { prepareNewEvent } from '../new-event.js';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type SubscribeAllOptions,
  type Subscription,
} from '../port.js';
import { assertValidStreamName, categoryOf } from '../stream-name.js';

interface Stored {
  readonly event: RecordedEvent;
  /** Milliseconds since the epoch when it was appended (what `fromTime`/`toTime` compare). */
  readonly storedAt: number;
}

export class InMemoryEventStore implements EventStore {
  /** The log: `log[p - 1]` is the event at position `p`. */
  private readonly log: Stored[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  /** Event id -> its recorded event, for idempotent re-appends. */
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly wakers = new Set<() => void>();
  private closed = false;

  async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    assertValidStreamName(stream);
    if (events.length === 0) throw new TypeError('append needs at least one event');
    const prepared = events.map(prepareNewEvent);
    const retried = prepared.every((e) => this.byId.get(e.id)?.stream === stream) ? this.byId.get(prepared.at(-1)!.id) : undefined;
    if (retried) return { nextExpectedRevision: retried.revision, position: retried.position };
    const current = this.streams.get(stream);
    const actual = current?.at(-1)?.revision ?? 'no_stream';
    if (expected !== 'any' && expected !== actual) throw new WrongExpectedRevisionError(stream, expected, actual);
    const recorded = current ?? [];
    this.streams.set(stream, recorded);
    const storedAt = Date.now();
    let last: RecordedEvent | undefined;
    for (const event of prepared) {
      if (this.byId.has(event.id)) continue;
      const position = this.log.length + 1;
      last = deepFreeze({ ...(JSON.parse(JSON.stringify(event)) as typeof event), stream, revision: position, position });
      this.log.push({ event: last, storedAt });
      recorded.push(last);
      this.byId.set(last.id, last);
    }
    for (const wake of [...this.wakers]) wake();
    const end = last ?? recorded.at(-1)!;
    return { nextExpectedRevision: end.revision, position: end.position };
  }

  async readStream(stream: string): Promise<ReadStreamResult> {
    this.assertOpen();
    assertValidStreamName(stream);
    const events = [...(this.streams.get(stream) ?? [])];
    return { events, revision: events.at(-1)?.revision ?? 'no_stream' };
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    for await (const batch of this.readAllBatches(options)) yield* batch;
  }

  async *readAllBatches(options: ReadAllOptions = {}): AsyncIterable<readonly RecordedEvent[]> {
    this.assertOpen();
    const head = this.log.length;
    const from = options.fromPosition ?? (options.fromTime ? this.firstAtOrAfter(options.fromTime.getTime()) : 1);
    const to = Math.min(options.toPosition ?? head, head);
    const batch: RecordedEvent[] = [];
    for (let position = Math.max(1, from); position <= to; position++) {
      const stored = this.log[position - 1]!;
      if (options.toTime && stored.storedAt > options.toTime.getTime()) break;
      batch.push(stored.event);
      if (batch.length === 100) yield batch.splice(0);
    }
    if (batch.length > 0) yield batch;
  }

  subscribeAll(options: SubscribeAllOptions, handler: (event: RecordedEvent) => Promise<void> | void): Subscription {
    this.assertOpen();
    const wanted = options.categories ? new Set(options.categories) : undefined;
    let stopped = false;
    let wake: (() => void) | undefined;
    const deliver = async (): Promise<void> => {
      let cursor = options.afterPosition;
      let caughtUp = false;
      while (!stopped) {
        const stored = this.log[cursor];
        if (stored) {
          cursor++;
          if (!wanted || wanted.has(categoryOf(stored.event.stream))) await handler(stored.event);
          continue;
        }
        if (!caughtUp) {
          caughtUp = true;
          options.onCaughtUp?.(Math.max(cursor, 0));
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          this.wakers.add(resolve);
        });
        if (wake) this.wakers.delete(wake);
      }
    };
    const running = Promise.resolve().then(deliver);
    return {
      stop: async () => {
        stopped = true;
        wake?.();
        await running.catch(() => undefined);
      },
    };
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.log.length;
  }

  async lastPositionOf(stream: string): Promise<number> {
    this.assertOpen();
    assertValidStreamName(stream);
    return this.streams.get(stream)?.at(-1)?.position ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.wakers]) wake();
  }

  private firstAtOrAfter(ms: number): number {
    const index = this.log.findIndex((stored) => stored.storedAt >= ms);
    return index < 0 ? this.log.length + 1 : index + 1;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store closed');
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

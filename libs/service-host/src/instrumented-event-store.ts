import { Logger } from '@nestjs/common';
import {
  WrongExpectedRevisionError,
  onCommandRetry,
  skippedEvents,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type SubscribeAllOptions,
  type Subscription,
} from '#eventstore';
import { BoundedLabel, Metrics, streamCategory } from '#observability';

let retriesCounted = false;
const appendDuration = Metrics.appendDuration.child({});

/** Counts command retries after append conflicts (once per process). */
let skipsCounted = false;
const readers = new BoundedLabel(32);

/**
 * Every event a reader of this process skips (libs/eventstore skipped-events.ts): one warning log
 * line and one count, by reader and cause, for each reader and position.
 */
export function countSkippedEvents(): void {
  if (skipsCounted) return;
  skipsCounted = true;
  const logger = new Logger('SkippedEvents');
  skippedEvents.onSkip((skipped) => {
    Metrics.skippedEvents.inc({ reader: readers.of(skipped.reader), cause: skipped.cause });
    logger.warn(
      `${skipped.reader} skipped the event at position ${skipped.position} (stream ${skipped.stream}, type ${skipped.type}, id ${skipped.id}): ${skipped.reason}`,
    );
  });
}

export function countCommandRetries(): void {
  if (retriesCounted) return;
  retriesCounted = true;
  onCommandRetry((stream) => Metrics.commandRetries.inc({ category: streamCategory(stream) }));
}

/**
 * An EventStore that counts appends, appended events and conflicts by stream category and times
 * appends; everything else passes through unchanged (subscription options included).
 */
export class InstrumentedEventStore implements EventStore {
  constructor(private readonly inner: EventStore) {}

  async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const category = streamCategory(stream);
    const started = performance.now();
    try {
      const result = await this.inner.append(stream, events, expected);
      Metrics.appends.child({ category }).inc();
      Metrics.appendedEvents.child({ category }).inc(events.length);
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) Metrics.appendConflicts.inc({ category });
      throw error;
    } finally {
      appendDuration.observe((performance.now() - started) / 1000);
    }
  }

  readStream(stream: string): Promise<ReadStreamResult> {
    return this.inner.readStream(stream);
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readAll(options);
  }

  readAllBatches(options?: ReadAllOptions): AsyncIterable<readonly RecordedEvent[]> {
    return this.inner.readAllBatches(options);
  }

  subscribeAll(options: SubscribeAllOptions, handler: (event: RecordedEvent) => Promise<void> | void): Subscription {
    return this.inner.subscribeAll(options, handler);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  lastPositionOf(stream: string): Promise<number> {
    return this.inner.lastPositionOf(stream);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * The event store port. Every adapter (NATS JetStream, KurrentDB) implements it and passes the
 * shared contract suite in `contract/`.
 */

/** Who or what caused an event; carried by every event, shown by the audit API. */
export interface EventMetadata {
  /** Ties together every event caused by one user request (the gateway sets it). */
  readonly correlationId: string;
  /** The id of the event or command that caused this one, when there is one. */
  readonly causationId?: string;
  /** `user:<name>` for API callers, `service:<name>` for process managers. */
  readonly actor: string;
}

/** An event about to be appended. `id` is unique: appending the same id twice stores it once. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  readonly id: string;
  readonly type: TType;
  readonly schemaVersion: number;
  readonly data: TData;
  readonly metadata: EventMetadata;
  /** RFC 3339 with nanoseconds; the store fills it in when absent. */
  readonly time?: string;
}

/** An event as stored. */
export interface RecordedEvent<TType extends string = string, TData = unknown>
  extends NewEvent<TType, TData> {
  readonly stream: string;
  /**
   * Increases with every event of `stream`. Opaque: compare it only with revisions returned by the
   * same store (JetStream uses the global position of the stream's event; KurrentDB counts from 0).
   */
  readonly revision: number;
  /** Global order over all streams, starting at 1, without reuse. */
  readonly position: number;
  readonly time: string;
}

/** An event of a domain: a member of a union discriminated on `type` (libs/contracts). */
export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

/**
 * A recorded event known to be one of `E` (distributes over the union: narrowing on `type` narrows
 * `data`). Only `isEventOf` (skipped-events.ts) makes one from a `RecordedEvent`, after checking its
 * type and its schema.
 */
export type Recorded<E extends DomainEvent> = RecordedEvent & E;

/**
 * `no_stream`: the stream must not exist yet. `any`: no check. A number: the revision of the
 * stream's last event must be exactly this.
 */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface AppendResult {
  /** The revision of the last appended event: pass it as the next expected revision. */
  readonly nextExpectedRevision: number;
  /** The global position of the last appended event. */
  readonly position: number;
}

/** The stream's revision did not match the expected one; re-read, decide again, retry. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream' | 'unknown',
  ) {
    super(`wrong expected revision on ${stream}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export interface ReadStreamResult {
  readonly events: RecordedEvent[];
  /** The revision of the last event, or `no_stream` when the stream has none. */
  readonly revision: number | 'no_stream';
}

export interface ReadAllOptions {
  /** First position to return (inclusive). Default 1. */
  readonly fromPosition?: number;
  /** First event stored at or after this time. Ignored when `fromPosition` is given. */
  readonly fromTime?: Date;
  /** Last position to return (inclusive). Default: the head at the time of the call. */
  readonly toPosition?: number;
  /** Stop before the first event stored after this time. */
  readonly toTime?: Date;
}

export interface SubscribeAllOptions {
  /** Deliver events after this position (exclusive); 0 = from the very start. */
  readonly afterPosition: number;
  /**
   * Called once, when every event stored at subscription time has been delivered, with a position
   * up to which that is so: at least the last one delivered (with `categories`, possibly a later
   * one that was skipped).
   */
  readonly onCaughtUp?: (position: number) => void;
  /**
   * Only the events of streams of these categories (`categoryOf`: the name up to its first `-`).
   * Positions stay global: the ones skipped are simply not delivered. A store may filter on its
   * server (JetStream does for categories without a subject branch of their own, see
   * jetstream/options.ts), or on the client; the subscriber sees the same either way. A filtered
   * subscriber cannot wait for the head of the whole log (it may be an event it never sees): it
   * waits for `lastPositionOf` the streams its answer rests on.
   */
  readonly categories?: readonly string[];
}

export interface Subscription {
  /** Stops delivery; resolves when the handler will not be called again. */
  stop(): Promise<void>;
}

export interface EventStore {
  append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  readStream(stream: string): Promise<ReadStreamResult>;
  /** Events in global order; ends at `toPosition`/`toTime` or at the head when called. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * The events of `readAll`, a batch (what arrived together) at a time: for reads of the whole log
   * (a rebuild), where one await per event is a visible share of the time.
   */
  readAllBatches(options?: ReadAllOptions): AsyncIterable<readonly RecordedEvent[]>;
  /**
   * Catch-up then live: every event after `afterPosition`, in global order, each exactly once,
   * with no gap at the switch from stored to live. The handler is awaited before the next event.
   */
  subscribeAll(options: SubscribeAllOptions, handler: (event: RecordedEvent) => Promise<void> | void): Subscription;
  /** Position of the last stored event (0 when empty). */
  headPosition(): Promise<number>;
  /** Position of the last event of one stream (0 when it has none), read when called. */
  lastPositionOf(stream: string): Promise<number>;
  close(): Promise<void>;
}

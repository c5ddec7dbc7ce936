/**
 * Events a reader could not apply, recorded instead of stopping the reader. An event log is kept
 * forever: one event that a reader cannot read (written by an older version, or by a path that
 * skipped the checks) must not stop every replay after it. Each reader checks a recorded event
 * against its schema (`readableIssue`) before it folds it, skips the ones that fail, and records
 * them here; the process logs and counts them (libs/service-host) and the gateway's audit API lists them.
 */
import { SwarmEventTypes, eventSchemaIssue, type EventTypeSet, type SwarmEvent } from '#contracts';
import type { DomainEvent, Recorded, RecordedEvent } from './port.js';

/** One event one reader skipped. */
export interface SkippedEvent {
  /** The projection or reader that skipped it (e.g. `gateway read model`, `docker events`). */
  readonly reader: string;
  readonly position: number;
  readonly stream: string;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** `schema`: the event does not match its schema (or its type is unknown); `apply`: folding it threw. */
  readonly cause: 'schema' | 'apply';
  readonly reason: string;
  /** When it was first skipped. */
  readonly skippedAt: string;
}

export type SkippedEventListener = (skipped: SkippedEvent) => void;

/** How many distinct skips a process keeps for the audit API (the oldest go first). */
const KEPT = 1000;

/** The skips of this process, each (reader, position) once however often it is replayed. */
export class SkippedEventLog {
  private readonly entries = new Map<string, SkippedEvent>();
  private readonly listeners = new Set<SkippedEventListener>();

  /** Records a skip; listeners (log line, metric) hear of each (reader, position) once. */
  record(reader: string, event: RecordedEvent, cause: SkippedEvent['cause'], reason: string): void {
    const key = `${reader}\u0000${event.stream}\u0000${event.position}`;
    if (this.entries.has(key)) return;
    const skipped: SkippedEvent = {
      reader,
      position: event.position,
      stream: event.stream,
      id: String(event.id).slice(0, 128),
      type: String(event.type).slice(0, 128),
      schemaVersion: event.schemaVersion,
      cause,
      reason: reason.slice(0, 512),
      skippedAt: new Date().toISOString(),
    };
    this.entries.set(key, skipped);
    if (this.entries.size > KEPT) this.entries.delete(this.entries.keys().next().value as string);
    if (this.listeners.size === 0) console.error(`${reader}: skipped event at position ${event.position} (${skipped.type}): ${skipped.reason}`);
    for (const listener of this.listeners) {
      try {
        listener(skipped);
      } catch {
        // A failing listener must not turn a skip into a stop.
      }
    }
  }

  /** The skips kept, in the order they happened. */
  list(): SkippedEvent[] {
    return [...this.entries.values()];
  }

  /** Returns an unsubscribe function. */
  onSkip(listener: SkippedEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The process's skips: every reader of the process records into it. */
export const skippedEvents = new SkippedEventLog();

/** Why a recorded event cannot be read (unknown type or version, data not matching), or undefined. */
export function readableIssue(event: RecordedEvent): string | undefined {
  if (event.type === UNDECODABLE_EVENT_TYPE) {
    const data = event.data;
    return typeof data === 'object' && data !== null && 'reason' in data ? String(data.reason) : 'not an event';
  }
  if (typeof event.time !== 'string' || !RFC3339.test(event.time)) return 'time is not an RFC 3339 time';
  return eventSchemaIssue(event)?.message;
}

/**
 * Whether a recorded event is one of `E`: of one of `types` and matching the schema registered for
 * its type and version. Its `data` is then what the event's interface says (each schema is tied to
 * its interface at build time, `SameShape` in libs/contracts): the one place where stored `unknown`
 * data becomes typed, by a check, never a cast. `onIssue` hears why an event of `types` is not
 * readable (also when it is of another type). `types` undefined: any registered type (then `E` is
 * any event, `DomainEvent`).
 */
export function isEventOf<E extends DomainEvent>(types: EventTypeSet<E> | undefined, event: RecordedEvent, onIssue?: (issue: string) => void): event is Recorded<E> {
  if (types !== undefined && !types.has(event.type)) {
    onIssue?.(readableIssue(event) ?? `${String(event.type).slice(0, 64)} is not one of the events read here`);
    return false;
  }
  const issue = readableIssue(event);
  if (issue !== undefined) onIssue?.(issue);
  return issue === undefined;
}

/**
 * Narrows a swarm event (one `isEventOf(SwarmEventTypes, ...)` checked) to those of `types`, without
 * checking its schema again: for a reader that checks an event once and hands it to several folds.
 */
export function isOfTypes<E extends SwarmEvent>(types: EventTypeSet<E>, event: Recorded<SwarmEvent>): event is Recorded<SwarmEvent> & E {
  return types.has(event.type);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Runs `read` on a swarm event that matches its schema; an event that does not, or whose `read`
 * throws, is recorded as skipped by `reader` and gives `fallback`. For readers outside a projection
 * (the Docker events stream, the integration publisher, the audit state).
 */
export function readSafely<T>(reader: string, event: RecordedEvent, read: (event: Recorded<SwarmEvent>) => T, fallback: T, log = skippedEvents): T {
  let issue: string | undefined;
  if (!isEventOf(SwarmEventTypes, event, (why) => (issue = why))) {
    log.record(reader, event, 'schema', issue ?? `${String(event.type).slice(0, 64)} is not a swarm event`);
    return fallback;
  }
  try {
    return read(event);
  } catch (error) {
    log.record(reader, event, 'apply', error instanceof Error ? error.message : String(error));
    return fallback;
  }
}

/**
 * The type of the stand-in an adapter delivers for a stored message that is not an event at all
 * (not JSON, no envelope): no schema is registered for it, so every reader skips and records it
 * and the positions after it are still delivered.
 */
export const UNDECODABLE_EVENT_TYPE = '$undecodable';

export function undecodableEvent(stream: string, position: number, reason: string): RecordedEvent {
  return {
    id: `undecodable-${position}`,
    type: UNDECODABLE_EVENT_TYPE,
    schemaVersion: 0,
    data: { reason },
    metadata: { correlationId: '', actor: 'unknown' },
    time: '1970-01-01T00:00:00.000000000Z',
    stream,
    revision: position,
    position,
  };
}

/**
 * The events that match their schema, in order; the others are recorded as skipped by `reader`.
 * For a fold of one stream read whole (a command deciding on it): a bad event must not make every
 * later command on that stream fail.
 */
export function readableEvents<E extends DomainEvent>(reader: string, events: readonly RecordedEvent[], types: EventTypeSet<E>, log = skippedEvents): Recorded<E>[] {
  const readable: Recorded<E>[] = [];
  for (const event of events) {
    if (isEventOf(types, event, (issue) => log.record(reader, event, 'schema', issue))) readable.push(event);
  }
  return readable;
}

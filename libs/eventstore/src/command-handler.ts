/**
 * The command path, mode 1 (decision 0014): read the stream, fold it, decide, append with the
 * revision that was read; on a concurrent write, read again and decide again (bounded). Mode 2,
 * deciding on a live projection, is in projection-command.ts.
 */
import type { EventTypeSet } from '#contracts';
import { WrongExpectedRevisionError, type DomainEvent, type EventStore, type NewEvent, type Recorded } from './port.js';
import { isEventOf, skippedEvents } from './skipped-events.js';
import { nowRfc3339 } from './time.js';

/** How one stream is folded: its event types, the state before its first event, and evolve. */
export interface StreamFold<TState, E extends DomainEvent> {
  /** The events of the stream; any other is skipped (and recorded), as one that fails its schema. */
  readonly types: EventTypeSet<E>;
  readonly initialState: TState;
  readonly evolve: (state: TState, event: Recorded<E>) => TState;
}

export interface LoadedStream<TState, E extends DomainEvent> {
  readonly state: TState;
  /** The events folded (those of `types` that match their schema), in order. */
  readonly events: readonly Recorded<E>[];
  /** The stream's revision (of its last event, readable or not), or `no_stream`. */
  readonly revision: number | 'no_stream';
  /** Global position of the stream's last event; 0 for a stream with none. */
  readonly position: number;
}

export interface HandleCommandOptions<TState, E extends DomainEvent> extends StreamFold<TState, E> {
  readonly store: EventStore;
  readonly stream: string;
  /**
   * Returns the events to append (possibly none). Called again on every retry with the fresh
   * state, so it must not have side effects. Errors it throws propagate untouched.
   */
  readonly decide: (state: TState) => readonly NewEvent[] | Promise<readonly NewEvent[]>;
  /** Retries after a WrongExpectedRevisionError; default 5 (so at most 6 attempts). */
  readonly maxRetries?: number;
  /**
   * The stream is most likely new (named after an ID generated for this command): the first
   * attempt decides on `initialState` and appends with `no_stream` without reading; a conflict
   * reads the stream and decides again. Saves a read on paths such as a join.
   */
  readonly assumeNew?: boolean;
  /**
   * The revision the client read and named (an update "at version N"): the command is decided
   * only on that revision and never retried; a stream at another revision, or a write that lands
   * first, throws WrongExpectedRevisionError (the caller's "update out of sequence").
   */
  readonly expectedRevision?: number;
}

export interface CommandResult<TState> {
  /** The events appended, as sent (with `time` filled in); empty when `decide` returned none. */
  readonly events: readonly NewEvent[];
  /**
   * Global position of the last appended event; when nothing was appended, the position of the
   * stream's last event (0 for a new stream). Wait for it in projections before answering.
   */
  readonly position: number;
  /** The stream's revision after the command: pass it as the next expected revision. */
  readonly revision: number | 'no_stream';
  /** The state `decide` saw on the successful attempt. */
  readonly state: TState;
  /** 1 + the number of retries needed. */
  readonly attempts: number;
}

/** The reader name a command's fold records skipped events under. */
const COMMAND_READER = 'command handler';

const retryListeners = new Set<(stream: string) => void>();

/**
 * Calls `listener` with the stream each time a command is decided again after a conflict (for
 * metrics); returns the function that removes it.
 */
export function onCommandRetry(listener: (stream: string) => void): () => void {
  retryListeners.add(listener);
  return () => retryListeners.delete(listener);
}

/** Tells the retry listeners (both modes of the command path). */
export function reportCommandRetry(stream: string): void {
  for (const listener of retryListeners) listener(stream);
}

/**
 * Reads a stream and folds it. An event that is not of the stream's types, does not match its
 * schema, or that evolve throws on is skipped and recorded: a command still decides, and appends
 * after it, instead of failing for good.
 */
export async function loadStream<TState, E extends DomainEvent>(store: EventStore, stream: string, fold: StreamFold<TState, E>): Promise<LoadedStream<TState, E>> {
  const { events: history, revision } = await store.readStream(stream);
  const events: Recorded<E>[] = [];
  let state = fold.initialState;
  for (const event of history) {
    const skip = (issue: string): void => skippedEvents.record(COMMAND_READER, event, 'schema', issue);
    if (!isEventOf(fold.types, event, skip)) continue;
    try {
      state = fold.evolve(state, event);
      events.push(event);
    } catch (error) {
      skippedEvents.record(COMMAND_READER, event, 'apply', error instanceof Error ? error.message : String(error));
    }
  }
  return { state, events, revision, position: history.at(-1)?.position ?? 0 };
}

export async function handleCommand<TState, E extends DomainEvent>(options: HandleCommandOptions<TState, E>): Promise<CommandResult<TState>> {
  const { store, stream, decide, expectedRevision } = options;
  const maxRetries = expectedRevision === undefined ? (options.maxRetries ?? 5) : 0;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError('maxRetries must be an integer >= 0');
  for (let attempt = 1; ; attempt++) {
    const loaded =
      attempt === 1 && options.assumeNew
        ? { state: options.initialState, revision: 'no_stream' as const, position: 0 }
        : await loadStream(store, stream, options);
    const { state, revision } = loaded;
    if (expectedRevision !== undefined && revision !== expectedRevision) throw new WrongExpectedRevisionError(stream, expectedRevision, revision);
    const decided = await decide(state);
    if (decided.length === 0) return { events: [], position: loaded.position, revision, state, attempts: attempt };
    // Fill the time here so that what we return is exactly what is stored.
    const events = decided.map((e) => (e.time === undefined ? { ...e, time: nowRfc3339() } : e));
    try {
      const result = await store.append(stream, events, revision);
      return { events, position: result.position, revision: result.nextExpectedRevision, state, attempts: attempt };
    } catch (err) {
      const firstGuess = attempt === 1 && options.assumeNew === true;
      if (!(err instanceof WrongExpectedRevisionError) || (attempt > maxRetries && !firstGuess)) throw err;
      // A wrong guess that the stream was new is not a retry: it read nothing yet.
      if (!firstGuess) reportCommandRetry(stream);
    }
  }
}

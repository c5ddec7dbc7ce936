/**
 * The one path from a command to stored events: read the stream, fold it, decide, append with the
 * revision that was read; on a concurrent write, read again and decide again (bounded).
 */
import { WrongExpectedRevisionError, type EventStore, type NewEvent, type RecordedEvent } from './port.js';
import { readSafely } from './skipped-events.js';
import { nowRfc3339 } from './time.js';

export interface HandleCommandOptions<TState> {
  readonly store: EventStore;
  readonly stream: string;
  readonly initialState: TState;
  readonly evolve: (state: TState, event: RecordedEvent) => TState;
  /**
   * Returns the events to append (possibly none). Called again on every retry with the fresh
   * state, so it must not have side effects. Errors it throws propagate untouched.
   */
  readonly decide: (state: TState) => readonly NewEvent[] | Promise<readonly NewEvent[]>;
  /** Retries after a WrongExpectedRevisionError; default 5 (so at most 6 attempts). */
  readonly maxRetries?: number;
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

export async function handleCommand<TState>(options: HandleCommandOptions<TState>): Promise<CommandResult<TState>> {
  const { store, stream, initialState, evolve, decide } = options;
  const maxRetries = options.maxRetries ?? 5;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError('maxRetries must be an integer >= 0');
  for (let attempt = 1; ; attempt++) {
    const { events: history, revision } = await store.readStream(stream);
    // An event of the stream that does not match its schema (or that evolve throws on) is skipped
    // and recorded: the command still decides, and appends after it, instead of failing for good.
    const state = history.reduce((folded, event) => readSafely(COMMAND_READER, event, (e) => evolve(folded, e), folded), initialState);
    const decided = await decide(state);
    if (decided.length === 0) {
      return { events: [], position: history.at(-1)?.position ?? 0, revision, state, attempts: attempt };
    }
    // Fill the time here so that what we return is exactly what is stored.
    const events = decided.map((e) => (e.time === undefined ? { ...e, time: nowRfc3339() } : e));
    try {
      const result = await store.append(stream, events, revision);
      return { events, position: result.position, revision: result.nextExpectedRevision, state, attempts: attempt };
    } catch (err) {
      if (!(err instanceof WrongExpectedRevisionError) || attempt > maxRetries) throw err;
      for (const listener of retryListeners) listener(stream);
    }
  }
}

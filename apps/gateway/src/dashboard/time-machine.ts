import { readSafely, type EventStore, type RecordedEvent } from '#eventstore';
import { SwarmReadModel } from '../read-model/swarm-read-model.js';
import { presentView, recordTokenEvent, type TokenAges } from './present-view.js';
import type { LogEventRow, TimeMachineAnswer } from './view-types.js';

/** The reader name the time machine's skipped events are recorded under. */
const TIME_MACHINE_READER = 'dashboard time machine';

/** How many log events either side of the chosen point the page lists. */
const AROUND = 12;

/** A point in the log: a position (inclusive) or a time (the last event stored at or before it). */
export type LogPoint = { readonly position: number } | { readonly at: Date };

/**
 * The time machine: the page's view as it was at a point of the log, from a replay of the log up
 * to there into a fresh read model of the same kind the gateway serves from, as `/audit/state`
 * does, and without opening a single secret (tokens stay sealed, the page gets fingerprints).
 */
export async function viewAt(store: EventStore, point: LogPoint, signal?: AbortSignal): Promise<TimeMachineAnswer | undefined> {
  const model = new SwarmReadModel(() => '[sealed]');
  const tokens: TokenAges = new Map();
  const head = await store.headPosition();
  const range = 'position' in point ? { toPosition: Math.min(point.position, head) } : { toTime: point.at };
  let last: RecordedEvent | undefined;
  if (!('position' in point) || point.position > 0) {
    for await (const batch of store.readAllBatches(range)) {
      if (signal?.aborted) return undefined;
      for (const event of batch) {
        // An event that does not match its schema is skipped (and listed by GET /audit/skipped-events).
        readSafely(TIME_MACHINE_READER, event, (e) => {
          model.apply(e);
          recordTokenEvent(tokens, e);
        }, undefined);
      }
      last = batch.at(-1) ?? last;
    }
  }
  const position = last?.position ?? 0;
  return { head, time: last?.time ?? null, view: presentView(model, tokens, position), around: await eventsAround(store, position, head) };
}

async function eventsAround(store: EventStore, position: number, head: number): Promise<LogEventRow[]> {
  const rows: LogEventRow[] = [];
  const fromPosition = Math.max(1, position - AROUND);
  const toPosition = Math.min(head, position + AROUND);
  if (head === 0 || toPosition < fromPosition) return rows;
  for await (const event of store.readAll({ fromPosition, toPosition })) {
    rows.push({ position: event.position, time: event.time, type: event.type, stream: event.stream, actor: event.metadata.actor ?? '' });
  }
  return rows;
}

/** `position=<n>` or `at=<RFC 3339 | unix seconds>` from the page's query. */
export function parseLogPoint(query: URLSearchParams): LogPoint | string {
  const position = query.get('position');
  if (position !== null && position !== '') {
    return /^\d{1,15}$/.test(position) ? { position: Number(position) } : 'position must be a non-negative integer';
  }
  const at = query.get('at');
  if (!at) return 'give position=<n> or at=<time>';
  const ms = /^\d+(\.\d+)?$/.test(at) ? Number(at) * 1000 : Date.parse(at);
  return Number.isNaN(ms) ? `invalid time: ${at}` : { at: new Date(ms) };
}

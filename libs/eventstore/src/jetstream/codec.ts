/**
 * One JetStream message per event. The payload is the JSON of
 * `{id, type, schemaVersion, data, metadata, time}`; the headers repeat the id (`Nats-Msg-Id`, used
 * by the server to drop duplicates) and the type (`Es-Event-Type`, for tools that read headers
 * only). The stream, revision and position are not stored: they come from the subject and the
 * stream sequence.
 */
import { headers, type MsgHdrs } from '@nats-io/nats-core';

import { prepareNewEvent, type PreparedEvent } from '../new-event.js';
import type { NewEvent, RecordedEvent } from '../port.js';
import { undecodableEvent } from '../skipped-events.js';

export const EVENT_TYPE_HEADER = 'Es-Event-Type';

/** What a message holds: the event as prepared for any store (`new-event.ts`). */
type StoredPayload = PreparedEvent;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Checks the event and fills `time` (from the clock) when absent. */
export const prepareEvent: (event: NewEvent) => StoredPayload = prepareNewEvent;

export function encodePayload(payload: StoredPayload): { data: Uint8Array; headers: MsgHdrs } {
  const h = headers();
  h.set(EVENT_TYPE_HEADER, payload.type);
  return { data: encoder.encode(JSON.stringify(payload)), headers: h };
}

/**
 * A stored message as an event. A payload that is not one of ours (not JSON, no envelope) becomes an
 * `undecodableEvent` stand-in, which readers skip and record: throwing here would stop every
 * subscription and replay at that position, for good (the log keeps it forever).
 */
export function decodeEvent(stream: string, seq: number, data: Uint8Array): RecordedEvent {
  let payload: Partial<StoredPayload> | null;
  try {
    payload = JSON.parse(decoder.decode(data)) as Partial<StoredPayload> | null;
  } catch {
    return undecodableEvent(stream, seq, `malformed event at position ${seq} of ${stream}: not JSON`);
  }
  if (typeof payload !== 'object' || payload === null) return undecodableEvent(stream, seq, `malformed event at position ${seq} of ${stream}`);
  const { id, type, schemaVersion, metadata, time } = payload;
  if (
    typeof id !== 'string' ||
    typeof type !== 'string' ||
    typeof schemaVersion !== 'number' ||
    typeof metadata !== 'object' ||
    metadata === null ||
    typeof time !== 'string'
  ) {
    return undecodableEvent(stream, seq, `malformed event at position ${seq} of ${stream}`);
  }
  return { id, type, schemaVersion, data: payload.data, metadata, time, stream, revision: seq, position: seq };
}

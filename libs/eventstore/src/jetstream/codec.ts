/**
 * One JetStream message per event. The payload is the JSON of
 * `{id, type, schemaVersion, data, metadata, time}`; the headers repeat the id (`Nats-Msg-Id`, used
 * by the server to drop duplicates) and the type (`Es-Event-Type`, for tools that read headers
 * only). The stream, revision and position are not stored: they come from the subject and the
 * stream sequence.
 */
import { headers, type MsgHdrs } from '@nats-io/nats-core';

import type { EventMetadata, NewEvent, RecordedEvent } from '../port.js';
import { normalizeRfc3339, nowRfc3339 } from '../time.js';

export const EVENT_TYPE_HEADER = 'Es-Event-Type';

interface StoredPayload {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly time: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Checks the event and fills `time` (from the clock) when absent. */
export function prepareEvent(event: NewEvent): StoredPayload {
  if (typeof event.id !== 'string' || event.id.length === 0) throw new TypeError('event id must be a non-empty string');
  if (typeof event.type !== 'string' || event.type.length === 0) {
    throw new TypeError(`event ${event.id}: type must be a non-empty string`);
  }
  if (!Number.isInteger(event.schemaVersion)) throw new TypeError(`event ${event.id}: schemaVersion must be an integer`);
  const metadata = event.metadata as EventMetadata | undefined;
  if (typeof metadata?.correlationId !== 'string' || typeof metadata.actor !== 'string') {
    throw new TypeError(`event ${event.id}: metadata needs correlationId and actor`);
  }
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata,
    time: event.time === undefined ? nowRfc3339() : normalizeRfc3339(event.time),
  };
}

export function encodePayload(payload: StoredPayload): { data: Uint8Array; headers: MsgHdrs } {
  const h = headers();
  h.set(EVENT_TYPE_HEADER, payload.type);
  return { data: encoder.encode(JSON.stringify(payload)), headers: h };
}

/** A stored message as an event; throws when the payload is not one of ours. */
export function decodeEvent(stream: string, seq: number, data: Uint8Array): RecordedEvent {
  let payload: Partial<StoredPayload>;
  try {
    payload = JSON.parse(decoder.decode(data)) as Partial<StoredPayload>;
  } catch (err) {
    throw new Error(`malformed event at position ${seq} of ${stream}: not JSON`, { cause: err });
  }
  const { id, type, schemaVersion, metadata, time } = payload;
  if (
    typeof id !== 'string' ||
    typeof type !== 'string' ||
    typeof schemaVersion !== 'number' ||
    typeof metadata !== 'object' ||
    metadata === null ||
    typeof time !== 'string'
  ) {
    throw new Error(`malformed event at position ${seq} of ${stream}`);
  }
  return { id, type, schemaVersion, data: payload.data, metadata, time, stream, revision: seq, position: seq };
}

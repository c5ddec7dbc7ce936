/**
 * One KurrentDB event per port event, content type JSON:
 *
 * - KurrentDB `id` (a UUID, the server's idempotency key): the port's event id when it is a
 *   lower-case UUID, otherwise a name-based UUID (SHA-1, RFC 9562 version 5 layout) derived from
 *   it, so that a retried append with the same id is still recognised by the server.
 * - `type` and `data`: the event's type and data.
 * - `metadata` (JSON): `$correlationId` and `$causationId` under the names KurrentDB's own
 *   projections read (`$by_correlation_id`), then `actor`, `schemaVersion`, `time`, and
 *   `eventId` when the port's id is not the KurrentDB id.
 *
 * The stream, revision and position are not stored: they come from the server.
 */
import { createHash } from 'node:crypto';

import type { EventData, RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';

import type { EventMetadata, RecordedEvent } from '../port.js';
import type { PreparedEvent } from '../new-event.js';
import { toGlobalPosition, toSafeNumber } from './mapping.js';
import { undecodableEvent } from '../skipped-events.js';

/** The KurrentDB metadata of an event written by this adapter. */
export interface StoredMetadata {
  readonly $correlationId: string;
  readonly $causationId?: string;
  readonly actor: string;
  readonly schemaVersion: number;
  /** The event's own time (RFC 3339, 9 digits); the server's `created` is kept apart. */
  readonly time: string;
  /** The port's event id, when it differs from the KurrentDB id. */
  readonly eventId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Namespace of the name-based ids (a fixed random UUID, never change it: ids would change). */
const EVENT_ID_NAMESPACE = Buffer.from('3b0f5c1e7a9d4e2f8c61d0b4a7e29f53', 'hex');

/** The KurrentDB id for a port event id. */
export function kurrentEventId(eventId: string): string {
  if (UUID.test(eventId)) return eventId;
  const hash = createHash('sha1').update(EVENT_ID_NAMESPACE).update(eventId, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50; // version 5
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80; // RFC variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function encodeEvent(event: PreparedEvent): EventData {
  const id = kurrentEventId(event.id);
  const { correlationId, causationId, actor } = event.metadata;
  const metadata: StoredMetadata = {
    $correlationId: correlationId,
    ...(causationId === undefined ? {} : { $causationId: causationId }),
    actor,
    schemaVersion: event.schemaVersion,
    time: event.time,
    ...(id === event.id ? {} : { eventId: event.id }),
  };
  // The client's JSON types exclude numbers, booleans and null at the top level; the wire format
  // (JSON.stringify) takes any JSON value, and the port allows any.
  const data = (event.data === undefined ? null : event.data) as Record<string, unknown>;
  return { id, contentType: 'application/json', type: event.type, data, metadata: { ...metadata } };
}

/**
 * A recorded KurrentDB event as the port's event. One of our streams' events that this adapter did
 * not write (no JSON, no metadata of ours) becomes an `undecodableEvent` stand-in, which readers skip
 * and record: throwing would stop every subscription and replay there for good. Throws only for an
 * event without an `$all` position (the port cannot place it).
 */
export function decodeEvent(recorded: KurrentRecordedEvent): RecordedEvent {
  const where = `event ${recorded.revision} of ${recorded.streamId}`;
  const metadata = recorded.metadata as Partial<StoredMetadata> | undefined;
  if (
    !recorded.isJson ||
    typeof metadata !== 'object' ||
    metadata === null ||
    metadata instanceof Uint8Array ||
    typeof metadata.$correlationId !== 'string' ||
    typeof metadata.actor !== 'string' ||
    typeof metadata.schemaVersion !== 'number' ||
    typeof metadata.time !== 'string' ||
    (metadata.$causationId !== undefined && typeof metadata.$causationId !== 'string') ||
    (metadata.eventId !== undefined && typeof metadata.eventId !== 'string')
  ) {
    const position = toGlobalPosition(recorded.position, where);
    return {
      ...undecodableEvent(recorded.streamId, position, `malformed ${where}: not written by the swarmplane event store`),
      revision: toSafeNumber(recorded.revision, `revision of ${where}`),
    };
  }
  const eventMetadata: EventMetadata = {
    correlationId: metadata.$correlationId,
    ...(metadata.$causationId === undefined ? {} : { causationId: metadata.$causationId }),
    actor: metadata.actor,
  };
  return {
    id: metadata.eventId ?? recorded.id,
    type: recorded.type,
    schemaVersion: metadata.schemaVersion,
    data: recorded.data,
    metadata: eventMetadata,
    time: metadata.time,
    stream: recorded.streamId,
    revision: toSafeNumber(recorded.revision, `revision of ${where}`),
    position: toGlobalPosition(recorded.position, where),
  };
}

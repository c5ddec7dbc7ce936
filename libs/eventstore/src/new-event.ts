/** Checks an event about to be appended, independent of the store (both adapters use it). */
import { eventSchemaIssue, type SchemaIssue } from '#contracts';
import type { EventMetadata, NewEvent } from './port.js';
import { normalizeRfc3339, nowRfc3339 } from './time.js';

/** A `NewEvent` after validation, with `time` always set (RFC 3339, 9 fractional digits). */
export interface PreparedEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly time: string;
}

/**
 * An event that does not match the schema registered for its type and version (or whose type is
 * not registered at all): refused before anything of its append is written.
 */
export class InvalidEventError extends Error {
  constructor(
    readonly eventType: string,
    readonly eventId: string,
    readonly issue: SchemaIssue,
  ) {
    super(`event ${eventId} (${eventType.slice(0, 64)}) refused: ${issue.message}`);
    this.name = 'InvalidEventError';
  }
}

/**
 * Throws a TypeError for a malformed envelope and an InvalidEventError for data that does not match
 * its schema (libs/contracts event-registry.ts); fills `time` from the clock when absent.
 */
export function prepareNewEvent(event: NewEvent): PreparedEvent {
  if (typeof event.id !== 'string' || event.id.length === 0) throw new TypeError('event id must be a non-empty string');
  if (typeof event.type !== 'string' || event.type.length === 0) {
    throw new TypeError(`event ${event.id}: type must be a non-empty string`);
  }
  if (!Number.isInteger(event.schemaVersion)) throw new TypeError(`event ${event.id}: schemaVersion must be an integer`);
  const metadata = event.metadata as EventMetadata | undefined;
  if (typeof metadata?.correlationId !== 'string' || typeof metadata.actor !== 'string') {
    throw new TypeError(`event ${event.id}: metadata needs correlationId and actor`);
  }
  if (metadata.causationId !== undefined && typeof metadata.causationId !== 'string') {
    throw new TypeError(`event ${event.id}: causationId must be a string when present`);
  }
  const issue = eventSchemaIssue(event);
  if (issue !== undefined) throw new InvalidEventError(event.type, event.id, issue);
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata,
    time: event.time === undefined ? nowRfc3339() : normalizeRfc3339(event.time),
  };
}

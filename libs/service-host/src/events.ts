import { createHash, randomUUID } from 'node:crypto';
import { EVENT_SCHEMA_VERSIONS, type RequestContext, type SwarmEvent } from '#contracts';
import type { NewEvent } from '#eventstore';

/** Turns a domain event into a storable one, with its schema version and the request's metadata. */
export function toNewEvent(event: SwarmEvent, context: RequestContext, id: string = randomUUID()): NewEvent {
  return {
    id,
    type: event.type,
    schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
    data: event.data,
    metadata: {
      correlationId: context.correlationId,
      actor: context.actor,
      ...(context.causationId ? { causationId: context.causationId } : {}),
    },
  };
}

/** A UUID-shaped id derived from its parts: the same step of the same process gets the same id. */
export function deterministicEventId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The context of a step a service takes on its own behalf, caused by an earlier event or request. */
export function serviceContext(service: string, cause: RequestContext, causationId?: string): RequestContext {
  return {
    correlationId: cause.correlationId,
    actor: `service:${service}`,
    ...(causationId ? { causationId } : cause.causationId ? { causationId: cause.causationId } : {}),
  };
}

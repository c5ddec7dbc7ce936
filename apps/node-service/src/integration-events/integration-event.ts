import type { DockerEvent } from '#engine-http';
import type { RecordedEvent } from '#eventstore';

/** JetStream stream and subjects of the integration events (docs/integration-events.md). */
export const INTEGRATION_STREAM = 'SWARM_INTEGRATION';
export const INTEGRATION_SUBJECT_PREFIX = 'swarm.events';
export const INTEGRATION_SCHEMA_VERSION = 1;

/**
 * An integration event, schema version 1: one Docker swarm event (node/network create, update,
 * remove) with where it came from in the log. `id` is unique and stable: it is the dedupe key.
 */
export interface IntegrationEvent {
  readonly schemaVersion: 1;
  readonly id: string;
  readonly sourceEventId: string;
  readonly position: number;
  readonly type: DockerEvent['Type'];
  readonly action: DockerEvent['Action'];
  readonly actor: { readonly id: string; readonly attributes: Record<string, string> };
  readonly scope: DockerEvent['scope'];
  readonly time: string;
  readonly timeNano: string;
  readonly correlationId: string;
  readonly actorOfChange: string;
}

export function integrationSubject(event: DockerEvent): string {
  return `${INTEGRATION_SUBJECT_PREFIX}.${event.Type}.${event.Action}`;
}

export function toIntegrationEvent(source: RecordedEvent, docker: DockerEvent, index: number): IntegrationEvent {
  return {
    schemaVersion: INTEGRATION_SCHEMA_VERSION,
    id: `${source.id}:${index}`,
    sourceEventId: source.id,
    position: source.position,
    type: docker.Type,
    action: docker.Action,
    actor: { id: docker.Actor.ID, attributes: docker.Actor.Attributes },
    scope: docker.scope,
    time: source.time,
    timeNano: docker.timeNano,
    correlationId: source.metadata.correlationId,
    actorOfChange: source.metadata.actor,
  };
}

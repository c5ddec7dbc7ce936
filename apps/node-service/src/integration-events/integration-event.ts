import type { DockerEvent } from '#engine-http';
import { isEventOf, type RecordedEvent } from '#eventstore';
import { JoinTokenEventTypes } from '#contracts';

/**
 * What an integration event is made from: a Docker swarm event, or one of this engine's own that
 * Docker has no event for (a join token past SWARM_TOKEN_MAX_AGE: type `jointoken`, action `aged`).
 */
export interface IntegrationSource {
  readonly Type: DockerEvent['Type'] | 'jointoken';
  readonly Action: DockerEvent['Action'] | 'aged';
  readonly Actor: DockerEvent['Actor'];
  readonly scope: DockerEvent['scope'];
  readonly timeNano: string;
}

/** A join token's age passing the maximum, as an integration event's source (actor: the cluster). */
export function tokenAgeSources(event: RecordedEvent): IntegrationSource[] {
  if (!isEventOf(JoinTokenEventTypes, event) || event.type !== 'JoinTokenAgeExceeded') return [];
  const d = event.data;
  const ms = BigInt(Date.parse(event.time));
  return [{
    Type: 'jointoken',
    Action: 'aged',
    Actor: { ID: d.clusterId, Attributes: { role: d.role, fingerprint: d.fingerprint, issuedAt: d.issuedAt, maxAgeSeconds: String(d.maxAgeSeconds), autoRotate: String(d.autoRotate) } },
    scope: 'swarm',
    timeNano: (ms * 1_000_000n).toString(),
  }];
}

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
  readonly type: IntegrationSource['Type'];
  readonly action: IntegrationSource['Action'];
  readonly actor: { readonly id: string; readonly attributes: Record<string, string> };
  readonly scope: IntegrationSource['scope'];
  readonly time: string;
  readonly timeNano: string;
  readonly correlationId: string;
  readonly actorOfChange: string;
}

export function integrationSubject(event: IntegrationSource): string {
  return `${INTEGRATION_SUBJECT_PREFIX}.${event.Type}.${event.Action}`;
}

export function toIntegrationEvent(source: RecordedEvent, docker: IntegrationSource, index: number): IntegrationEvent {
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

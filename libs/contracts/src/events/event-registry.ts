/**
 * One registry from event type and schema version to the compiled schema of its `data`. The event
 * store checks every event against it before an append (nothing unchecked enters the log) and
 * readers check every recorded event before they fold it (nothing in the log stops a reader).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { compileSchema, jsonTypeOf, type SchemaIssue, type SchemaValidator } from '../validation/schema-validator.js';
import { EVENT_SCHEMA_VERSIONS, type SwarmEventType } from './event-union.js';
import {
  AddressPoolsConfiguredData, JoinTokenAgeExceededData, JoinTokenRotatedData, JoinTokensIssuedData, JoinTokensReissuedData, RootRotationCompletedData,
  RootRotationStartedData, NetworkCreatedData, NetworkRemovedData,
  NodeCertificateIssuedData, RootCaCreatedData,
} from './service-event-schemas.js';
import {
  NodeRegisteredData, NodeRemovedData, NodeSpecUpdatedData, NodeStatusChangedData, SwarmCreatedData,
  SwarmInitCompletedData, SwarmInitStartedData, SwarmLeftData, SwarmUpdatedData, UnlockKeyIssuedData, UnlockKeyRemovedData,
} from './swarm-event-schemas.js';
import { SwarmInitAbandonedDataSchema } from './swarm-events.js';

/** The schema of each event's `data`, at the version in `EVENT_SCHEMA_VERSIONS`. */
export const EVENT_DATA_SCHEMAS: Record<SwarmEventType, TSchema> = {
  SwarmInitStarted: SwarmInitStartedData,
  SwarmInitCompleted: SwarmInitCompletedData,
  SwarmInitAbandoned: SwarmInitAbandonedDataSchema,
  SwarmLeft: SwarmLeftData,
  SwarmCreated: SwarmCreatedData,
  SwarmUpdated: SwarmUpdatedData,
  UnlockKeyIssued: UnlockKeyIssuedData,
  UnlockKeyRemoved: UnlockKeyRemovedData,
  NodeRegistered: NodeRegisteredData,
  NodeSpecUpdated: NodeSpecUpdatedData,
  NodeStatusChanged: NodeStatusChangedData,
  NodeRemoved: NodeRemovedData,
  RootCaCreated: RootCaCreatedData,
  RootRotationStarted: RootRotationStartedData,
  RootRotationCompleted: RootRotationCompletedData,
  NodeCertificateIssued: NodeCertificateIssuedData,
  JoinTokensIssued: JoinTokensIssuedData,
  JoinTokenRotated: JoinTokenRotatedData,
  JoinTokensReissued: JoinTokensReissuedData,
  JoinTokenAgeExceeded: JoinTokenAgeExceededData,
  AddressPoolsConfigured: AddressPoolsConfiguredData,
  NetworkCreated: NetworkCreatedData,
  NetworkRemoved: NetworkRemovedData,
};

/** What the registry checks of an event: its type, schema version and data. */
export interface TypedEventPayload {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

const validators = new Map<string, SchemaValidator<unknown>>();
const key = (type: string, schemaVersion: number): string => `${type}@${schemaVersion}`;

for (const [type, schema] of Object.entries(EVENT_DATA_SCHEMAS)) {
  validators.set(key(type, EVENT_SCHEMA_VERSIONS[type as SwarmEventType]), compileSchema(schema));
}
const PRODUCTION_TYPES: ReadonlySet<string> = new Set(Object.keys(EVENT_DATA_SCHEMAS));

/**
 * Registers an event type that is not one of the swarm's, e.g. a test's own. A production event
 * type cannot be registered again, so no caller can loosen what the log accepts for it; the same
 * type and version twice keeps the first schema.
 */
export function registerEventSchema(type: string, schemaVersion: number, schema: TSchema = Type.Unknown()): void {
  if (PRODUCTION_TYPES.has(type)) throw new Error(`event type ${type} is a swarm event: its schema cannot be replaced`);
  if (!validators.has(key(type, schemaVersion))) validators.set(key(type, schemaVersion), compileSchema(schema));
}

/** Why an event does not match the registry (unknown type or version, or its data's first issue), or undefined. */
export function eventSchemaIssue(event: TypedEventPayload): SchemaIssue | undefined {
  const validate = validators.get(key(event.type, event.schemaVersion));
  if (validate === undefined) {
    return {
      path: ['type'],
      keyword: 'eventType',
      expected: 'a registered event type and schema version',
      actual: jsonTypeOf(event.type),
      message: `unknown event type ${String(event.type).slice(0, 64)} version ${String(event.schemaVersion)}`,
    };
  }
  const issue = validate.issue(event.data);
  return issue === undefined ? undefined : { ...issue, path: ['data', ...issue.path], message: `data.${issue.message}` };
}

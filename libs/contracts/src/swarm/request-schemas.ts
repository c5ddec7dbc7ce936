import { Type, type Static, type TInteger, type TString, type TUnsafe } from '@sinclair/typebox';
import type { SchemaMatches } from '../validation/type-equality.js';
import { compileSchema } from '../validation/schema-validator.js';
import type { EngineDescription, InitSwarmRequest, RequestContext } from './requests.js';
import { MIN_NODE_CERT_EXPIRY_NS, type NodeAvailability, type NodeRole, type SwarmSpec } from './spec.js';

/**
 * Schemas of the swarm requests that cross a process boundary (NATS, the swarm port). Each is tied
 * to its interface at compile time (`SchemaMatches`), so the two cannot drift apart.
 */

/** A string of printable characters (no control characters), 1 to `max` long. */
export function printable(max: number, min = 1): TString {
  return Type.String({ minLength: min, maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });
}

/** Largest Go `time.Duration` (int64 nanoseconds), the bound of every duration the Engine takes. */
export const MAX_DURATION_NS = 9_223_372_036_854_775_807;

/** RFC 1123 host name (underscores tolerated, as hosts use them): dot-separated labels of 1-63 characters, 253 at most. */
export const HOSTNAME_PATTERN = '^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$';

/** One of `values` (a JSON Schema `enum`: Ajv then reports one issue, not one per alternative). */
export function oneOf<T extends string>(values: readonly T[]): TUnsafe<T> {
  return Type.Unsafe<T>(Type.String({ enum: [...values] }));
}

export const NodeAvailabilitySchema = oneOf<NodeAvailability>(['active', 'pause', 'drain']);
export const NodeRoleSchema = oneOf<NodeRole>(['manager', 'worker']);

export const EngineDescriptionSchema = Type.Object(
  {
    hostname: Type.String({ minLength: 1, maxLength: 253, pattern: HOSTNAME_PATTERN }),
    engineVersion: printable(128),
    architecture: printable(64),
    os: printable(64),
    /** Up to a million CPUs. */
    nanoCpus: Type.Integer({ minimum: 0, maximum: 1e15 }),
    memoryBytes: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  },
  { additionalProperties: false },
);

export const RequestContextSchema = Type.Object(
  { correlationId: printable(256), actor: printable(256), causationId: Type.Optional(printable(256)) },
  { additionalProperties: false },
);

const count = (maximum = 2 ** 31 - 1): TInteger => Type.Integer({ minimum: 0, maximum });
const labels = Type.Record(Type.String({ maxLength: 1024 }), Type.String({ maxLength: 4096 }), { maxProperties: 256 });

export const SwarmSpecSchema = Type.Object({
  Name: printable(128),
  Labels: labels,
  Orchestration: Type.Object({ TaskHistoryRetentionLimit: Type.Optional(count()) }),
  Raft: Type.Object({
    SnapshotInterval: count(),
    KeepOldSnapshots: count(),
    LogEntriesForSlowFollowers: count(),
    ElectionTick: count(),
    HeartbeatTick: count(),
  }),
  Dispatcher: Type.Object({ HeartbeatPeriod: Type.Optional(count(MAX_DURATION_NS)) }),
  CAConfig: Type.Object({
    NodeCertExpiry: Type.Integer({ minimum: MIN_NODE_CERT_EXPIRY_NS, maximum: MAX_DURATION_NS }),
    ForceRotate: Type.Optional(count(Number.MAX_SAFE_INTEGER)),
  }),
  TaskDefaults: Type.Record(Type.String(), Type.Unknown(), { maxProperties: 64 }),
  EncryptionConfig: Type.Object({ AutoLockManagers: Type.Boolean() }),
});

export const InitSwarmRequestSchema = Type.Object({
  context: RequestContextSchema,
  /** host:port, IPv6 hosts in brackets. */
  listenAddr: Type.String({ minLength: 3, maxLength: 300, pattern: '^\\S+:[0-9]{1,5}$' }),
  advertiseHost: Type.String({ minLength: 1, maxLength: 255, pattern: '^\\S+$' }),
  advertisePort: Type.String({ pattern: '^[0-9]{1,5}$' }),
  dataPathPort: Type.Integer({ minimum: 1024, maximum: 49151 }),
  defaultAddrPool: Type.Union([Type.Null(), Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 256 })]),
  subnetSize: Type.Integer({ minimum: 1, maximum: 32 }),
  spec: SwarmSpecSchema,
  availability: NodeAvailabilitySchema,
  engine: EngineDescriptionSchema,
});

export const validateEngineDescription = compileSchema(EngineDescriptionSchema);
export const validateInitSwarmRequest = compileSchema(InitSwarmRequestSchema);

const _availability: SchemaMatches<Static<typeof NodeAvailabilitySchema>, NodeAvailability> = true;
const _role: SchemaMatches<Static<typeof NodeRoleSchema>, NodeRole> = true;
const _engine: SchemaMatches<Static<typeof EngineDescriptionSchema>, EngineDescription> = true;
const _context: SchemaMatches<Static<typeof RequestContextSchema>, RequestContext> = true;
const _spec: SchemaMatches<Static<typeof SwarmSpecSchema>, SwarmSpec> = true;
const _init: SchemaMatches<Static<typeof InitSwarmRequestSchema>, InitSwarmRequest> = true;
void [_availability, _role, _engine, _context, _spec, _init];

/**
 * Building blocks of the event schemas (TypeBox, compiled by Ajv in `event-registry.ts`). They are
 * strict about what readers rely on: an event that does not match is refused at the append and
 * skipped (and recorded) when read. Limits are generous for real values and small enough that a
 * value can never make a reader, a list or a log line blow up.
 */
import type { SchemaMatches } from '../validation/type-equality.js';
import { Type, type Static, type StringOptions, type TSchema } from '@sinclair/typebox';

/**
 * A string of `min`..`max` UTF-16 code units, checked in constant time (`minCodeUnits` and
 * `maxCodeUnits`, see schema-validator.ts): readers check every event, so limits must cost nothing.
 */
export function BoundedString(min: number, max: number, options: StringOptions = {}) {
  return Type.String({ ...options, ...(min > 0 ? { minCodeUnits: min } : {}), maxCodeUnits: max });
}

/** Generated IDs (node, cluster, network, init): also the tail of stream names. */
export const IdSchema = BoundedString(1, 128, { pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
/** RFC 3339 with an optional fraction of up to 9 digits (what `normalizeRfc3339` and `toISOString` write). */
export const Rfc3339Schema = BoundedString(0, 40, {
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
});
/** A user-given name (network, swarm). */
export const NameSchema = BoundedString(1, 255);
/** An address, host:port, CIDR or IP. */
export const AddressSchema = BoundedString(0, 255);
export const PemSchema = BoundedString(1, 65_536);
export const FingerprintSchema = BoundedString(1, 256);
/**
 * Labels and driver options: a map of string to string. Twice the edge's limits (1 KiB keys, 4 KiB
 * values, counted in characters there): here they count UTF-16 code units, two per astral
 * character, and a value the edge accepted must never be refused at the append.
 */
export const StringMapSchema = Type.Record(BoundedString(0, 2048), BoundedString(0, 8192), { maxProperties: 1000 });
export const RoleSchema = Type.Union([Type.Literal('manager'), Type.Literal('worker')]);
export const AvailabilitySchema = Type.Union([Type.Literal('active'), Type.Literal('pause'), Type.Literal('drain')]);
/** An unsigned integer a JavaScript number holds exactly. */
export const CountSchema = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
export const PortSchema = Type.Integer({ minimum: 0, maximum: 65_535 });
/** Prefix length of the subnets cut from the pools (IPv4). */
export const SubnetSizeSchema = Type.Integer({ minimum: 0, maximum: 32 });
export const AddrPoolSchema = Type.Array(AddressSchema, { maxItems: 256 });

const BASE64 = '^[A-Za-z0-9+/]*={0,2}$';
/** A secret sealed with AES-256-GCM (libs/pki seal.ts): 12-byte IV, 16-byte tag, base64. */
export const SealedSecretSchema = Type.Object({
  alg: Type.Literal('A256GCM'),
  kid: BoundedString(1, 128),
  iv: BoundedString(16, 16, { pattern: BASE64 }),
  ct: BoundedString(0, 65_536, { pattern: BASE64 }),
  tag: BoundedString(24, 24, { pattern: BASE64 }),
});

const NANOS_PER_YEAR = 365 * 24 * 3600 * 1e9;
/** The swarm spec as events store it (the Engine's `Spec`, resolved: no zero means "default" here). */
export const SwarmSpecData = Type.Object({
  Name: BoundedString(0, 255),
  Labels: StringMapSchema,
  Orchestration: Type.Object({ TaskHistoryRetentionLimit: Type.Optional(Type.Integer({ minimum: -1, maximum: 1_000_000 })) }),
  Raft: Type.Object({
    SnapshotInterval: CountSchema,
    KeepOldSnapshots: CountSchema,
    LogEntriesForSlowFollowers: CountSchema,
    ElectionTick: CountSchema,
    HeartbeatTick: CountSchema,
  }),
  Dispatcher: Type.Object({ HeartbeatPeriod: Type.Optional(CountSchema) }),
  // Nanoseconds; a join adds it to the clock, so it must give a valid date (up to 1000 years).
  CAConfig: Type.Object({
    NodeCertExpiry: Type.Integer({ minimum: 1, maximum: 1000 * NANOS_PER_YEAR }),
    ForceRotate: Type.Optional(CountSchema),
  }),
  TaskDefaults: Type.Record(BoundedString(0, 1024), Type.Unknown()),
  EncryptionConfig: Type.Object({ AutoLockManagers: Type.Boolean() }),
});

/** What a node says about its engine (`docker info` of the node). */
export const EngineDescriptionData = Type.Object({
  hostname: BoundedString(0, 255),
  engineVersion: BoundedString(0, 255),
  architecture: BoundedString(0, 255),
  os: BoundedString(0, 255),
  nanoCpus: CountSchema,
  memoryBytes: CountSchema,
});

/**
 * `true` when the schema's static type and the interface are the same shape (readonly aside), else
 * `false`: `const check: SameShape<A, typeof S> = true` stops the build when a type and its schema drift.
 */
export type SameShape<TInterface, S extends TSchema> = SchemaMatches<Static<S>, TInterface>;

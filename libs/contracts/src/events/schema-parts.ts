/**
 * Building blocks of the event schemas (TypeBox, compiled by Ajv in `event-registry.ts`). They are
 * strict about what readers rely on: an event that does not match is refused at the append and
 * skipped (and recorded) when read. Limits are generous for real values and small enough that a
 * value can never make a reader, a list or a log line blow up.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Generated IDs (node, cluster, network, init): also the tail of stream names. */
export const IdSchema = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
/** RFC 3339 with an optional fraction of up to 9 digits (what `normalizeRfc3339` and `toISOString` write). */
export const Rfc3339Schema = Type.String({
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
});
/** A user-given name (network, swarm). */
export const NameSchema = Type.String({ minLength: 1, maxLength: 255 });
/** An address, host:port, CIDR or IP. */
export const AddressSchema = Type.String({ maxLength: 255 });
export const PemSchema = Type.String({ minLength: 1, maxLength: 65_536 });
export const FingerprintSchema = Type.String({ minLength: 1, maxLength: 256 });
/** Labels and driver options: a map of string to string. */
export const StringMapSchema = Type.Record(Type.String({ maxLength: 1024 }), Type.String({ maxLength: 4096 }), { maxProperties: 1000 });
export const RoleSchema = Type.Union([Type.Literal('manager'), Type.Literal('worker')]);
export const AvailabilitySchema = Type.Union([Type.Literal('active'), Type.Literal('pause'), Type.Literal('drain')]);
/** An unsigned integer a JavaScript number holds exactly. */
export const CountSchema = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
export const PortSchema = Type.Integer({ minimum: 0, maximum: 65_535 });
/** Prefix length of the subnets cut from the pools (IPv4). */
export const SubnetSizeSchema = Type.Integer({ minimum: 0, maximum: 32 });
export const AddrPoolSchema = Type.Array(AddressSchema, { maxItems: 256 });

const BASE64 = '^[A-Za-z0-9+/]*={0,2}$';
/** A secret sealed with AES-256-GCM (libs/platform seal.ts): 12-byte IV, 16-byte tag, base64. */
export const SealedSecretSchema = Type.Object({
  alg: Type.Literal('A256GCM'),
  kid: Type.String({ minLength: 1, maxLength: 128 }),
  iv: Type.String({ minLength: 16, maxLength: 16, pattern: BASE64 }),
  ct: Type.String({ maxLength: 65_536, pattern: BASE64 }),
  tag: Type.String({ minLength: 24, maxLength: 24, pattern: BASE64 }),
});

const NANOS_PER_YEAR = 365 * 24 * 3600 * 1e9;
/** The swarm spec as events store it (the Engine's `Spec`, resolved: no zero means "default" here). */
export const SwarmSpecSchema = Type.Object({
  Name: Type.String({ maxLength: 255 }),
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
  TaskDefaults: Type.Record(Type.String({ maxLength: 1024 }), Type.Unknown()),
  EncryptionConfig: Type.Object({ AutoLockManagers: Type.Boolean() }),
});

/** What a node says about its engine (`docker info` of the node). */
export const EngineDescriptionSchema = Type.Object({
  hostname: Type.String({ maxLength: 255 }),
  engineVersion: Type.String({ maxLength: 255 }),
  architecture: Type.String({ maxLength: 255 }),
  os: Type.String({ maxLength: 255 }),
  nanoCpus: CountSchema,
  memoryBytes: CountSchema,
});

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * `true` when the schema's static type and the interface are the same shape (readonly aside), else
 * `false`: `const check: SameShape<A, typeof S> = true` stops the build when a type and its schema drift.
 */
export type SameShape<TInterface, S extends TSchema> = [DeepReadonly<TInterface>] extends [DeepReadonly<Static<S>>]
  ? [DeepReadonly<Static<S>>] extends [DeepReadonly<TInterface>]
    ? true
    : false
  : false;

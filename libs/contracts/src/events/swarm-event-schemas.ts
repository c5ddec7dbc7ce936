/** The schemas of the events of `swarm-events.ts`, each checked against its interface at build time. */
import { Type } from '@sinclair/typebox';
import type { EngineDescription } from '../swarm/requests.js';
import type { SwarmSpec } from '../swarm/spec.js';
import {
  AddressSchema, BoundedString, AddrPoolSchema, AvailabilitySchema, EngineDescriptionData, IdSchema, PortSchema, Rfc3339Schema,
  RoleSchema, StringMapSchema, SubnetSizeSchema, SwarmSpecData, FingerprintSchema, SealedSecretSchema, type SameShape,
} from './schema-parts.js';
import type {
  NodeRegistered, NodeRemoved, NodeSpecUpdated, NodeStatusChanged, SwarmCreated, SwarmInitCompleted, SwarmInitStarted,
  SwarmLeft, SwarmUpdated, UnlockKeyIssued, UnlockKeyRemoved,
} from './swarm-events.js';

export const SwarmInitStartedData = Type.Object({
  initId: IdSchema,
  clusterId: IdSchema,
  nodeId: IdSchema,
  ingressNetworkId: IdSchema,
  listenAddr: AddressSchema,
  advertiseHost: AddressSchema,
  advertisePort: BoundedString(0, 5, { pattern: '^\\d*$' }),
  dataPathPort: PortSchema,
  defaultAddrPool: Type.Union([AddrPoolSchema, Type.Null()]),
  subnetSize: SubnetSizeSchema,
  spec: SwarmSpecData,
  availability: AvailabilitySchema,
  engine: EngineDescriptionData,
  startedAt: Rfc3339Schema,
});
export const SwarmInitCompletedData = Type.Object({ initId: IdSchema, clusterId: IdSchema, nodeId: IdSchema });
export const SwarmLeftData = Type.Object({ clusterId: IdSchema, nodeId: IdSchema, force: Type.Boolean() });

export const SwarmCreatedData = Type.Object({
  clusterId: IdSchema,
  spec: SwarmSpecData,
  defaultAddrPool: Type.Union([AddrPoolSchema, Type.Null()]),
  subnetSize: SubnetSizeSchema,
  dataPathPort: PortSchema,
  createdAt: Rfc3339Schema,
});
export const SwarmUpdatedData = Type.Object({
  clusterId: IdSchema,
  spec: SwarmSpecData,
  rotateWorkerToken: Type.Boolean(),
  rotateManagerToken: Type.Boolean(),
  rotateManagerUnlockKey: Type.Boolean(),
});

export const UnlockKeyIssuedData = Type.Object({
  clusterId: IdSchema,
  sealedKey: SealedSecretSchema,
  keyFingerprint: FingerprintSchema,
  issuedAt: Rfc3339Schema,
});
export const UnlockKeyRemovedData = Type.Object({ clusterId: IdSchema });

export const NodeRegisteredData = Type.Object({
  nodeId: IdSchema,
  clusterId: IdSchema,
  role: RoleSchema,
  availability: AvailabilitySchema,
  labels: StringMapSchema,
  addr: AddressSchema,
  managerAddr: Type.Optional(AddressSchema),
  leader: Type.Boolean(),
  engine: EngineDescriptionData,
  registeredAt: Rfc3339Schema,
});
export const NodeSpecUpdatedData = Type.Object({
  nodeId: IdSchema,
  clusterId: IdSchema,
  role: RoleSchema,
  availability: AvailabilitySchema,
  labels: StringMapSchema,
  managerAddr: Type.Optional(AddressSchema),
});
export const NodeStatusChangedData = Type.Object({
  nodeId: IdSchema,
  clusterId: IdSchema,
  state: Type.Union([Type.Literal('ready'), Type.Literal('down')]),
  message: BoundedString(0, 1024),
});
export const NodeRemovedData = Type.Object({ nodeId: IdSchema, clusterId: IdSchema, force: Type.Boolean() });

// Build-time ties between each interface and its schema: a drift on either side fails `tsc`.
const sameSpec: SameShape<SwarmSpec, typeof SwarmSpecData> = true;
const sameEngine: SameShape<EngineDescription, typeof EngineDescriptionData> = true;
const sameInitStarted: SameShape<SwarmInitStarted['data'], typeof SwarmInitStartedData> = true;
const sameInitCompleted: SameShape<SwarmInitCompleted['data'], typeof SwarmInitCompletedData> = true;
const sameLeft: SameShape<SwarmLeft['data'], typeof SwarmLeftData> = true;
const sameCreated: SameShape<SwarmCreated['data'], typeof SwarmCreatedData> = true;
const sameUpdated: SameShape<SwarmUpdated['data'], typeof SwarmUpdatedData> = true;
const sameUnlockKeyIssued: SameShape<UnlockKeyIssued['data'], typeof UnlockKeyIssuedData> = true;
const sameUnlockKeyRemoved: SameShape<UnlockKeyRemoved['data'], typeof UnlockKeyRemovedData> = true;
const sameRegistered: SameShape<NodeRegistered['data'], typeof NodeRegisteredData> = true;
const sameSpecUpdated: SameShape<NodeSpecUpdated['data'], typeof NodeSpecUpdatedData> = true;
const sameStatus: SameShape<NodeStatusChanged['data'], typeof NodeStatusChangedData> = true;
const sameRemoved: SameShape<NodeRemoved['data'], typeof NodeRemovedData> = true;
export const SWARM_EVENT_SCHEMAS_MATCH_TYPES = [
  sameSpec, sameEngine, sameInitStarted, sameInitCompleted, sameLeft, sameCreated, sameUpdated, sameRegistered,
  sameSpecUpdated, sameStatus, sameRemoved, sameUnlockKeyIssued, sameUnlockKeyRemoved,
] as const;

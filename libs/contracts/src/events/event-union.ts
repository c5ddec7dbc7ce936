import type { CaEvent, JoinTokenEvent, NetworkSpaceEvent, NodeCertificateEvent } from './service-events.js';
import type { ClusterEvent, MembershipEvent, NodeEvent } from './swarm-events.js';

/** Every event of the log, discriminated on `type`. Schema version of each is in `EVENT_SCHEMA_VERSIONS`. */
export type SwarmEvent =
  | MembershipEvent
  | ClusterEvent
  | NodeEvent
  | CaEvent
  | NodeCertificateEvent
  | JoinTokenEvent
  | NetworkSpaceEvent;

export type SwarmEventType = SwarmEvent['type'];
export type EventData<T extends SwarmEventType> = Extract<SwarmEvent, { type: T }>['data'];

export const EVENT_SCHEMA_VERSIONS: Record<SwarmEventType, number> = {
  SwarmInitStarted: 1,
  SwarmInitCompleted: 1,
  SwarmInitAbandoned: 1,
  SwarmLeft: 1,
  SwarmCreated: 1,
  SwarmUpdated: 1,
  UnlockKeyIssued: 1,
  UnlockKeyRemoved: 1,
  NodeRegistered: 1,
  NodeSpecUpdated: 1,
  NodeStatusChanged: 1,
  NodeRemoved: 1,
  RootCaCreated: 1,
  RootRotationStarted: 1,
  RootRotationCompleted: 1,
  NodeCertificateIssued: 1,
  JoinTokensIssued: 1,
  JoinTokenRotated: 1,
  JoinTokensReissued: 1,
  JoinTokenAgeExceeded: 1,
  AddressPoolsConfigured: 1,
  NetworkCreated: 1,
  NetworkRemoved: 1,
};

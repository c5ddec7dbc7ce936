/**
 * The event types of each stream, as run-time sets tied to their unions: a reader checks that a
 * recorded event is of its stream's types (and matches its schema) before it treats its `data` as
 * that event's (libs/eventstore `isEventOf`), so no reader casts event data.
 */
import type { CaEvent, JoinTokenEvent, NetworkSpaceEvent, NodeCertificateEvent } from './service-events.js';
import type { ClusterEvent, MembershipEvent, NodeEvent } from './swarm-events.js';
import type { SwarmEvent } from './event-union.js';

/**
 * The types of the events `E`. `E` rides along as a phantom property, so that a function given the
 * set infers the union it stands for.
 */
export type EventTypeSet<E extends { readonly type: string }> = ReadonlySet<string> & { readonly __events?: E };

/** The set of `E`'s types; the record makes the compiler check that every type is listed, once. */
export function eventTypes<E extends { readonly type: string }>(types: Record<E['type'], true>): EventTypeSet<E> {
  return new Set(Object.keys(types));
}

/** Stream `membership`. */
export const MembershipEventTypes = eventTypes<MembershipEvent>({ SwarmInitStarted: true, SwarmInitCompleted: true, SwarmInitAbandoned: true, SwarmLeft: true });
/** Streams `cluster-<clusterId>`. */
export const ClusterEventTypes = eventTypes<ClusterEvent>({ SwarmCreated: true, SwarmUpdated: true, UnlockKeyIssued: true, UnlockKeyRemoved: true });
/** Streams `node-<nodeId>`. */
export const NodeEventTypes = eventTypes<NodeEvent>({ NodeRegistered: true, NodeSpecUpdated: true, NodeStatusChanged: true, NodeRemoved: true });
/** Streams `ca-<clusterId>`. */
export const CaEventTypes = eventTypes<CaEvent>({ RootCaCreated: true, RootRotationStarted: true, RootRotationCompleted: true });
/** Streams `nodecert-<nodeId>`. */
export const NodeCertificateEventTypes = eventTypes<NodeCertificateEvent>({ NodeCertificateIssued: true });
/** Streams `jointokens-<clusterId>`. */
export const JoinTokenEventTypes = eventTypes<JoinTokenEvent>({ JoinTokensIssued: true, JoinTokenRotated: true, JoinTokensReissued: true, JoinTokenAgeExceeded: true });
/** Streams `ipam-<clusterId>`. */
export const NetworkSpaceEventTypes = eventTypes<NetworkSpaceEvent>({ AddressPoolsConfigured: true, NetworkCreated: true, NetworkRemoved: true });
/** Every event of the log. */
export const SwarmEventTypes = eventTypes<SwarmEvent>({
  SwarmInitStarted: true, SwarmInitCompleted: true, SwarmInitAbandoned: true, SwarmLeft: true, SwarmCreated: true, SwarmUpdated: true,
  UnlockKeyIssued: true, UnlockKeyRemoved: true,
  NodeRegistered: true, NodeSpecUpdated: true, NodeStatusChanged: true, NodeRemoved: true, RootCaCreated: true,
  RootRotationStarted: true, RootRotationCompleted: true, JoinTokensReissued: true,
  NodeCertificateIssued: true, JoinTokensIssued: true, JoinTokenRotated: true, JoinTokenAgeExceeded: true, AddressPoolsConfigured: true, NetworkCreated: true,
  NetworkRemoved: true,
});

/** The events a set stands for. */
export type EventsOf<S> = S extends EventTypeSet<infer E> ? E : never;

/** The set of the events of several sets (a projection that reads several streams). */
export function unionOf<S extends readonly EventTypeSet<{ readonly type: string }>[]>(...sets: S): EventTypeSet<EventsOf<S[number]>> {
  return new Set(sets.flatMap((set) => [...set]));
}

import {
  CaEventTypes, ClusterEventTypes, MembershipEventTypes, NANOS_PER_SECOND, NodeCertificateEventTypes, NodeEventTypes, unionOf, type EventsOf,
} from '#contracts';
import { evolveNode, initialNode, type NodeCertificateFacts, type SwarmNode } from '#domain';
import type { Recorded, RecordedEvent } from '#eventstore';

/** What node management needs at hand: the current cluster, its CA, spec, and every node with its revision. */
export interface ClusterNodes {
  clusterId: string | undefined;
  /** The init manager (served by the gateway itself: it does not heartbeat). */
  localNodeId: string | undefined;
  heartbeatPeriodMs: number;
  nodeCertExpiryNs: number;
  readonly caPems: Map<string, string>;
  /** Each cluster's trust root digest, and the rotation under way (its ID and the desired root's digest). */
  readonly trustRootDigests: Map<string, string>;
  readonly rotations: Map<string, { readonly rotationId: string; readonly caDigest: string; readonly certPem: string }>;
  /** Each node's current certificate (the last issued). */
  readonly certificates: Map<string, NodeCertificateFacts>;
  readonly nodes: Map<string, { node: SwarmNode; revision: number }>;
}



export function newClusterNodes(): ClusterNodes {
  return {
    clusterId: undefined,
    localNodeId: undefined,
    heartbeatPeriodMs: 5000,
    nodeCertExpiryNs: 0,
    caPems: new Map(),
    trustRootDigests: new Map(),
    rotations: new Map(),
    certificates: new Map(),
    nodes: new Map(),
  };
}

export const clusterNodesHandles = unionOf(MembershipEventTypes, ClusterEventTypes, CaEventTypes, NodeEventTypes, NodeCertificateEventTypes);
export type ClusterNodesEvent = EventsOf<typeof clusterNodesHandles>;

/** Evolved in place: the projection owns it. */
export function evolveClusterNodes(state: ClusterNodes, event: Recorded<ClusterNodesEvent>): ClusterNodes {
  switch (event.type) {
    case 'SwarmInitCompleted':
      state.clusterId = event.data.clusterId;
      state.localNodeId = event.data.nodeId;
      return state;
    case 'SwarmLeft':
      state.clusterId = undefined;
      state.localNodeId = undefined;
      return state;
    case 'SwarmCreated':
    case 'SwarmUpdated': {
      const spec = event.data.spec;
      state.heartbeatPeriodMs = Math.max(100, (spec.Dispatcher.HeartbeatPeriod ?? 5 * NANOS_PER_SECOND) / 1e6);
      state.nodeCertExpiryNs = spec.CAConfig.NodeCertExpiry;
      return state;
    }
    case 'RootCaCreated':
      state.caPems.set(event.data.clusterId, event.data.certPem);
      state.trustRootDigests.set(event.data.clusterId, event.data.caDigest);
      return state;
    case 'RootRotationStarted':
      state.rotations.set(event.data.clusterId, { rotationId: event.data.rotationId, caDigest: event.data.caDigest, certPem: event.data.certPem });
      return state;
    case 'RootRotationCompleted': {
      const { clusterId, rotationId, caDigest } = event.data;
      const rotation = state.rotations.get(clusterId);
      if (rotation?.rotationId !== rotationId) return state;
      state.rotations.delete(clusterId);
      state.trustRootDigests.set(clusterId, caDigest);
      state.caPems.set(clusterId, rotation.certPem);
      return state;
    }
    case 'NodeCertificateIssued': {
      const { nodeId, serial, notBefore, notAfter, issuerCaDigest } = event.data;
      state.certificates.set(nodeId, { serial, notBeforeMs: notBefore ? Date.parse(notBefore) : undefined, notAfterMs: Date.parse(notAfter), issuerCaDigest });
      return state;
    }
    case 'NodeRegistered':
    case 'NodeSpecUpdated':
    case 'NodeStatusChanged':
    case 'NodeRemoved': {
      const id = event.data.nodeId;
      const current = state.nodes.get(id)?.node ?? initialNode;
      state.nodes.set(id, { node: evolveNode(current, event), revision: event.revision });
      return state;
    }
    default:
      return state;
  }
}

/**
 * A skipped event of a node's stream still moves the node's revision, else every later command on
 * the node would conflict with it for good.
 */
export function skipInClusterNodes(state: ClusterNodes, event: RecordedEvent): ClusterNodes {
  const entry = state.nodes.get(event.stream.slice(event.stream.indexOf('-') + 1));
  if (entry && event.stream.startsWith('node-')) entry.revision = event.revision;
  return state;
}

/** Managers of the current cluster that are not removed. */
export function managerCount(state: ClusterNodes): number {
  let count = 0;
  for (const { node } of state.nodes.values()) {
    if (node.exists && !node.removed && node.role === 'manager' && node.registered.clusterId === state.clusterId) count++;
  }
  return count;
}

/**
 * The nodes of the current cluster that must still get a certificate of the root `caDigest`: not
 * removed, not down (a down node cannot renew; swarmkit leaves it out too), and whose current
 * certificate another root signed.
 */
export function nodesAwaitingRoot(state: ClusterNodes, caDigest: string): string[] {
  const waiting: string[] = [];
  for (const [nodeId, { node }] of state.nodes) {
    if (!node.exists || node.removed || node.state === 'down' || node.registered.clusterId !== state.clusterId) continue;
    if (state.certificates.get(nodeId)?.issuerCaDigest !== caDigest) waiting.push(nodeId);
  }
  return waiting;
}

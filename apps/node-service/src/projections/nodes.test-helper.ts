/** What the node-service handler specs share: an active swarm in a store, and the nodes read model over it. */
import { defaultSwarmSpec, Streams, type EventData, type SwarmEvent } from '#contracts';
import { caDigestBase36 } from '#domain';
import { createRootCa, sealSecret, secretFingerprint } from '#pki';
import { givenEvents, nodeRegisteredData, swarmInitStartedData, testKek } from '#testing';
import { ClusterNodesService } from './cluster-nodes.service.js';

export const specContext = { correlationId: 'spec', actor: 'user:spec' };
export const CLUSTER = 'cluster-1';
export const MANAGER = 'manager-1';

function rootCaData(): EventData<'RootCaCreated'> {
  const root = createRootCa(new Date());
  const kek = testKek();
  return {
    clusterId: CLUSTER,
    certPem: root.certPem,
    sealedKey: sealSecret(root.keyPem, kek, Streams.ca(CLUSTER)),
    keyFingerprint: secretFingerprint(root.keyPem, kek),
    certIssuerSubject: root.certIssuerSubjectB64,
    certIssuerPublicKey: root.certIssuerPublicKeyB64,
    caDigest: caDigestBase36(root.certPem),
  };
}

/** The streams of a swarm whose init completed: membership, cluster, CA and the manager's node. */
export function activeSwarm(): Record<string, SwarmEvent[]> {
  const init = swarmInitStartedData({ clusterId: CLUSTER, nodeId: MANAGER });
  return {
    [Streams.membership()]: [
      { type: 'SwarmInitStarted', data: init },
      { type: 'SwarmInitCompleted', data: { initId: init.initId, clusterId: CLUSTER, nodeId: MANAGER } },
    ],
    [Streams.cluster(CLUSTER)]: [
      { type: 'SwarmCreated', data: { clusterId: CLUSTER, spec: defaultSwarmSpec(), defaultAddrPool: null, subnetSize: 24, dataPathPort: 4789, createdAt: init.startedAt } },
    ],
    [Streams.ca(CLUSTER)]: [{ type: 'RootCaCreated', data: rootCaData() }],
    [Streams.node(MANAGER)]: [
      { type: 'NodeRegistered', data: nodeRegisteredData({ nodeId: MANAGER, clusterId: CLUSTER, role: 'manager', leader: true, managerAddr: '192.0.2.2:2377' }) },
    ],
  };
}

/** A worker node's stream: registered, then `state` (down after a missed heartbeat). */
export function worker(nodeId: string, state: 'ready' | 'down' = 'ready'): Record<string, SwarmEvent[]> {
  return {
    [Streams.node(nodeId)]: [
      { type: 'NodeRegistered', data: nodeRegisteredData({ nodeId, clusterId: CLUSTER }) },
      ...(state === 'down' ? [{ type: 'NodeStatusChanged' as const, data: { nodeId, clusterId: CLUSTER, state, message: 'heartbeat failure' } }] : []),
    ],
  };
}

/** A store with `history` and the nodes read model started over it. */
export async function givenNodes(history: Record<string, SwarmEvent[]>) {
  const store = await givenEvents(history);
  const nodes = new ClusterNodesService(store);
  await nodes.onModuleInit();
  return {
    store,
    nodes,
    stop: async () => {
      await nodes.onApplicationShutdown();
      await store.close();
    },
  };
}

import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DEFAULT_ADDR_POOL, DEFAULT_DATA_PATH_PORT, type EventData } from '#contracts';
import type { CaView, ClusterView, NodeView, SwarmReadModel, Versioned } from './swarm-read-model.js';

/**
 * Engine API shapes (API 1.41+) built from the read model; field order follows the Engine's.
 * `TLSInfo` as swarmkit fills it: the trust root, and the issuer that certificates should have (the
 * desired root's during a rotation), which is what `docker swarm ca --rotate` compares nodes with.
 */
function tlsInfo(ca: CaView | undefined): Record<string, string> {
  if (!ca) return {};
  const issuer = ca.rotation?.root ?? ca;
  return { TrustRoot: ca.certPem, CertIssuerSubject: issuer.certIssuerSubject, CertIssuerPublicKey: issuer.certIssuerPublicKey };
}

/**
 * A node's `Description.TLSInfo`: the cluster's trust root (a node learns it at its next heartbeat)
 * and the issuer of the certificate it holds now (from the log: the last one the CA issued it).
 */
function nodeTlsInfo(model: SwarmReadModel, nodeId: string, clusterId: string): Record<string, string> {
  const ca = model.cas.get(clusterId);
  if (!ca) return {};
  const issuedBy = model.nodeCertificates.get(nodeId)?.issuerCaDigest;
  const issuer = (issuedBy ? model.roots.get(issuedBy) : undefined) ?? ca;
  return { TrustRoot: ca.certPem, CertIssuerSubject: issuer.certIssuerSubject, CertIssuerPublicKey: issuer.certIssuerPublicKey };
}

function addrPool(cluster: ClusterView): { DefaultAddrPool: readonly string[] | null; SubnetSize: number } {
  const pool = cluster.data.defaultAddrPool;
  if (pool === null) return { DefaultAddrPool: [DEFAULT_ADDR_POOL], SubnetSize: 24 };
  return { DefaultAddrPool: pool.length > 0 ? pool : null, SubnetSize: cluster.data.subnetSize };
}

/** The `Cluster` object of `docker info` (no join tokens). */
export function presentCluster(model: SwarmReadModel, clusterId: string): Record<string, unknown> | undefined {
  const cluster = model.clusters.get(clusterId);
  if (!cluster) return undefined;
  return {
    ID: clusterId,
    Version: { Index: cluster.version },
    CreatedAt: cluster.createdAt,
    UpdatedAt: cluster.updatedAt,
    Spec: cluster.spec,
    TLSInfo: tlsInfo(model.cas.get(clusterId)),
    RootRotationInProgress: model.cas.get(clusterId)?.rotation !== undefined,
    ...addrPool(cluster),
    DataPathPort: cluster.data.dataPathPort || DEFAULT_DATA_PATH_PORT,
  };
}

/** `GET /swarm`: the cluster plus its join tokens (managers only). */
export function presentSwarm(model: SwarmReadModel, clusterId: string): Record<string, unknown> | undefined {
  const cluster = presentCluster(model, clusterId);
  if (!cluster) return undefined;
  const tokens = model.joinTokens(clusterId);
  return { ...cluster, JoinTokens: { Worker: tokens?.worker ?? '', Manager: tokens?.manager ?? '' } };
}


export function presentNode(model: SwarmReadModel, node: Versioned<NodeView>): Record<string, unknown> {
  const d = node.data;
  return {
    ID: d.nodeId,
    Version: { Index: node.version },
    CreatedAt: node.createdAt,
    UpdatedAt: node.updatedAt,
    Spec: { Labels: d.labels, Role: d.role, Availability: d.availability },
    Description: {
      Hostname: d.engine.hostname,
      Platform: { Architecture: d.engine.architecture, OS: d.engine.os },
      Resources: { NanoCPUs: d.engine.nanoCpus, MemoryBytes: d.engine.memoryBytes },
      Engine: { EngineVersion: d.engine.engineVersion, Plugins: [{ Type: 'Network', Name: 'overlay' }] },
      TLSInfo: nodeTlsInfo(model, d.nodeId, d.clusterId),
    },
    Status: { State: d.state, ...(d.message ? { Message: d.message } : {}), Addr: d.addr },
    ...(d.role === 'manager' && d.managerAddr
      ? { ManagerStatus: { Leader: d.leader, Reachability: d.state === 'ready' ? 'reachable' : 'unreachable', Addr: d.managerAddr } }
      : {}),
  };
}

/**
 * A network as `GET /networks` lists it: the swarm's object (the Engine converts the cluster's
 * network), which knows no endpoints: `Containers` null, `Labels` null when there are none, no
 * `Peers`, ingress included.
 */
export function presentNetwork(network: Versioned<EventData<'NetworkCreated'>>): Record<string, unknown> {
  const d = network.data;
  return {
    Name: d.name,
    Id: d.networkId,
    Created: d.createdAt,
    Scope: 'swarm',
    Driver: d.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: [{ Subnet: d.subnet, ...(d.ipRange ? { IPRange: d.ipRange } : {}), Gateway: d.gateway }] },
    Internal: d.internal,
    Attachable: d.attachable,
    Ingress: d.ingress,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: null,
    Options: { 'com.docker.network.driver.overlay.vxlanid_list': String(d.vxlanId), ...d.options },
    Labels: Object.keys(d.labels).length ? d.labels : null,
  };
}

/**
 * A network as `GET /networks/{id}` shows it: the list's fields, and for ingress what the Engine's
 * own network adds (the manager attached to it): `Containers` and `Labels` as empty objects and the
 * manager among the `Peers`.
 */
export function presentNetworkInspect(network: Versioned<EventData<'NetworkCreated'>>, peerName: string): Record<string, unknown> {
  const listed = presentNetwork(network);
  if (!network.data.ingress) return listed;
  return { ...listed, Containers: {}, Labels: network.data.labels, Peers: [{ Name: peerName, IP: '127.0.0.1' }] };
}

/** The manager's peer entry on ingress: 12 hex characters derived from its node ID. */
export function ingressPeerName(model: SwarmReadModel): string {
  return createHash('sha256').update(model.membership?.nodeId ?? '').digest('hex').slice(0, 12);
}

const presenterLogger = new Logger('Presenters');
/** Objects already reported as unpresentable (each once, not at every list). */
const reported = new Set<string>();

/**
 * A list of Engine API objects in which one object that cannot be matched or presented (a broken
 * value the read model took in) is left out and logged, instead of failing the whole list with a 500.
 */
export function presentEach<T>(
  items: Iterable<T>,
  matches: (item: T) => boolean,
  present: (item: T) => Record<string, unknown>,
  describe: (item: T) => string,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const item of items) {
    try {
      if (matches(item)) out.push(present(item));
    } catch (error) {
      const what = describe(item);
      if (reported.size < 10_000 && !reported.has(what)) {
        reported.add(what);
        presenterLogger.warn(`${what} left out of a list: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return out;
}

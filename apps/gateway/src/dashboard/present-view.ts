import { X509Certificate } from 'node:crypto';
import { DEFAULT_ADDR_POOL, type EventData, type SwarmEvent } from '#contracts';
import { describeAge, tokenAgePolicy } from '#service-host';
import type { NodeView, SwarmReadModel, Versioned } from '../read-model/swarm-read-model.js';
import type { DashboardView, NetworkRow, NodeRow, SwarmInfo, TokenInfo } from './view-types.js';

/** Per cluster: each join token's fingerprint and when it was issued. Never the token itself. */
export type TokenAges = Map<string, { worker: TokenInfo | null; manager: TokenInfo | null }>;

/** What the token tracker reads of a logged event. */
export type TokenEvent = SwarmEvent & { readonly time: string };

/**
 * Folds a join token event into `ages` (other events are ignored); returns whether it changed.
 * The log keeps the fingerprints in the clear beside the sealed secrets for audit, which is
 * exactly what the page may show.
 */
export function recordTokenEvent(ages: TokenAges, event: TokenEvent): boolean {
  if (event.type === 'JoinTokensIssued' || event.type === 'JoinTokensReissued') {
    const d = event.data;
    ages.set(d.clusterId, {
      worker: { fingerprint: d.workerFingerprint, since: event.time },
      manager: { fingerprint: d.managerFingerprint, since: event.time },
    });
    return true;
  }
  if (event.type === 'JoinTokenRotated') {
    const d = event.data;
    const current = ages.get(d.clusterId) ?? { worker: null, manager: null };
    ages.set(d.clusterId, { ...current, [d.role]: { fingerprint: d.fingerprint, since: event.time } });
    return true;
  }
  return false;
}

const expiryByPem = new Map<string, string | null>();

/** A certificate's notAfter as RFC 3339 (parsed once per certificate). */
function certificateExpiry(pem: string | undefined): string | null {
  if (!pem) return null;
  let expiry = expiryByPem.get(pem);
  if (expiry === undefined) {
    try {
      expiry = new Date(new X509Certificate(pem).validTo).toISOString();
    } catch {
      expiry = null;
    }
    if (expiryByPem.size > 10_000) expiryByPem.clear();
    expiryByPem.set(pem, expiry);
  }
  return expiry;
}

/** The swarm card: what `docker info` and `docker swarm ca` tell, with tokens by fingerprint. */
export function presentSwarmInfo(model: SwarmReadModel, tokens: TokenAges, maxAgeMs: number = tokenMaxAgeMs()): SwarmInfo | null {
  const clusterId = model.currentClusterId;
  const cluster = clusterId ? model.clusters.get(clusterId) : undefined;
  if (!clusterId || !cluster) return null;
  let managers = 0;
  let workers = 0;
  for (const node of model.nodes.values()) {
    if (node.data.clusterId !== clusterId) continue;
    if (node.data.role === 'manager') managers++;
    else workers++;
  }
  const pool = cluster.data.defaultAddrPool;
  return {
    id: clusterId,
    createdAt: cluster.createdAt,
    updatedAt: cluster.updatedAt,
    managers,
    workers,
    rootCaExpiry: certificateExpiry(model.cas.get(clusterId)?.certPem),
    autolock: cluster.spec.EncryptionConfig?.AutoLockManagers === true,
    tokens: { worker: tokens.get(clusterId)?.worker ?? null, manager: tokens.get(clusterId)?.manager ?? null },
    tokenMaxAge: { ms: maxAgeMs, text: describeAge(maxAgeMs) },
    // As the allocator reads them (libs/domain network-space): no pool given means 10.0.0.0/8 at /24.
    pools: pool === null || pool.length === 0 ? [DEFAULT_ADDR_POOL] : pool,
    subnetSize: pool === null || pool.length === 0 || cluster.data.subnetSize === 0 ? 24 : cluster.data.subnetSize,
  };
}

export function presentNodeRow(model: SwarmReadModel, node: Versioned<NodeView>): NodeRow {
  const d = node.data;
  return {
    id: d.nodeId,
    hostname: d.engine.hostname,
    role: d.role,
    leader: d.role === 'manager' && d.leader,
    state: d.state,
    message: d.message,
    availability: d.availability,
    addr: d.addr,
    certExpiry: model.nodeCertificates.get(d.nodeId)?.notAfter ?? null,
    updatedAt: node.updatedAt,
  };
}

export function presentNetworkRow(network: Versioned<EventData<'NetworkCreated'>>): NetworkRow {
  const d = network.data;
  return { id: d.networkId, name: d.name, subnet: d.subnet, ingress: d.ingress, explicit: d.explicitSubnet, createdAt: d.createdAt };
}

/** Everything the page draws, from a read model (live, or replayed up to a position). */
export function presentView(model: SwarmReadModel, tokens: TokenAges, position: number): DashboardView {
  const clusterId = model.currentClusterId;
  if (!clusterId) return { position, selfNodeId: null, swarm: null, nodes: [], networks: [] };
  const nodes: NodeRow[] = [];
  for (const node of model.nodes.values()) if (node.data.clusterId === clusterId) nodes.push(presentNodeRow(model, node));
  const networks: NetworkRow[] = [];
  for (const network of model.networks.values()) if (network.data.clusterId === clusterId) networks.push(presentNetworkRow(network));
  return { position, selfNodeId: model.membership?.nodeId ?? null, swarm: presentSwarmInfo(model, tokens), nodes, networks };
}

let configuredMaxAgeMs: number | undefined;
/** `SWARM_TOKEN_MAX_AGE`, read once (token-service refuses a bad value at its start). */
function tokenMaxAgeMs(): number {
  configuredMaxAgeMs ??= tokenAgePolicy().maxAgeMs;
  return configuredMaxAgeMs;
}

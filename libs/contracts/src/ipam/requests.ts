import type { RequestContext } from '../swarm/requests.js';

/** Configure the pools of a new swarm and create its ingress network. Idempotent per clusterId. */
export interface InitializeIpamRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly pools: readonly string[];
  readonly subnetSize: number;
  readonly ingressNetworkId: string;
  readonly createdAt: string;
}

/**
 * A network create as the gateway decides it (`NetworkSpaceCommands.create`, decision 0021): an
 * overlay network of the cluster; the decision picks its ID, subnet and VXLAN ID. Not a NATS
 * request: no process sends a create to another.
 */
export interface CreateNetworkRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly name: string;
  readonly ingress: boolean;
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly labels: Record<string, string>;
  readonly options: Record<string, string>;
  readonly subnet?: string;
  readonly gateway?: string;
  readonly ipRange?: string;
}
export interface CreateNetworkReply {
  readonly networkId: string;
  readonly position: number;
}

export interface RemoveNetworkRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly networkId: string;
}

/** `networks.prune`: removes those of the given networks that still exist. */
export interface PruneNetworksRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly networkIds: readonly string[];
}
export interface PruneNetworksReply {
  readonly removed: readonly string[];
  readonly position: number;
}

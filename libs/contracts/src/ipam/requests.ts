import type { RequestContext } from '../swarm/requests.js';

/** Configure the pools of a new swarm and allocate its ingress network. Idempotent per clusterId. */
export interface InitializeIpamRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly pools: readonly string[];
  readonly subnetSize: number;
  readonly ingressNetworkId: string;
  readonly createdAt: string;
}

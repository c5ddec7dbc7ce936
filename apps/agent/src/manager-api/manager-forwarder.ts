import { Inject, Injectable } from '@nestjs/common';
import { IdentityStore } from '../identity/identity-store.js';
import { SwarmPortClient, type PortAnswer } from '../swarm-port-client/swarm-port-client.js';

/** A manager agent's way to the control plane: Engine API calls over the swarm port, with its manager certificate. */
@Injectable()
export class ManagerForwarder {
  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(SwarmPortClient) private readonly port: SwarmPortClient,
  ) {}

  forward(method: string, url: string, body: Buffer | undefined, contentType: string | undefined): Promise<PortAnswer> {
    const identity = this.identities.identity;
    if (!identity) throw new Error('not joined');
    const tls = { caPem: identity.caPem, keyPem: identity.keyPem, certPem: identity.certPem };
    return this.port.forward(identity.remoteAddr, method, url, body, contentType, tls);
  }

  /** The cluster part of `docker info` (Nodes, Managers, Cluster), as the control plane reports it. */
  async clusterInfo(): Promise<{ Nodes: number; Managers: number; Cluster: unknown } | undefined> {
    const answer = await this.forward('GET', '/v1.47/info', undefined, undefined);
    if (answer.status !== 200) return undefined;
    const info = JSON.parse(answer.body.toString('utf8')) as { Swarm: { Nodes: number; Managers: number; Cluster: unknown } };
    return { Nodes: info.Swarm.Nodes, Managers: info.Swarm.Managers, Cluster: info.Swarm.Cluster };
  }
}

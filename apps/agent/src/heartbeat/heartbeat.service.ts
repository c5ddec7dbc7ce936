import { X509Certificate } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SwarmPortPaths, type HeartbeatReply, type RenewReply } from '#contracts';
import { generateNodeKeyAndCsr } from '#platform';
import { IdentityStore, type NodeIdentity } from '../identity/identity-store.js';
import { SwarmPortClient } from '../swarm-port-client/swarm-port-client.js';
import { renewalDue } from './renewal.js';

/**
 * Heartbeats to the manager over mutual TLS; renews the certificate when the manager reports
 * another role (promote/demote) and at a random point between 50% and 80% of its validity.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Heartbeat');
  private timer: NodeJS.Timeout | undefined;
  private renewAt: number | undefined;

  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(SwarmPortClient) private readonly port: SwarmPortClient,
  ) {}

  onApplicationBootstrap(): void {
    if (this.identities.identity) this.start();
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  start(): void {
    this.stop();
    this.renewAt = undefined;
    const beat = async (): Promise<void> => {
      const identity = this.identities.identity;
      if (!identity) return;
      try {
        await this.beat(identity);
      } catch (error) {
        this.logger.warn(`heartbeat: ${(error as Error).message}`);
      }
      if (this.identities.identity) this.timer = setTimeout(() => void beat(), this.identities.identity.heartbeatPeriodMs);
    };
    void beat();
  }

  /** A heartbeat now (e.g. the control plane refused our manager certificate: our role changed). */
  nudge(): void {
    if (this.identities.identity) this.start();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async beat(identity: NodeIdentity): Promise<void> {
    const tls = { caPem: identity.caPem, keyPem: identity.keyPem, certPem: identity.certPem };
    const reply = await this.port.callAsNode<HeartbeatReply>(identity.remoteAddr, SwarmPortPaths.heartbeat, {}, tls);
    this.identities.save({ ...identity, managers: reply.managers, heartbeatPeriodMs: reply.heartbeatPeriodMs });
    const certificate = new X509Certificate(identity.certPem);
    this.renewAt ??= renewalDue(Date.parse(certificate.validFrom), Date.parse(certificate.validTo), Math.random());
    if (reply.role !== identity.role || Date.now() >= this.renewAt) await this.renew();
  }

  private async renew(): Promise<void> {
    const identity = this.identities.identity;
    if (!identity) return;
    const { keyPem, csrPem } = generateNodeKeyAndCsr();
    const tls = { caPem: identity.caPem, keyPem: identity.keyPem, certPem: identity.certPem };
    const renewed = await this.port.callAsNode<RenewReply>(identity.remoteAddr, SwarmPortPaths.renew, { csrPem }, tls);
    this.identities.save({ ...identity, role: renewed.role, keyPem, certPem: renewed.certPem });
    this.renewAt = undefined;
    this.logger.log(`certificate renewed (role ${renewed.role})`);
  }
}

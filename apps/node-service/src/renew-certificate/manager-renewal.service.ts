import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Subjects } from '#contracts';
import { RPC_CLIENT, RpcClient } from '#rpc';
import { ClusterNodesService } from '../projections/cluster-nodes.service.js';
import { CLOCK, type Clock } from './clock.js';
import { renewalReason } from '#domain';

const CHECK_MS = 1_000;

/**
 * The certificate the gateway serves on the swarm port (the init manager's, whose key the CA holds
 * sealed) is renewed as an agent renews its own: between 50% and 80% of its life, at once when a
 * root rotation wants another root or `--cert-expiry` changed. The gateway picks the new one up
 * from the log and serves it without a restart. Replicas renewing at once renew once (the request
 * names the serial it replaces).
 */
@Injectable()
export class ManagerRenewalService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ManagerRenewal');
  private timer: NodeJS.Timeout | undefined;
  private stopListening: (() => void) | undefined;
  /** The serial being renewed: one request at a time. */
  private renewing: string | undefined;

  constructor(
    @Inject(ClusterNodesService) private readonly nodes: ClusterNodesService,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.nodes.onEvent((event) => {
      const mine = event.type === 'NodeCertificateIssued' && event.data.nodeId === this.nodes.state.localNodeId;
      if (mine || event.type === 'RootRotationStarted' || event.type === 'RootRotationCompleted' || event.type === 'SwarmUpdated') void this.check();
    });
    this.timer = setInterval(() => void this.check(), CHECK_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.stopListening?.();
  }

  /** Renews the manager's certificate if it must be now; resolves when that is done (or failed, logged). */
  async check(): Promise<void> {
    if (!this.due()) return;
    // Decided again at the head of the log: the read model may be replaying history (a start), where
    // a certificate long replaced looks due.
    await this.nodes.current();
    const due = this.due();
    if (!due) return;
    const { clusterId, localNodeId, certificate, reason, expiryNs } = due;
    this.renewing = certificate.serial;
    try {
      const context = { correlationId: `renew-${localNodeId}-${certificate.serial.slice(0, 16)}`, actor: 'service:node-service' };
      await this.rpc.request(Subjects.caIssueNodeCertificate, {
        context,
        clusterId,
        nodeId: localNodeId,
        role: 'manager',
        expiryNs,
        renewsSerial: certificate.serial,
      });
      this.logger.log(`renewed the manager's certificate (${reason})`);
    } catch (error) {
      this.logger.warn(`could not renew the manager's certificate (${reason}), tried again in ${CHECK_MS} ms: ${String(error)}`);
    } finally {
      this.renewing = undefined;
    }
  }

  /** The manager's certificate and why it must be renewed now, if it must (and is not being renewed). */
  private due() {
    const state = this.nodes.state;
    const { clusterId, localNodeId } = state;
    if (!clusterId || !localNodeId) return undefined;
    const certificate = state.certificates.get(localNodeId);
    if (!certificate || this.renewing === certificate.serial) return undefined;
    const desiredCaDigest = state.rotations.get(clusterId)?.caDigest ?? state.trustRootDigests.get(clusterId);
    const expiryNs = state.nodeCertExpiryNs;
    const reason = renewalReason({ certificate, desiredCaDigest, expiryNs, nowMs: this.clock.now() });
    return reason ? { clusterId, localNodeId, certificate, reason, expiryNs } : undefined;
  }
}

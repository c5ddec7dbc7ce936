import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Subjects, type EventData } from '#contracts';
import { RPC_CLIENT, RpcClient } from '#rpc';
import { nodesAwaitingRoot } from '../projections/cluster-nodes.projection.js';
import { ClusterNodesService } from '../projections/cluster-nodes.service.js';

const context = { correlationId: 'root-rotation', actor: 'service:node-service' };

/**
 * Ends a root rotation when every node that is not down holds a certificate of the new root
 * (agents renew when their heartbeat says so, the manager through ManagerRenewalService), then has
 * both join tokens made anew for the new root. Both steps are idempotent (the rotation ID, the
 * digest), so replicas and restarts may repeat them.
 */
@Injectable()
export class RootRotationWatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RootRotation');
  private stopListening: (() => void) | undefined;
  private completing: string | undefined;

  constructor(
    @Inject(ClusterNodesService) private readonly nodes: ClusterNodesService,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.nodes.onEvent((event) => {
      if (event.type === 'RootRotationCompleted') void this.reissueTokens(event.data);
      else void this.check();
    });
  }

  onApplicationShutdown(): void {
    this.stopListening?.();
  }

  async check(): Promise<void> {
    if (!this.ready()) return;
    // Decided again at the head: while the read model replays history, an old rotation looks open.
    await this.nodes.current();
    const ready = this.ready();
    if (!ready) return;
    const { clusterId, rotation } = ready;
    this.completing = rotation.rotationId;
    try {
      await this.rpc.request(Subjects.caCompleteRootRotation, { context, clusterId, rotationId: rotation.rotationId });
    } catch (error) {
      this.logger.warn(`could not end root rotation ${rotation.rotationId} (tried again at the next change): ${String(error)}`);
    } finally {
      this.completing = undefined;
    }
  }

  /** The rotation under way once every node that must renew has, unless it is being ended. */
  private ready() {
    const state = this.nodes.state;
    const clusterId = state.clusterId;
    const rotation = clusterId ? state.rotations.get(clusterId) : undefined;
    if (!clusterId || !rotation || this.completing === rotation.rotationId) return undefined;
    return nodesAwaitingRoot(state, rotation.caDigest).length === 0 ? { clusterId, rotation } : undefined;
  }

  private async reissueTokens(completed: EventData<'RootRotationCompleted'>): Promise<void> {
    try {
      // Only for the trust root at the head of the log: a replayed end of an older rotation must not
      // bring back its digest.
      await this.nodes.current();
      const state = this.nodes.state;
      if (completed.clusterId !== state.clusterId || state.trustRootDigests.get(completed.clusterId) !== completed.caDigest) return;
      await this.rpc.request(Subjects.tokensReissue, { context, clusterId: completed.clusterId, rotationId: completed.rotationId, caDigest: completed.caDigest });
    } catch (error) {
      this.logger.error(`root rotation ${completed.rotationId} ended but the join tokens were not made anew: ${String(error)}`);
    }
  }
}

import { Controller, Inject, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Subjects, type NodeHeartbeat, type NodeLeftRequest, type PositionReply, type RequestContext } from '#contracts';
import { ClusterNodesService } from '../projections/cluster-nodes.service.js';

/** Missing this many heartbeat periods marks a node down (swarmkit's grace multiplier). */
const GRACE_PERIODS = 3;
const SWEEP_MS = 500;

/**
 * Node liveness. Every node-service replica hears every heartbeat (no queue group), keeps the last
 * time it saw each node in memory, and records only the transitions (`NodeStatusChanged` down with
 * "heartbeat failure", or ready again); two replicas recording the same transition are settled by
 * the node stream's expected revision (the loser finds nothing left to do).
 */
@Controller()
export class HeartbeatsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Heartbeats');
  private readonly lastSeen = new Map<string, number>();
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly context: RequestContext = { correlationId: 'heartbeats', actor: 'service:node-service' };

  constructor(@Inject(ClusterNodesService) private readonly nodes: ClusterNodesService) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep().catch((e: unknown) => this.logger.warn(String(e))), SWEEP_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  @EventPattern(Subjects.nodesHeartbeat, { queue: '' })
  async heartbeat(@Payload() beat: NodeHeartbeat): Promise<void> {
    this.lastSeen.set(beat.nodeId, Date.now());
    const entry = this.nodes.state.nodes.get(beat.nodeId)?.node;
    if (entry?.exists && !entry.removed && entry.state === 'down') {
      await this.nodes.execute(beat.nodeId, { type: 'ChangeNodeStatus', state: 'ready', message: '' }, this.context).catch(() => undefined);
    }
  }

  /** `nodes.leave`: the node said goodbye; it is down at once rather than after the grace period. */
  @MessagePattern(Subjects.nodesLeave)
  async leave(@Payload() request: NodeLeftRequest): Promise<PositionReply> {
    this.lastSeen.set(request.nodeId, 0);
    const result = await this.nodes.execute(request.nodeId, { type: 'ChangeNodeStatus', state: 'down', message: 'heartbeat failure' }, request.context);
    return { position: result.position };
  }

  private async sweep(): Promise<void> {
    const state = this.nodes.state;
    const deadline = Date.now() - GRACE_PERIODS * state.heartbeatPeriodMs;
    for (const [nodeId, { node }] of state.nodes) {
      if (!node.exists || node.removed || node.state === 'down') continue;
      if (node.registered.clusterId !== state.clusterId || nodeId === state.localNodeId) continue;
      // A replica that just started has seen no heartbeat yet: it counts from its own start.
      if ((this.lastSeen.get(nodeId) ?? this.startedAt) >= deadline) continue;
      await this.nodes.execute(nodeId, { type: 'ChangeNodeStatus', state: 'down', message: 'heartbeat failure' }, this.context).catch(() => undefined);
    }
  }
}

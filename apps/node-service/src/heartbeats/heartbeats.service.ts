import { Controller, Inject, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subjects, type NodeHeartbeat, type NodeLeftRequest, type PositionReply, type RequestContext } from '#contracts';
import { HandlesRequest, HearsEvent } from '#rpc';
import { ClusterNodesService } from '../projections/cluster-nodes.service.js';

/** Missing this many heartbeat periods marks a node down (swarmkit's grace multiplier). */
const GRACE_PERIODS = 3;
const SWEEP_MS = 500;

/**
 * Node liveness. Every node-service replica hears every heartbeat (no queue group), keeps the last
 * time it saw each node in memory, and records only the transitions (`NodeStatusChanged` down with
 * "heartbeat failure", or ready again); two replicas recording the same transition are settled by
 * the node stream's expected revision (the loser finds nothing left to do).
 *
 * `lastSeen` is kept in the order of the times it holds (a heartbeat moves its node to the end), so
 * a sweep reads only the nodes that are overdue and stops at the first one that is not: with
 * thousands of nodes, a scan of all of them every 500 ms held the event loop for ~20 ms at a time.
 * A node counts as seen when this replica first knows it (its registration, or this replica's
 * start for the nodes already there); down, removed and foreign nodes leave the list until they
 * heartbeat again.
 */
@Controller()
export class HeartbeatsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Heartbeats');
  private readonly lastSeen = new Map<string, number>();
  private readonly startedAt = Date.now();
  private knownAtStart = false;
  /** Nodes past the grace period, until their `down` is recorded (tried again each sweep after a failure). */
  private readonly overdue = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopListening: (() => void) | undefined;
  private readonly context: RequestContext = { correlationId: 'heartbeats', actor: 'service:node-service' };

  constructor(@Inject(ClusterNodesService) private readonly nodes: ClusterNodesService) {}

  onModuleInit(): void {
    this.stopListening = this.nodes.onEvent((event) => {
      if (event.type === 'NodeRegistered') this.seen(event.data.nodeId, Date.now());
    });
    this.timer = setInterval(() => void this.sweep().catch((e: unknown) => this.logger.warn(String(e))), SWEEP_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.stopListening?.();
  }

  @HearsEvent(Subjects.nodesHeartbeat)
  async heartbeat(@Payload() beat: NodeHeartbeat): Promise<void> {
    this.seen(beat.nodeId, Date.now());
    const entry = this.nodes.state.nodes.get(beat.nodeId)?.node;
    if (entry?.exists && !entry.removed && entry.state === 'down') {
      await this.nodes.execute(beat.nodeId, { type: 'ChangeNodeStatus', state: 'ready', message: '' }, this.context).catch(() => undefined);
    }
  }

  /** `nodes.leave`: the node said goodbye; it is down at once rather than after the grace period. */
  @HandlesRequest(Subjects.nodesLeave)
  async leave(@Payload() request: NodeLeftRequest): Promise<PositionReply> {
    this.lastSeen.delete(request.nodeId);
    const result = await this.nodes.execute(request.nodeId, { type: 'ChangeNodeStatus', state: 'down', message: 'heartbeat failure' }, request.context);
    return { position: result.position };
  }

  /** Moves the node to the end of `lastSeen` (the most recent). */
  private seen(nodeId: string, at: number): void {
    this.lastSeen.delete(nodeId);
    this.lastSeen.set(nodeId, at);
  }

  /** Marks down the nodes not seen for the grace period: only the overdue head of `lastSeen` is read. */
  async sweep(now = Date.now()): Promise<void> {
    const state = this.nodes.state;
    if (!this.knownAtStart) {
      // The nodes this replica found in the log: counted from its start (they come first: oldest).
      const known = [...state.nodes.keys()].filter((nodeId) => !this.lastSeen.has(nodeId));
      const later = [...this.lastSeen];
      this.lastSeen.clear();
      for (const nodeId of known) this.lastSeen.set(nodeId, this.startedAt);
      for (const [nodeId, at] of later) this.lastSeen.set(nodeId, at);
      this.knownAtStart = true;
    }
    const deadline = now - GRACE_PERIODS * state.heartbeatPeriodMs;
    for (const [nodeId, at] of this.lastSeen) {
      if (at >= deadline) break;
      this.lastSeen.delete(nodeId);
      this.overdue.add(nodeId);
    }
    let failed = 0;
    let firstError: unknown;
    for (const nodeId of [...this.overdue]) {
      // A heartbeat since: alive after all.
      if (this.lastSeen.has(nodeId)) {
        this.overdue.delete(nodeId);
        continue;
      }
      const node = state.nodes.get(nodeId)?.node;
      const watched = node?.exists && !node.removed && node.state !== 'down' && node.registered.clusterId === state.clusterId && nodeId !== state.localNodeId;
      if (!watched) {
        this.overdue.delete(nodeId);
        continue;
      }
      try {
        await this.nodes.execute(nodeId, { type: 'ChangeNodeStatus', state: 'down', message: 'heartbeat failure' }, this.context);
        this.overdue.delete(nodeId);
      } catch (error) {
        failed++;
        firstError ??= error;
      }
    }
    if (failed > 0) this.logger.warn(`could not record ${failed} node(s) down (tried again at the next sweep): ${String(firstError)}`);
  }
}
